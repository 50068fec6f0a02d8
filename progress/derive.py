"""The numbers derived from what a learner recorded. The dashboard, the public page and the
API summary all come from `learner_summary`, so they can never disagree.

Everything is read in a fixed number of queries, whatever the amount of content or history.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import (
    CharField,
    Count,
    F,
    FilteredRelation,
    Max,
    Prefetch,
    Q,
    Value,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Coalesce, RowNumber, TruncDate
from django.utils import timezone

from progress.cache import cached_for_learner, cached_for_learners
from progress.models import ItemProgress, KPIMeasurement, SkillRating, SkillRatingChange, Status, Verdict
from roadmap.cache import cached
from roadmap.models import KPI, Item, Level, LevelSkill, SalaryBand

WORKING_RATING = 2  # "working": the rating from which a skill counts as there
TREND_POINTS = 30  # measurements per KPI kept for the trend line
ACTIVITY_ITEMS = 8
NEXT_STEPS = 3
ACTIVITY_WEEKS = 53  # the calendar shows the last 52 weeks and this one
PACE_WEEKS = 8  # the pace is measured over this many weeks (or since the learner started)

# The kinds a learner sees; learn and practice steps count together as "steps".
KIND_GROUPS = {
    "steps": ("learn", "practice"),
    "deliverables": ("deliverable",),
    "projects": ("project",),
    "certifications": ("certification",),
    "interview_questions": ("question",),
}
KIND_LABELS = {
    "steps": "Roadmap steps",
    "deliverables": "Deliverables",
    "projects": "Portfolio projects",
    "certifications": "Certifications",
    "interview_questions": "Interview questions",
}
READINESS_SHORT_LABELS = {"skills": "Skills rated 2+", "items": "Roadmap items done", "kpis": "KPIs on target"}
VERIFIED_SHORT_LABEL = "Roadmap items verified"
# An Item annotated with the learner's record by items_with_status (my_status, my_completed_at,
# my_note, my_evidence_url): the annotations are not attributes django-stubs knows of.
ItemWithRecord = Any

GROUP_OF_KIND = {kind: group for group, kinds in KIND_GROUPS.items() for kind in kinds}


@dataclass
class Tally:
    done: int = 0
    in_progress: int = 0
    skipped: int = 0
    total: int = 0
    verified: int = 0  # of the done ones

    @property
    def counted(self) -> int:
        """Skipped items leave the denominator."""
        return self.total - self.skipped

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.counted) if self.counted else None

    def add(self, status: str, verified: bool = False) -> None:
        self.total += 1
        if status == Status.DONE:
            self.done += 1
            self.verified += verified
        elif status == Status.IN_PROGRESS:
            self.in_progress += 1
        elif status == Status.SKIPPED:
            self.skipped += 1


@dataclass
class LevelProgress:
    overall: Tally
    by_kind: dict[str, Tally]

    @property
    def kinds(self):
        return [(key, KIND_LABELS[key], tally) for key, tally in self.by_kind.items() if tally.total]


@dataclass
class KPIStatus:
    kpi: KPI
    points: list[KPIMeasurement]  # oldest first, at most TREND_POINTS

    @property
    def latest(self) -> KPIMeasurement | None:
        return self.points[-1] if self.points else None

    @property
    def on_target(self) -> bool | None:
        if self.latest is None:
            return None
        if self.kpi.direction == KPI.Direction.HIGHER:
            return self.latest.value >= self.kpi.target
        return self.latest.value <= self.kpi.target

    @property
    def trend(self) -> str | None:
        """Better, worse or steady: the latest value against the first of the window."""
        if len(self.points) < 2:
            return None
        delta = self.points[-1].value - self.points[0].value
        if delta == 0:
            return "steady"
        better = delta > 0 if self.kpi.direction == KPI.Direction.HIGHER else delta < 0
        return "improving" if better else "worsening"


@dataclass
class SkillRow:
    level_skill: LevelSkill
    rating: int | None

    @property
    def meets(self) -> bool:
        return self.rating is not None and self.rating >= WORKING_RATING


@dataclass
class ReadinessPart:
    key: str
    label: str
    total: int
    met: int
    missing: list = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.met == self.total

    verified_only: bool = False
    verified: int | None = None  # of the items part: those a mentor verified

    @property
    def short_label(self) -> str:
        return VERIFIED_SHORT_LABEL if self.verified_only else READINESS_SHORT_LABELS[self.key]

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.total) if self.total else 100


@dataclass
class Readiness:
    next_level: Level | None
    parts: list[ReadinessPart]

    @property
    def ready(self) -> bool:
        return self.next_level is not None and all(part.complete for part in self.parts)


@dataclass
class Activity:
    kind: str
    title: str
    detail: str
    at: object
    unit: str = ""  # of a KPI value


@dataclass
class Plan:
    """Where the learner's pace takes them: the forecast for the readiness items still to do."""

    target_date: datetime.date | None
    remaining: int  # readiness items of the next level not done (skipped ones do not count)
    pace: float | None  # items completed per week over the window; None before any completion
    pace_weeks: float  # the window: the last PACE_WEEKS weeks, or since the learner started
    forecast: datetime.date | None
    required_pace: float | None  # items a week the target date needs; None without a future target
    weekly_goal: int | None
    this_week: int  # items completed this ISO week
    goal_streak: int  # weeks in a row, up to this one, that met the weekly goal
    burn_down: list[tuple[datetime.date, int]]  # remaining readiness items at the end of each week

    @property
    def status(self) -> str:
        """done, no_pace (nothing completed lately), on_track, behind, or no_target (a forecast only)."""
        if self.remaining == 0:
            return "done"
        if self.target_date is None:
            return "no_pace" if self.pace is None else "no_target"
        if self.pace is None:
            return "no_pace"
        return "on_track" if self.forecast and self.forecast <= self.target_date else "behind"


