"""One learner's numbers: progress per level and kind, KPI status, skills, readiness for the next
level, next steps, and the plan and activity beside them. The dashboard, the public page, a mentor's
view and the API summary all come from `learner_summary`, so they can never disagree.

Everything is read in a fixed number of queries, whatever the amount of content or history.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import F, FilteredRelation, Prefetch, Q, Window, prefetch_related_objects
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from core.statements import Statement
from progress.models import ItemProgress, KPIMeasurement, SkillRating
from progress.reads import keys, rules
from progress.reads.activity import Activity, activity_days, recent_activity
from progress.reads.plan import Plan, compute_plan
from progress.reads.rules import WORKING_RATING, Status, readiness_items
from roadmap.cache import cached
from roadmap.models import KPI, Item, Level, LevelSkill, SalaryBand
from roadmap.pay import SalaryGap, salary_gaps

TREND_POINTS = 30  # measurements per KPI kept for the trend line
NEXT_STEPS = 3

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
FRESH_SHORT_LABEL = "Skills rated 2+, fresh"
MENTOR_SHORT_LABEL = "Skills confirmed 2+"
# An Item annotated with the learner's record by items_with_status (my_status, my_completed_at,
# my_note, my_evidence_url, my_verified, ...): the annotations are not attributes django-stubs knows of.
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
    confirmed_at: datetime.datetime | None = None
    stale: bool = False  # rated, and last confirmed before rules.stale_before(today)
    mentor_rating: int | None = None  # a mentor's rating of it (SkillRating.mentor_rating)

    @property
    def meets(self) -> bool:
        return self.rating is not None and self.rating >= WORKING_RATING

    @property
    def mentor_confirmed(self) -> bool:
        return self.rating is not None and self.mentor_rating == self.rating


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
    fresh_only: bool = False
    stale: int = 0  # of the skills part: rated 2+ but due for a refresh
    mentor_only: bool = False
    mentor_confirmed: int | None = None  # of the skills part: rated 2+ and confirmed by a mentor

    @property
    def short_label(self) -> str:
        if self.mentor_only:
            return MENTOR_SHORT_LABEL
        if self.fresh_only:
            return FRESH_SHORT_LABEL
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
    # What moving up pays, guide by guide: (the level moved to, its gaps) for the next level and,
    # when it is another one above, the target level.
    salary_gaps: list[tuple[Level, list[SalaryGap]]] = field(default_factory=list)

    @property
    def next_step(self) -> Item | None:
        return self.next_steps[0] if self.next_steps else None

    @property
    def pay_rise(self) -> list[SalaryGap]:
        """The next level's gaps that compare (a band of one guide for both levels, one currency)."""
        return [gap for gap in self.salary_gaps[0][1] if gap.comparable] if self.salary_gaps else []

    @property
    def rated(self) -> int:
        """How many of the level's skills the learner has rated."""
        return sum(1 for row in self.skills if row.rating is not None)

    @property
    def getting_started(self) -> dict[str, bool]:
        """A new learner's first steps, each with whether it is done; empty once every one is, so
        the dashboard shows the list only while it helps."""
        overall = self.progress.overall if self.progress else Tally()
        steps = {
            "target": self.target_level is not None,
            "step": bool(overall.done or overall.in_progress or overall.skipped),
            "skills": bool(self.rated),
            "kpi": any(status.points for status in self.kpis) or not self.kpis,
            "plan": bool(self.plan and (self.plan.target_date or self.plan.weekly_goal)) or not self.plan,
        }
        return {} if all(steps.values()) else steps


def items_with_status(learner_id: int):
    """Every current item with the learner's record on it joined in (`my_status` None: never
    touched), in one query."""
    return list(
        Item.objects.current()
        .select_related("stage", "source")
        .annotate(
            mine=FilteredRelation("progress", condition=Q(progress__user_id=learner_id)),
            my_status=F("mine__status"),
            my_completed_at=F("mine__completed_at"),
            my_note=F("mine__note"),
            my_evidence_url=F("mine__evidence_url"),
            my_expires_on=F("mine__expires_on"),
            my_verdict=F("mine__review_verdict"),
            my_review_stale=F("mine__review_stale"),
            my_review_comment=F("mine__review_comment"),
            my_reviewed_at=F("mine__reviewed_at"),
            my_verified=rules.holds(rules.verified("mine__")),
            my_changes_requested=rules.holds(rules.changes_requested("mine__")),
        )
        .order_by("stage__order", "kind", "order", "pk")
    )


class LevelRow(NamedTuple):
    """What level_progress reads of an item and the learner's record on it."""

    kind: str
    ladder_level_id: int
    my_status: str | None
    my_verified: bool


# A learner's statuses: read after every status change, for the progress line it swaps in.
_STATUSES = Statement(
    lambda learner_id: ItemProgress.objects.for_user(learner_id).values_list(
        "item_id", "status", rules.holds(rules.verified())
    ),
    int,
)


def level_rows(learner_id: int) -> list[LevelRow]:
    """Every current item as level_progress needs it, from two light reads instead of the full
    join of items_with_status: each item's kind and level (cached per content version) and the
    learner's statuses. For the one-line progress of content pages and their in-place updates."""
    content = cached(
        "level-rows",
        lambda: list(Item.objects.current().values_list("pk", "kind", Coalesce("level_id", "stage__level_id"))),
    )
    mine = {item_id: (status, verified) for item_id, status, verified in _STATUSES.rows(learner_id)}
    return [LevelRow(kind, level_id, *mine.get(pk, (None, False))) for pk, kind, level_id in content]


