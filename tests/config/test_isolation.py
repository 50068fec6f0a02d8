"""Learner B never reaches learner A's data, through any route.

The matrix is checked against the URL configuration: a new route that takes an id or slug must
be classified here (user data or not), or the suite fails.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_create
from mentoring import services as mentoring
from mentoring.models import Invitation, Membership, Mentorship, Message, Review, ReviewRequest, Team
from progress import services
from progress.models import ItemProgress, KPIMeasurement, PracticeReview, SkillRating
from tests.factories import UserFactory

METHODS = ["get", "post", "put", "patch", "delete"]

# Routes whose URL names an object that belongs to one learner, with the methods they serve:
# B gets 404 for each of those, and 404 or 405 (which reveals nothing) for any other method.
OWNED = {
    "progress:measurement_edit": {"get", "post"},
    "progress:measurement_delete": {"get", "post"},
    "api:me-kpi-measurement-detail": {"get", "put", "patch", "delete"},
    "accounts:token_revoke": {"post"},
    "progress:public": {"get"},  # 404 while sharing is off
    # Mentoring: alice's invitation and mentorship (the mentee's own routes)...
    "mentoring:invitation_withdraw": {"post"},
    "mentoring:share_notes": {"post"},
    "mentoring:mentorship_end": {"post"},
    "mentoring:invitation_answer": {"post"},  # an invitation to someone else's address
    "mentoring:message_edit": {"post"},  # alice's message: only its author changes it
    "mentoring:message_remove": {"post"},
    "api:me-message": {"patch", "delete"},
    "api:me-invitation": {"get"},
    "api:me-invitation-withdraw": {"post"},
    "api:me-invitation-accept": {"post"},
    "api:me-invitation-decline": {"post"},
    "api:me-mentorship": {"patch"},
    "api:me-mentorship-end": {"post"},
    # ... and the mentor's view of her (MENTEE_ROUTES)
    "mentoring:mentee": {"get"},
    "mentoring:mentee_packet": {"get"},
    "mentoring:mentee_packet_pdf": {"get"},
    "mentoring:review": {"post"},
    "mentoring:mentee_thread": {"get", "post"},
    "api:me-mentee-thread-messages": {"get", "post"},
    "api:me-mentee-threads": {"get"},
    "mentoring:skill_confirm": {"post"},
    "api:me-mentee-skills": {"get"},
    "api:me-mentee-skill": {"put"},
    "api:me-mentee-summary": {"get"},
    "api:me-mentee-queue": {"get"},
    "api:me-mentee-reviews": {"get", "post"},
    "api:me-mentee-review": {"get"},
}
# Team routes, with the methods they serve; LEAD_ONLY ones are for the team's leads alone.
TEAM_ROUTES = {
    "mentoring:team": {"get"},
    "mentoring:team_leave": {"post"},
    "mentoring:team_invite": {"post"},
    "mentoring:team_rename": {"post"},
    "mentoring:team_overview": {"get"},
    "mentoring:team_overview_csv": {"get"},
    "mentoring:team_skills": {"get"},
    "mentoring:team_member": {"get"},
    "mentoring:team_member_packet": {"get"},
    "mentoring:team_member_packet_pdf": {"get"},
    "mentoring:team_member_remove": {"post"},
    "mentoring:team_member_promote": {"post"},
    "api:me-team": {"get", "patch"},
    "api:me-team-leave": {"post"},
    "api:me-team-members": {"get"},
    "api:me-team-invitations": {"get", "post"},
    "api:me-team-member-remove": {"post"},
    "api:me-team-member-promote": {"post"},
    "api:me-team-overview": {"get"},
    "api:me-team-skills": {"get"},
}
FOR_EVERY_MEMBER = {"mentoring:team", "mentoring:team_leave", "api:me-team", "api:me-team-leave", "api:me-team-members"}
LEAD_ONLY = sorted(TEAM_ROUTES.keys() - FOR_EVERY_MEMBER)
MENTEE_ROUTES = [
    "mentoring:mentee",
    "mentoring:mentee_packet",
    "mentoring:mentee_packet_pdf",
    "mentoring:review",
    "mentoring:mentee_thread",
    "api:me-mentee-thread-messages",
    "api:me-mentee-threads",
    "mentoring:skill_confirm",
    "api:me-mentee-skills",
    "api:me-mentee-skill",
    "api:me-mentee-summary",
    "api:me-mentee-queue",
    "api:me-mentee-reviews",
    "api:me-mentee-review",
]
# Routes keyed by content (an item or skill everyone shares): each learner reaches only their
# own record behind the key, so B's requests must leave A's record untouched and never show it.
KEYED_BY_CONTENT = {
    "mentoring:my_thread",  # the item's thread of whoever asks: bob sees his own, never alice's
    "mentoring:review_request",
    "api:me-review-request",
    "api:me-thread-messages",
    "progress:kpi",
    "progress:item",
    "progress:item_clear",
    "progress:skill_rate",
    "api:me-progress-detail",
    "api:me-skill-detail",
    "api:me-practice-card",
    "api:me-practice-grade",
}
# Routes with an id or slug that is not learner data.
NOT_USER_DATA_PREFIXES = (
    "admin:",  # staff only
    "roadmap:",  # public content
    "api:criterion-",
    "api:source-",
    "api:level-",
    "api:skill-",
    "api:kpi-",
    "api:stage-",
    "api:step-",
    "api:deliverable-",
    "api:project-",
    "api:certification-",
    "api:interview-question-",
    "api:specialization-",
    "api:role-area-",
    "api:tip-",
    "account_",  # allauth: e-mail confirmation and password-reset keys are secrets sent by e-mail
    "progress:digest_unsubscribe",  # a signed token sent by e-mail; tests/progress/test_plan.py
    "mentoring:invitation",  # a single-use token sent by e-mail; tests/mentoring/test_invitations.py
    "mentoring:unsubscribe",  # a signed token sent by e-mail; tests/mentoring/test_notification_preferences.py
    "progress:calendar_feed",  # the token is the key (no sign-in); tests/progress/test_calendar.py
    "mfa_",
    "socialaccount_",
    "django.views.static.serve",
)


def _routes(resolver=None, namespace=""):
    """Names of the routes that take a parameter ("format" suffixes of API lists do not count)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, ns)
        elif isinstance(entry, URLPattern) and set(entry.pattern.regex.groupindex) - {"format"}:
            yield f"{namespace}{entry.name or entry.lookup_str}"


