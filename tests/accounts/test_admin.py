from django.urls import reverse

from tests.factories import UserFactory


def test_staff_see_learners_with_verified_flag_and_level_but_cannot_set_their_password(client, db):
    admin = UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)
    learner = UserFactory(email="learner@example.com")
    client.force_login(admin)

    changelist = client.get(reverse("admin:accounts_user_changelist"), {"q": "learner@"})
    assert changelist.status_code == 200
    html = changelist.content.decode()
    assert "learner@example.com" in html
    assert reverse("admin:accounts_user_change", args=[admin.pk]) not in html
    assert "column-email_verified" in html
    assert "column-current_level" in html

    change = client.get(reverse("admin:accounts_user_change", args=[learner.pk]))
    assert change.status_code == 200
    assert "../password/" not in change.content.decode()
    assert client.get(reverse("admin:auth_user_password_change", args=[learner.pk])).status_code == 403


def test_staff_see_learners_tokens_without_their_secret_and_revoke_them(client, db):
    from accounts.models import ApiToken
    from accounts.services import api_token_create

    learner = UserFactory(email="learner@example.com")
    token, secret = api_token_create(user=learner, name="laptop script")
    viewer = UserFactory(email="viewer@example.com", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_apitoken"))
    client.force_login(viewer)
    listing = client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
    assert "laptop script" in listing
    assert token.token_key in listing
    assert secret not in listing
    detail = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).content.decode()
    assert secret not in detail
    assert "field-digest" not in detail  # the stored hash is not shown as a field either
    assert "Revoke the selected tokens" not in listing  # viewing is not revoking

    client.force_login(UserFactory(email="admin@example.com", is_staff=True, is_superuser=True))
    client.post(reverse("admin:accounts_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})
    assert not ApiToken.objects.filter(pk=token.pk).exists()
