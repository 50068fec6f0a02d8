"""Small promises: what the schema says is what the API takes, a PATCH of nothing changes nothing,
long addresses and private pages are answered as such."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mentoring import services as mentoring
from progress import digest
from tests.factories import MentorshipFactory, UserFactory
from tests.mentoring.conftest import BASE


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_address_too_long_is_a_414_in_the_apis_json(client, db):
    response = client.get("/api/v1/levels/?page=1&x=" + "a" * 9000)
    assert response.status_code == 414
    assert response.json()["code"] == "too_long"
    assert client.get("/?x=" + "a" * 9000).status_code == 414


def test_the_invitation_page_is_never_kept_by_a_cache_or_the_history(client, alice):
    _, token = mentoring.invitation_create(inviter=alice, email="maya@example.com", base_url=BASE)
    response = client.get(reverse("mentoring:invitation", args=[token]))
    assert "maya@example.com" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_an_unsubscribe_link_stops_working_for_a_new_address_and_after_a_year(client, alice, monkeypatch):
    token = digest.unsubscribe_token(alice)
    assert digest.user_for_unsubscribe_token(token) == alice
    alice.email = "alice.new@example.com"
    alice.save()
    assert digest.user_for_unsubscribe_token(token) is None
    assert client.post(reverse("progress:digest_unsubscribe", args=[token])).status_code == 404
    fresh = digest.unsubscribe_token(alice)
    # A year and a day on, by the clock the signature is checked against.
    monkeypatch.setattr("time.time", lambda: datetime.datetime.now().timestamp() + 366 * 24 * 3600)
    assert digest.user_for_unsubscribe_token(fresh) is None


def test_a_patch_of_nothing_changes_nothing(alice):
    mentorship = MentorshipFactory(mentee=alice, mentor=UserFactory(), share_notes=True)
    api = _api(alice)
    response = api.patch(f"/api/v1/me/mentorships/{mentorship.pk}/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["share_notes"] is True
    assert api.post("/api/v1/me/teams/", {"name": "Cohort", "slug": "cohort"}, format="json").status_code == 201
    response = api.patch("/api/v1/me/teams/cohort/", {}, format="json")
    assert (response.status_code, response.json()["name"]) == (200, "Cohort")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/me/practice/q-1/grade/", {"grade": 3, "answer": 42}),
        (
            "post",
            "/api/v1/me/kpi-measurements/",
            {"kpi": "latency", "value": 1, "measured_on": "2026-12-01", "note": 42},
        ),
        ("put", "/api/v1/me/progress/s1-1/", {"status": "done", "note": 42}),
    ],
)
def test_a_number_where_the_schema_says_string_is_refused(alice, ladder, method, path, body):
    response = getattr(_api(alice), method)(path, body, format="json")
    assert response.status_code == 400
    field = "answer" if "answer" in body else "note"
    assert field in response.json()["errors"]
