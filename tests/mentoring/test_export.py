"""A learner's export holds their mentoring too: both sides of each mentorship, the invitations
they sent, the reviews they received and gave, their teams."""

from rest_framework.test import APIClient

from accounts.services import api_token_create
from mentoring import services
from progress import export
from tests.factories import UserFactory
from tests.mentoring.conftest import BASE, review


def _export(user) -> dict:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='t')[1]}")
    return api.get("/api/v1/me/export/").json()


def test_the_export_holds_my_mentoring_on_both_sides(alice, mentor, mentorship, done_with_evidence):
    review(mentorship, done_with_evidence[0], verdict="changes_requested", comment="Add a test.")
    services.invitation_create(inviter=alice, email="second@example.com", base_url=BASE)
    team = services.team_create(user=alice, name="Cohort", slug="cohort")

    mine = _export(alice)["mentoring"]
    assert [(m["role"], m["other"]) for m in mine["mentorships"]] == [("mentee", "Maya Mentor")]
    assert [(i["email"], i["status"]) for i in mine["invitations_sent"]] == [("second@example.com", "pending")]
    assert [(r["role"], r["item"], r["verdict"], r["comment"]) for r in mine["reviews"]] == [
        ("mentee", done_with_evidence[0].key, "changes_requested", "Add a test.")
    ]
    assert [(t["team"], t["role"]) for t in mine["teams"]] == [(team.slug, "lead")]

    theirs = _export(mentor)["mentoring"]
    assert [(m["role"], m["other"]) for m in theirs["mentorships"]] == [("mentor", alice.get_short_name())]
    assert [(r["role"], r["comment"]) for r in theirs["reviews"]] == [("mentor", "Add a test.")]
    assert theirs["invitations_sent"] == theirs["teams"] == []


def test_someone_elses_mentoring_never_shows_in_my_export(alice, mentorship, done_with_evidence):
    review(mentorship, done_with_evidence[0])
    stranger = UserFactory(email="stranger@example.com")
    assert export.export_data(stranger)["mentoring"] == {
        "mentorships": [],
        "invitations_sent": [],
        "reviews": [],
        "notification_preferences": dict.fromkeys(["request", "review", "message", "invitation", "team"], "now"),
        "teams": [],
    }