@dataclass
class Summary:
    level: Level | None
    salary_bands: list[SalaryBand]
    progress: LevelProgress | None
    kpis: list[KPIStatus]
    skills: list[SkillRow]
    readiness: Readiness | None
    next_steps: list[Item]
    activity: list[Activity]
    target_level: Level | None = None
    # Days with any recorded change over the last ACTIVITY_WEEKS weeks: {date: number of changes}.
    activity_days: dict = field(default_factory=dict)
    plan: Plan | None = None
    # Items a reviewer sent back that the learner has not changed since.
    changes_requested: list = field(default_factory=list)

    @property
    def next_step(self) -> Item | None:
        return self.next_steps[0] if self.next_steps else None


def items_with_status(user):
    """Every current item with the learner's record on it joined in (`my_status` None: never
    touched), in one query."""
    return list(
        Item.objects.current()
        .select_related("stage", "source")
        .annotate(
            mine=FilteredRelation("progress", condition=Q(progress__user=user)),
            my_status=F("mine__status"),
            my_completed_at=F("mine__completed_at"),
            my_note=F("mine__note"),
            my_evidence_url=F("mine__evidence_url"),
            my_verdict=F("mine__review_verdict"),
            my_review_stale=F("mine__review_stale"),
            my_review_comment=F("mine__review_comment"),
            my_reviewed_at=F("mine__reviewed_at"),
        )
        .order_by("stage__order", "kind", "order", "pk")
    )


class LevelRow(NamedTuple):
    """What level_progress reads of an item and the learner's record on it."""

    kind: str
    ladder_level_id: int
    my_status: str | None
    my_verdict: str | None
    my_review_stale: bool | None


def level_rows(user) -> list[LevelRow]:
    """Every current item as level_progress needs it, from two light reads instead of the full
    join of items_with_status: each item's kind and level (cached per content version) and the
    learner's statuses. For the one-line progress of content pages and their in-place updates."""
    content = cached(
        "level-rows",
        lambda: list(Item.objects.current().values_list("pk", "kind", Coalesce("level_id", "stage__level_id"))),
    )
    mine = {
        item_id: (status, verdict, stale)
        for item_id, status, verdict, stale in ItemProgress.objects.for_user(user).values_list(
            "item_id", "status", "review_verdict", "review_stale"
        )
    }
    return [LevelRow(kind, level_id, *mine.get(pk, (None, None, None))) for pk, kind, level_id in content]


def is_verified(item: ItemWithRecord) -> bool:
    return item.my_status == Status.DONE and item.my_verdict == Verdict.VERIFIED and not item.my_review_stale


def changes_requested(items) -> list[ItemWithRecord]:
    return [i for i in items if i.my_verdict == Verdict.CHANGES_REQUESTED and not i.my_review_stale]


