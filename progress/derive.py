"""The numbers derived from what a learner recorded. The dashboard, the public page and the
API summary all come from `learner_summary`, so they can never disagree.

Everything is read in a fixed number of queries, whatever the amount of content or history.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, F, OuterRef, Prefetch, Q, Subquery, Value, Window
from django.db.models.functions import Cast, RowNumber

from progress.cache import cached_for_learner
from progress.models import ItemProgress, KPIMeasurement, SkillRating, SkillRatingChange, Status
from roadmap.models import KPI, Item, Level, LevelSkill, SalaryBand

WORKING_RATING = 2  # "working": the rating from which a skill counts as there
TREND_POINTS = 30  # measurements per KPI kept for the trend line
ACTIVITY_ITEMS = 8

# The kinds a learner sees; learn and practice steps count together as "steps".
KIND_GROUPS = {
    "steps": ("learn", "practice"),
    "deliverables": ("deliverable",),
    "projects": ("project",),
    "certifications": ("certification",),
    "questions": ("question",),
}
KIND_LABELS = {
    "steps": "Roadmap steps",
    "deliverables": "Deliverables",
    "projects": "Portfolio projects",
    "certifications": "Certifications",
    "questions": "Interview questions",
}
GROUP_OF_KIND = {kind: group for group, kinds in KIND_GROUPS.items() for kind in kinds}


@dataclass
class Tally:
    done: int = 0
    in_progress: int = 0
    skipped: int = 0
    total: int = 0

    @property
    def counted(self) -> int:
        """Skipped items leave the denominator."""
        return self.total - self.skipped

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.counted) if self.counted else None

    def add(self, status: str) -> None:
        self.total += 1
        if status == Status.DONE:
            self.done += 1
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


@dataclass
class Summary:
    level: Level | None
    salary_bands: list[SalaryBand]
    progress: LevelProgress | None
    kpis: list[KPIStatus]
    skills: list[SkillRow]
    readiness: Readiness | None
    next_step: Item | None
    activity: list[Activity]


def items_with_status(user):
    """Every current item with the learner's status on it (None: never touched), in one query."""
    status = ItemProgress.objects.filter(user=user, item=OuterRef("pk")).values("status")[:1]
    return list(
        Item.objects.current()
        .select_related("stage", "source")
        .annotate(my_status=Subquery(status))
        .order_by("stage__order", "kind", "order", "pk")
    )


def level_progress(items, level: Level) -> LevelProgress:
    overall, by_kind = Tally(), {group: Tally() for group in KIND_GROUPS}
    for item in items:
        if item.ladder_level_id != level.pk:
            continue
        status = item.my_status or Status.NOT_STARTED
        overall.add(status)
        by_kind[GROUP_OF_KIND[item.kind]].add(status)
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


def readiness(items, kpis: list[KPIStatus], next_level: Level | None, next_skills: list[SkillRow]) -> Readiness:
    if next_level is None:
        return Readiness(next_level=None, parts=[])
    stage_items = [i for i in items if i.stage_id and i.stage.level_id == next_level.pk]
    counted = [i for i in stage_items if i.my_status != Status.SKIPPED]
    missing_items = [i for i in counted if i.my_status != Status.DONE]
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
                f"Roadmap items that prepare for {next_level.title} done",
                len(counted),
                len(counted) - len(missing_items),
                missing_items,
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


def next_step(items) -> Item | None:
    """The first not-started item of the earliest unfinished stage."""
    open_steps = [i for i in items if i.stage_id and i.my_status not in (Status.DONE, Status.SKIPPED)]
    if not open_steps:
        return None
    in_stage = [i for i in open_steps if i.stage_id == open_steps[0].stage_id]
    # If only items in progress are left in that stage, carry on with the first of them.
    return next((i for i in in_stage if i.my_status in (None, Status.NOT_STARTED)), in_stage[0])


def recent_activity(user, limit: int = ACTIVITY_ITEMS) -> list[Activity]:
    """The latest things the learner did, across items, ratings and measurements, in one query."""
    text = CharField()
    columns = ("a_kind", "a_title", "a_detail", "a_at")

    def rows(queryset, kind, title, detail, at):
        return (
            queryset.filter(user=user)
            .annotate(a_kind=Value(kind, output_field=text), a_title=F(title), a_detail=Cast(detail, text), a_at=F(at))
            .order_by()  # the models' default ordering is not allowed inside a UNION
            .values_list(*columns)
        )

    items = rows(ItemProgress.objects, "item", "item__title", "status", "updated_at")
    ratings = rows(SkillRatingChange.objects, "skill", "skill__name", "rating", "changed_at")
    measurements = rows(KPIMeasurement.objects, "kpi", "kpi__name", "value", "created_at")
    latest = items.union(ratings, measurements, all=True).order_by("-a_at")[:limit]
    return [
        Activity(kind=kind, title=title, detail=public_decimal(Decimal(detail)) if kind == "kpi" else detail, at=at)
        for kind, title, detail, at in latest
    ]


def learner_summary(user) -> Summary:
    """The dashboard's numbers, from the cache until the learner or the content changes."""
    return cached_for_learner(user, "summary", lambda: compute_summary(user))


def compute_summary(user) -> Summary:
    level = (
        Level.objects.filter(pk=user.current_level_id)
        .prefetch_related(Prefetch("salary_bands", queryset=SalaryBand.objects.select_related("source")))
        .first()
        if user.current_level_id
        else None
    )
    if level is None:
        return Summary(None, [], None, [], [], None, None, [])
    items = items_with_status(user)
    next_level = Level.objects.filter(order__gt=level.order).order_by("order").first()
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
            items, kpis, next_level, [r for r in rows if next_level and r.level_skill.level_id == next_level.pk]
        ),
        next_step=next_step(items),
        activity=recent_activity(user),
    )


def public_decimal(value: Decimal) -> str:
    """A KPI value without trailing zeros: 120.5000 -> "120.5"."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
