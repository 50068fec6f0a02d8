"""A name is one line: a line break in a display name or a team name cannot become an e-mail
header, and nothing a user typed gives a 500 after the write is saved."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from mentoring import services
from mentoring.models import Invitation, Review, Team
from tests.mentoring.conftest import BASE, review

HOSTILE = ["Zed\nBcc: evil@example.org", "Mo\r\nBcc: evil@example.org", "Tab\there", "Line\u2028two"]


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("name", HOSTILE)
def test_a_display_name_with_a_line_break_is_refused_by_the_api_and_the_form(client, alice, name):
    response = _api(alice).patch("/api/v1/me/profile/", {"name": name}, format="json")
    assert response.status_code == 400
    assert "one line" in response.json()["errors"]["name"][0]
    client.force_login(alice)
    page = client.post(reverse("accounts:profile"), {"name": name, "current_level": alice.current_level_id})
    assert "one line" in page.content.decode()
    alice.refresh_from_db()
    assert alice.name == ""


@pytest.mark.parametrize("name", HOSTILE)
def test_a_team_name_with_a_line_break_is_refused_by_the_api_and_the_forms(client, alice, name):
    api = _api(alice)
    response = api.post("/api/v1/me/teams/", {"name": name, "slug": "cohort"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    assert api.post("/api/v1/me/teams/", {"name": "Cohort", "slug": "cohort"}, format="json").status_code == 201
    assert api.patch("/api/v1/me/teams/cohort/", {"name": name}, format="json").status_code == 400
    client.force_login(alice)
    client.post(reverse("mentoring:team_rename", args=["cohort"]), {"name": name})
    assert Team.objects.get().name == "Cohort"


def test_names_stored_before_the_rule_still_give_single_line_subjects(
    alice, mentor, mentorship, done_with_evidence, mailoutbox, django_capture_on_commit_callbacks
):
    """Old rows may hold a line break: mail goes out with the name on one line, no 500, no duplicate."""
    User.objects.filter(pk=alice.pk).update(name="Zed\nBcc: evil@example.org")
    User.objects.filter(pk=mentor.pk).update(name="Mo\r\nBcc: evil@example.org")
    alice.refresh_from_db()
    mentor.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(inviter=alice, email="x@example.org", base_url=BASE)
        review(mentorship, done_with_evidence[0])
    assert Invitation.objects.filter(email="x@example.org").count() == 1
    assert Review.objects.count() == 1
    subjects = [message.subject for message in mailoutbox]
    assert len(subjects) == 2  # the invitation and the review notification
    assert all("\n" not in s and "\r" not in s for s in subjects)
    assert any("Zed Bcc: evil@example.org" in s for s in subjects)
    assert all(message.extra_headers.get("Bcc") is None and not message.bcc for message in mailoutbox)
