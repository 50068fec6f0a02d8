"""How long a review request has waited, to both sides, the longest waiting first, and what a
learner can do when nobody answers (issue: mentoring v2, waiting time)."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from mentoring.selectors import overdue_before, review_queue
from progress import services as progress_services
from progress.models import ItemProgress
from tests.mentoring.conftest import review

DAY = datetime.timedelta(days=1)


def _waiting(alice, items, now):
    """Three items awaiting review: done 10 and 2 days ago, and one done 20 days ago, verified,
    then changed a day ago (it waits from the change)."""
    for item in items:
        progress_services.item_progress_set(
            user=alice, item=item, status="done", evidence_url=f"https://example.com/{item.key}"
        )
    records = ItemProgress.objects.filter(user=alice)
    records.filter(item=items[0]).update(completed_at=now - 10 * DAY, updated_at=now - 10 * DAY)
    records.filter(item=items[1]).update(completed_at=now - 2 * DAY, updated_at=now - 2 * DAY)
    records.filter(item=items[2]).update(
        completed_at=now - 20 * DAY,
        updated_at=now - DAY,
        review_verdict="verified",
        reviewed_at=now - 5 * DAY,
        review_stale=True,
    )


def test_the_queue_puts_the_longest_waiting_first_counting_from_the_last_change(alice, mentorship, ladder):
    now = timezone.now()
    items = ladder["steps1"][:3]
    _waiting(alice, items, now)
    queue = list(review_queue(alice))
    assert [p.item for p in queue] == [items[0], items[1], items[2]]
    assert [round((now - p.waiting_since) / DAY) for p in queue] == [10, 2, 1]


def test_overdue_is_counted_from_the_setting_with_the_clock_passed_in(settings):
    now = datetime.datetime(2026, 12, 5, 12, tzinfo=datetime.UTC)
    assert overdue_before(now) == now - 7 * DAY
    settings.REVIEW_ANSWER_DAYS = 2
    assert overdue_before(now) == datetime.datetime(2026, 12, 3, 12, tzinfo=datetime.UTC)


def test_the_mentor_sees_each_requests_age_and_the_overdue_ones_flagged(client, alice, mentor, mentorship, ladder):
    items = ladder["steps1"][:3]
    _waiting(alice, items, timezone.now())
    client.force_login(mentor)
    page = client.get(reverse("mentoring:mentee", args=[mentorship.pk])).content.decode()
    first, second, third = (page.index(f'data-testid="queue-{item.key}"') for item in items)
    assert first < second < third
    words = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert "Waiting for a review for 1 week, 3 days" in words
    assert "Waiting for a review for 2 days" in words
    assert page.count('data-testid="overdue"') == 1


def test_the_learner_sees_what_waits_and_is_offered_another_mentor_after_the_set_days(
    client, alice, mentorship, ladder, settings
):
    items = ladder["steps1"][:3]
    _waiting(alice, items, timezone.now())
    client.force_login(alice)
    page = client.get(reverse("mentoring:mentors")).content.decode()
    assert "Waiting for a review (3)" in page
    assert 'data-testid="ask-another"' in page
    assert "no answer for 7 days or more" in page
    ItemProgress.objects.filter(user=alice).update(completed_at=timezone.now(), review_stale=False, review_verdict="")
    assert 'data-testid="ask-another"' not in client.get(reverse("mentoring:mentors")).content.decode()
    settings.REVIEW_ANSWER_DAYS = 0  # every request is overdue at once
    assert 'data-testid="ask-another"' in client.get(reverse("mentoring:mentors")).content.decode()


def test_without_a_mentor_nothing_is_said_to_wait(client, alice, done_with_evidence):
    client.force_login(alice)
    assert "Waiting for a review" not in client.get(reverse("mentoring:mentors")).content.decode()


def test_a_reviewed_item_stops_waiting(client, alice, mentor, mentorship, done_with_evidence):
    review(mentorship, done_with_evidence[0])
    assert [p.item for p in review_queue(alice)] == [done_with_evidence[1]]


def test_the_queue_endpoint_gives_the_waiting_time_oldest_first(api, alice, mentor, mentorship, ladder):
    items = ladder["steps1"][:3]
    _waiting(alice, items, timezone.now())
    results = api(mentor).get(f"/api/v1/me/mentees/{mentorship.pk}/queue/").json()["results"]
    assert [r["item"] for r in results] == [item.key for item in items]
    assert all(r["waiting_since"] for r in results)
    assert results[0]["waiting_since"] < results[1]["waiting_since"] < results[2]["waiting_since"]
