"""The promotion packet: one learner's case for the next level on paper — level and target,
readiness, what mentors verified (who and when), KPIs against their targets, skill history and
the plan. The numbers are the dashboard's own summary; the packet adds the two lists it does not
hold, each in one query."""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.utils import timezone

from progress.models import ItemProgress, SkillRatingChange
from progress.reads.summary import Summary, learner_summary


@dataclass
class SkillHistory:
    skill_name: str
    changes: list[SkillRatingChange]  # oldest first


@dataclass
class Packet:
    learner: object
    summary: Summary
    verified: list[ItemProgress]  # done and verified as they stand, with the reviewer
    skill_history: list[SkillHistory]
    made_on: datetime.date


def packet(user) -> Packet:
    verified = list(
        ItemProgress.objects.for_user(user)
        .verified()
        .select_related("item__level", "item__stage__level", "reviewed_by")
        .order_by("reviewed_at", "pk")
    )
    changes = SkillRatingChange.objects.filter(user=user).select_related("skill").order_by("skill__name", "changed_at")
    history = [SkillHistory(name, list(rows)) for name, rows in groupby(changes, key=lambda change: change.skill.name)]
    return Packet(user, learner_summary(user), verified, history, timezone.localdate())
