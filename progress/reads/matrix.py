"""Learners × the skills of one level: where a group stands against what the level expects."""

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.utils import timezone

from progress.models import SkillRating
from progress.reads import rules
from progress.reads.rules import WORKING_RATING
from progress.reads.summary import RATING_VALUES
from roadmap.models import Level, LevelSkill

# The rating a level expects of a skill it lists: "learn" it to working level, "master" it.
EXPECTED_RATING = {LevelSkill.Expectation.LEARN: WORKING_RATING, LevelSkill.Expectation.MASTER: WORKING_RATING + 1}


@dataclass
class SkillCell:
    rating: int | None
    expected: int
    stale: bool = False  # last confirmed before rules.stale_before(today): due for a refresh
    mentor_confirmed: bool = False  # a mentor gave the same rating

    @property
    def gap(self) -> int | None:
        """How far below the expectation (0 when met); None for a skill not rated: unknown, not a gap."""
        return None if self.rating is None else max(self.expected - self.rating, 0)


@dataclass
class SkillMatrix:
    """Learners × the skills of one level: where a group stands against what the level expects."""

    level: Level
    skills: list[LevelSkill]
    rows: list[tuple[Any, list[SkillCell]]]

    @property
    def kind_groups(self) -> list[tuple[str, int]]:
        """The skills' kinds in column order with how many columns each spans (skills come sorted
        by kind), for a header row that groups technical and soft skills."""
        kinds = (ls.skill.get_kind_display() for ls in self.skills)
        return [(label, len(list(group))) for label, group in groupby(kinds)]

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
        """Per skill, how many of those who rated it are below the expectation: the same members as
        the average, so the two always agree."""
        return [sum(1 for _, cells in self.rows if cells[c].gap) for c in range(len(self.skills))]

    @property
    def unrated(self) -> list[int]:
        """Per skill, how many learners have not rated it (in neither the average nor the gaps)."""
        return [sum(1 for _, cells in self.rows if cells[c].rating is None) for c in range(len(self.skills))]


def skill_matrix(users, level: Level) -> SkillMatrix:
    """In two queries, whatever the number of learners."""
    users = list(users)
    skills = list(LevelSkill.objects.filter(level=level).select_related("skill").order_by("skill__kind", "order"))
    stale = rules.stale_before(timezone.localdate())
    ratings: dict[tuple[int, int], tuple[int, bool, bool]] = {
        (user_id, skill_id): (rating, confirmed_at < stale, mentor_rating == rating)
        for user_id, skill_id, rating, confirmed_at, mentor_rating in SkillRating.objects.filter(
            user__in=[u.pk for u in users], skill__in=[ls.skill_id for ls in skills]
        ).values_list("user_id", "skill_id", *RATING_VALUES)
    }

    def cell(user, ls) -> SkillCell:
        rating, is_stale, confirmed = ratings.get((user.pk, ls.skill_id), (None, False, False))
        return SkillCell(rating, EXPECTED_RATING[LevelSkill.Expectation(ls.expectation)], is_stale, confirmed)

    rows = [(user, [cell(user, ls) for ls in skills]) for user in users]
    return SkillMatrix(level=level, skills=skills, rows=rows)
