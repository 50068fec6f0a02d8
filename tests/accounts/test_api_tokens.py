import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.factories import UserFactory


def _create(client, name="alices-training-run") -> str:
    response = client.post(reverse("accounts:tokens"), {"name": name, "scope": "write"})
    assert {"no-store", "private"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    return re.search(r'id="new-token" type="text" readonly value="([^"]+)"', response.content.decode()).group(1)


def test_learner_creates_a_token_sees_it_once_and_uses_it(client, db):
    alice = UserFactory(email="alice@example.com")
    client.force_login(alice)
    token = _create(client)

    stored = ApiToken.objects.get(user=alice)
    assert stored.name == "alices-training-run"
    assert token not in (stored.digest, stored.token_key)  # only a hash and a short prefix are kept
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert "alices-training-run" in listing
    assert token not in listing

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/profile/").json()["email"] == "alice@example.com"


def test_revoked_token_no_longer_works(client, db):
    alice = UserFactory()
    client.force_login(alice)
    token = _create(client)
    key = ApiToken.objects.get().token_key
    client.post(reverse("accounts:token_revoke", args=[key]))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/profile/").status_code == 401


def test_bob_cannot_revoke_alices_token(client, db):
    alice, bob = UserFactory(), UserFactory()
    client.force_login(alice)
    _create(client)
    key = ApiToken.objects.get().token_key
    client.force_login(bob)
    assert client.post(reverse("accounts:token_revoke", args=[key])).status_code == 404
    assert ApiToken.objects.filter(user=alice).count() == 1
    assert "alices-training-run" not in client.get(reverse("accounts:tokens")).content.decode()


def test_a_token_needs_a_name(client, db):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:tokens"), {"name": ""})
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_an_expired_token_signs_nobody_in_and_leaves_the_list(client, db):
    alice = UserFactory()
    client.force_login(alice)
    old = _create(client, "old-laptop")
    _create(client, "ci-runner")
    ApiToken.objects.filter(name="old-laptop").update(expiry=timezone.now() - timedelta(days=1))
    assert "old-laptop" not in client.get(reverse("accounts:tokens")).content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    for _ in range(2):  # and says so each time, not "invalid" on the second try
        refused = api.get("/api/v1/me/profile/")
        assert refused.status_code == 401
        assert refused.json()["code"] == "token_expired"
        assert "expired" in refused.json()["detail"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {old[:-4]}abcd")  # the same key, not the token
    assert api.get("/api/v1/me/profile/").json()["code"] == "token_invalid"


def test_a_request_reads_its_own_token_only_and_a_new_token_purges_the_expired(client, db):
    alice = UserFactory()
    client.force_login(alice)
    tokens = [_create(client, f"token-{n}") for n in range(3)]
    ApiToken.objects.filter(name="token-0").update(expiry=timezone.now() - timedelta(days=1))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {tokens[2]}")
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/me/profile/").status_code == 200
    token_reads = [q for q in queries if q["sql"].startswith("SELECT") and '"accounts_apitoken"' in q["sql"]]
    assert len(token_reads) == 1
    _create(client, "token-3")
    assert sorted(ApiToken.objects.values_list("name", flat=True)) == ["token-1", "token-2", "token-3"]


def test_a_token_answers_for_its_owner_as_they_are_now(client, db):
    """The token and its owner are read afresh on every request (their SQL is built once)."""
    alice = UserFactory(email="alice@example.com", name="Alice")
    client.force_login(alice)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {_create(client)}")
    assert api.get("/api/v1/me/profile/").json()["name"] == "Alice"
    type(alice).objects.filter(pk=alice.pk).update(name="Alice Renamed")
    assert api.get("/api/v1/me/profile/").json()["name"] == "Alice Renamed"
    type(alice).objects.filter(pk=alice.pk).update(is_active=False)
    assert api.get("/api/v1/me/profile/").status_code == 401