def test_every_route_with_an_id_or_slug_is_classified():
    unclassified = [
        name
        for name in _routes()
        if name not in OWNED.keys() | KEYED_BY_CONTENT | TEAM_ROUTES.keys()
        and not name.startswith(NOT_USER_DATA_PREFIXES)
    ]
    assert not unclassified, f"Add these routes to the isolation matrix: {unclassified}"


@pytest.fixture
def world(alice, bob, ladder):
    item, skill = ladder["steps1"][0], ladder["junior_skills"][0].skill
    services.item_progress_set(
        user=alice, item=item, status="done", note="alice's note", evidence_url="https://example.com/alice"
    )
    services.practice_grade(user=alice, item=ladder["question"], grade=3, answer="alice's answer")
    services.skill_rating_set(user=alice, skill=skill, rating=3)
    measurement = services.kpi_measurement_create(
        user=alice, kpi=ladder["latency"], value=150, measured_on=timezone.localdate(), note="alice's kpi"
    )
    token, _ = api_token_create(user=alice, name="alice's token")
    mentor = UserFactory(email="mentor@example.com")
    invitation, _ = mentoring.invitation_create(inviter=alice, email=mentor.email, base_url="http://testserver")
    mentoring.invitation_accept(invitation=invitation, user=mentor)
    open_invitation, _ = mentoring.invitation_create(inviter=alice, email="carol@example.com", base_url="http://x")
    mentorship = Mentorship.objects.get(mentee=alice, mentor=mentor)
    # A review of another item: the reviewed one leaves the mentor's queue, with its note.
    services.item_progress_set(user=alice, item=ladder["steps1"][1], status="done")
    review = mentoring.review_create(mentorship=mentorship, item=ladder["steps1"][1], verdict="verified", comment="")
    message = mentoring.message_post(mentee=alice, item=item, author=alice, text="alice's message")
    return {
        "item": item,
        "skill": skill,
        "message": message,
        "measurement": measurement,
        "token": token,
        "question": ladder["question"],
        "mentor": mentor,
        "mentorship": mentorship,
        "invitation": open_invitation,
        "review": review,
    }


