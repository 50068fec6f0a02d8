"""A mentor's calendar feed carries the review requests waiting for them (issue: career insight)."""

import datetime

import icalendar
from django.urls import reverse
from django.utils import timezone

from accounts.services import calendar_token_set
from progress.models import ItemProgress


def test_a_mentor_sees_each_waiting_request_on_the_day_it_should_be_answered_by(
    client, mentor, mentorship, done_with_evidence, settings
):
    settings.REVIEW_ANSWER_DAYS = 7
    old, fresh = ItemProgress.objects.filter(user=mentorship.mentee).order_by("pk")[:2]
    ItemProgress.objects.filter(pk=old.pk).update(completed_at=timezone.now() - datetime.timedelta(days=10))
    ItemProgress.objects.filter(pk=fresh.pk).update(completed_at=timezone.now() - datetime.timedelta(days=2))
    calendar_token_set(user=mentor, enabled=True)
    response = client.get(reverse("progress:calendar_feed", args=[mentor.calendar_token]))
    events = {str(e["uid"]).split("@")[0]: e for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    today = timezone.localdate()
    assert events[f"review-{old.pk}"].decoded("dtstart") == today  # overdue: today
    assert events[f"review-{fresh.pk}"].decoded("dtstart") == today + datetime.timedelta(days=5)
    assert str(events[f"review-{fresh.pk}"]["summary"]).startswith("Review for ")
    assert str(events[f"review-{fresh.pk}"]["url"]).endswith(reverse("mentoring:mentee", args=[mentorship.pk]))


def test_an_ended_mentorship_leaves_the_mentors_calendar(client, mentor, mentorship, done_with_evidence):
    calendar_token_set(user=mentor, enabled=True)
    mentorship.ended_at = timezone.now()
    mentorship.save()
    response = client.get(reverse("progress:calendar_feed", args=[mentor.calendar_token]))
    assert not icalendar.Calendar.from_ical(response.content).walk("VEVENT")