def level_progress(items, level: Level) -> LevelProgress:
    overall, by_kind = Tally(), {group: Tally() for group in KIND_GROUPS}
    for item in items:
        if item.ladder_level_id != level.pk:
            continue
        status, verified = item.my_status or Status.NOT_STARTED, is_verified(item)
        overall.add(status, verified)
        by_kind[GROUP_OF_KIND[item.kind]].add(status, verified)
    return LevelProgress(overall=overall, by_kind=by_kind)


def kpi_statuses(user, level: Level) -> list[KPIStatus]:
    kpis = list(KPI.objects.filter(level=level).select_related("source"))
    recent = (
        KPIMeasurement.objects.filter(user=user, kpi__in=kpis)
        .annotate(
            recency=Window(
                RowNumber(), partition_by=[F("kpi_id")], order_by=[F("measured_on").desc(), F("created_at").desc()]
            )
        )
        .filter(recency__lte=TREND_POINTS)
        .order_by("measured_on", "created_at")
    )
    points: dict[int, list] = {kpi.pk: [] for kpi in kpis}
    for measurement in recent:
        points[measurement.kpi_id].append(measurement)
    return [KPIStatus(kpi=kpi, points=points[kpi.pk]) for kpi in kpis]


def skill_rows(level_skills, ratings: dict[int, int]) -> list[SkillRow]:
    return [SkillRow(level_skill=ls, rating=ratings.get(ls.skill_id)) for ls in level_skills]


def readiness_items(items, next_level: Level) -> list[ItemWithRecord]:
    """The items that prepare for the next level and count: those of its stages, not skipped."""
    return [i for i in items if i.stage_id and i.stage.level_id == next_level.pk and i.my_status != Status.SKIPPED]


def readiness(
    items, kpis: list[KPIStatus], next_level: Level | None, next_skills: list[SkillRow], verified_only: bool = False
) -> Readiness:
    """`verified_only` (the learner's choice): an item counts once a reviewer verified it."""
    if next_level is None:
        return Readiness(next_level=None, parts=[])
    counted = readiness_items(items, next_level)
    missing_items = [i for i in counted if not (is_verified(i) if verified_only else i.my_status == Status.DONE)]
    missing_skills = [row for row in next_skills if not row.meets]
    off_target = [k for k in kpis if not k.on_target]
    return Readiness(
        next_level=next_level,
        parts=[
            ReadinessPart(
                "skills",
                f"Skills of {next_level.title} rated “working” (2) or above",
                len(next_skills),
                len(next_skills) - len(missing_skills),
                missing_skills,
            ),
            ReadinessPart(
                "items",
                f"Roadmap items that prepare for {next_level.title} {'done and verified' if verified_only else 'done'}",
                len(counted),
                len(counted) - len(missing_items),
                missing_items,
                verified_only=verified_only,
                verified=sum(1 for i in counted if is_verified(i)),
            ),
            ReadinessPart(
                "kpis",
                "KPIs of your current level on target",
                len(kpis),
                len(kpis) - len(off_target),
                off_target,
            ),
        ],
    )


def next_steps(items, limit: int = NEXT_STEPS) -> list[ItemWithRecord]:
    """What to do next: the first not-started item of the earliest unfinished stage (or, if only
    items in progress are left there, the first of those), then the open items after it."""
    open_steps = [i for i in items if i.stage_id and i.my_status not in (Status.DONE, Status.SKIPPED)]
    if not open_steps:
        return []
    in_stage = [i for i in open_steps if i.stage_id == open_steps[0].stage_id]
    first = next((i for i in in_stage if i.my_status in (None, Status.NOT_STARTED)), in_stage[0])
    return [first, *(i for i in open_steps if i is not first)][:limit]


