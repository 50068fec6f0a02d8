"""A token is made read-only or read-and-write; a read-only token reads and changes nothing."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_create
from progress.models import ItemProgress


def _api(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_read_only_token_reads_and_every_change_is_refused_saying_why(alice, ladder):
    _, token = api_token_create(user=alice, name="charts", scope=ApiToken.Scope.READ)
    api = _api(token)
    assert api.get("/api/v1/me/summary/").status_code == 200
    step = ladder["steps1"][0].key
    refused = api.put(f"/api/v1/me/progress/{step}/", {"status": "done"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "token_read_only"
    assert "read-only" in refused.json()["detail"]
    assert api.post("/api/v1/me/invitations/", {"email": "m@example.com"}, format="json").status_code == 403
    assert not ItemProgress.objects.filter(user=alice).exists()


def test_a_read_and_write_token_changes_data(alice, ladder):
    _, token = api_token_create(user=alice, name="script", scope=ApiToken.Scope.WRITE)
    step = ladder["steps1"][0].key
    assert _api(token).put(f"/api/v1/me/progress/{step}/", {"status": "done"}, format="json").status_code == 200


@pytest.mark.parametrize(("scope", "shown"), [("read", "read only"), ("write", "read and write")])
def test_the_scope_is_chosen_when_the_token_is_made_and_shown_in_the_list(client, alice, scope, shown):
    client.force_login(alice)
    page = client.post(reverse("accounts:tokens"), {"name": "notebook", "scope": scope}).content.decode()
    assert ApiToken.objects.get(user=alice).scope == scope
    assert f'<span class="badge">{shown}</span>' in page


def test_a_token_form_without_a_scope_makes_nothing_and_keeps_the_name(client, alice):
    client.force_login(alice)
    page = client.post(reverse("accounts:tokens"), {"name": "notebook", "scope": "admin"}).content.decode()
    assert not ApiToken.objects.exists()
    assert 'value="notebook"' in page
    assert "Select a valid choice" in page


def test_staff_see_each_tokens_scope_in_the_admin(admin_client, alice):
    api_token_create(user=alice, name="charts", scope=ApiToken.Scope.READ)
    page = admin_client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
    assert "Read only" in page
