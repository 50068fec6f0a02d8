"""Outgoing mail goes through the outbox and the task queue: a request never waits on the mail
server, a failure is tried again, an event is one mail, and nothing is lost."""

import datetime

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from core import mail as outbox
from core.models import Mail
from tests.factories import UserFactory

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _message(to="maya@example.com", subject="Hello") -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject=subject, body="Plain", to=[to])
    message.attach_alternative("<p>Rich</p>", "text/html")
    return message


@pytest.fixture
def server_down(monkeypatch):
    """The mail server refuses every connection until `server_down.up()`."""
    real_send = EmailMultiAlternatives.send

    class Switch:
        def up(self):
            monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)

    def refuse(message, *args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    return Switch()


def _failing_write():
    with transaction.atomic():
        outbox.mail_enqueue(_message(), key="event:1")
        raise RuntimeError("the write failed")


def test_a_rolled_back_write_sends_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        _failing_write()
    assert not Mail.objects.exists()
    assert mail.outbox == []


def test_one_event_is_one_mail_however_often_it_is_queued(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.mail_enqueue(_message(), key="event:1")
        outbox.mail_enqueue(_message(), key="event:1")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert (sent.subject, sent.body, sent.alternatives[0][0]) == ("Hello", "Plain", "<p>Rich</p>")
    assert sent.extra_headers["Message-ID"].startswith("<event.1@")
    assert Mail.objects.get().state == Mail.State.SENT


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_an_invitation_answers_at_once_with_the_mail_server_down_and_its_mail_arrives_once_later(server_down):
    alice = UserFactory(email="alice@example.com")
    api = APIClient()
    api.force_authenticate(alice)
    response = api.post("/api/v1/me/invitations/", {"email": "maya@example.com"}, format="json")
    assert response.status_code == 201
    queued = Mail.objects.get()
    assert (queued.to, queued.state, mail.outbox) == ("maya@example.com", "pending", [])

    call_command("mail_worker", batch=True, verbosity=0)  # the server is down: tried, to retry in a minute
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == ("pending", 1)
    assert "Connection refused" in queued.last_error
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=50)

    server_down.up()
    call_command("mail_worker", batch=True, verbosity=0)  # not yet due: nothing sent early
    assert mail.outbox == []
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    call_command("mail_worker", batch=True, verbosity=0)
    call_command("mail_worker", batch=True, verbosity=0)
    assert [m.to for m in mail.outbox] == [["maya@example.com"]]
    assert "invitations/" in mail.outbox[0].body
    assert Mail.objects.get().state == Mail.State.SENT


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_mail_whose_task_was_lost_is_sent_by_the_next_sweep():
    """A worker killed mid-task leaves its task running forever; the outbox still has the mail."""
    with transaction.atomic():
        lost = outbox.mail_enqueue(_message(), key="event:lost")
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())  # its worker died
    Mail.objects.filter(pk=lost.pk).update(next_attempt_at=timezone.now() - outbox._lost_after() * 2)
    call_command("mail_worker", batch=True, verbosity=0)  # it sweeps once as it starts
    assert [m.to for m in mail.outbox] == [["maya@example.com"]]
    call_command("mail_worker", batch=True, verbosity=0)
    assert len(mail.outbox) == 1


def test_a_mail_that_keeps_failing_is_failed_listed_in_the_admin_and_sent_again_on_request(
    admin_client, server_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queued = outbox.mail_enqueue(_message(), key="event:2")
    Mail.objects.filter(pk=queued.pk).update(attempts=outbox.MAX_ATTEMPTS - 1)
    assert outbox.deliver_mail.call(queued.pk) == "failed"
    listing = admin_client.get(reverse("admin:core_mail_changelist"), {"state__exact": "failed"}).content.decode()
    assert "maya@example.com" in listing
    server_down.up()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:core_mail_changelist"), {"action": "retry", "_selected_action": [queued.pk]})
    assert [m.to for m in mail.outbox] == [["maya@example.com"]]
    assert Mail.objects.get().state == Mail.State.SENT


def test_staff_who_may_only_view_mail_cannot_send_it_again(client, db):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_mail"))
    client.force_login(viewer)
    page = client.get(reverse("admin:core_mail_changelist")).content.decode()
    assert "Send the selected failed mails again" not in page


def test_a_second_task_for_a_mail_being_sent_sends_nothing(db, monkeypatch):
    """The sweep may hand over a mail a slow worker is still sending: the mail goes out once."""
    queued = Mail.objects.create(key="event:3", to="maya@example.com", subject="Hello", body="Plain")
    real_send = EmailMultiAlternatives.send
    meanwhile = []

    def slow_send(message, *args, **kwargs):
        meanwhile.append(outbox.deliver_mail.call(queued.pk))
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", slow_send)
    assert outbox.deliver_mail.call(queued.pk) == "sent"
    assert meanwhile == ["nothing to send"]
    assert [m.to for m in mail.outbox] == [["maya@example.com"]]


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_mail_whose_worker_died_while_sending_it_is_sent_after_the_lost_after_time():
    killed_at = timezone.now() - outbox._lost_after() - datetime.timedelta(seconds=1)
    Mail.objects.create(key="event:4", to="maya@example.com", subject="Hi", body="x", state="sending")
    Mail.objects.create(
        key="event:5", to="zoe@example.com", subject="Hi", body="x", state="sending", next_attempt_at=killed_at
    )
    call_command("mail_worker", batch=True, verbosity=0)
    assert [m.to for m in mail.outbox] == [["zoe@example.com"]]  # the other may still be on its way
    assert dict(Mail.objects.values_list("key", "state")) == {"event:4": "sending", "event:5": "sent"}
