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
from typing import NamedTuple

import fsrs
from django.conf import settings

from progress.models import PracticeCard
from progress.reads import keys
from roadmap.cache import cached
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


class _Cards(NamedTuple):
    """What the learner's cards say now: how many are due, how many were started today, and which
    questions have one."""

    due: int
    started_today: int
    items: frozenset[int]


def _cards(user, now: datetime.datetime) -> _Cards:
    # One plain read of a few columns (a learner has at most a card per question): cheaper than the
    # aggregate and the anti-join over the questions it replaced, which cost more to build than to run.
    start_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    rows = PracticeCard.objects.for_user(user.pk).values_list("item_id", "due", "created_at")
    return _Cards(
        due=sum(due <= now for _, due, _ in rows),
        started_today=sum(created_at >= start_of_day for _, _, created_at in rows),
        items=frozenset(item_id for item_id, _, _ in rows),
    )


def new_room(user, now: datetime.datetime, cards: _Cards | None = None) -> int:
    """New questions the learner may still start today; below 0 once more were started."""
    return settings.PRACTICE_NEW_PER_DAY - (cards or _cards(user, now)).started_today


def seconds_to_tomorrow(now: datetime.datetime) -> int:
    tomorrow = now.replace(hour=0, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)
    return math.ceil((tomorrow - now).total_seconds())


def _new_today(user, cards: _Cards, now: datetime.datetime) -> list[Item]:
    """The questions of the learner's levels they have no card for, as many as they may still start
    today. The questions come from the content cache (they are the same for every learner of those
    levels)."""
    room = new_room(user, now, cards)
    if room <= 0:
        return []
    levels = [pk for pk in (user.current_level_id, user.target_level_id) if pk]
    questions = cached("practice-questions", lambda: list(practice_questions(user).select_related("level")), *levels)
    return [question for question in questions if question.pk not in cards.items][:room]


def due_count(user, now: datetime.datetime) -> int:
    """How many questions are due now, new ones included. Shown on every dashboard view, so it is
    cached for the minute (keys.PRACTICE_DUE: a grade shows at once, a question falling due within
    the minute)."""

    def count(learner) -> int:
        cards = _cards(learner, now)
        return cards.due + len(_new_today(learner, cards, now))

    return keys.PRACTICE_DUE.of(user, count)


def _due_cards(user, now: datetime.datetime):
    return PracticeCard.objects.for_user(user).due(now).select_related("item__level").order_by("due", "pk")


def due_today(user, now: datetime.datetime) -> list[Item]:
    """What to practise now: the cards that are due (longest overdue first), then new questions,
    at most PRACTICE_NEW_PER_DAY new ones a day (counted from the cards made today)."""
    return [card.item for card in _due_cards(user, now)] + _new_today(user, _cards(user, now), now)


def next_question(user, now: datetime.datetime) -> tuple[Item | None, PracticeCard | None, int]:
    """The first of `due_today`, its card (None for a new question) and how many `due_today`
    holds, without loading every due card: the practice page shows one question at a time."""
    cards = _cards(user, now)
    new = _new_today(user, cards, now)
    card = _due_cards(user, now).first() if cards.due else None
    if card:
        return card.item, card, cards.due + len(new)
    return (new[0] if new else None), None, len(new)
