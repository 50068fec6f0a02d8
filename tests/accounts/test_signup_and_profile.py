import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PASSWORD, LevelFactory, UserFactory

User = get_user_model()


@pytest.fixture
def ladder(db):
    return [
        LevelFactory(order=1, slug="junior", title="Junior ML Engineer", years_min=0, years_max=2),
        LevelFactory(order=2, slug="mle", title="ML Engineer", years_min=2, years_max=5),
        LevelFactory(order=3, slug="senior", title="Senior ML Engineer", years_min=5, years_max=None),
    ]


def _confirmation_link(mailoutbox) -> str:
    assert len(mailoutbox) == 1
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mailoutbox[0].body).group(1)


def test_sign_up_verify_sign_in_onboard_and_see_the_level_on_the_profile(
    client, ladder, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the outbox hands the mail over at commit
        response = client.post(
            reverse("account_signup"),
            {"email": "alice@example.com", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    # Verification is mandatory: no sign-in before the link is followed.
    assert client.get(reverse("accounts:profile")).status_code == 302

    link = _confirmation_link(mailoutbox)
    assert client.get(link).status_code == 200
    client.post(link)
    client.post(reverse("account_logout"))

    response = client.post(reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts:onboarding")

    response = client.post(
        reverse("accounts:onboarding"),
        {"years_of_experience": "3", "current_level": "", "target_level": "", "preferred_track": "B"},
    )
    assert response.status_code == 302

    alice = User.objects.get(email="alice@example.com")
    assert alice.current_level.slug == "mle"  # suggested from 3 years
    assert alice.target_level.slug == "senior"  # the next level
    assert alice.onboarded_at is not None
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "You are on the" in html
    assert "ML Engineer</a> level" in html

    # Signing in again after onboarding does not ask again.
    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD})
    assert response.url != reverse("accounts:onboarding")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "TAKEN@example.com", "password1": PASSWORD, "password2": PASSWORD}, "already registered"),
        ({"email": "new@example.com", "password1": "password", "password2": "password"}, "too common"),
        ({"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD + "x"}, "same password"),
        ({"email": "not-an-address", "password1": PASSWORD, "password2": PASSWORD}, "valid email"),
    ],
    ids=["taken-email", "weak-password", "mismatched-passwords", "bad-email"],
)
def test_bad_sign_up_input_gives_a_form_error_and_creates_nothing(client, db, data, message):
    UserFactory(email="taken@example.com")
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == 1


def test_invalid_level_id_in_onboarding_is_a_form_error_and_changes_nothing(client, ladder):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:onboarding"), {"years_of_experience": "1", "current_level": "999999"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    user.refresh_from_db()
    assert user.current_level is None
    assert user.onboarded_at is None


def test_target_below_current_level_is_refused(client, ladder):
    user = UserFactory()
    client.force_login(user)
    junior, mle, _ = ladder
    response = client.post(reverse("accounts:profile"), {"current_level": mle.pk, "target_level": junior.pk})
    assert "cannot be below your current level" in response.content.decode()
    user.refresh_from_db()
    assert user.current_level is None


def test_onboarding_needs_a_level_or_years(client, ladder):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:onboarding"), {})
    assert "Choose your current level, or give your years" in response.content.decode()


def test_level_suggestion_follows_the_years_typed(client, ladder):
    html = client.get(reverse("accounts:suggest_level"), {"years_of_experience": "6"}).content.decode()
    assert "Senior ML Engineer" in html
    html = client.get(reverse("accounts:suggest_level"), {"years_of_experience": "abc"}).content.decode()
    assert "we suggest" not in html


def test_pages_of_the_account_need_sign_in(client, db):
    for name in ["accounts:profile", "accounts:onboarding", "accounts:delete"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_no_social_buttons_without_provider_credentials(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert "GitHub" not in html
    assert "Google" not in html


def test_account_pages_render_inside_the_site_layout(client, db):
    response = client.get(reverse("account_login"))
    assert "base.html" in [t.name for t in response.templates]
    assert 'aria-label="Main"' in response.content.decode()


def test_two_factor_setup_asks_for_the_password_again_then_shows_the_authenticator_secret(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert "Authenticator" in response.content.decode()
    assert response.context["form"].secret
