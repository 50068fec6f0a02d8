from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


def test_repeated_failed_sign_ins_are_refused_even_with_the_right_password_afterwards(client, db):
    UserFactory(email="alice@example.com")
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": "alice@example.com", "password": "wrong"})
        assert "not correct" in response.content.decode()

    # allauth answers with a form error, not an HTTP 429.
    response = client.post(reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
