"""What a learner recorded. Numbers derived from it live in progress/reads/."""

from django.conf import settings
from django.core.validators import MaxValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from progress.reads import rules
from progress.reads.rules import Status, Verdict
from roadmap.models import KPI, Item, Skill

NOTE_MAX_LENGTH = 4000
EVIDENCE_MAX_LENGTH = 500
# Evidence links are shown as clickable links: anything but http(s) could run script.
evidence_url_validator = URLValidator(
    schemes=["http", "https"], message="Enter a link starting with http:// or https://."
)


class EvidenceURLField(models.URLField):
    default_validators = [evidence_url_validator]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", EVIDENCE_MAX_LENGTH)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # Django's form URLField would prepend "https://" to "javascript:alert(1)" and accept it.
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)


REVIEW_COMMENT_MAX_LENGTH = 2000


class ItemProgressQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def done(self):
        return self.filter(status=Status.DONE)

    def verified(self):
        return self.filter(rules.verified())

    def awaiting_review(self):
        return self.filter(rules.awaiting_review())

    def changes_requested(self):
        return self.filter(rules.changes_requested())


class ItemProgress(models.Model):
    """A learner's status on one item. No row means "not started"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="item_progress")
    # PROTECT: content is archived, never deleted, while a learner has recorded it.
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="progress")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    evidence_url = EvidenceURLField("evidence link")
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # A certification's expiry, as the learner read it off the certificate (certifications only).
    expires_on = models.DateField("expires on", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The latest review of this record by someone the learner asked (mentoring keeps every review).
    # It holds for the record as it was then: any later change of status, note or evidence makes
    # it stale ("changed since verified") until the next review.
    review_verdict = models.CharField(max_length=20, choices=Verdict.choices, blank=True)
    review_comment = models.TextField(blank=True, max_length=REVIEW_COMMENT_MAX_LENGTH)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_stale = models.BooleanField("changed since the review", default=False)

    objects = ItemProgressQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "item"], name="progress_one_row_per_learner_and_item"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="progress_item_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_at__isnull=False), name="progress_done_has_completed_at"
            ),
            models.CheckConstraint(
                condition=Q(review_verdict__in=["", *Verdict.values]), name="progress_review_verdict_valid"
            ),
            models.CheckConstraint(
                condition=Q(review_verdict="") | Q(reviewed_at__isnull=False), name="progress_review_has_time"
            ),
        ]
        indexes = [models.Index(fields=["user", "-updated_at"], name="progress_item_user_recent")]

    def __str__(self) -> str:
        return f"{self.user} · {self.item} · {self.get_status_display()}"

    @property
    def review_state(self) -> str:
        """ "" (never reviewed), verified, changes_requested, or changed (since the last review)."""
        if not self.review_verdict:
            return ""
        return "changed" if self.review_stale else self.review_verdict


class SkillRatingQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)


class SkillRating(models.Model):
    """A learner's current self-rating of a skill; every change is kept in SkillRatingChange."""

    class Rating(models.IntegerChoices):
        NONE = 0, "0 · None"
        AWARE = 1, "1 · Aware"
        WORKING = 2, "2 · Working"
        PRACTITIONER = 3, "3 · Practitioner"
        EXPERT = 4, "4 · Expert"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_ratings")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="ratings")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices, validators=[MaxValueValidator(4)])
    updated_at = models.DateTimeField(auto_now=True)
    # When the learner last said this rating holds: set by every rating, the same value included
    # ("still accurate"). Past settings.SKILL_FRESH_DAYS it is due for a refresh.
    confirmed_at = models.DateTimeField(default=timezone.now)
    # A mentor's word on it (mentoring records who may give it): the rating they find right. It
    # confirms the learner's while the two agree; otherwise it stands as their suggestion.
    mentor_rating = models.PositiveSmallIntegerField(null=True, blank=True, choices=Rating.choices)
    mentor_rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mentor_rated_at = models.DateTimeField(null=True, blank=True)

    objects = SkillRatingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "skill"], name="progress_one_rating_per_learner_and_skill"),
            models.CheckConstraint(condition=Q(rating__gte=0, rating__lte=4), name="progress_rating_0_to_4"),
            models.CheckConstraint(
                condition=Q(mentor_rating__isnull=True) | Q(mentor_rating__gte=0, mentor_rating__lte=4),
                name="progress_mentor_rating_0_to_4",
            ),
            models.CheckConstraint(
                condition=Q(mentor_rating__isnull=True) | Q(mentor_rated_at__isnull=False),
                name="progress_mentor_rating_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.skill} · {self.rating}"

    @property
    def mentor_confirmed(self) -> bool:
        return self.mentor_rating is not None and self.mentor_rating == self.rating


class SkillRatingChange(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_rating_changes")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(choices=SkillRating.Rating.choices)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=0, rating__lte=4), name="progress_rating_change_0_to_4"),
        ]
        indexes = [models.Index(fields=["user", "-changed_at"], name="progress_rating_user_recent")]

    def __str__(self) -> str:
        return f"{self.user} · {self.skill} → {self.rating} at {self.changed_at:%Y-%m-%d %H:%M}"


class KPIMeasurementQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)


class KPIMeasurement(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kpi_measurements")
    kpi = models.ForeignKey(KPI, on_delete=models.PROTECT, related_name="measurements")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    measured_on = models.DateField()
    note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    evidence_url = EvidenceURLField("evidence link")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = KPIMeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["-measured_on", "-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "kpi", "-measured_on"], name="progress_kpi_user_latest")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kpi.name} = {self.value} on {self.measured_on}"


class DigestSent(models.Model):
    """One weekly digest per learner and ISO week (its Monday). The row is written before the
    e-mail goes out, so two runs at once cannot both send; a failed send removes it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="Monday of the ISO week")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="progress_digest_once_a_week")]

    def __str__(self) -> str:
        return f"{self.user} · week of {self.week}"


class PracticeCardQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def due(self, now):
        return self.filter(due__lte=now)


class PracticeCard(models.Model):
    """One interview question for one learner, scheduled by FSRS (the `fsrs` package): the card's
    state as the scheduler keeps it, and when it is due next."""

    class State(models.IntegerChoices):  # fsrs.State
        LEARNING = 1, "Learning"
        REVIEW = 2, "Review"
        RELEARNING = 3, "Relearning"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    state = models.PositiveSmallIntegerField(choices=State.choices, default=State.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True, help_text="Days until recall drops to 90%")
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PracticeCardQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "item"], name="progress_practice_card_once")]
        indexes = [models.Index(fields=["user", "due"], name="progress_practice_due")]

    def __str__(self) -> str:
        return f"{self.user} · {self.item} (due {self.due:%Y-%m-%d})"


class PracticeReview(models.Model):
    """One self-grade of a card, with the answer the learner drafted (kept privately)."""

    class Grade(models.IntegerChoices):  # fsrs.Rating
        AGAIN = 1, "Again"
        HARD = 2, "Hard"
        GOOD = 3, "Good"
        EASY = 4, "Easy"

    card = models.ForeignKey(PracticeCard, on_delete=models.CASCADE, related_name="reviews")
    grade = models.PositiveSmallIntegerField(choices=Grade.choices)
    answer = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    reviewed_at = models.DateTimeField()
    due_after = models.DateTimeField(help_text="When the card was due next after this grade")
    stability_after = models.FloatField(null=True)

    class Meta:
        ordering = ["reviewed_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=4), name="progress_practice_grade_1_4")
        ]

    def __str__(self) -> str:
        return f"{self.card} · {self.get_grade_display()} at {self.reviewed_at:%Y-%m-%d %H:%M}"
