"""The daily summary: one e-mail with yesterday's notifications of the topics a person asked to
hear of that way (mentoring.models.Delivery.DAILY).

`send_summaries` is run by `manage.py send_notification_summaries` from cron, once a day or more
often: each person gets at most one summary per day, however often or concurrently it runs (a
`SummarySent` row is claimed in the transaction that puts the mail in the outbox, whose key is the
person and the day too).
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
from mentoring.models import TOPIC_OF, Delivery, Notification, NotificationPreference, SummarySent, Topic
from mentoring.services import unsubscribe_url


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


def send_summaries(*, today: datetime.date, users=None, progress=lambda: None) -> BatchRun:
    """Queue, for each person, the summary of yesterday's notifications of their daily topics."""
    day = today - datetime.timedelta(days=1)
    start, end = _day_bounds(day)

    def message(user):
        deliveries = NotificationPreference.objects.deliveries(user)
        topics = [topic for topic in Topic.values if deliveries[topic] == Delivery.DAILY]
        kinds = [kind for kind, topic in TOPIC_OF.items() if topic in topics]
        notifications = list(
            Notification.objects.for_user(user)
            .filter(kind__in=kinds, created_at__gte=start, created_at__lt=end)
            .order_by("created_at", "pk")
        )
        return summary_message(user, day, notifications, topics) if notifications else None

    return enqueue_each(
        users if users is not None else summary_recipients().order_by("pk"),
        claim=lambda user: SummarySent.objects.get_or_create(user=user, day=day)[1],
        message=message,
        key=lambda user: f"summary:{user.pk}:{day.isoformat()}",
        progress=progress,
    )
