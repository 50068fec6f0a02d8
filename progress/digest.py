"""The weekly digest: what the learner did this ISO week, what is next, and their pace.

`send_digests` is run by `manage.py send_digests` from cron. Each learner gets at most one digest
per ISO week, however often or concurrently it runs: a `DigestSent` row is claimed before the
e-mail goes out (the unique constraint settles a race) and removed again if sending fails, so
the next run retries that learner.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core import unsubscribe
from core.mail import BatchRun, enqueue_each
from progress.models import DigestSent, ItemProgress, KPIMeasurement, SkillRatingChange, Status
from progress.reads.plan import week_of
from progress.reads.summary import compute_summary

UNSUBSCRIBE_SALT = "progress.digest.unsubscribe"
# A certification shows in the digest from this long before it expires (and after, until renewed).
EXPIRY_REMINDER = datetime.timedelta(days=60)


def unsubscribe_token(user) -> str:
    return unsubscribe.make_token(user, UNSUBSCRIBE_SALT)


def user_for_unsubscribe_token(token: str):
    """The learner the token was made for, or None (core.unsubscribe.read_token)."""
    found = unsubscribe.read_token(token, UNSUBSCRIBE_SALT)
    return found[0] if found else None


def digest_message(user, today: datetime.date) -> EmailMultiAlternatives:
    monday = week_of(today)
    since = timezone.make_aware(datetime.datetime.combine(monday, datetime.time()))
    summary = compute_summary(user)
    unsubscribe_url = settings.SITE_URL + reverse("progress:digest_unsubscribe", args=[unsubscribe_token(user)])
    context = {
        "user": user,
        "week": monday,
        "summary": summary,
        "done": list(
            ItemProgress.objects.filter(user=user, status=Status.DONE, completed_at__gte=since)
            .select_related("item")
            .order_by("completed_at")
        ),
        "ratings": SkillRatingChange.objects.filter(user=user, changed_at__gte=since).count(),
        "measurements": KPIMeasurement.objects.filter(user=user, created_at__gte=since).count(),
        "today": today,
        "expiring": list(
            ItemProgress.objects.filter(user=user, expires_on__lte=today + EXPIRY_REMINDER)
            .select_related("item")
            .order_by("expires_on")
        ),
        "stale_skills": [row for row in summary.skills if row.stale],
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url,
    }
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your week of {monday:%-d %B}",
        body=render_to_string("progress/email/digest.txt", context),
        to=[user.email],
        headers=unsubscribe.headers(unsubscribe_url),
    )
    message.attach_alternative(render_to_string("progress/email/digest.html", context), "text/html")
    return message


def digest_recipients():
    return get_user_model().objects.filter(digest_opt_in=True, is_active=True, current_level__isnull=False)


def send_digests(*, today: datetime.date, users=None, progress=lambda: None) -> BatchRun:
    """Queue this ISO week's digest for each learner, once: the week's claim and the mail commit
    together (the outbox's key is the learner and the week too), and a worker sends it."""
    week = week_of(today)
    return enqueue_each(
        users if users is not None else digest_recipients().order_by("pk"),
        claim=lambda user: DigestSent.objects.get_or_create(user=user, week=week)[1],
        message=lambda user: digest_message(user, today),
        key=lambda user: f"digest:{user.pk}:{week.isoformat()}",
        progress=progress,
    )
