import pytest

from mentoring.models import Mentorship


def test_the_whole_mentoring_flow_through_the_api(api, alice, mentor, done_with_evidence):
    learner, senior = api(alice), api(mentor)
    sent = learner.post("/api/v1/me/invitations/", {"email": "mentor@example.com"}, format="json")
    assert sent.status_code == 201
    assert learner.get(sent["Location"]).json() == sent.json()  # where the invitation is
    assert senior.get(sent["Location"]).status_code == 404  # the sender's, not the invitee's
    assert learner.post("/api/v1/me/invitations/", {"email": "mentor@example.com"}, format="json").status_code == 409
    (received,) = senior.get("/api/v1/me/invitations-received/").json()["results"]
    assert received["inviter"]["id"] == alice.pk
    accepted = senior.post(f"/api/v1/me/invitations-received/{received['id']}/accept/")
    assert accepted.json()["team"] is None
    pk = accepted.json()["mentorship"]

    (row,) = senior.get("/api/v1/me/mentees/").json()["results"]
    assert (row["mentorship"], row["awaiting_review"]) == (pk, 2)
    queue = senior.get(f"/api/v1/me/mentees/{pk}/queue/").json()["results"]
    assert {q["item"] for q in queue} == {i.key for i in done_with_evidence}
    assert all(q["note"] == "" for q in queue)  # notes not shared
    learner.patch(f"/api/v1/me/mentorships/{pk}/", {"share_notes": True}, format="json")
    assert senior.get(f"/api/v1/me/mentees/{pk}/queue/").json()["results"][0]["note"] == "alice's private note"

    made = senior.post(
        f"/api/v1/me/mentees/{pk}/reviews/",
        {"item": done_with_evidence[0].key, "verdict": "verified", "comment": "ok"},
        format="json",
    )
    assert made.status_code == 201
    assert senior.get(made["Location"]).json() == made.json()
    assert learner.get(made["Location"]).status_code == 404  # a mentor's address, not the mentee's
    summary = senior.get(f"/api/v1/me/mentees/{pk}/summary/").json()
    assert summary == learner.get("/api/v1/me/summary/").json()
    assert summary["progress"]["overall"]["verified"] == 1
    mine = learner.get(f"/api/v1/me/progress/{done_with_evidence[0].key}/").json()
    assert (mine["review_state"], mine["review_comment"]) == ("verified", "ok")
    assert learner.get("/api/v1/me/reviews/").json()["results"][0]["mentor"]["name"] == "Maya Mentor"

    kinds = [n["kind"] for n in learner.get("/api/v1/me/notifications/").json()["results"]]
    assert kinds == ["review_received", "invitation_accepted"]
    assert learner.post("/api/v1/me/notifications/read/", {}, format="json").json() == {"marked": 2}

    assert senior.post(f"/api/v1/me/mentorships/{pk}/end/").status_code == 204
    assert senior.get(f"/api/v1/me/mentees/{pk}/summary/").status_code == 404


def test_a_mentor_cannot_review_with_a_bad_body_nor_a_mentee_share_for_the_mentor(api, alice, mentor, mentorship):
    senior = api(mentor)
    bad = senior.post(f"/api/v1/me/mentees/{mentorship.pk}/reviews/", {"item": "s1-1", "verdict": "meh"}, format="json")
    assert bad.status_code == 400
    assert "verdict" in bad.json()["errors"]
    not_done = senior.post(
        f"/api/v1/me/mentees/{mentorship.pk}/reviews/", {"item": "s1-1", "verdict": "verified"}, format="json"
    )
    assert not_done.status_code == 400
    # Sharing notes is the mentee's choice alone.
    assert (
        senior.patch(f"/api/v1/me/mentorships/{mentorship.pk}/", {"share_notes": True}, format="json").status_code
        == 404
    )
    assert not Mentorship.objects.get(pk=mentorship.pk).share_notes