def compute_plan(user, items, next_level: Level | None, today: datetime.date) -> Plan:
    """Pace, forecast and burn-down from the completion times of the learner's items (no query)."""
    completed = sorted(_completion_days(items))
    started = min([timezone.localdate(user.date_joined), *completed[:1]])
    window_start = max(today - datetime.timedelta(weeks=PACE_WEEKS), started)
    pace_weeks = max((today - window_start).days / 7, 1.0)  # a first week counts as a whole week
    recent = sum(1 for day in completed if window_start <= day <= today)
    pace = recent / pace_weeks if recent else None

    counted = readiness_items(items, next_level) if next_level else []
    open_items = [i for i in counted if i.my_status != Status.DONE]
    remaining = len(open_items)
    forecast = None
    if remaining == 0:
        forecast = today
    elif pace:
        forecast = today + datetime.timedelta(days=math.ceil(7 * remaining / pace))
    target = user.target_date
    required_pace = remaining / ((target - today).days / 7) if target and target > today and remaining else None

    monday = week_of(today)
    per_week: dict = {}
    for day in completed:
        week = week_of(day)
        per_week[week] = per_week.get(week, 0) + 1
    this_week = per_week.get(monday, 0)
    return Plan(
        target_date=target,
        remaining=remaining,
        pace=round(pace, 2) if pace else None,
        pace_weeks=round(pace_weeks, 2),
        forecast=forecast,
        required_pace=round(required_pace, 2) if required_pace else None,
        weekly_goal=user.weekly_goal,
        this_week=this_week,
        goal_streak=_goal_streak(per_week, monday, user.weekly_goal),
        burn_down=_burn_down(counted, today, window_start),
    )


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the ISO week the day is in."""
    return day - datetime.timedelta(days=day.weekday())


def _completion_days(items) -> list[datetime.date]:
    return [timezone.localdate(i.my_completed_at) for i in items if i.my_status == Status.DONE and i.my_completed_at]


def _goal_streak(per_week: dict, monday: datetime.date, goal: int | None) -> int:
    """Weeks in a row that met the goal, counting this week only once it is met (it is not over)."""
    if not goal:
        return 0
    week = monday if per_week.get(monday, 0) >= goal else monday - datetime.timedelta(weeks=1)
    streak = 0
    while per_week.get(week, 0) >= goal:
        streak += 1
        week -= datetime.timedelta(weeks=1)
    return streak


def _burn_down(
    counted: list[ItemWithRecord], today: datetime.date, since: datetime.date
) -> list[tuple[datetime.date, int]]:
    """Readiness items not yet done at the end of each week since `since`, ending today."""
    done_on = [
        timezone.localdate(i.my_completed_at) for i in counted if i.my_status == Status.DONE and i.my_completed_at
    ]
    weeks = max(math.ceil((today - since).days / 7), 1)
    days = [today - datetime.timedelta(weeks=n) for n in range(weeks, -1, -1)]
    return [(day, len(counted) - sum(1 for d in done_on if d <= day)) for day in days]


def activity_days(user, today: datetime.date) -> dict:
    """How many changes the learner recorded on each day of the calendar, in one query."""
    # A bound on the timestamp itself (not on its date), so the (learner, time) indexes apply.
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(weeks=ACTIVITY_WEEKS), datetime.time())
    )

    def per_day(queryset, at):
        return (
            queryset.filter(user=user, **{f"{at}__gte": since})
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


def recent_activity(user, limit: int = ACTIVITY_ITEMS) -> list[Activity]:
    """The latest things the learner did, across items, ratings and measurements, in one query."""
    text = CharField()
    columns = ("a_kind", "a_title", "a_detail", "a_at", "a_unit")

    def rows(queryset, kind, title, detail, at, unit=None):
        return (
            queryset.filter(user=user)
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


def learner_summary(user) -> Summary:
    """The dashboard's numbers, from the cache until the learner or the content changes."""
    return cached_for_learner(user, "summary", lambda: compute_summary(user))


