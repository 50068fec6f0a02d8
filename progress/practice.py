"""Interview practice on a spaced schedule: FSRS (the maintained `fsrs` package) decides when
each learner sees each question again, from how well they say they recalled it.

Settings of ours: one learning step of ten minutes (Again on a new question brings it back in ten
minutes, Hard in fifteen, the same session; Good schedules it days ahead), ten minutes to relearn
after Again on a reviewed one (back the same day), no fuzzing (the same history gives the same
dates), and a question counts as *done* once its stability reaches MASTERED_STABILITY_DAYS (recall
still about 90% three weeks on).
"""

import datetime
import math

import fsrs
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q

from progress.models import PracticeCard
from progress.reads import keys
from roadmap.models import Item

MASTERED_STABILITY_DAYS = 21

AGAIN_STEP = datetime.timedelta(minutes=10)
scheduler = fsrs.Scheduler(learning_steps=(AGAIN_STEP,), relearning_steps=(AGAIN_STEP,), enable_fuzzing=False)


def utc(moment: datetime.datetime) -> datetime.datetime:
    """fsrs accepts only datetimes in datetime.UTC (not zoneinfo's UTC)."""
    return moment.astimezone(datetime.UTC)


def to_fsrs(card: PracticeCard) -> fsrs.Card:
    return fsrs.Card(
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=utc(card.due),
        last_review=utc(card.last_review) if card.last_review else None,
    )


def from_fsrs(scheduled: fsrs.Card, card: PracticeCard) -> None:
    card.state, card.step = int(scheduled.state), scheduled.step
    card.stability, card.difficulty = scheduled.stability, scheduled.difficulty
    card.due, card.last_review = scheduled.due, scheduled.last_review


def practice_questions(user):
    """The interview questions of the learner's current and target level, in ladder order."""
    levels = [pk for pk in (user.current_level_id, user.target_level_id) if pk]
    return Item.objects.current().filter(kind=Item.Kind.QUESTION, level_id__in=levels).order_by("level__order", "order")


def _counts(user, now: datetime.datetime) -> dict[str, int]:
    start_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return PracticeCard.objects.for_user(user.pk).aggregate(
        due=Count("pk", filter=Q(due__lte=now)), started_today=Count("pk", filter=Q(created_at__gte=start_of_day))
    )


def _room_for_new(user, now: datetime.datetime) -> tuple[int, int]:
    """(cards due now, new questions the learner may still meet today), in one query."""
    counts = _counts(user, now)
    return counts["due"], max(new_room(user, now, counts), 0)


def new_room(user, now: datetime.datetime, counts: dict[str, int] | None = None) -> int:
    """New questions the learner may still start today; below 0 once more were started."""
    return settings.PRACTICE_NEW_PER_DAY - (counts or _counts(user, now))["started_today"]


def seconds_to_tomorrow(now: datetime.datetime) -> int:
    tomorrow = now.replace(hour=0, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)
    return math.ceil((tomorrow - now).total_seconds())


def _new_questions(user):
    return practice_questions(user).exclude(Exists(PracticeCard.objects.filter(user_id=user.pk, item=OuterRef("pk"))))


def _new_today(user, room: int) -> list[Item]:
    return list(_new_questions(user).select_related("level")[:room]) if room else []


def _new_count(user, room: int) -> int:
    return min(room, _new_questions(user).count()) if room else 0


def due_count(user, now: datetime.datetime) -> int:
    """How many questions are due now, new ones included. Shown on every dashboard view, so it is
    cached for the minute (keys.PRACTICE_DUE: a grade shows at once, a question falling due within
    the minute)."""

    def count(learner) -> int:
        due, room = _room_for_new(learner, now)
        return due + _new_count(learner, room)

    return keys.PRACTICE_DUE.of(user, count)


def _due_cards(user, now: datetime.datetime):
    return PracticeCard.objects.for_user(user).due(now).select_related("item__level").order_by("due", "pk")


def due_today(user, now: datetime.datetime) -> list[Item]:
    """What to practise now: the cards that are due (longest overdue first), then new questions,
    at most PRACTICE_NEW_PER_DAY new ones a day (counted from the cards made today)."""
    _, room = _room_for_new(user, now)
    return [card.item for card in _due_cards(user, now)] + _new_today(user, room)


def next_question(user, now: datetime.datetime) -> tuple[Item | None, PracticeCard | None, int]:
    """The first of `due_today`, its card (None for a new question) and how many `due_today`
    holds, without loading every due card: the practice page shows one question at a time."""
    due, room = _room_for_new(user, now)
    card = _due_cards(user, now).first() if due else None
    if card:
        return card.item, card, due + _new_count(user, room)
    new = _new_today(user, room)
    return (new[0] if new else None), None, len(new)