def test_preferences_through_the_api(api, alice):
    learner = api(alice)
    assert learner.patch(
        "/api/v1/me/mentoring-preferences/", {"readiness_verified_only": True}, format="json"
    ).json() == {
        "readiness_verified_only": True,
        "readiness_mentor_skills_only": False,
        "mentee_limit": None,
    }
    alice.refresh_from_db()
    assert alice.readiness_verified_only


def test_teams_through_the_api(api, alice, bob, ladder):
    lead, member = api(alice), api(bob)
    created = lead.post("/api/v1/me/teams/", {"name": "Cohort", "slug": "cohort"}, format="json")
    assert created["Location"] == "http://testserver/api/v1/me/teams/cohort/"  # where the new team is
    assert lead.get(created["Location"]).status_code == 200
    assert created.status_code == 201
    assert created.json()["my_role"] == "lead"
    assert lead.post("/api/v1/me/teams/", {"name": "Again", "slug": "cohort"}, format="json").status_code == 409
    invited = lead.post("/api/v1/me/teams/cohort/invitations/", {"email": bob.email}, format="json")
    assert invited.status_code == 201
    assert lead.get(invited["Location"]).json() == invited.json()
    (received,) = member.get("/api/v1/me/invitations-received/").json()["results"]
    assert (received["kind"], received["team"]) == ("team", "cohort")
    assert member.post(f"/api/v1/me/invitations-received/{received['id']}/accept/").json() == {
        "mentorship": None,
        "team": "cohort",
    }
    assert [m["role"] for m in member.get("/api/v1/me/teams/cohort/members/").json()["results"]] == ["lead", "member"]
    assert member.get("/api/v1/me/teams/cohort/overview/").status_code == 404
    rows = lead.get("/api/v1/me/teams/cohort/overview/").json()["results"]
    assert [r["member"]["id"] for r in rows] == sorted([alice.pk, bob.pk], key=lambda pk: pk != alice.pk)
    skills = lead.get("/api/v1/me/teams/cohort/skills/", {"level": "mle"}).json()
    assert skills["level"] == "mle"
    assert len(skills["members"]) == 2
    assert all(len(m["ratings"]) == len(skills["skills"]) for m in skills["members"])
    assert lead.patch("/api/v1/me/teams/cohort/", {"name": "Cohort 8"}, format="json").json()["name"] == "Cohort 8"
    assert lead.post("/api/v1/me/teams/cohort/leave/", {}, format="json").status_code == 400  # last lead
    assert lead.post(f"/api/v1/me/teams/cohort/members/{bob.pk}/promote/").status_code == 204
    assert lead.post("/api/v1/me/teams/cohort/leave/", {}, format="json").status_code == 204
    assert lead.get("/api/v1/me/teams/cohort/").status_code == 404
    assert member.get("/api/v1/me/teams/cohort/").json()["my_role"] == "lead"


def test_answering_an_invitation_already_answered_is_a_conflict_that_says_so(api, alice, mentor):
    api(alice).post("/api/v1/me/invitations/", {"email": "mentor@example.com"}, format="json")
    senior = api(mentor)
    (received,) = senior.get("/api/v1/me/invitations-received/").json()["results"]
    assert senior.post(f"/api/v1/me/invitations-received/{received['id']}/accept/").status_code == 200
    for answer in ("accept", "decline"):
        again = senior.post(f"/api/v1/me/invitations-received/{received['id']}/{answer}/")
        assert again.status_code == 409
        assert "accepted" in again.json()["detail"]
    # Someone else's invitation is still nobody's business: 404.
    assert api(alice).post(f"/api/v1/me/invitations-received/{received['id']}/accept/").status_code == 404


@pytest.mark.parametrize(("ids", "status"), [([2**70], 400), ([0], 400), ([3.0, 4], 200), ([3.5], 400)])
def test_notification_ids_beyond_any_row_are_a_400_and_whole_floats_are_ids(api, alice, ids, status):
    response = api(alice).post("/api/v1/me/notifications/read/", {"ids": ids}, format="json")
    assert response.status_code == status