def _alices_data(alice):
    # In primary-key order: PostgreSQL returns an unordered query in whatever order its rows lie.
    return (
        list(ItemProgress.objects.filter(user=alice).order_by("pk").values_list("status", "note")),
        list(SkillRating.objects.filter(user=alice).order_by("pk").values_list("rating", "mentor_rating")),
        list(KPIMeasurement.objects.filter(user=alice).order_by("pk").values_list("value", "note")),
        list(ApiToken.objects.filter(user=alice).order_by("pk").values_list("name", flat=True)),
        list(PracticeReview.objects.filter(card__user=alice).order_by("pk").values_list("grade", "answer")),
        list(ItemProgress.objects.filter(user=alice).order_by("pk").values_list("review_verdict", "review_comment")),
        list(Mentorship.objects.filter(mentee=alice).order_by("pk").values_list("share_notes", "ended_at")),
        list(Invitation.objects.filter(inviter=alice).order_by("pk").values_list("state", flat=True)),
        list(Review.objects.order_by("pk").values_list("verdict", flat=True)),
        list(Message.objects.order_by("pk").values_list("text", "removed_at")),
        list(ReviewRequest.objects.order_by("pk").values_list("mentee", "mentor", "asked_at")),
    )


def _url(name, world, alice):
    args = {
        "progress:measurement_edit": [world["measurement"].pk],
        "progress:measurement_delete": [world["measurement"].pk],
        "api:me-kpi-measurement-detail": [world["measurement"].pk],
        "accounts:token_revoke": [world["token"].token_key],
        "progress:public": [alice.public_slug or "sharing-is-off"],
        "progress:kpi": [world["measurement"].kpi.slug],
        "progress:item": [world["item"].key],
        "progress:item_clear": [world["item"].key],
        "api:me-progress-detail": [world["item"].key],
        "progress:skill_rate": [world["skill"].slug],
        "api:me-skill-detail": [world["skill"].slug],
        "api:me-practice-card": [world["question"].key],
        "api:me-practice-grade": [world["question"].key],
        "mentoring:invitation_withdraw": [world["invitation"].pk],
        "mentoring:invitation_answer": [world["invitation"].pk],
        "api:me-invitation": [world["invitation"].pk],
        "api:me-invitation-withdraw": [world["invitation"].pk],
        "api:me-invitation-accept": [world["invitation"].pk],
        "api:me-invitation-decline": [world["invitation"].pk],
        "mentoring:share_notes": [world["mentorship"].pk],
        "mentoring:mentorship_end": [world["mentorship"].pk],
        "mentoring:mentee": [world["mentorship"].pk],
        "mentoring:mentee_packet": [world["mentorship"].pk],
        "mentoring:mentee_packet_pdf": [world["mentorship"].pk],
        "mentoring:review": [world["mentorship"].pk, world["item"].key],
        "mentoring:skill_confirm": [world["mentorship"].pk, world["skill"].slug],
        "mentoring:mentee_thread": [world["mentorship"].pk, world["item"].key],
        "mentoring:my_thread": [world["item"].key],
        "mentoring:review_request": [world["item"].key],
        "api:me-review-request": [world["item"].key],
        "mentoring:message_edit": [world["message"].pk],
        "mentoring:message_remove": [world["message"].pk],
        "api:me-message": [world["message"].pk],
        "api:me-mentee-thread-messages": [world["mentorship"].pk, world["item"].key],
        "api:me-thread-messages": [world["item"].key],
        "api:me-mentee-threads": [world["mentorship"].pk],
        "api:me-mentee-skills": [world["mentorship"].pk],
        "api:me-mentee-skill": [world["mentorship"].pk, world["skill"].slug],
        "api:me-mentorship": [world["mentorship"].pk],
        "api:me-mentorship-end": [world["mentorship"].pk],
        "api:me-mentee-summary": [world["mentorship"].pk],
        "api:me-mentee-queue": [world["mentorship"].pk],
        "api:me-mentee-reviews": [world["mentorship"].pk],
        "api:me-mentee-review": [world["mentorship"].pk, world["review"].pk],
    }[name]
    return reverse(name, args=args)


