"""Every write of a learner's records goes through here; the web views and the API both call these."""

import datetime
import math
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

import fsrs
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.statements import InstanceStatement
from progress import practice
from progress.models import (
    EVIDENCE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    ItemProgress,
    KPIMeasurement,
    PracticeCard,
    PracticeReview,
    SkillRating,
    SkillRatingChange,
    Status,
    Verdict,
    evidence_url_validator,
)
from roadmap.models import KPI, Item, Skill

# Largest magnitude a KPI value may have: fits the column and no real KPI comes near it.
KPI_VALUE_LIMIT = Decimal("1000000000")
# The error code of a grade that would start one new question more than a day allows.
NEW_QUESTIONS_SPENT = "new_questions_spent"
EARLIEST_MEASUREMENT = datetime.date(1970, 1, 1)


def records_changed(user) -> None:
    """Call inside the write's transaction: the version (in every cached read's key, see
    progress.reads.keys) commits or rolls back with the records, so every process sees it at once."""
    get_user_model().objects.filter(pk=user.pk).update(records_version=F("records_version") + 1)
    # This request's own next read must miss the cache too.
    user.records_version += 1


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": f"Keep notes under {NOTE_MAX_LENGTH} characters (this one has {len(note)})."})
    return note


def _clean_evidence(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > EVIDENCE_MAX_LENGTH:
        raise ValidationError({"evidence_url": f"Keep links under {EVIDENCE_MAX_LENGTH} characters."})
    try:
        evidence_url_validator(url)
    except ValidationError as error:
        raise ValidationError({"evidence_url": error.messages}) from None
    return url


def _apply_status(progress: ItemProgress, status: str, now) -> None:
    """Timestamps follow the status; setting the status it already has changes nothing."""
    if status not in Status.values:
        raise ValidationError({"status": f"Unknown status “{status}”; use one of {', '.join(Status.values)}."})
    if status == progress.status and progress.pk:
        return
    progress.status = status
    if status == Status.NOT_STARTED:
        progress.started_at = progress.completed_at = None
    elif status == Status.IN_PROGRESS:
        progress.started_at = progress.started_at or now
        progress.completed_at = None
    elif status == Status.DONE:
        progress.started_at = progress.started_at or now
        progress.completed_at = now
    else:  # skipped: keeps when it was started, was never completed
        progress.completed_at = None


_UNSET = object()


def _clean_expiry(item: Item, expires_on) -> datetime.date | None:
    if expires_on in (None, ""):
        return None
    if item.kind != Item.Kind.CERTIFICATION:
        raise ValidationError({"expires_on": "Only a certification has an expiry date."})
    if not isinstance(expires_on, datetime.date):
        raise ValidationError({"expires_on": "Enter the date as YYYY-MM-DD."})
    return expires_on


# A status change is the busiest write: the record, when there is one, is read by a statement built once.
_RECORD_FOR_UPDATE = InstanceStatement(
    ItemProgress,
    lambda user_id, item_id: ItemProgress.objects.select_for_update().filter(user_id=user_id, item_id=item_id),
    int,
    int,
)


def _record_for_update(user, item: Item) -> ItemProgress:
    """The learner's record on the item, locked until the write's transaction ends (made if missing)."""
    found = _RECORD_FOR_UPDATE.instances(user.pk, item.pk)
    return found[0] if found else ItemProgress.objects.select_for_update().get_or_create(user=user, item=item)[0]


def item_progress_set(
    *, user, item: Item, status=_UNSET, note=_UNSET, evidence_url=_UNSET, expires_on=_UNSET
) -> ItemProgress:
    """Set any of status, note, evidence and (a certification's) expiry of one item for one learner
    (one row per learner and item).

    Fields left out keep their value. Submitting the same values twice changes nothing,
    not even `updated_at`.
    """
    clean: dict[str, object] = {}
    if note is not _UNSET:
        clean["note"] = _clean_note(note)
    if evidence_url is not _UNSET:
        clean["evidence_url"] = _clean_evidence(evidence_url)
    if expires_on is not _UNSET:
        clean["expires_on"] = _clean_expiry(item, expires_on)

    def recorded(p: ItemProgress) -> tuple:
        return (p.status, p.note, p.evidence_url, p.started_at, p.completed_at, p.expires_on)

    with transaction.atomic():
        progress = _record_for_update(user, item)
        before = recorded(progress)
        if status is not _UNSET:
            _apply_status(progress, status, timezone.now())
        for field, value in clean.items():
            setattr(progress, field, value)
        after = recorded(progress)
        if after != before:
            # Done with evidence is what the rule needs first: only then can it start waiting.
            asking = REVIEW_ASKED and progress.status == Status.DONE and progress.evidence_url
            waited = asking and _awaits_review(progress)
            _save_changed(progress)
            records_changed(user)
            if asking and not waited and _awaits_review(progress):
                for hook in REVIEW_ASKED:
                    hook(progress)
    return progress


# Called with a learner's record when it starts waiting for a review (done with evidence, or
# changed since its last review), inside the write's transaction: mentoring registers who hears
# of it, so progress needs to know nothing of mentors.
REVIEW_ASKED: list[Callable[[ItemProgress], None]] = []


def _awaits_review(progress: ItemProgress) -> bool:
    return ItemProgress.objects.filter(pk=progress.pk).awaiting_review().exists()


def _save_changed(progress: ItemProgress) -> None:
    # A review holds for the record as it was reviewed: a change sends it back to the reviewer.
    progress.review_stale = bool(progress.review_verdict)
    progress.save()


def item_review_record(*, progress: ItemProgress, reviewer, verdict: str, comment: str, at) -> ItemProgress:
    """Record a review of a done item as the record's latest. Call inside the reviewing write's
    transaction; who may review whom is the caller's business. The item's own `updated_at` is left
    alone: a review is not a change by the learner."""
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": f"Choose one of {', '.join(Verdict.values)}."})
    if progress.status != Status.DONE:
        raise ValidationError({"item": "Only items marked done can be reviewed."})
    fields = {
        "review_verdict": verdict,
        "review_comment": comment,
        "reviewed_by": reviewer,
        "reviewed_at": at,
        "review_stale": False,
    }
    return _reviewer_word(progress, fields)


def _reviewer_word(record, fields: dict):
    """Write a reviewer's word onto the learner's record as one UPDATE (so `updated_at`, which
    tells when the learner changed it, stays as it is), and onto the object in hand."""
    type(record).objects.filter(pk=record.pk).update(**fields)
    for field, value in fields.items():
        setattr(record, field, value)
    records_changed(record.user)
    return record


def item_progress_clear(*, user, item: Item) -> None:
    """Forget everything the learner recorded on the item (back to "not started", no note)."""
    with transaction.atomic():
        if ItemProgress.objects.filter(user=user, item=item).delete()[0]:
            records_changed(user)


def skill_rating_set(*, user, skill: Skill, rating: int, now=None) -> SkillRating:
    """Set the learner's self-rating; every change is kept in the history. The same rating again
    confirms it ("still accurate"): it is fresh from now, and the history is unchanged."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 0 <= rating <= 4:
        raise ValidationError({"rating": "Rate from 0 (none) to 4 (expert)."})
    now = now or timezone.now()
    with transaction.atomic():
        current, created = SkillRating.objects.select_for_update().get_or_create(
            user=user, skill=skill, defaults={"rating": rating, "confirmed_at": now}
        )
        if created or current.rating != rating:
            current.rating = rating
            current.confirmed_at = now
            current.save()
            SkillRatingChange.objects.create(user=user, skill=skill, rating=rating)
        else:
            current.confirmed_at = now
            current.save(update_fields=["confirmed_at"])
        records_changed(user)
    return current


def skill_mentor_rating_record(*, rating: SkillRating, reviewer, value: int, at) -> SkillRating:
    """Record a mentor's rating of the learner's skill: it confirms theirs when the two agree,
    and is their suggestion otherwise. Call inside the mentor's write; who may rate whom is the
    caller's business. The learner's own rating and its freshness are left alone."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 4:
        raise ValidationError({"rating": "Rate from 0 (none) to 4 (expert)."})
    return _reviewer_word(rating, {"mentor_rating": value, "mentor_rated_by": reviewer, "mentor_rated_at": at})


def readiness_fresh_only_set(*, user, on: bool) -> None:
    """Readiness counts skill ratings not due for a refresh only (on), or every rating."""
    get_user_model().objects.filter(pk=user.pk).update(readiness_fresh_only=on)
    user.readiness_fresh_only = on


def validate_kpi_value(kpi: KPI, value) -> Decimal:
    """A number that makes sense for the KPI's unit: a percentage within 0-100, a latency >= 0, ..."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": "Enter a number."}) from None
    if not number.is_finite() or not math.isfinite(float(number)):
        raise ValidationError({"value": "Enter a finite number."})
    if abs(number) >= KPI_VALUE_LIMIT:
        raise ValidationError({"value": "That number is too large for this KPI."})
    if kpi.unit == KPI.Unit.PERCENT and not 0 <= number <= 100:
        raise ValidationError({"value": "A percentage is between 0 and 100."})
    if kpi.unit == KPI.Unit.PERCENT_POINTS and not -100 <= number <= 100:
        raise ValidationError({"value": "A change in percentage points is between -100 and 100."})
    if kpi.unit != KPI.Unit.PERCENT_POINTS and number < 0:
        raise ValidationError({"value": f"{kpi.get_unit_display().capitalize()} cannot be negative."})
    return number.quantize(Decimal("0.0001"))


def validate_measured_on(measured_on) -> datetime.date:
    if not isinstance(measured_on, datetime.date):
        raise ValidationError({"measured_on": "Enter a date."})
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": "The date cannot be in the future."})
    if measured_on < EARLIEST_MEASUREMENT:
        raise ValidationError({"measured_on": "The date is too far in the past."})
    return measured_on


def kpi_measurement_create(*, user, kpi: KPI, value, measured_on, note="", evidence_url="") -> KPIMeasurement:
    fields = {
        "value": validate_kpi_value(kpi, value),
        "measured_on": validate_measured_on(measured_on),
        "note": _clean_note(note),
        "evidence_url": _clean_evidence(evidence_url),
    }
    with transaction.atomic():
        measurement = KPIMeasurement.objects.create(user=user, kpi=kpi, **fields)
        records_changed(user)
    return measurement


def kpi_measurement_update(
    *, measurement: KPIMeasurement, value, measured_on, note="", evidence_url=""
) -> KPIMeasurement:
    measurement.value = validate_kpi_value(measurement.kpi, value)
    measurement.measured_on = validate_measured_on(measured_on)
    measurement.note = _clean_note(note)
    measurement.evidence_url = _clean_evidence(evidence_url)
    with transaction.atomic():
        measurement.save()
        records_changed(measurement.user)
    return measurement


def kpi_measurement_delete(*, measurement: KPIMeasurement) -> None:
    with transaction.atomic():
        measurement.delete()
        records_changed(measurement.user)


def practice_grade(*, user, item: Item, grade: int, answer: str = "", now=None) -> PracticeReview:
    """Record a self-grade (1 again, 2 hard, 3 good, 4 easy) of an interview question and let FSRS
    schedule it. The question's status follows its retention: done once its stability reaches
    MASTERED_STABILITY_DAYS, in progress before (a skipped question stays skipped).

    Two grades at once for the same card are applied one after the other (the card is locked),
    each timed when it is applied, so the history stays in order. A question never practised
    starts only while today's PRACTICE_NEW_PER_DAY new questions are not all started.
    """
    if item.kind != Item.Kind.QUESTION:
        raise ValidationError({"item": "Only interview questions are practised."})
    if isinstance(grade, bool) or grade not in PracticeReview.Grade.values:
        raise ValidationError({"grade": "Grade from 1 (again) to 4 (easy)."})
    answer = _clean_note(answer)
    with transaction.atomic():
        card, new = PracticeCard.objects.select_for_update().get_or_create(
            user=user, item=item, defaults={"due": now or timezone.now()}
        )
        if new and practice.new_room(user, now or timezone.now()) < 0:
            spent = f"Today's {settings.PRACTICE_NEW_PER_DAY} new questions are started: practise the due ones, "
            raise ValidationError({"item": ValidationError(spent + "or start this one tomorrow.", NEW_QUESTIONS_SPENT)})
        at = practice.utc(now or timezone.now())
        scheduled, _ = practice.scheduler.review_card(practice.to_fsrs(card), fsrs.Rating(grade), review_datetime=at)
        practice.from_fsrs(scheduled, card)
        card.save()
        review = PracticeReview.objects.create(
            card=card, grade=grade, answer=answer, reviewed_at=at, due_after=card.due, stability_after=card.stability
        )
        progress = _record_for_update(user, item)
        if progress.status != Status.SKIPPED:
            mastered = (card.stability or 0) >= practice.MASTERED_STABILITY_DAYS
            status_before = progress.status
            _apply_status(progress, Status.DONE if mastered else Status.IN_PROGRESS, at)
            if progress.status != status_before:
                _save_changed(progress)
        records_changed(user)
    return review
