"""A learner's live calendar (/calendar/<token>.ics), made with the `icalendar` package on every
fetch, so it follows the practice scheduler and the plan as they are now: the practice reviews due
each day, the weekly-goal check-in, the target date, and what apps above progress add (mentoring:
the review requests a mentor has open). Every event keeps its UID between fetches, so a calendar
app updates an event instead of adding another."""

import datetime
import zoneinfo
from collections.abc import Callable

import icalendar
from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from progress.models import PracticeCard

# Practice reviews are listed this far ahead: a calendar app fetches the feed again long before.
PRACTICE_DAYS_AHEAD = 60
CHECK_IN_AT = datetime.time(18, 0)  # the weekly-goal check-in, Sundays, in the site's time zone

# Event sources of apps above progress: (user, today, site) -> events. mentoring adds its own in its
# AppConfig.ready; progress cannot import it.
SOURCES: list[Callable[..., list[icalendar.Event]]] = []


def all_day(uid: str, day: datetime.date, summary: str, description: str, url: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@ml-career-ladder")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
    return event


def feed(user, today: datetime.date, site: str) -> bytes:
    """The learner's calendar as iCalendar bytes; `site` is the scheme and host links start with."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//ML Career Ladder//Calendar feed//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "ML Career Ladder")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in [*_practice(user, today, site), *_plan(user, site)]:
        cal.add_component(event)
    for source in SOURCES:
        for event in source(user, today, site):
            cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _practice(user, today: datetime.date, site: str) -> list[icalendar.Event]:
    """One event a day with the number of reviews due; overdue ones count today."""
    until = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=PRACTICE_DAYS_AHEAD), datetime.time())
    )
    per_day: dict[datetime.date, int] = {}
    for row in (
        PracticeCard.objects.for_user(user)
        .filter(due__lt=until)
        .annotate(day=TruncDate("due"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        day = max(row["day"], today)
        per_day[day] = per_day.get(day, 0) + row["n"]
    url = site + reverse("progress:practice")
    return [
        all_day(
            f"practice-{user.pk}-{day:%Y%m%d}",
            day,
            f"Interview practice: {n} question{'s' if n != 1 else ''} due",
            "Questions the practice scheduler (FSRS) brings back today. Answer them before you forget.",
            url,
        )
        for day, n in sorted(per_day.items())
    ]


def _plan(user, site: str) -> list[icalendar.Event]:
    dashboard = site + reverse("progress:dashboard")
    events = []
    if user.target_date:
        level = user.target_level.title if user.target_level else "your target level"
        events.append(
            all_day(
                f"target-{user.pk}",
                user.target_date,
                f"Target date: ready for {level}",
                "The date you set in your plan. Your dashboard shows whether your pace gets you there.",
                dashboard,
            )
        )
    if user.weekly_goal:
        check_in = icalendar.Event()
        check_in.add("uid", f"weekly-goal-{user.pk}@ml-career-ladder")
        check_in.add("dtstamp", timezone.now())
        check_in.add("dtstart", _first_check_in(user))
        check_in.add("duration", datetime.timedelta(minutes=15))
        check_in.add("rrule", {"freq": "weekly"})
        check_in.add("summary", f"Weekly goal check-in: {user.weekly_goal} item{'s' if user.weekly_goal != 1 else ''}")
        check_in.add("description", "How many roadmap items did you finish this week? Your dashboard counts them.")
        check_in.add("url", dashboard)
        events.append(check_in)
    return events


def _first_check_in(user) -> datetime.datetime:
    """The first Sunday evening after the learner joined: the same start on every fetch."""
    joined = timezone.localdate(user.date_joined)
    sunday = joined + datetime.timedelta(days=6 - joined.weekday())
    return datetime.datetime.combine(sunday, CHECK_IN_AT, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
