"""The daily summary: one e-mail with yesterday's notifications of the topics a person asked to
hear of that way (mentoring.models.Delivery.DAILY).

`send_summaries` is run by `manage.py send_notification_summaries` from cron, once a day or more
often: each person gets at most one summary per day, however often or concurrently it runs (a
`SummarySent` row is claimed in the transaction that puts the mail in the outbox, whose key is the
person and the day too).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core import unsubscribe
from core.mail import mail_enqueue
from mentoring.models import TOPIC_OF, Delivery, Notification, NotificationPreference, SummarySent, Topic
from mentoring.services import unsubscribe_url


@dataclass
class SummaryRun:
    queued: list[str] = field(default_factory=list)
    nothing_new: int = 0
    already_sent: int = 0
    failed: dict[str, str] = field(default_factory=dict)


def summary_recipients():
    """Everyone with at least one topic delivered as a daily summary."""
    daily = NotificationPreference.objects.filter(delivery=Delivery.DAILY).values("user_id")
    return get_user_model().objects.filter(pk__in=daily, is_active=True)


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    return start, start + datetime.timedelta(days=1)


def summary_message(user, day: datetime.date, notifications: list[Notification], topics: list[str]):
    by_topic = [
        (Topic(topic).label, [n for n in notifications if TOPIC_OF[n.kind] == topic], unsubscribe_url(user, topic))
        for topic in topics
    ]
    context = {
        "user": user,
        "day": day,
        "sections": [section for section in by_topic if section[1]],
        "site_url": settings.SITE_URL,
        "preferences_url": settings.SITE_URL + reverse("mentoring:notifications") + "#preferences",
    }
    count = len(notifications)
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{count} notification{'s' if count != 1 else ''} "
        f"of {day:%-d %B}",
        body=render_to_string("mentoring/email/summary.txt", context),
        to=[user.email],
        # One topic's link for the client's own button: the one with the most in this summary.
        headers=unsubscribe.headers(max(context["sections"], key=lambda s: len(s[1]))[2]),
    )
    message.attach_alternative(render_to_string("mentoring/email/summary.html", context), "text/html")
    return message


def send_summaries(*, today: datetime.date, users=None, progress=lambda: None) -> SummaryRun:
    """Queue, for each person, the summary of yesterday's notifications of their daily topics."""
    run = SummaryRun()
    day = today - datetime.timedelta(days=1)
    start, end = _day_bounds(day)
    for user in users if users is not None else summary_recipients().order_by("pk"):
        progress()
        deliveries = NotificationPreference.objects.deliveries(user)
        topics = [topic for topic in Topic.values if deliveries[topic] == Delivery.DAILY]
        kinds = [kind for kind, topic in TOPIC_OF.items() if topic in topics]
        notifications = list(
            Notification.objects.for_user(user)
            .filter(kind__in=kinds, created_at__gte=start, created_at__lt=end)
            .order_by("created_at", "pk")
        )
        if not notifications:
            run.nothing_new += 1
            continue
        try:
            with transaction.atomic():
                _, claimed = SummarySent.objects.get_or_create(user=user, day=day)
                if claimed:
                    mail_enqueue(
                        summary_message(user, day, notifications, topics), key=f"summary:{user.pk}:{day.isoformat()}"
                    )
        except Exception as error:  # one person's summary failing must not stop the others
            run.failed[user.email] = repr(error)
            continue
        if claimed:
            run.queued.append(user.email)
        else:
            run.already_sent += 1
    return run
