"""A mentor says how many mentees they take; an invitation past it is refused, saying why
(issue: mentoring v2, capacity)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring import services
from mentoring.models import Invitation, Mentorship
from tests.factories import MentorshipFactory, UserFactory
from tests.mentoring.conftest import BASE


def invite(inviter, email="mentor@example.com"):
    return services.invitation_create(inviter=inviter, email=email, base_url=BASE)


@pytest.fixture
def busy_mentor(mentor, ladder):
    """A mentor who takes two mentees and has two."""
    mentor.mentee_limit = 2
    mentor.save(update_fields=["mentee_limit"])
    MentorshipFactory.create_batch(2, mentor=mentor)
    return mentor


def test_an_invitation_to_a_mentor_at_their_limit_is_not_sent_and_says_why(alice, busy_mentor, mailoutbox):
    with pytest.raises(ValidationError, match=r"already mentors as many learners as they take \(2\)"):
        invite(alice)
    assert not Invitation.objects.filter(inviter=alice).exists()
    assert mailoutbox == []


def test_without_a_limit_or_below_it_invitations_go_out(alice, bob, mentor):
    MentorshipFactory.create_batch(3, mentor=mentor)
    invite(alice)  # no limit
    mentor.mentee_limit = 5
    mentor.save(update_fields=["mentee_limit"])
    invite(bob)
    assert Invitation.objects.filter(email=mentor.email).count() == 2


def test_a_mentor_taking_none_for_now_is_refused_in_those_words(alice, mentor):
    mentor.mentee_limit = 0
    mentor.save(update_fields=["mentee_limit"])
    with pytest.raises(ValidationError, match="is not taking mentees at the moment"):
        invite(alice)


def test_a_mentor_at_the_limit_cannot_accept_an_older_invitation_and_is_told_what_to_do(alice, mentor, ladder):
    invitation, _ = invite(alice)  # sent while there was room
    MentorshipFactory(mentor=mentor)
    mentor.mentee_limit = 1
    mentor.save(update_fields=["mentee_limit"])
    with pytest.raises(ValidationError, match="Raise your limit"):
        services.invitation_accept(invitation=invitation, user=mentor)
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.PENDING  # still theirs to decline, or accept after raising it
    assert not Mentorship.objects.of_mentee(alice).exists()
    mentor.mentee_limit = 2
    mentor.save(update_fields=["mentee_limit"])
    services.invitation_accept(invitation=invitation, user=mentor)
    assert Mentorship.objects.of_mentee(alice).get().mentor == mentor


def test_a_mentor_who_takes_no_one_is_told_so_in_their_own_words_when_accepting(alice, mentor, ladder):
    invitation, _ = invite(alice)
    mentor.mentee_limit = 0
    mentor.save(update_fields=["mentee_limit"])
    stale = type(mentor).objects.get(pk=mentor.pk)
    stale.mentee_limit = None  # the limit is read from the locked row, not from a stale copy
    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(invitation=invitation, user=stale)
    assert "You are not taking mentees at the moment." in refused.value.messages[0]
    assert "You mentor 0" not in refused.value.messages[0]


def test_an_ended_mentorship_frees_a_place(alice, busy_mentor):
    ended = Mentorship.objects.of_mentor(busy_mentor).first()
    services.mentorship_end(mentorship=ended, by=busy_mentor)
    invite(alice)
    assert Invitation.objects.filter(inviter=alice).exists()


def test_the_learner_sees_why_on_the_page(client, alice, busy_mentor):
    client.force_login(alice)
    page = client.post(reverse("mentoring:mentors"), {"email": busy_mentor.email}).content.decode()
    assert "already mentors as many learners as they take (2)" in page
    assert "Invite another mentor" in page


def test_a_mentor_sets_the_limit_on_people_i_mentor(client, busy_mentor):
    client.force_login(busy_mentor)
    page = client.get(reverse("mentoring:mentees")).content.decode()
    assert "You mentor 2 learners, of at most 2." in page
    response = client.post(reverse("mentoring:mentee_limit"), {"mentee_limit": "3"}, follow=True)
    assert "You take at most 3 mentees." in response.content.decode()
    busy_mentor.refresh_from_db()
    assert busy_mentor.mentee_limit == 3
    refused = client.post(reverse("mentoring:mentee_limit"), {"mentee_limit": "101"}, follow=True)
    assert "less than or equal to 100" in refused.content.decode()
    client.post(reverse("mentoring:mentee_limit"), {"mentee_limit": ""})
    busy_mentor.refresh_from_db()
    assert busy_mentor.mentee_limit is None


def test_the_limit_through_the_api(api, alice, busy_mentor):
    mentor = api(busy_mentor)
    assert mentor.get("/api/v1/me/mentoring-preferences/").json()["mentee_limit"] == 2
    changed = mentor.patch("/api/v1/me/mentoring-preferences/", {"mentee_limit": 0}, format="json")
    assert changed.json()["mentee_limit"] == 0
    assert mentor.patch("/api/v1/me/mentoring-preferences/", {"mentee_limit": -1}, format="json").status_code == 400
    assert mentor.patch("/api/v1/me/mentoring-preferences/", {"mentee_limit": 101}, format="json").status_code == 400
    # The other preferences are left as they were.
    assert (
        mentor.patch("/api/v1/me/mentoring-preferences/", {"readiness_verified_only": True}, format="json").json()[
            "mentee_limit"
        ]
        == 0
    )
    refused = api(alice).post("/api/v1/me/invitations/", {"email": busy_mentor.email}, format="json")
    assert refused.status_code == 409
    assert "is not taking mentees at the moment" in str(refused.json())
    assert mentor.patch("/api/v1/me/mentoring-preferences/", {"mentee_limit": None}, format="json").status_code == 200
    assert api(alice).post("/api/v1/me/invitations/", {"email": busy_mentor.email}, format="json").status_code == 201


def test_the_database_refuses_a_limit_above_100(mentor):
    from django.db import IntegrityError

    mentor.mentee_limit = 101
    with pytest.raises(IntegrityError):
        mentor.save(update_fields=["mentee_limit"])


def test_other_accounts_are_not_counted(alice, mentor):
    other = UserFactory()
    MentorshipFactory.create_batch(2, mentor=other)
    mentor.mentee_limit = 1
    mentor.save(update_fields=["mentee_limit"])
    invite(alice)