def _client_for(user, name):
    client = APIClient()
    if name.startswith("api:"):
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='b')[1]}")
    else:
        client.force_login(user)
    return client


BODY = {
    "status": "skipped",
    "note": "bob",
    "rating": 0,
    "value": "1",
    "measured_on": "2026-01-01",
    "kpi": "latency",
    "grade": 1,
    "verdict": "verified",
    "item": "s1-1",
    "share_notes": True,
    "action": "accept",
}


@pytest.mark.parametrize("name", sorted(OWNED))
@pytest.mark.parametrize("method", METHODS)
def test_bob_gets_404_on_alices_object_and_it_stays_unchanged(name, method, world, alice, bob):
    before = _alices_data(alice)
    url = _url(name, world, alice)
    response = getattr(_client_for(bob, name), method)(url, BODY, format="json" if name.startswith("api:") else None)
    expected = {404} if method in OWNED[name] else {404, 405}
    assert response.status_code in expected, (method, url, response.status_code)
    assert _alices_data(alice) == before


@pytest.mark.parametrize("name", sorted(KEYED_BY_CONTENT))
@pytest.mark.parametrize("method", METHODS)
def test_bob_reaches_only_his_own_record_behind_a_shared_key(name, method, world, alice, bob):
    before = _alices_data(alice)
    url = _url(name, world, alice)
    response = getattr(_client_for(bob, name), method)(url, BODY, format="json" if name.startswith("api:") else None)
    assert response.status_code < 500
    assert b"alice" not in response.content
    assert _alices_data(alice) == before


def test_the_public_page_shows_alices_summary_only_while_she_shares_it(client, world, alice):
    alice.set_public_sharing(True)
    alice.save()
    page = client.get(alice.get_public_url())
    assert page.status_code == 200
    assert b"alice's note" not in page.content
    assert client.post(alice.get_public_url()).status_code == 405


@pytest.fixture(params=["stranger", "declined", "withdrawn", "ended", "mentee herself"])
def outsider(request, world, alice):
    """Someone with no (or no longer any) access to alice as her mentor."""
    kind = request.param
    if kind == "mentee herself":
        return alice  # reviewing her own items: she is not her own mentor
    person = UserFactory(email=f"{kind}@example.com")
    if kind in ("declined", "withdrawn", "ended"):
        invitation, _ = mentoring.invitation_create(inviter=alice, email=person.email, base_url="http://x")
        if kind == "declined":
            mentoring.invitation_decline(invitation=invitation, user=person)
        elif kind == "withdrawn":
            mentoring.invitation_withdraw(invitation=invitation)
            with pytest.raises(ValidationError):
                mentoring.invitation_accept(invitation=invitation, user=person)
        else:
            mentoring.invitation_accept(invitation=invitation, user=person)
            ended = Mentorship.objects.get(mentor=person)
            mentoring.mentorship_end(mentorship=ended, by=alice)
            world["ended"] = ended
    return person


@pytest.mark.parametrize("name", MENTEE_ROUTES)
@pytest.mark.parametrize("method", METHODS)
def test_only_alices_current_mentor_reaches_her_mentee_routes(name, method, world, alice, outsider):
    client = _client_for(outsider, name)  # before the snapshot: it may give alice herself a token
    before = _alices_data(alice)
    urls = [_url(name, world, alice)]
    if "ended" in world:  # the ended mentor's own former mentorship is closed too
        urls.append(_url(name, {**world, "mentorship": world["ended"]}, alice))
    for url in urls:
        response = getattr(client, method)(url, BODY, format="json")
        assert response.status_code in ({404} if method in OWNED[name] else {404, 405}), (method, url)
    assert _alices_data(alice) == before


