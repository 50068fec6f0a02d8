"""The live calendar feed: a private, revocable address whose events follow the scheduler and the
plan on every fetch, read back with `icalendar` as a calendar app would (issue: career insight)."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.services import calendar_token_set
from progress.models import PracticeCard
from tests.factories import ItemFactory


def _events(response) -> dict[str, icalendar.Event]:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["uid"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


def _fetch(client, user):
    return client.get(reverse("progress:calendar_feed", args=[user.calendar_token]))


@pytest.fixture
def subscribed(alice, ladder):
    """Alice with a plan, two practice cards due in two days and one overdue, and a feed address."""
    alice.target_date = timezone.localdate() + datetime.timedelta(days=90)
    alice.weekly_goal = 3
    alice.save()
    now = timezone.now()
    for n, due in enumerate(
        (now + datetime.timedelta(days=2), now + datetime.timedelta(days=2), now - datetime.timedelta(days=3))
    ):
        question = ItemFactory(level=ladder["junior"], kind="question", key=f"cal-q-{n}")
        PracticeCard.objects.create(user=alice, item=question, due=due)
    calendar_token_set(user=alice, enabled=True)
    return alice


def test_the_feed_lists_practice_per_day_the_target_date_and_the_weekly_check_in(client, subscribed):
    events = _events(_fetch(client, subscribed))
    today = timezone.localdate()
    practice_today = events[f"practice-{subscribed.pk}-{today:%Y%m%d}"]
    assert practice_today.decoded("dtstart") == today  # the overdue card counts today
    assert str(practice_today["summary"]) == "Interview practice: 1 question due"
    in_two_days = today + datetime.timedelta(days=2)
    assert (
        str(events[f"practice-{subscribed.pk}-{in_two_days:%Y%m%d}"]["summary"])
        == "Interview practice: 2 questions due"
    )
    target = events[f"target-{subscribed.pk}"]
    assert target.decoded("dtstart") == subscribed.target_date
    assert str(target["summary"]) == "Target date: ready for ML Engineer"
    check_in = events[f"weekly-goal-{subscribed.pk}"]
    start = check_in.decoded("dtstart")
    assert (start.weekday(), start.hour, start.tzinfo) == (6, 18, zoneinfo.ZoneInfo(settings.TIME_ZONE))
    assert check_in["rrule"]["FREQ"] == ["WEEKLY"]


def test_it_follows_the_scheduler_on_every_fetch_with_the_same_uids(client, subscribed):
    first = _events(_fetch(client, subscribed))
    PracticeCard.objects.filter(user=subscribed).update(due=timezone.now() + datetime.timedelta(days=5))
    second = _events(_fetch(client, subscribed))
    today = timezone.localdate()
    assert f"practice-{subscribed.pk}-{today:%Y%m%d}" in first
    assert f"practice-{subscribed.pk}-{today:%Y%m%d}" not in second  # nothing due today any more
    in_five = today + datetime.timedelta(days=5)
    assert str(second[f"practice-{subscribed.pk}-{in_five:%Y%m%d}"]["summary"]) == "Interview practice: 3 questions due"
    assert first[f"weekly-goal-{subscribed.pk}"].decoded("dtstart") == second[f"weekly-goal-{subscribed.pk}"].decoded(
        "dtstart"
    )
    assert {f"target-{subscribed.pk}", f"weekly-goal-{subscribed.pk}"} <= first.keys() & second.keys()


def test_a_new_address_ends_the_old_one_and_turning_it_off_ends_both(client, subscribed):
    old = subscribed.calendar_token
    client.force_login(subscribed)
    client.post(reverse("accounts:calendar"), {"action": "new"})
    subscribed.refresh_from_db()
    assert subscribed.calendar_token != old
    client.logout()  # calendar apps never sign in
    assert client.get(reverse("progress:calendar_feed", args=[old])).status_code == 404
    assert _fetch(client, subscribed).status_code == 200
    client.force_login(subscribed)
    new = subscribed.calendar_token
    client.post(reverse("accounts:calendar"), {"action": "off"})
    client.logout()
    assert client.get(reverse("progress:calendar_feed", args=[new])).status_code == 404


def test_a_made_up_or_a_strangers_token_is_404_and_gives_nothing_away(client, subscribed, bob):
    assert client.get(reverse("progress:calendar_feed", args=["not-a-token"])).status_code == 404
    client.force_login(bob)  # signed in as someone else: still only the token counts
    mine = _events(_fetch(client, subscribed))
    assert all(str(subscribed.pk) in uid for uid in mine)
    assert bob.calendar_token is None


def test_the_profile_shows_the_address_with_a_copy_button_and_how_to_subscribe(client, alice):
    client.force_login(alice)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Make my calendar address" in page
    client.post(reverse("accounts:calendar"), {"action": "on"})
    alice.refresh_from_db()
    page = client.get(reverse("accounts:profile")).content.decode()
    assert f"/calendar/{alice.calendar_token}.ics" in page
    assert 'data-copy="calendar-url"' in page
    assert "Google Calendar" in page
    assert "Subscribe from web" in page


def test_the_feed_runs_a_constant_number_of_queries(client, subscribed, ladder, django_assert_max_num_queries):
    for n in range(10):
        question = ItemFactory(level=ladder["junior"], kind="question", key=f"more-q-{n}")
        PracticeCard.objects.create(user=subscribed, item=question, due=timezone.now() + datetime.timedelta(days=n))
    with django_assert_max_num_queries(4):
        assert _fetch(client, subscribed).status_code == 200
