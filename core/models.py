from django.db import models
from django.db.models import Q
from django.utils import timezone


class Mail(models.Model):
    """One e-mail to send, written in the same transaction as the event it reports: the outbox a
    worker sends from (core.mail). `key` names the event, so an event gives one mail however often
    its write is retried; a mail that keeps failing stays here, failed, to be seen and retried."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent by a worker"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (will not be retried by itself)"

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=7, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When a worker should (next) try it, or when one claimed it: a pending or sending mail past
    # this by a margin lost its task.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="core_mail_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "sending", "sent", "failed"]), name="core_mail_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False), name="core_mail_sent_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.get_state_display().lower()})"