@pytest.mark.parametrize(
    "name", sorted(KEYED_BY_CONTENT | {n for n in OWNED if not n.startswith(tuple(MENTEE_ROUTES))})
)
@pytest.mark.parametrize("method", METHODS)
def test_a_mentor_writes_nothing_of_the_mentees_but_reviews(name, method, world, alice):
    """The mentor, on every route that is not a review: alice's records stay as they are."""
    before = _alices_data(alice)
    url = _url(name, world, alice)
    client = _client_for(world["mentor"], name)
    response = getattr(client, method)(url, BODY, format="json" if name.startswith("api:") else None)
    assert response.status_code < 500
    assert b"alice's note" not in response.content
    if name in ("mentoring:mentorship_end", "api:me-mentorship-end"):
        return  # ending is the mentor's right too; tests/mentoring/test_invitations.py
    assert _alices_data(alice) == before


def test_the_mentor_sees_notes_only_when_shared(world, alice):
    client = _client_for(world["mentor"], "mentoring:mentee")
    url = _url("mentoring:mentee", world, alice)
    assert b"alice&#x27;s note" not in client.get(url).content
    mentoring.mentorship_share_notes(mentorship=world["mentorship"], share=True)
    assert b"alice&#x27;s note" in client.get(url).content


@pytest.fixture
def teams(world, alice):
    """Team alpha, led by alice, with a member and a former member; team beta with its own lead."""
    alpha = mentoring.team_create(user=alice, name="Alpha", slug="alpha")
    people = {}
    for name in ("member", "former"):
        people[name] = UserFactory(email=f"{name}@example.com")
        invitation, _ = mentoring.invitation_create(
            inviter=alice, email=people[name].email, base_url="http://x", team=alpha
        )
        mentoring.invitation_accept(invitation=invitation, user=people[name])
    mentoring.member_leave(membership=Membership.objects.get(team=alpha, user=people["former"]))
    people["beta lead"] = UserFactory(email="beta-lead@example.com")
    mentoring.team_create(user=people["beta lead"], name="Beta", slug="beta")
    people["stranger"] = UserFactory(email="stranger@example.com")
    return people


def _team_state():
    return (
        sorted(Membership.objects.values_list("team__slug", "user__email", "role")),
        sorted(Team.objects.values_list("slug", "name")),
        sorted(Invitation.objects.filter(kind="team").values_list("email", "state")),
    )


def _team_url(name, teams):
    return reverse(name, args=["alpha", teams["member"].pk] if _names_a_member(name) else ["alpha"])


def _names_a_member(name):
    web = ("team_member", "member_packet", "member_packet_pdf", "member_remove", "member_promote")
    return name.endswith((*web, "member-remove", "member-promote"))


def _team_request(user, name, method, url):
    client = _client_for(user, name)
    body = {**BODY, "name": "Taken over", "email": "x@example.com", "successor": user.pk}
    return getattr(client, method)(url, body, format="json" if name.startswith("api:") else None)


@pytest.mark.parametrize("name", sorted(TEAM_ROUTES))
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("who", ["stranger", "former", "beta lead"])
def test_people_outside_a_team_reach_none_of_its_routes(name, method, who, teams):
    before = _team_state()
    response = _team_request(teams[who], name, method, _team_url(name, teams))
    assert response.status_code in ({404} if method in TEAM_ROUTES[name] else {404, 405}), response.status_code
    assert _team_state() == before


@pytest.mark.parametrize("name", LEAD_ONLY)
@pytest.mark.parametrize("method", METHODS)
def test_a_member_who_is_not_a_lead_reaches_no_lead_route(name, method, teams, alice):
    before = _team_state()
    url = reverse(name, args=["alpha", alice.pk] if _names_a_member(name) else ["alpha"])
    response = _team_request(teams["member"], name, method, url)
    assert response.status_code in ({404} if method in TEAM_ROUTES[name] else {404, 405}), response.status_code
    assert _team_state() == before
