"""When a mentor does not answer: after REVIEW_ANSWER_DAYS the learner asks another of their mentors,
or withdraws the request and asks again later (issue: mentoring v2, waiting time and re-asking).
The clock is passed in, never slept."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mentoring import services
from mentoring.models import Notification, ReviewRequest
from mentoring.selectors import review_queue
from progress import services as progress_services
from progress.models import ItemProgress
from tests.factories import MentorshipFactory, UserFactory
from tests.mentoring.conftest import review

DAY = datetime.timedelta(days=1)


@pytest.fixture
def second(alice):
    """Alice's second mentor."""
    return MentorshipFactory(mentee=alice, mentor=UserFactory(email="sam@example.com", name="Sam Second"))


@pytest.fixture
def item(alice, ladder):
    item = ladder["steps1"][0]
    progress_services.item_progress_set(user=alice, item=item, status="done", evidence_url="https://example.com/1")
    return item


def _done_ago(alice, item, days):
    then = timezone.now() - days * DAY
    ItemProgress.objects.filter(user=alice, item=item).update(completed_at=then, updated_at=then)


def _keys(mentee, mentor):
    return [record.item.key for record in review_queue(mentee, mentor)]


def test_before_the_answer_days_it_cannot_be_asked_of_someone_else(alice, mentorship, second, item):
    _done_ago(alice, item, 3)
    with pytest.raises(ValidationError, match=r"once “.*” has waited 7 days without an answer \(it has waited 3"):
        services.review_request_set(mentee=alice, item=item, mentorship=second)
    assert not ReviewRequest.objects.exists()


def test_after_the_answer_days_it_goes_to_the_mentor_asked_alone(alice, mentor, mentorship, second, item):
    _done_ago(alice, item, 8)
    assert _keys(alice, mentor) == _keys(alice, second.mentor) == [item.key]
    now = timezone.now()
    services.review_request_set(mentee=alice, item=item, mentorship=second, now=now)

    assert _keys(alice, mentor) == []
    assert _keys(alice, second.mentor) == [item.key]
    asked = Notification.objects.filter(user=second.mentor, kind=Notification.Kind.REVIEW_REQUESTED)
    assert [n.message for n in asked] == [  # newest first: asked alone, after hearing of it with the others
        f"alice@example.com asks you to review “{item.title}”.",
        f"alice@example.com asks for a review of “{item.title}”.",
    ]
    assert review_queue(alice).get().waiting_since == now  # it waits from when it was asked again
    # Asked again just now: moving it once more waits as long again.
    with pytest.raises(ValidationError, match="once"):
        services.review_request_set(mentee=alice, item=item, mentorship=mentorship, now=now + DAY)
    services.review_request_set(mentee=alice, item=item, mentorship=mentorship, now=now + 8 * DAY)
    assert _keys(alice, mentor) == [item.key]


def test_a_withdrawn_request_waits_for_nobody_and_can_be_asked_again_at_once(alice, mentor, mentorship, second, item):
    _done_ago(alice, item, 8)
    services.review_request_set(mentee=alice, item=item, mentorship=None)
    assert _keys(alice, mentor) == _keys(alice, second.mentor) == []
    services.review_request_set(mentee=alice, item=item, mentorship=None, everyone=True)
    assert _keys(alice, mentor) == _keys(alice, second.mentor) == [item.key]
    assert not ReviewRequest.objects.exists()


def test_the_mentor_who_answers_keeps_the_conversation_and_an_ended_mentorship_frees_it(
    alice, mentor, mentorship, second, item
):
    _done_ago(alice, item, 8)
    services.review_request_set(mentee=alice, item=item, mentorship=second)
    review(second, item, verdict="changes_requested", comment="Add a baseline.")
    progress_services.item_progress_set(user=alice, item=item, evidence_url="https://example.com/2")
    assert _keys(alice, second.mentor) == [item.key]
    assert _keys(alice, mentor) == []

    services.mentorship_end(mentorship=second, by=alice)
    assert _keys(alice, mentor) == [item.key]  # back to every current mentor


def test_the_mentors_page_offers_to_ask_someone_else_only_when_it_waited_too_long(
    client, alice, mentor, mentorship, second, item
):
    client.force_login(alice)
    _done_ago(alice, item, 2)
    page = client.get(reverse("mentoring:mentors")).content.decode()
    assert "Asked of all your mentors." in page
    assert reverse("mentoring:review_request", args=[item.key]) not in page

    _done_ago(alice, item, 9)
    page = client.get(reverse("mentoring:mentors")).content.decode()
    assert 'data-testid="ask-another"' in page
    response = client.post(reverse("mentoring:review_request", args=[item.key]), {"ask": second.pk}, follow=True)
    assert "asked of Sam Second" in response.content.decode()
    assert "Asked of Sam Second." in response.content.decode()

    client.force_login(second.mentor)
    page = client.get(reverse("mentoring:mentee", args=[second.pk])).content.decode()
    assert 'data-testid="asked-of-you"' in page
    client.force_login(mentor)
    page = client.get(reverse("mentoring:mentee", args=[mentorship.pk])).content.decode()
    assert f'data-testid="queue-{item.key}"' not in page


def test_nobody_can_ask_a_mentor_who_is_not_theirs(client, alice, bob, mentorship, item):
    _done_ago(alice, item, 9)
    theirs = MentorshipFactory(mentee=bob, mentor=UserFactory(email="bobs@example.com"))
    client.force_login(alice)
    response = client.post(reverse("mentoring:review_request", args=[item.key]), {"ask": theirs.pk})
    assert response.status_code == 404
    assert not ReviewRequest.objects.exists()


def test_the_api_lists_moves_and_withdraws_requests(alice, mentorship, second, item):
    api = APIClient()
    api.force_authenticate(alice)
    _done_ago(alice, item, 3)
    [row] = api.get("/api/v1/me/review-requests/").json()["results"]
    assert (row["item"], row["asked_of"], row["withdrawn"]) == (item.key, None, False)
    url = f"/api/v1/me/review-requests/{item.key}/"
    early = api.put(url, {"mentorship": second.pk}, format="json")
    assert early.status_code == 409
    assert "7 days" in early.json()["detail"]

    _done_ago(alice, item, 8)
    moved = api.put(url, {"mentorship": second.pk}, format="json")
    assert moved.status_code == 200, moved.json()
    assert moved.json()["asked_of"]["name"] == "Sam Second"
    assert api.put(url, {"mentorship": 999999}, format="json").status_code == 404

    ReviewRequest.objects.update(asked_at=timezone.now() - 8 * DAY)
    assert api.delete(url).status_code == 204
    [row] = api.get("/api/v1/me/review-requests/").json()["results"]
    assert (row["withdrawn"], row["can_change_from"]) == (True, None)
    again = api.put(url, {"mentorship": None}, format="json")
    assert again.status_code == 200
    assert again.json()["asked_of"] is None
    assert again.json()["withdrawn"] is False
