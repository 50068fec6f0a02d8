"""People and the access they grant each other: invitations, mentorships, reviews, notifications.

This app sits above `progress`: it reads a learner's numbers through `progress.reads` and writes
the verdict of a review through `progress.services`; `progress` knows nothing of it.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.validators import validate_single_line
from progress.models import EVIDENCE_MAX_LENGTH, NOTE_MAX_LENGTH, REVIEW_COMMENT_MAX_LENGTH, Verdict
from roadmap.models import Criterion, Item

INVITATION_DAYS = 7
INVITATIONS_PER_DAY = 20


def display_name(user) -> str:
    return user.name or user.email


def token_digest(token: str) -> str:
    """Only a digest of an invitation's token is stored: a database leak reveals no live link."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def open(self, now=None):
        return self.filter(state=Invitation.State.PENDING, expires_at__gt=now or timezone.now())

    def sent_by(self, user):
        return self.filter(inviter=user)

    def to_addresses_of(self, user):
        """Invitations to any of the user's verified addresses, answered or not."""
        from allauth.account.models import EmailAddress

        verified = EmailAddress.objects.filter(user=user, verified=True).values("email")
        return self.filter(email__in=verified)

    def addressed_to(self, user):
        """Open invitations to any of the user's verified addresses."""
        return self.to_addresses_of(user).open()


class Invitation(models.Model):
    """An invitation by e-mail: single use, valid for INVITATION_DAYS, bound to the address."""

    class Kind(models.TextChoices):
        MENTOR = "mentor", "Mentor"
        TEAM = "team", "Team member"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    inviter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent")
    email = models.EmailField("invited address", help_text="Stored in lower case; only this address can accept")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey("Team", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "accepted", "declined", "withdrawn", "expired"]),
                name="mentoring_invitation_state_valid",
            ),
            # Past its date a pending invitation is marked expired before another goes to the address.
            models.UniqueConstraint(
                fields=["inviter", "email"],
                condition=Q(state="pending", kind="mentor"),
                name="mentoring_one_open_mentor_invitation",
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=F("created_at")), name="mentoring_invitation_expires"),
            models.UniqueConstraint(
                fields=["team", "email"],
                condition=Q(state="pending", kind="team"),
                name="mentoring_one_open_team_invitation",
            ),
            models.CheckConstraint(
                condition=Q(kind="team", team__isnull=False) | Q(kind="mentor", team__isnull=True),
                name="mentoring_invitation_team_iff_team_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["inviter", "-created_at"], name="mentoring_invitation_sent"),
            models.Index(fields=["email", "state"], name="mentoring_invitation_to"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} invitation from {self.inviter} to {self.email} ({self.status})"

    @property
    def expired(self) -> bool:
        return self.state == self.State.PENDING and self.expires_at <= timezone.now()

    @property
    def status(self) -> str:
        """The state as a person reads it: a pending invitation past its date is expired."""
        return self.State.EXPIRED if self.expired else self.state

    def get_status_display(self) -> str:
        return self.State(self.status).label

    @classmethod
    def expiry_from(cls, now) -> datetime.datetime:
        return now + datetime.timedelta(days=INVITATION_DAYS)


class MentorshipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)

    def of_mentor(self, user):
        return self.active().filter(mentor=user)

    def of_mentee(self, user):
        return self.active().filter(mentee=user)


class Mentorship(models.Model):
    """A mentor's read access to a mentee's progress and their right to review it, while active."""

    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="menteeships")
    invitation = models.OneToOneField(Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    share_notes = models.BooleanField("share my notes with this mentor", default=False)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "mentor"], condition=Q(ended_at__isnull=True), name="mentoring_one_active_pair"
            ),
            models.CheckConstraint(condition=~Q(mentee=F("mentor")), name="mentoring_not_own_mentor"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.mentee}{' (ended)' if self.ended_at else ''}"


class ReviewQuerySet(models.QuerySet):
    def of_mentee(self, user):
        return self.filter(mentee=user)


