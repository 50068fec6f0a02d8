"""What a learner did lately: the 52-week calendar of recorded changes and the latest events, each
in one query."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import CharField, Count, F, Value
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from progress.models import ItemProgress, KPIMeasurement, SkillRatingChange
from roadmap.models import KPI

ACTIVITY_ITEMS = 8
ACTIVITY_WEEKS = 53  # the calendar shows the last 52 weeks and this one


@dataclass
class Activity:
    kind: str
    title: str
    detail: str
    at: object
    unit: str = ""  # of a KPI value


def activity_days(learner_id: int, today: datetime.date) -> dict:
    """How many changes the learner recorded on each day of the calendar, in one query."""
    # A bound on the timestamp itself (not on its date), so the (learner, time) indexes apply.
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(weeks=ACTIVITY_WEEKS), datetime.time())
    )

    def per_day(queryset, at):
        return (
            queryset.filter(user_id=learner_id, **{f"{at}__gte": since})
            .annotate(day=TruncDate(at))
            .order_by()
            .values("day")
            .annotate(n=Count("pk"))
            .values_list("day", "n")
        )

    rows = per_day(ItemProgress.objects, "updated_at").union(
        per_day(SkillRatingChange.objects, "changed_at"), per_day(KPIMeasurement.objects, "created_at"), all=True
    )
    days: dict = {}
    for day, n in rows:
        days[day] = days.get(day, 0) + n
    return days


def recent_activity(learner_id: int, limit: int = ACTIVITY_ITEMS) -> list[Activity]:
    """The latest things the learner did, across items, ratings and measurements, in one query."""
    text = CharField()
    columns = ("a_kind", "a_title", "a_detail", "a_at", "a_unit")

    def rows(queryset, kind, title, detail, at, unit=None):
        return (
            queryset.filter(user_id=learner_id)
            .annotate(
                a_kind=Value(kind, output_field=text),
                a_title=F(title),
                a_detail=Cast(detail, text),
                a_at=F(at),
                a_unit=F(unit) if unit else Value("", output_field=text),
            )
            .order_by()  # the models' default ordering is not allowed inside a UNION
            .values_list(*columns)
        )

    items = rows(ItemProgress.objects, "item", "item__title", "status", "updated_at")
    reviewed = ItemProgress.objects.filter(reviewed_at__isnull=False)
    reviews = rows(reviewed, "review", "item__title", "review_verdict", "reviewed_at")
    ratings = rows(SkillRatingChange.objects, "skill", "skill__name", "rating", "changed_at")
    measurements = rows(KPIMeasurement.objects, "kpi", "kpi__name", "value", "created_at", "kpi__unit")
    latest = items.union(reviews, ratings, measurements, all=True).order_by("-a_at")[:limit]
    return [
        Activity(kind=kind, title=title, detail=detail, at=at)
        if kind != "kpi"
        else Activity(kind, title, public_decimal(Decimal(detail)), at, KPI.Unit(unit).label)
        for kind, title, detail, at, unit in latest
    ]


def public_decimal(value: Decimal | float) -> str:
    """A KPI value without trailing zeros: 120.5000 -> "120.5"."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
