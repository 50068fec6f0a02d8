"""The one copy of each rule about a learner's record on an item. Each rule is a condition the
database evaluates (a `Q`, with the path to the record as prefix), so a queryset filters by it and a
read that joins records in annotates with it: the list of what awaits review and the count beside a
mentee's name cannot disagree."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class Verdict(models.TextChoices):
    VERIFIED = "verified", "Verified"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


class ReviewState(models.TextChoices):
    """What a learner's item shows of its latest review (progress.models.ItemProgress.review_state)."""

    VERIFIED = "verified", "Verified"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    CHANGED = "changed", "Changed since the review"


WORKING_RATING = 2  # "working": the rating from which a skill counts as there


def stale_before(today: datetime.date) -> datetime.datetime:
    """A skill rating last confirmed before this is due for a refresh: older than
    settings.SKILL_FRESH_DAYS whole days, counted from the start of today."""
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    return start - datetime.timedelta(days=settings.SKILL_FRESH_DAYS)


def _at(prefix: str, **conditions) -> Q:
    return Q(**{f"{prefix}{name}": value for name, value in conditions.items()})


def verified(prefix: str = "") -> Q:
    """Done, verified by a reviewer, and unchanged since."""
    return _at(prefix, status=Status.DONE, review_verdict=Verdict.VERIFIED, review_stale=False)


def changes_requested(prefix: str = "") -> Q:
    """Sent back by a reviewer and not changed since."""
    return _at(prefix, review_verdict=Verdict.CHANGES_REQUESTED, review_stale=False)


def awaiting_review(prefix: str = "") -> Q:
    """Done with evidence, never reviewed or changed since the last review, on an item still shown
    (an archived item leaves every page, so it leaves the queue too)."""
    return (
        _at(prefix, status=Status.DONE, item__is_archived=False)
        & ~_at(prefix, evidence_url="")
        & (_at(prefix, review_verdict="") | _at(prefix, review_stale=True))
    )


def holds(condition: Q) -> Case:
    """A rule as a true/false column of a read."""
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def readiness_items(items, next_level) -> list:
    """The items that prepare for the next level and count: those of its stages, not skipped
    (`items` as summary.items_with_status gives them)."""
    return [i for i in items if i.stage_id and i.stage.level_id == next_level.pk and i.my_status != Status.SKIPPED]
