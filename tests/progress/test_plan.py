"""The plan: pace, forecast and burn-down on fixed histories, the plan form and API, the digest."""

import datetime
import io
import threading

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.forms import PlanForm
from accounts.services import api_token_create
from core.mail import deliver_mail
from core.models import Mail
from progress import digest, services
from progress.models import DigestSent, ItemProgress
from progress.reads.plan import compute_plan
from progress.reads.summary import items_with_status
from tests.factories import UserFactory

TODAY = datetime.date(2026, 11, 25)  # a Wednesday; the clock of every plan below


def _at(days_ago: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(TODAY - datetime.timedelta(days=days_ago), datetime.time(12)))


def _done(user, item, days_ago: int) -> None:
    services.item_progress_set(user=user, item=item, status="done")
    ItemProgress.objects.filter(user=user, item=item).update(completed_at=_at(days_ago))


def _plan(user, ladder):
    user.refresh_from_db()
    return compute_plan(user, items_with_status(user.pk), ladder["mle"], TODAY)


def test_with_no_completion_there_is_no_invented_date(learner, ladder):
    plan = _plan(learner, ladder)
    assert (plan.status, plan.pace, plan.forecast, plan.remaining) == ("no_pace", None, None, 3)
    assert [n for _, n in plan.burn_down] == [3] * 9  # eight weeks back and today


def test_a_steady_pace_forecasts_when_the_remaining_items_are_done(learner, ladder):
    junior_items = ladder["steps1"] + ladder["deliverables"] + [ladder["question"]]
    for weeks_ago, item in enumerate(junior_items[:4], start=1):  # one item a week, 4 in the window
        _done(learner, item, 7 * weeks_ago - 1)
    learner.target_date = TODAY + datetime.timedelta(days=70)
    learner.save()
    plan = _plan(learner, ladder)
    assert plan.pace == 0.5  # 4 items over 8 weeks
    assert plan.forecast == TODAY + datetime.timedelta(days=42)  # 3 left at half an item a week
    assert plan.required_pace == 0.3  # 3 items in 10 weeks
    assert plan.status == "on_track"


def test_a_pace_too_slow_for_the_date_is_behind_and_says_what_it_needs(learner, ladder):
    _done(learner, ladder["steps1"][0], 3)
    learner.target_date = TODAY + datetime.timedelta(days=14)
    learner.save()
    plan = _plan(learner, ladder)
    assert plan.pace == 0.12  # one item over eight weeks
    assert plan.forecast > learner.target_date
    assert (plan.status, plan.required_pace) == ("behind", 1.5)


def test_everything_done_is_done_today(learner, ladder):
    for n, step in enumerate(ladder["steps2"]):
        _done(learner, step, n)
    plan = _plan(learner, ladder)
    assert (plan.status, plan.remaining, plan.forecast) == ("done", 0, TODAY)
    assert plan.burn_down[-1] == (TODAY, 0)
    assert plan.burn_down[-2] == (TODAY - datetime.timedelta(weeks=1), 3)


def test_skipped_items_leave_the_count(learner, ladder):
    services.item_progress_set(user=learner, item=ladder["steps2"][0], status="skipped")
    plan = _plan(learner, ladder)
    assert plan.remaining == 2
    assert plan.burn_down[0][1] == 2


def test_a_learner_who_started_two_weeks_ago_is_measured_over_two_weeks(alice, ladder):
    alice.date_joined = _at(14)
    alice.save()
    _done(alice, ladder["steps1"][0], 10)
    _done(alice, ladder["steps1"][1], 3)
    plan = _plan(alice, ladder)
    assert (plan.pace_weeks, plan.pace) == (2.0, 1.0)


def test_the_weekly_goal_counts_this_week_and_the_streak_of_weeks_that_met_it(learner, ladder):
    learner.weekly_goal = 1
    learner.save()
    for days_ago, item in zip((1, 8, 15, 29), ladder["steps1"], strict=True):  # this week, 2 before, a gap
        _done(learner, item, days_ago)
    plan = _plan(learner, ladder)
    assert (plan.this_week, plan.goal_streak) == (1, 3)


@pytest.mark.parametrize(
    ("target", "error"),
    [(TODAY, "Pick a date after today."), (datetime.date(2036, 11, 26), "within the next ten years")],
)
def test_the_plan_form_refuses_past_and_far_dates(alice, monkeypatch, target, error):
    monkeypatch.setattr("accounts.forms.timezone.localdate", lambda: TODAY)
    form = PlanForm({"target_date": target.isoformat(), "weekly_goal": "3"}, instance=alice)
    assert not form.is_valid()
    assert error in form.errors["target_date"][0]


@pytest.mark.parametrize(
    ("today", "last"),
    [(TODAY, datetime.date(2036, 11, 25)), (datetime.date(2028, 2, 29), datetime.date(2038, 2, 28))],
)
def test_ten_years_on_is_the_same_day_ten_years_later(alice, monkeypatch, today, last):
    """3,650 days fall short of ten years by the leap days between (2036-11-23 on 2026-11-25)."""
    monkeypatch.setattr("accounts.forms.timezone.localdate", lambda: today)
    assert PlanForm({"target_date": last.isoformat(), "weekly_goal": "3"}, instance=alice).is_valid()
    after = last + datetime.timedelta(days=1)
    assert not PlanForm({"target_date": after.isoformat(), "weekly_goal": "3"}, instance=alice).is_valid()


