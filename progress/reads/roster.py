"""Headline numbers of many learners (a mentor's mentees, a team) in a fixed number of queries:
the same functions as `summary.learner_summary`, fed from reads shared by the whole list."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Max, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from core.statements import Statement
from progress.models import ItemProgress, KPIMeasurement, SkillRating, SkillRatingChange
from progress.reads import keys, rules
from progress.reads.keys import Learner
from progress.reads.summary import (
    RATING_VALUES,
    KPIStatus,
    LevelProgress,
    RatingValues,
    Readiness,
    level_progress,
    readiness,
    skill_rows,
)
from roadmap.models import KPI, Item, Level, LevelSkill


@dataclass
class RosterRow:
    """One learner's headline numbers as a mentor's or a lead's list shows them: the same
    functions as `learner_summary`, fed from reads shared by the whole list."""

    user: Learner
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
        self.my_verified = row.get("verified", False)
        self.my_changes_requested = row.get("changes_requested", False)

    def __getattr__(self, name):
        return getattr(self.item, name)


def cached_roster(links: Statement, owner_id: int) -> list[RosterRow]:
    """`roster` of the learners linked to an owner (`links`: keys.learner_links, such as a team's
    memberships), in their order, computed again only when one of them, the links or the content
    changed (see keys.Read.of_many)."""
    return keys.ROSTER.of_many(links, owner_id, lambda linked: roster(learner for _, learner in linked))


def roster(users) -> list[RosterRow]:
    """Headline numbers of many learners in a fixed number of queries, whatever their number."""
    users = [Learner.of(user) for user in users]
    pks = [u.pk for u in users]
    today = timezone.localdate()
    levels = list(Level.objects.order_by("order"))
    items = list(Item.objects.current().select_related("stage").order_by("stage__order", "kind", "order", "pk"))
    records: dict[int, dict[int, dict]] = {pk: {} for pk in pks}
    last: dict[int, Any] = {}
    awaiting: dict[int, int] = dict.fromkeys(pks, 0)
    for record in ItemProgress.objects.filter(user__in=pks).values(
        "user_id",
        "item_id",
        "status",
        "completed_at",
        "updated_at",
        verified=rules.holds(rules.verified()),
        changes_requested=rules.holds(rules.changes_requested()),
        awaiting_review=rules.holds(rules.awaiting_review()),
    ):
        awaiting[record["user_id"]] += record["awaiting_review"]
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
    rating_values: dict[int, dict[int, RatingValues]] = {pk: {} for pk in pks}
    for user_id, skill_id, *values in SkillRating.objects.filter(user__in=pks).values_list(
        "user_id", "skill_id", *RATING_VALUES
    ):
        rating_values[user_id][skill_id] = tuple(values)
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
        with_records = [_Record(item, mine.get(item.pk)) for item in items]
        entry = RosterRow(
            user=user,
            level=level,
            target_level=next((lv for lv in levels if lv.pk == user.target_level_id), None),
            progress=None,
            readiness=None,
            kpis_on_target=0,
            kpis_total=0,
            awaiting_review=awaiting[user.pk],
            changes_requested=sum(1 for r in with_records if r.my_changes_requested),
            last_activity=last.get(user.pk),
            ratings={skill: values[0] for skill, values in rating_values[user.pk].items()},
        )
        if level is not None:
            statuses = [
                KPIStatus(kpi=k, points=[p] if (p := latest_value.get((user.pk, k.pk))) else [])
                for k in kpis
                if k.level_id == level.pk
            ]
            next_level = next((lv for lv in levels if lv.order > level.order), None)
            next_skills = skill_rows(
                [ls for ls in level_skills if next_level and ls.level_id == next_level.pk],
                rating_values[user.pk],
                today,
            )
            entry.progress = level_progress(with_records, level)
            entry.readiness = readiness(
                with_records,
                statuses,
                next_level,
                next_skills,
                verified_only=user.readiness_verified_only,
                fresh_only=user.readiness_fresh_only,
                mentor_only=user.readiness_mentor_skills_only,
            )
            for part in entry.readiness.parts:
                part.missing = []  # a list shows counts; this keeps rows small enough to cache
            entry.kpis_on_target = sum(1 for s in statuses if s.on_target)
            entry.kpis_total = len(statuses)
        result.append(entry)
    return result
