"""Reviews as conversations over iterations: each review keeps the record it judged, the next
iteration shows what changed since, and learner and mentor write to each other in the item's thread
(issue: mentoring v2)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mentoring import services
from mentoring.models import Message, Notification
from mentoring.selectors import thread
from progress import services as progress_services
from roadmap.models import Criterion
from tests.factories import UserFactory
from tests.mentoring.conftest import review


@pytest.fixture
def item(ladder):
    return ladder["steps1"][0]


@pytest.fixture
def asked(alice, item):
    progress_services.item_progress_set(
        user=alice, item=item, status="done", note="first try", evidence_url="https://example.com/v1"
    )
    return item


def test_an_item_through_two_iterations_with_a_thread_to_a_verification(client, alice, mentor, mentorship, asked):
    review(mentorship, asked, verdict="changes_requested", comment="Add a baseline.")
    client.force_login(alice)
    mine = reverse("mentoring:my_thread", args=[asked.key])
    client.post(mine, {"text": "Added one, see https://example.com/v2"})
    progress_services.item_progress_set(user=alice, item=asked, evidence_url="https://example.com/v2")

    client.force_login(mentor)
    theirs = reverse("mentoring:mentee_thread", args=[mentorship.pk, asked.key])
    page = client.get(theirs).content.decode()
    assert 'data-testid="changed-since"' in page
    assert "https://example.com/v1</del>" in page
    assert "https://example.com/v2</ins>" in page
    assert "Add a baseline." in page  # iteration 1 and its comment, kept
    assert (
        '<a href="https://example.com/v2" rel="nofollow">https://example.com/v2</a>' in page
    )  # the link in the message
    response = client.post(
        reverse("mentoring:review", args=[mentorship.pk, asked.key]), {"verdict": "verified", "back": "thread"}
    )
    assert response["Location"] == theirs
    client.post(theirs, {"text": "Good: the baseline makes the gain clear."})

    client.force_login(alice)
    page = client.get(mine).content.decode()
    assert 'data-testid="iteration-1"' in page
    assert 'data-testid="iteration-2"' in page
    assert page.count('data-testid="message"') == 2
    history = thread(alice, asked)
    assert [r.verdict for r in history.iterations] == ["changes_requested", "verified"]
    assert [r.evidence_url for r in history.iterations] == ["https://example.com/v1", "https://example.com/v2"]
    assert history.changed == []


def test_changed_since_verified_names_what_changed_in_this_iteration(alice, mentorship, asked):
    review(mentorship, asked)
    progress_services.item_progress_set(user=alice, item=asked, note="second thoughts")
    now = thread(alice, asked)
    assert now.record.review_state == "changed"
    assert now.changed == ["note"]
    assert now.last.note == "first try"  # what the verification was given on


def test_a_mentor_sees_the_notes_of_iterations_only_when_they_are_shared(client, mentor, mentorship, asked, alice):
    review(mentorship, asked, verdict="changes_requested", comment="More.")
    progress_services.item_progress_set(user=alice, item=asked, note="second try")
    client.force_login(mentor)
    url = reverse("mentoring:mentee_thread", args=[mentorship.pk, asked.key])
    page = client.get(url).content.decode()
    assert "first try" not in page
    assert "second try" not in page
    assert "(not shared with you)" in page
    services.mentorship_share_notes(mentorship=mentorship, share=True)
    page = client.get(url).content.decode()
    assert "first try" in page
    assert "second try" in page


def test_messages_are_escaped_and_each_side_hears_of_the_others(client, alice, mentor, mentorship, asked):
    services.message_post(mentee=alice, item=asked, author=alice, text="<script>alert(1)</script> done?")
    assert Notification.objects.filter(user=mentor, kind="message_received").count() == 1
    services.message_post(mentee=alice, item=asked, author=mentor, text="Yes.")
    assert Notification.objects.filter(user=alice, kind="message_received").count() == 1
    client.force_login(alice)
    page = client.get(reverse("mentoring:my_thread", args=[asked.key])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; done?" in page
    with pytest.raises(ValidationError, match="Write a message"):
        services.message_post(mentee=alice, item=asked, author=alice, text="   ")
    with pytest.raises(ValidationError, match="under 2000"):
        services.message_post(mentee=alice, item=asked, author=alice, text="x" * 2001)


def test_its_author_changes_or_removes_a_message_within_the_window_only(alice, mentor, mentorship, asked, settings):
    settings.MESSAGE_EDIT_MINUTES = 15
    message = services.message_post(mentee=alice, item=asked, author=alice, text="typo")
    sent = message.created_at
    services.message_edit(message=message, author=alice, text="fixed", now=sent + datetime.timedelta(minutes=10))
    assert Message.objects.get(pk=message.pk).text == "fixed"
    with pytest.raises(ValidationError, match="for 15 minutes"):
        services.message_edit(message=message, author=alice, text="late", now=sent + datetime.timedelta(minutes=16))
    with pytest.raises(ValidationError, match="Only its author"):
        services.message_remove(message=message, author=mentor, now=sent)
    services.message_remove(message=message, author=alice, now=sent + datetime.timedelta(minutes=1))
    removed = Message.objects.get(pk=message.pk)
    assert (removed.text, removed.removed_at is not None) == ("", True)


def test_the_page_changes_and_removes_a_message_and_says_when_it_is_too_late(client, alice, asked):
    message = services.message_post(mentee=alice, item=asked, author=alice, text="typo")
    client.force_login(alice)
    page = client.post(reverse("mentoring:message_edit", args=[message.pk]), {"text": "fixed"}, follow=True)
    assert "Message changed." in page.content.decode()
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    late = client.post(reverse("mentoring:message_remove", args=[message.pk]), follow=True).content.decode()
    assert "for 15 minutes after it is sent" in late
    assert Message.objects.get(pk=message.pk).text == "fixed"


def test_an_ended_mentor_and_a_stranger_reach_no_thread(client, alice, mentor, mentorship, asked):
    services.message_post(mentee=alice, item=asked, author=alice, text="private words")
    url = reverse("mentoring:mentee_thread", args=[mentorship.pk, asked.key])
    client.force_login(UserFactory(email="stranger@example.com"))
    assert client.get(url).status_code == 404
    services.mentorship_end(mentorship=mentorship, by=alice)
    client.force_login(mentor)
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "still here?"}).status_code == 404


def test_a_thread_runs_a_constant_number_of_queries(
    client, alice, mentor, mentorship, asked, django_assert_max_num_queries
):
    url = reverse("mentoring:mentee_thread", args=[mentorship.pk, asked.key])
    client.force_login(mentor)
    Criterion.objects.create(key="cost", item=asked, text="Compute cost is measured")

    def grow(times):
        for n in range(times):
            marks = {"cost": (False, f"round {n}")}
            review(mentorship, asked, verdict="changes_requested", comment=f"round {n}", marks=marks)
            services.message_post(mentee=alice, item=asked, author=alice, text=f"answer {n}")
            progress_services.item_progress_set(user=alice, item=asked, evidence_url=f"https://example.com/{n}")

    grow(1)
    with django_assert_max_num_queries(11):  # with the item's rubric and each iteration's marks
        assert client.get(url).status_code == 200
    grow(9)
    with django_assert_max_num_queries(11):
        page = client.get(url).content.decode()
    assert page.count('data-testid="message"') == 10
    assert page.count('data-testid="rubric-marks"') == 10


def test_the_api_reads_and_writes_both_sides_of_a_thread(alice, mentor, mentorship, asked):
    learner, mentor_api = APIClient(), APIClient()
    learner.force_authenticate(alice)
    mentor_api.force_authenticate(mentor)
    sent = learner.post(f"/api/v1/me/threads/{asked.key}/messages/", {"text": "Ready?"}, format="json")
    assert sent.status_code == 201
    url = f"/api/v1/me/mentees/{mentorship.pk}/threads/{asked.key}/messages/"
    assert mentor_api.post(url, {"text": "Reviewing now."}, format="json").status_code == 201
    listed = learner.get(f"/api/v1/me/threads/{asked.key}/messages/").json()["results"]
    assert [(m["author"]["id"], m["text"]) for m in listed] == [(alice.pk, "Ready?"), (mentor.pk, "Reviewing now.")]
    mine = f"/api/v1/me/messages/{sent.json()['id']}/"
    assert learner.patch(mine, {"text": "Ready for review?"}, format="json").json()["text"] == "Ready for review?"
    assert mentor_api.patch(mine, {"text": "hijack"}, format="json").status_code == 404
    assert learner.delete(mine).status_code == 204
    assert learner.get(f"/api/v1/me/threads/{asked.key}/messages/").json()["results"][0]["removed"] is True
    assert learner.post(f"/api/v1/me/threads/{asked.key}/messages/", {"text": ""}, format="json").status_code == 400
    review(mentorship, asked)
    threads = mentor_api.get(f"/api/v1/me/mentees/{mentorship.pk}/threads/").json()["results"]
    assert threads == [{"item": asked.key, "title": asked.title, "iterations": 1, "messages": 2}]
    assert learner.get("/api/v1/me/threads/").json()["results"] == threads
    reviews = learner.get("/api/v1/me/reviews/").json()["results"]
    assert (reviews[0]["status"], reviews[0]["evidence_url"]) == ("done", "https://example.com/v1")
