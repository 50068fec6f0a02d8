"""Outgoing mail through a durable queue: nothing is sent inside a request.

`mail_enqueue` writes the mail into the outbox (core.models.Mail) in the caller's transaction,
under a key naming the event, and hands its id to Django's Tasks API once that transaction
commits; a worker (`manage.py mail_worker`) sends it. A failure is tried again with backoff
(1, 2, 4 … minutes by default), MAX_ATTEMPTS times, then the mail is marked failed: the admin lists it and
retries it on request. A mail whose task was lost (a process died between the commit and the
hand-over, or a worker was killed while sending) is handed over again by the worker's sweep.

Delivery is at least once, exactly once in all but one case: a worker killed after the mail
server accepted a message and before the outbox row was marked sent sends it again. The Message-ID is
the event's key, so a receiving server or client can tell the two apart.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django_tasks import task

from core.models import Mail
from core.validators import single_line

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # about four hours of backoff in all with the default first retry


def _first_retry() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.MAIL_FIRST_RETRY_SECONDS)


def _lost_after() -> datetime.timedelta:
    """A pending mail this long past its time lost its task: the sweep hands it over again."""
    return datetime.timedelta(seconds=settings.MAIL_LOST_AFTER_SECONDS)


def mail_enqueue(message: EmailMessage, *, key: str) -> Mail:
    """Put `message` (one recipient) in the outbox, in the caller's transaction: a rolled-back
    write sends nothing, a committed one is sent by a worker. The same key twice is one mail."""
    body, html = str(message.body), ""
    if message.content_subtype == "html":
        body, html = strip_tags(body), body
    for content, mimetype in getattr(message, "alternatives", []):
        html = content if mimetype == "text/html" else html
    mail, created = Mail.objects.get_or_create(
        key=key,
        defaults={
            "to": message.to[0],
            "subject": single_line(str(message.subject))[:300],
            "body": body,
            "html": html,
            "headers": {name: single_line(str(value)) for name, value in message.extra_headers.items()},
        },
    )
    if created:
        transaction.on_commit(lambda: _hand_over(mail.pk))
    return mail


def _hand_over(mail_id: int, when: datetime.datetime | None = None) -> None:
    deliver = deliver_mail
    if when is not None:
        if not deliver_mail.get_backend().supports_defer:
            return  # a backend that runs tasks at once (development) would retry at once: the sweep will
        deliver = deliver_mail.using(run_after=when)
    try:
        deliver.enqueue(mail_id)
    except Exception:  # the queue's own database is down: the sweep hands it over later
        logger.exception("Mail %s could not be queued; the sweep will queue it", mail_id)


def _message(mail: Mail) -> EmailMultiAlternatives:
    domain = settings.SITE_URL.split("://")[-1].split("/")[0].split(":")[0] or "localhost"
    headers = {**mail.headers, "Message-ID": f"<{mail.key.replace(':', '.')}@{domain}>"}
    message = EmailMultiAlternatives(subject=mail.subject, body=mail.body, to=[mail.to], headers=headers)
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    return message


@task()
def deliver_mail(mail_id: int) -> str:
    """Send one mail from the outbox, once. The worker claims it with one conditional update
    (pending → sending), so of two tasks for the same mail one sends it, on any database and
    without SKIP LOCKED; no transaction stays open while the mail server answers, so a slow
    server never holds a lock a request waits on (SQLite takes its write lock at BEGIN)."""
    now = timezone.now()
    claimed = Mail.objects.filter(pk=mail_id, state=Mail.State.PENDING).update(
        state=Mail.State.SENDING, next_attempt_at=now
    )
    if not claimed:
        return "nothing to send"  # sent, failed, or being sent by another worker
    mail = Mail.objects.get(pk=mail_id)
    try:
        _message(mail).send()
    except Exception as error:
        return _failed(mail, error)
    Mail.objects.filter(pk=mail_id).update(state=Mail.State.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def _failed(mail: Mail, error: Exception) -> str:
    mail.attempts += 1
    mail.last_error = f"{type(error).__name__}: {error}"[:2000]
    if mail.attempts >= MAX_ATTEMPTS:
        mail.state = Mail.State.FAILED
        mail.save(update_fields=["attempts", "last_error", "state"])
        logger.error("Mail %s to %s failed %s times, given up: %s", mail.pk, mail.to, mail.attempts, mail.last_error)
        return "failed"
    mail.state = Mail.State.PENDING
    mail.next_attempt_at = timezone.now() + _first_retry() * 2 ** (mail.attempts - 1)
    mail.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
    logger.warning(
        "Mail %s to %s failed (attempt %s), next at %s", mail.pk, mail.to, mail.attempts, mail.next_attempt_at
    )
    _hand_over(mail.pk, mail.next_attempt_at)
    return "retry"


def _requeue(ids: list[int], **changes) -> None:
    """Inside a transaction: change these mails and hand each over once it commits."""
    Mail.objects.filter(pk__in=ids).update(**changes)
    for mail_id in ids:
        transaction.on_commit(partial(_hand_over, mail_id))


def mail_retry(*, mails) -> int:
    """An admin's retry of failed mails: pending again, tried at once, attempts counted afresh."""
    with transaction.atomic():
        ids = list(mails.filter(state=Mail.State.FAILED).values_list("pk", flat=True))
        _requeue(ids, state=Mail.State.PENDING, attempts=0, next_attempt_at=timezone.now())
    return len(ids)


def mail_sweep(now: datetime.datetime | None = None) -> int:
    """Hand over again every mail whose task was lost (pending, or claimed by a worker that died
    while sending, long past its time); returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        lost = list(
            Mail.objects.select_for_update(skip_locked=True)
            .filter(state__in=[Mail.State.PENDING, Mail.State.SENDING], next_attempt_at__lt=now - _lost_after())
            .values_list("pk", flat=True)
        )
        # Not again before another lost-after, whatever happens to this hand-over.
        _requeue(lost, state=Mail.State.PENDING, next_attempt_at=now)
    if lost:
        logger.warning("Handed %s lost mails over to the queue again", len(lost))
    return len(lost)


class _NothingToSay(Exception):
    pass


@dataclass
class BatchRun:
    """What one run of a periodic mailing (the weekly digest, the daily summaries) queued."""

    queued: list[str] = field(default_factory=list)
    nothing_new: int = 0
    already_sent: int = 0
    failed: dict[str, str] = field(default_factory=dict)


def enqueue_each(
    people: Iterable, *, claim: Callable, message: Callable, key: Callable, progress=lambda: None
) -> BatchRun:
    """For each person, at most once per period: `claim(person)` marks the period done (True:
    claimed now; False: an earlier or concurrent run did) and, in the same transaction,
    `message(person)` goes to the outbox under `key(person)`. Nothing to say (None) gives the claim
    back. One person failing does not stop the others: their claim rolls back with their mail, so
    the next run tries again."""
    run = BatchRun()
    for person in people:
        progress()
        try:
            with transaction.atomic():
                claimed = claim(person)
                if claimed:
                    mail = message(person)
                    if mail is None:
                        raise _NothingToSay  # the claim goes back with it
                    mail_enqueue(mail, key=key(person))
        except _NothingToSay:
            run.nothing_new += 1
            continue
        except Exception as error:  # one person's mail failing must not stop the others
            run.failed[person.email] = repr(error)
            continue
        if claimed:
            run.queued.append(person.email)
        else:
            run.already_sent += 1
    return run
