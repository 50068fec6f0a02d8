import secrets
from functools import cache
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from knox.models import AbstractAuthToken, AuthTokenManager

from core.statements import InstanceStatement
from core.validators import validate_single_line

MAX_WEEKLY_GOAL = 50
# More mentees than this is no longer mentoring; the limit is a promise to learners.
MAX_MENTEE_LIMIT = 100


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get(self, *args, **kwargs):
        """`get(pk=...)` by one statement built once (core.statements): Django's ModelBackend reads
        the session's user this way on every signed-in request, and building that query cost more
        than running it. Any other lookup is the ORM's as usual."""
        if args or set(kwargs) != {"pk"} or self._db is not None:
            return super().get(*args, **kwargs)
        found = _user_by_pk(self.model).instances(self.model._meta.pk.to_python(kwargs["pk"]))
        if not found:
            raise self.model.DoesNotExist(f"{self.model._meta.object_name} matching query does not exist.")
        return found[0]

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


@cache
def _user_by_pk(model) -> InstanceStatement:
    return InstanceStatement(model, lambda pk: model._base_manager.filter(pk=pk), int)


SQL_COUNTERS = {"records_version", "unread_notifications"}


class User(AbstractUser):  # type: ignore[django-manager-missing]  # knox (untyped) declares ApiToken.user
    """A learner or an admin. Signs in with the e-mail address; there is no username.

    The learner profile lives on the user row itself: every signed-in page needs
    it, and this way it costs no extra query.
    """

    class Track(models.TextChoices):
        A = "A", "Track A"
        B = "B", "Track B"
        C = "C", "Track C"

    # django-stubs types these as str; removing a field of AbstractUser is Django's documented way.
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    name = models.CharField("display name", max_length=150, blank=True, validators=[validate_single_line])
    email = models.EmailField("e-mail address", unique=True)

    years_of_experience = models.PositiveSmallIntegerField(null=True, blank=True)
    current_level = models.ForeignKey(
        "roadmap.Level", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_level = models.ForeignKey(
        "roadmap.Level", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    specialization = models.ForeignKey(
        "roadmap.Specialization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    preferred_track = models.CharField(max_length=1, choices=Track.choices, blank=True)
    onboarded_at = models.DateTimeField(null=True, blank=True)
    public_sharing = models.BooleanField(default=False)
    # A fresh unguessable slug each time sharing is turned on: an old link stays dead.
    public_slug = models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)
    public_show_evidence = models.BooleanField("show evidence links on the public page", default=False)
    # The private calendar subscription (/calendar/<token>.ics): calendar apps fetch it without
    # signing in, so whoever has the address reads it. A new token, or none, ends every earlier one.
    calendar_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # The plan: when the learner aims to be ready for their target level, and how many items a week.
    target_date = models.DateField("ready by", null=True, blank=True)
    weekly_goal = models.PositiveSmallIntegerField("items per week", null=True, blank=True)
    digest_opt_in = models.BooleanField("send me a weekly digest by e-mail", default=False)
    # Mentoring: what a reviewer's word changes.
    readiness_verified_only = models.BooleanField("count only items a mentor verified toward readiness", default=False)
    readiness_fresh_only = models.BooleanField(
        "count only skill ratings confirmed lately toward readiness", default=False
    )
    readiness_mentor_skills_only = models.BooleanField(
        "count only skill ratings a mentor confirmed toward readiness", default=False
    )
    mentee_limit = models.PositiveSmallIntegerField(
        "most mentees I take",
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_MENTEE_LIMIT)],
        help_text=f"Empty: no limit; 0: none for now (at most {MAX_MENTEE_LIMIT}). "
        "An invitation past it is refused, and the learner is told why.",
    )
    # Caches of this learner's derived numbers are keyed by it (progress.reads.keys); progress.services
    # increments it in SQL in the same transaction as every write of their records, so every process
    # sees the new version.
    records_version = models.PositiveBigIntegerField(default=0, editable=False)
    # The header's unread count, kept in SQL by mentoring.services in the same transaction as the
    # notifications it counts: the request loads the user anyway, so no page counts them.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # django-stubs expects contrib.auth's UserManager (username first); ours signs up by e-mail.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["email"]
        constraints = [
            # Two accounts must not differ only by letter case of the address.
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(
                condition=Q(public_sharing=False) | Q(public_slug__isnull=False),
                name="accounts_user_sharing_has_slug",
            ),
            models.CheckConstraint(
                condition=Q(years_of_experience__isnull=True) | Q(years_of_experience__lte=60),
                name="accounts_user_years_of_experience_range",
            ),
            models.CheckConstraint(
                condition=Q(mentee_limit__isnull=True) | Q(mentee_limit__lte=MAX_MENTEE_LIMIT),
                name="accounts_user_mentee_limit_range",
                violation_error_message=f"A mentee limit is at most {MAX_MENTEE_LIMIT}.",
            ),
            models.CheckConstraint(
                condition=Q(weekly_goal__isnull=True) | Q(weekly_goal__gte=1, weekly_goal__lte=MAX_WEEKLY_GOAL),
                name="accounts_user_weekly_goal_range",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        # The admin's history shows this beside the address: the display name, not "None None".
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email

    def save(self, *args, **kwargs):
        # Writing back the counters this instance was loaded with could undo an increment made
        # since by another request (and serve its stale cache again): only SQL changes them.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.attname for f in self._meta.concrete_fields if not f.primary_key and f.name not in SQL_COUNTERS
            ]
        super().save(*args, **kwargs)

    def set_public_sharing(self, enabled: bool) -> None:
        if enabled and not self.public_sharing:
            self.public_slug = secrets.token_urlsafe(16)
        elif not enabled:
            self.public_slug = None
        self.public_sharing = enabled

    def get_public_url(self) -> str | None:
        return reverse("progress:public", args=[self.public_slug]) if self.public_sharing else None


class ApiTokenQuerySet(models.QuerySet):
    # Expired as knox reads it: an expiry before now.
    def expired(self, now=None):
        return self.filter(expiry__lt=now or timezone.now())

    def usable(self, now=None):
        return self.exclude(expiry__lt=now or timezone.now())


class ApiToken(AbstractAuthToken):
    """A personal API token (django-rest-knox: only a hash is stored, the token is shown once)."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    name = models.CharField(max_length=60)
    scope = models.CharField(
        max_length=5,
        choices=Scope.choices,
        default=Scope.READ,
        help_text="Read only: the API answers GET and refuses every change (403 token_read_only).",
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AuthTokenManager.from_queryset(ApiTokenQuerySet)()

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=["read", "write"]), name="accounts_token_scope_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…) of {self.user}"