def compute_summary(user) -> Summary:
    # The ladder has a handful of levels: one read gives the current, next and target level.
    levels = list(
        Level.objects.order_by("order").prefetch_related(
            Prefetch("salary_bands", queryset=SalaryBand.objects.select_related("source"))
        )
    )
    level = next((lv for lv in levels if lv.pk == user.current_level_id), None)
    if level is None:
        return Summary(None, [], None, [], [], None, [], [])
    items = items_with_status(user)
    next_level = next((lv for lv in levels if lv.order > level.order), None)
    upcoming = next_steps(items)
    prefetch_related_objects(upcoming, "skills")
    # The dashboard shows their status buttons and note forms: the learner's record, as joined in.
    for item in upcoming:
        item.my_progress = (
            ItemProgress(
                item=item,
                status=item.my_status,
                note=item.my_note,
                evidence_url=item.my_evidence_url,
                review_verdict=item.my_verdict,
                review_stale=item.my_review_stale,
            )
            if item.my_status
            else None
        )
    skill_filter = Q(level=level) | Q(level=next_level) if next_level else Q(level=level)
    level_skills = list(
        LevelSkill.objects.filter(skill_filter).select_related("skill").order_by("skill__kind", "order")
    )
    ratings = dict(SkillRating.objects.filter(user=user).values_list("skill_id", "rating"))
    kpis = kpi_statuses(user, level)
    rows = skill_rows(level_skills, ratings)
    return Summary(
        level=level,
        salary_bands=list(level.salary_bands.all()),
        progress=level_progress(items, level),
        kpis=kpis,
        skills=[r for r in rows if r.level_skill.level_id == level.pk],
        readiness=readiness(
            items,
            kpis,
            next_level,
            [r for r in rows if next_level and r.level_skill.level_id == next_level.pk],
            verified_only=user.readiness_verified_only,
        ),
        next_steps=upcoming,
        activity=recent_activity(user),
        target_level=next((lv for lv in levels if lv.pk == user.target_level_id), None),
        activity_days=activity_days(user, timezone.localdate()),
        plan=compute_plan(user, items, next_level, timezone.localdate()),
        changes_requested=changes_requested(items),
    )


def public_decimal(value: Decimal | float) -> str:
    """A KPI value without trailing zeros: 120.5000 -> "120.5"."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class RosterRow:
    """One learner's headline numbers as a mentor's or a lead's list shows them: the same
    functions as `learner_summary`, fed from reads shared by the whole list."""

    user: Any
    level: Level | None
    target_level: Level | None
    progress: LevelProgress | None
    readiness: Readiness | None
    kpis_on_target: int
    kpis_total: int
    awaiting_review: int
    changes_requested: int
    last_activity: datetime.datetime | None
    ratings: dict[int, int]  # skill id -> rating


class _Record:
    """An item with one learner's record on it, as items_with_status gives it, without copying the item."""

    def __init__(self, item: Item, row: dict | None):
        self.item = item
        row = row or {}
        self.my_status = row.get("status")
        self.my_completed_at = row.get("completed_at")
        self.my_verdict = row.get("review_verdict", "")
        self.my_review_stale = row.get("review_stale", False)

    def __getattr__(self, name):
        return getattr(self.item, name)


def cached_roster(rows) -> list[RosterRow]:
    """`roster` of the learners of `rows` (a queryset with a `user` foreign key, such as a team's
    memberships), in their order, computed again only when one of them, the rows or the content
    changed (see cached_for_learners)."""
    return cached_for_learners(rows, "roster", lambda: roster([row.user for row in rows.select_related("user")]))


