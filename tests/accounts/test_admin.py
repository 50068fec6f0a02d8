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