def level_progress(items, level: Level) -> LevelProgress:
    overall, by_kind = Tally(), {group: Tally() for group in KIND_GROUPS}
    for item in items:
        if item.ladder_level_id != level.pk:
            continue
        status, verified = item.my_status or Status.NOT_STARTED, item.my_verified
        overall.add(status, verified)
        by_kind[GROUP_OF_KIND[item.kind]].add(status, verified)
    return LevelProgress(overall=overall, by_kind=by_kind)


def kpi_statuses(learner_id: int, level: Level) -> list[KPIStatus]:
    kpis = list(KPI.objects.filter(level=level).select_related("source"))
    recent = (
        KPIMeasurement.objects.filter(user_id=learner_id, kpi__in=kpis)
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


RatingValues = tuple[int, datetime.datetime, int | None]  # rating, confirmed_at, mentor_rating
RATING_VALUES = ("rating", "confirmed_at", "mentor_rating")  # what a read takes of a SkillRating


def skill_rows(level_skills, ratings: dict[int, RatingValues], today: datetime.date) -> list[SkillRow]:
    """Each skill with the learner's rating (skill id -> RatingValues), its freshness and a mentor's word."""
    stale = rules.stale_before(today)
    rows = []
    for ls in level_skills:
        rating, confirmed_at, mentor_rating = ratings.get(ls.skill_id, (None, None, None))
        is_stale = confirmed_at is not None and confirmed_at < stale
        rows.append(SkillRow(ls, rating, confirmed_at, is_stale, mentor_rating))
    return rows


def readiness(
    items,
    kpis: list[KPIStatus],
    next_level: Level | None,
    next_skills: list[SkillRow],
    verified_only: bool = False,
    fresh_only: bool = False,
    mentor_only: bool = False,
) -> Readiness:
    """The learner's choices: with `verified_only` an item counts once a reviewer verified it; with
    `fresh_only` a skill counts while its rating is not due for a refresh; with `mentor_only` once a
    mentor confirmed its rating."""
    if next_level is None:
        return Readiness(next_level=None, parts=[])
    counted = readiness_items(items, next_level)
    missing_items = [i for i in counted if not (i.my_verified if verified_only else i.my_status == Status.DONE)]
    missing_skills = [
        row
        for row in next_skills
        if not row.meets or (fresh_only and row.stale) or (mentor_only and not row.mentor_confirmed)
    ]
    off_target = [k for k in kpis if not k.on_target]
    return Readiness(
        next_level=next_level,
        parts=[
            ReadinessPart(
                "skills",
                f"Skills of {next_level.title} rated “working” (2) or above"
                + (f", confirmed in the last {settings.SKILL_FRESH_DAYS} days" if fresh_only else "")
                + (", confirmed by a mentor" if mentor_only else ""),
                len(next_skills),
                len(next_skills) - len(missing_skills),
                missing_skills,
                fresh_only=fresh_only,
                stale=sum(1 for row in next_skills if row.meets and row.stale),
                mentor_only=mentor_only,
                mentor_confirmed=sum(1 for row in next_skills if row.meets and row.mentor_confirmed),
            ),
            ReadinessPart(
                "items",
                f"Roadmap items that prepare for {next_level.title} {'done and verified' if verified_only else 'done'}",
                len(counted),
                len(counted) - len(missing_items),
                missing_items,
                verified_only=verified_only,
                verified=sum(1 for i in counted if i.my_verified),
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


def learner_summary(user) -> Summary:
    """The dashboard's numbers, from the cache until the learner, the content or the day changes."""
    return keys.SUMMARY.of(user, compute_summary)


def compute_summary(user) -> Summary:
    """Computed afresh; `user` is seen only through what keys.LEARNER_STATE declares."""
    learner = keys.Learner.of(user)
    # The ladder has a handful of levels: one read gives the current, next and target level.
    levels = list(
        Level.objects.order_by("order").prefetch_related(
            Prefetch("salary_bands", queryset=SalaryBand.objects.select_related("source"))
        )
    )
    level = next((lv for lv in levels if lv.pk == learner.current_level_id), None)
    if level is None:
        return Summary(None, [], None, [], [], None, [], [])
    items = items_with_status(learner.pk)
    today = timezone.localdate()
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
    ratings = {
        skill: tuple(values)
        for skill, *values in SkillRating.objects.filter(user_id=learner.pk).values_list("skill_id", *RATING_VALUES)
    }
    kpis = kpi_statuses(learner.pk, level)
    rows = skill_rows(level_skills, ratings, today)
    target = next((lv for lv in levels if lv.pk == learner.target_level_id), None)
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
            verified_only=learner.readiness_verified_only,
            fresh_only=learner.readiness_fresh_only,
            mentor_only=learner.readiness_mentor_skills_only,
        ),
        next_steps=upcoming,
        activity=recent_activity(learner.pk),
        target_level=target,
        activity_days=activity_days(learner.pk, today),
        plan=compute_plan(learner, items, next_level, today),
        changes_requested=[i for i in items if i.my_changes_requested],
        salary_gaps=[
            (above, salary_gaps(level, above))
            for above in dict.fromkeys(lv for lv in (next_level, target) if lv)
            if above.order > level.order
        ],
    )