def roster(users) -> list[RosterRow]:
    """Headline numbers of many learners in a fixed number of queries, whatever their number."""
    users = list(users)
    pks = [u.pk for u in users]
    levels = list(Level.objects.order_by("order"))
    items = list(Item.objects.current().select_related("stage").order_by("stage__order", "kind", "order", "pk"))
    records: dict[int, dict[int, dict]] = {pk: {} for pk in pks}
    last: dict[int, Any] = {}
    for record in ItemProgress.objects.filter(user__in=pks).values(
        "user_id", "item_id", "status", "completed_at", "evidence_url", "review_verdict", "review_stale", "updated_at"
    ):
        records[record["user_id"]][record["item_id"]] = dict(record)
        last[record["user_id"]] = max(filter(None, [last.get(record["user_id"]), record["updated_at"]]))
    for model, at in ((SkillRatingChange, "changed_at"), (KPIMeasurement, "created_at")):
        for user_id, latest in (
            model.objects.filter(user__in=pks)
            .order_by()
            .values("user_id")
            .annotate(m=Max(at))
            .values_list("user_id", "m")
        ):
            last[user_id] = max(filter(None, [last.get(user_id), latest]))
    ratings: dict[int, dict[int, int]] = {pk: {} for pk in pks}
    for user_id, skill_id, rating in SkillRating.objects.filter(user__in=pks).values_list(
        "user_id", "skill_id", "rating"
    ):
        ratings[user_id][skill_id] = rating
    level_skills = list(LevelSkill.objects.select_related("skill").order_by("skill__kind", "order"))
    kpis = list(KPI.objects.all())
    latest_value: dict[tuple[int, int], KPIMeasurement] = {
        (m.user_id, m.kpi_id): m
        for m in KPIMeasurement.objects.filter(user__in=pks)
        .annotate(
            recency=Window(
                RowNumber(),
                partition_by=[F("user_id"), F("kpi_id")],
                order_by=[F("measured_on").desc(), F("created_at").desc()],
            )
        )
        .filter(recency=1)
    }
    result = []
    for user in users:
        level = next((lv for lv in levels if lv.pk == user.current_level_id), None)
        mine = records[user.pk]
        entry = RosterRow(
            user=user,
            level=level,
            target_level=next((lv for lv in levels if lv.pk == user.target_level_id), None),
            progress=None,
            readiness=None,
            kpis_on_target=0,
            kpis_total=0,
            awaiting_review=sum(
                1
                for r in mine.values()
                if r["status"] == Status.DONE and r["evidence_url"] and (not r["review_verdict"] or r["review_stale"])
            ),
            changes_requested=sum(
                1 for r in mine.values() if r["review_verdict"] == Verdict.CHANGES_REQUESTED and not r["review_stale"]
            ),
            last_activity=last.get(user.pk),
            ratings=ratings[user.pk],
        )
        if level is not None:
            with_records = [_Record(item, mine.get(item.pk)) for item in items]
            statuses = [
                KPIStatus(kpi=k, points=[p] if (p := latest_value.get((user.pk, k.pk))) else [])
                for k in kpis
                if k.level_id == level.pk
            ]
            next_level = next((lv for lv in levels if lv.order > level.order), None)
            next_skills = [
                SkillRow(ls, ratings[user.pk].get(ls.skill_id))
                for ls in level_skills
                if next_level and ls.level_id == next_level.pk
            ]
            entry.progress = level_progress(with_records, level)
            entry.readiness = readiness(
                with_records, statuses, next_level, next_skills, verified_only=user.readiness_verified_only
            )
            for part in entry.readiness.parts:
                part.missing = []  # a list shows counts; this keeps rows small enough to cache
            entry.kpis_on_target = sum(1 for s in statuses if s.on_target)
            entry.kpis_total = len(statuses)
        result.append(entry)
    return result


# The rating a level expects of a skill it lists: "learn" it to working level, "master" it.
EXPECTED_RATING = {LevelSkill.Expectation.LEARN: WORKING_RATING, LevelSkill.Expectation.MASTER: WORKING_RATING + 1}


@dataclass
class SkillCell:
    rating: int | None
    expected: int

    @property
    def gap(self) -> int:
        """How far below the expectation (0 when met); an unrated skill counts as 0."""
        return max(self.expected - (self.rating or 0), 0)


@dataclass
class SkillMatrix:
    """Learners × the skills of one level: where a group stands against what the level expects."""

    level: Level
    skills: list[LevelSkill]
    rows: list[tuple[Any, list[SkillCell]]]

    @property
    def expected(self) -> list[int]:
        return [EXPECTED_RATING[LevelSkill.Expectation(ls.expectation)] for ls in self.skills]

    @property
    def averages(self) -> list[float | None]:
        """The group's mean rating per skill, over those who rated it."""
        result: list[float | None] = []
        for column in range(len(self.skills)):
            rated = [rating for _, cells in self.rows if (rating := cells[column].rating) is not None]
            result.append(round(sum(rated) / len(rated), 1) if rated else None)
        return result

    @property
    def gaps(self) -> list[int]:
        """Per skill, how many learners are below the expectation."""
        return [sum(1 for _, cells in self.rows if cells[c].gap) for c in range(len(self.skills))]


def skill_matrix(users, level: Level) -> SkillMatrix:
    """In two queries, whatever the number of learners."""
    users = list(users)
    skills = list(LevelSkill.objects.filter(level=level).select_related("skill").order_by("skill__kind", "order"))
    ratings: dict[tuple[int, int], int] = {
        (user_id, skill_id): rating
        for user_id, skill_id, rating in SkillRating.objects.filter(
            user__in=[u.pk for u in users], skill__in=[ls.skill_id for ls in skills]
        ).values_list("user_id", "skill_id", "rating")
    }
    rows = [
        (
            user,
            [
                SkillCell(ratings.get((user.pk, ls.skill_id)), EXPECTED_RATING[LevelSkill.Expectation(ls.expectation)])
                for ls in skills
            ],
        )
        for user in users
    ]
    return SkillMatrix(level=level, skills=skills, rows=rows)