def test_the_plan_is_set_on_the_profile_and_shown_on_the_dashboard(client, alice, ladder):
    client.force_login(alice)
    target = timezone.localdate() + datetime.timedelta(days=60)
    response = client.post(reverse("accounts:plan"), {"target_date": target.isoformat(), "weekly_goal": "2"})
    assert response.status_code == 302
    services.item_progress_set(user=alice, item=ladder["steps1"][0], status="done")
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert 'data-testid="plan-status"' in html
    assert "This week: <strong>1 of 2</strong>" in html
    assert "Plan for ML Engineer" in html


def test_a_bad_plan_is_shown_again_with_the_message_and_what_was_typed(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:plan"), {"target_date": "2000-01-01", "weekly_goal": "99"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pick a date after today." in html
    assert 'value="99"' in html


def test_the_api_reads_and_writes_the_plan_and_the_summary_carries_the_forecast(alice, ladder):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=alice, name='t')[1]}")
    target = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = api.patch("/api/v1/me/plan/", {"target_date": target, "digest_opt_in": True}, format="json")
    assert response.json() == {
        "target_date": target,
        "weekly_goal": None,
        "digest_opt_in": True,
        "readiness_fresh_only": False,
    }
    assert api.patch("/api/v1/me/plan/", {"target_date": "2001-01-01"}, format="json").status_code == 400
    plan = api.get("/api/v1/me/summary/").json()["plan"]
    assert (plan["status"], plan["target_date"], plan["remaining"]) == ("no_pace", target, 3)


# --- the weekly digest ------------------------------------------------------------------------


@pytest.fixture
def subscribers(ladder):
    return [
        UserFactory(email=f"learner{n}@example.com", current_level=ladder["junior"], digest_opt_in=True)
        for n in range(3)
    ]


def test_only_learners_who_opted_in_get_a_digest_once_a_week(subscribers, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", verbosity=0)
        call_command("send_digests", verbosity=0)
    assert sorted(m.to[0] for m in mail.outbox) == [s.email for s in subscribers]
    assert DigestSent.objects.count() == 3


def test_the_digest_has_both_parts_and_a_one_click_unsubscribe(subscribers, ladder, django_capture_on_commit_callbacks):
    services.item_progress_set(user=subscribers[0], item=ladder["steps1"][0], status="done")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", verbosity=0)
    message = next(m for m in mail.outbox if m.to == [subscribers[0].email])
    assert "Foundations 1: done" in message.body
    assert "WHAT IS NEXT" in message.body
    html = message.alternatives[0][0]
    assert "<li>Foundations 1: done</li>" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://localhost:8000/digest/unsubscribe/")


def test_a_digest_with_nothing_completed_names_the_target_date_and_the_pace_it_needs(subscribers, ladder):
    learner = subscribers[0]
    learner.target_level = ladder["mle"]
    learner.target_date = timezone.localdate() + datetime.timedelta(weeks=6)
    learner.save()
    message = digest.digest_message(learner, timezone.localdate())
    assert "Nothing completed in the last 1 week: finish an item to get a forecast." in message.body
    target = learner.target_date.strftime("%-d %b %Y")
    assert f"Your target date is {target}: the 3 roadmap items left for ML Engineer need 0.5 a week." in message.body
    html = message.alternatives[0][0]
    assert "Nothing completed in the last 1 week." in html
    assert f"Your date, {target}, needs 0.5 items a week." in html


def test_the_unsubscribe_link_works_signed_out_and_only_for_its_learner(client, subscribers):
    first, second = subscribers[:2]
    url = reverse("progress:digest_unsubscribe", args=[digest.unsubscribe_token(first)])
    assert "Stop the weekly digest?" in client.get(url).content.decode()
    first.refresh_from_db()
    assert first.digest_opt_in  # a link scanner's GET changes nothing
    assert client.post(url).status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.digest_opt_in, second.digest_opt_in) == (False, True)
    forged = reverse("progress:digest_unsubscribe", args=[digest.unsubscribe_token(first)[:-2] + "xx"])
    assert client.post(forged).status_code == 404


def _failing_for(monkeypatch, addresses):
    real_send = EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        if addresses is None or message.to[0] in addresses:
            raise OSError("mailbox unavailable")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    return real_send


def test_a_failing_address_does_not_stop_the_run_and_the_queue_tries_it_again(
    subscribers, monkeypatch, django_capture_on_commit_callbacks
):
    real_send = _failing_for(monkeypatch, {subscribers[1].email})
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", verbosity=0)
    assert len(mail.outbox) == 2
    waiting = Mail.objects.get(to=subscribers[1].email)
    assert (waiting.state, waiting.attempts, waiting.last_error) == ("pending", 1, "OSError: mailbox unavailable")
    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", verbosity=0)  # the week's digests are queued already: none again
        assert deliver_mail.call(waiting.pk) == "sent"
    assert [m.to[0] for m in mail.outbox[2:]] == [subscribers[1].email]


def test_a_run_while_the_mail_server_is_down_queues_every_digest_and_loses_none(
    subscribers, monkeypatch, django_capture_on_commit_callbacks
):
    _failing_for(monkeypatch, None)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", verbosity=0, stdout=out)
    assert "Digests queued: 3" in out.getvalue()
    assert list(Mail.objects.values_list("state", "attempts")) == [("pending", 1)] * 3
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_digest_once(ladder):
    learners = [
        UserFactory(email=f"c{n}@example.com", current_level=ladder["junior"], digest_opt_in=True) for n in range(4)
    ]

    def run():
        try:
            digest.send_digests(today=timezone.localdate())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in learners)