class Review(models.Model):
    """A mentor's verdict on a done item, for the record as it was then. Never edited: a new
    review supersedes it, and the record's latest verdict lives on progress.ItemProgress."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="reviews")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    comment = models.TextField(blank=True, max_length=REVIEW_COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    # The iteration it judged: the record as the learner had it then (blank for reviews given before
    # iterations were kept). The next iteration is shown against it: what changed since.
    status = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    evidence_url = models.CharField(max_length=EVIDENCE_MAX_LENGTH, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(verdict__in=Verdict.values), name="mentoring_review_verdict_valid"),
            models.CheckConstraint(condition=~Q(mentee=F("mentor")), name="mentoring_no_self_review"),
        ]
        indexes = [models.Index(fields=["mentee", "item", "-created_at"], name="mentoring_review_item")]

    def __str__(self) -> str:
        return f"{self.mentor} on {self.item} of {self.mentee}: {self.get_verdict_display()}"


class ReviewRequest(models.Model):
    """Whom a learner asks to review an item waiting for a review. Without a row every current
    mentor of the learner sees it; with one, only `mentor` does, or nobody when it is withdrawn
    (`mentor` empty). The learner may change it once the item has waited
    settings.REVIEW_ANSWER_DAYS without an answer (mentoring.services.review_request_set)."""

    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mentee", "item"], name="mentoring_one_request_per_item"),
            models.CheckConstraint(condition=~Q(mentee=F("mentor")), name="mentoring_request_not_to_self"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} asks {self.mentor or 'nobody'} to review {self.item}"


MARK_NOTE_MAX_LENGTH = 500


class RubricMark(models.Model):
    """One criterion of the item's rubric as a review judged it: met or not yet, with a note. The
    criterion's words are kept as they were then: an editor's later change does not rewrite it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="marks")
    criterion = models.ForeignKey(Criterion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(max_length=300)
    required = models.BooleanField()
    met = models.BooleanField()
    note = models.CharField(max_length=MARK_NOTE_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="mentoring_one_mark_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.text}: {'met' if self.met else 'not yet'}"


MESSAGE_MAX_LENGTH = 2000


class MessageQuerySet(models.QuerySet):
    def thread(self, mentee, item):
        return self.filter(mentee=mentee, item=item).select_related("author").order_by("created_at", "pk")


class Message(models.Model):
    """One message in the thread of a learner's item, between the learner and their mentors. Plain
    text (links made clickable, everything escaped); its author may change or remove it for
    settings.MESSAGE_EDIT_MINUTES. Removed, it stays in the thread as "removed", without its text."""

    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=MESSAGE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text="") | Q(removed_at__isnull=False), name="mentoring_message_text"),
        ]
        indexes = [models.Index(fields=["mentee", "item", "created_at"], name="mentoring_message_thread")]

    def __str__(self) -> str:
        return f"{self.author} on {self.item} of {self.mentee} at {self.created_at:%Y-%m-%d %H:%M}"


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class Kind(models.TextChoices):
        INVITATION_RECEIVED = "invitation_received", "Invitation received"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        INVITATION_DECLINED = "invitation_declined", "Invitation declined"
        REVIEW_REQUESTED = "review_requested", "Review requested"
        REVIEW_RECEIVED = "review_received", "Review received"
        MESSAGE_RECEIVED = "message_received", "Message received"
        MENTORSHIP_ENDED = "mentorship_ended", "Mentorship ended"
        TEAM_LEFT = "team_left", "Removed from a team"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True, help_text="A path on this site")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="mentoring_notification_unread")]

    def __str__(self) -> str:
        return f"{self.user}: {self.message}"


class Topic(models.TextChoices):
    """What a notification is about, as a person chooses how to hear of it."""

    REQUEST = "request", "A mentee asks you for a review"
    REVIEW = "review", "A mentor reviews your work or a skill rating"
    MESSAGE = "message", "A new message in a review thread"
    INVITATION = "invitation", "Your invitations are accepted or declined"
    TEAM = "team", "Team and mentorship changes"


TOPIC_OF: dict[str, str] = {
    Notification.Kind.REVIEW_REQUESTED: Topic.REQUEST,
    Notification.Kind.REVIEW_RECEIVED: Topic.REVIEW,
    Notification.Kind.MESSAGE_RECEIVED: Topic.MESSAGE,
    Notification.Kind.INVITATION_RECEIVED: Topic.INVITATION,
    Notification.Kind.INVITATION_ACCEPTED: Topic.INVITATION,
    Notification.Kind.INVITATION_DECLINED: Topic.INVITATION,
    Notification.Kind.MENTORSHIP_ENDED: Topic.TEAM,
    Notification.Kind.TEAM_LEFT: Topic.TEAM,
}


class Delivery(models.TextChoices):
    """Besides the app, where every notification shows."""

    NOW = "now", "E-mail right away"
    DAILY = "daily", "In a daily e-mail summary"
    OFF = "off", "Only in the app"


class NotificationPreferenceQuerySet(models.QuerySet):
    def deliveries(self, user) -> dict[str, str]:
        """Each topic's delivery for the person; a topic they never chose is e-mailed right away."""
        chosen = dict(self.filter(user=user).values_list("topic", "delivery"))
        return {topic: chosen.get(topic, Delivery.NOW.value) for topic in Topic.values}


class NotificationPreference(models.Model):
    """How a person hears of one topic besides the app; no row: e-mail right away."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=12, choices=Topic.choices)
    delivery = models.CharField(max_length=5, choices=Delivery.choices)

    objects = NotificationPreferenceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="mentoring_one_preference_per_topic"),
            models.CheckConstraint(condition=Q(topic__in=Topic.values), name="mentoring_preference_topic_valid"),
            models.CheckConstraint(
                condition=Q(delivery__in=Delivery.values), name="mentoring_preference_delivery_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_topic_display()}, {self.get_delivery_display()}"


class SummarySent(models.Model):
    """A person's daily summary of one day's notifications was queued: at most one per day,
    however often or concurrently send_notification_summaries runs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="mentoring_one_summary_per_day")]

    def __str__(self) -> str:
        return f"{self.user}: summary of {self.day}"


class TeamQuerySet(models.QuerySet):
    def of_member(self, user):
        return self.filter(memberships__user=user)


class Team(models.Model):
    """A group a lead follows: a bootcamp cohort, a study group, the engineers a lead grows."""

    name = models.CharField(max_length=100, validators=[validate_single_line])
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """Being in a team; leaving or being removed deletes the row, so access ends with it."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        MEMBER = "member", "Member"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships")
    role = models.CharField(max_length=6, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="mentoring_one_membership_per_team"),
            models.CheckConstraint(condition=Q(role__in=["lead", "member"]), name="mentoring_membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.get_role_display()})"
