"""Per topic, how a person hears of it besides the app: e-mail right away, a daily summary, or only
in the app; every e-mail stops its topic in one click (issue: mentoring v2, notification
preferences). Mail goes through the outbox (core.mail) and is sent on commit by a worker."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import Mail
from mentoring import services
from mentoring.models import Notification, NotificationPreference
from mentoring.summaries import send_summaries
from progress import services as progress_services
from tests.mentoring.conftest import review


@pytest.fixture
def item(ladder):
    return ladder["steps1"][0]


def _mails_to(user):
    return list(Mail.objects.filter(to=user.email).order_by("pk"))


def test_a_review_is_mailed_right_away_by_default_through_the_outbox(
    alice, mentorship, item, mailoutbox, django_capture_on_commit_callbacks
):
    progress_services.item_progress_set(user=alice, item=item, status="done", evidence_url="https://example.com/1")
    with django_capture_on_commit_callbacks(execute=True):
        review(mentorship, item, verdict="changes_requested", comment="Add a baseline.")
    (mail,) = [m for m in mailoutbox if m.to == [alice.email]]
    assert "changes requested" in mail.subject
    assert "Add a baseline." in mail.body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = mail.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in mail.body
    assert Mail.objects.get(to=alice.email).state == Mail.State.SENT


def test_a_topic_turned_off_is_only_in_the_app(alice, mentorship, item):
    services.notification_preferences_set(user=alice, deliveries={"review": "off"})
    progress_services.item_progress_set(user=alice, item=item, status="done", evidence_url="https://example.com/1")
    review(mentorship, item)
    assert Notification.objects.filter(user=alice, kind=Notification.Kind.REVIEW_RECEIVED).count() == 1
    assert _mails_to(alice) == []


def test_a_new_request_tells_the_mentor_once_per_iteration(alice, mentor, mentorship, item):
    progress_services.item_progress_set(user=alice, item=item, status="done", evidence_url="https://example.com/1")
    progress_services.item_progress_set(user=alice, item=item, note="a note changes nothing for the mentor")
    asked = Notification.objects.filter(user=mentor, kind=Notification.Kind.REVIEW_REQUESTED)
    assert [n.message for n in asked] == ["alice@example.com asks for a review of “" + item.title + "”."]
    assert len(_mails_to(mentor)) == 1

    review(mentorship, item, verdict="changes_requested", comment="Add a baseline.")
    progress_services.item_progress_set(user=alice, item=item, evidence_url="https://example.com/2")
    assert asked.all().count() == 2
    assert asked.all().first().message.startswith("alice@example.com asks again")


def test_a_daily_topic_comes_once_in_the_next_mornings_summary(alice, mentor, mentorship, item):
    services.notification_preferences_set(user=alice, deliveries={"review": "daily", "message": "now"})
    progress_services.item_progress_set(user=alice, item=item, status="done", evidence_url="https://example.com/1")
    review(mentorship, item, verdict="changes_requested", comment="Add a baseline.")
    services.message_post(mentee=alice, item=item, author=mentor, text="Ping me when it is in.")
    assert [m.key.split(":")[0] for m in _mails_to(alice)] == ["notification"]  # the message, right away

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    run = send_summaries(today=tomorrow)
    assert run.queued == [alice.email]
    summary = _mails_to(alice)[-1]
    assert summary.key == f"summary:{alice.pk}:{timezone.localdate().isoformat()}"
    assert "changes requested" in summary.body
    assert "Ping me" not in summary.body  # messages come right away, not in the summary
    assert "/notifications/unsubscribe/" in summary.body

    again = send_summaries(today=tomorrow)
    assert (again.queued, again.already_sent) == ([], 1)
    assert send_summaries(today=tomorrow + datetime.timedelta(days=1)).queued == []  # nothing new that day


def test_one_click_in_an_email_stops_its_topic_and_nothing_else(client, alice, mentorship, item):
    progress_services.item_progress_set(user=alice, item=item, status="done", evidence_url="https://example.com/1")
    review(mentorship, item)
    (mail,) = _mails_to(alice)
    url = services.unsubscribe_url(alice, "review").removeprefix("http://localhost:8000")
    assert url in mail.body

    page = client.get(url)  # a link scanner that follows it changes nothing
    assert page.status_code == 200
    assert "Stop e-mails about “A mentor reviews your work or a skill rating”?" in page.content.decode()
    assert not NotificationPreference.objects.exists()

    assert client.post(url).status_code == 200  # what a mail client's one-click button sends
    assert NotificationPreference.objects.deliveries(alice) == {
        "request": "now",
        "review": "off",
        "message": "now",
        "invitation": "now",
        "team": "now",
    }
    assert client.post(url[:-6] + "xx/").status_code == 404
    alice.email = "new-address@example.com"
    alice.save()
    assert client.get(url).status_code == 404  # a link sent to an address she no longer has


def test_the_notifications_page_and_the_api_change_the_choices(client, alice):
    client.force_login(alice)
    page = client.get(reverse("mentoring:notifications")).content.decode()
    assert 'data-testid="delivery-request"' in page
    choices = {"request": "daily", "review": "now", "message": "off", "invitation": "now", "team": "off"}
    response = client.post(reverse("mentoring:notification_preferences"), choices, follow=True)
    assert "E-mail choices saved." in response.content.decode()
    assert NotificationPreference.objects.deliveries(alice) == choices
    refused = client.post(reverse("mentoring:notification_preferences"), {**choices, "team": "hourly"}, follow=True)
    assert "Select a valid choice" in refused.content.decode()
    assert NotificationPreference.objects.deliveries(alice) == choices

    api = APIClient()
    api.force_authenticate(alice)
    assert api.get("/api/v1/me/notification-preferences/").json() == choices
    changed = api.patch("/api/v1/me/notification-preferences/", {"message": "now"}, format="json")
    assert changed.json() == {**choices, "message": "now"}
    assert api.patch("/api/v1/me/notification-preferences/", {"message": "hourly"}, format="json").status_code == 400


def test_the_cron_command_queues_the_summaries(alice, mentorship, item):
    services.notification_preferences_set(user=alice, deliveries={"review": "daily"})
    progress_services.item_progress_set(user=alice, item=item, status="done", evidence_url="https://example.com/1")
    review(mentorship, item)
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(days=1))
    out = io.StringIO()
    call_command("send_notification_summaries", verbosity=0, stdout=out)
    assert "Summaries queued: 1; nothing new: 0; already queued today: 0; failed: 0." in out.getvalue()
    assert Mail.objects.filter(key__startswith=f"summary:{alice.pk}:").count() == 1
