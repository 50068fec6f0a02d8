import pytest
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


def _fail_sign_ins(client, forwarded_for: str, n: int) -> None:
    for i in range(n):
        client.post(
            reverse("account_login"),
            {"login": f"nobody{i}@example.com", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )


@pytest.mark.parametrize(("proxies", "bob_signs_in"), [(1, True), (0, False)])
def test_behind_one_proxy_each_client_has_its_own_sign_in_limit(client, db, settings, proxies, bob_signs_in):
    """Every request comes from the proxy's address; the client is the last X-Forwarded-For entry.
    Without the proxy count (0) the whole site shares the proxy's limit."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    UserFactory(email="bob@example.com")
    _fail_sign_ins(client, "203.0.113.7", 11)  # mallory: over the 10 a minute per address
    bob = client.post(
        reverse("account_login"),
        {"login": "bob@example.com", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert (bob.status_code == 302) is bob_signs_in


def test_behind_a_proxy_the_api_throttle_reads_the_client_the_same_way(db, settings, monkeypatch):
    from rest_framework.test import APIClient
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "3/minute"})
    # DRF's cached setting first: monkeypatch restores the value it read, which must be the one
    # from before the settings change (read after, it was 1 and leaked into later tests).
    monkeypatch.setattr("rest_framework.settings.api_settings.NUM_PROXIES", 1)
    monkeypatch.setitem(settings.REST_FRAMEWORK, "NUM_PROXIES", 1)
    api = APIClient()
    mallory = [api.get("/api/v1/levels/", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code for _ in range(4)]
    assert mallory == [200, 200, 200, 429]
    assert api.get("/api/v1/levels/", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200
