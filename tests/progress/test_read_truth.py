"""Every number a page shows is right on the very next request: a saved change, a new day or a new
name is never hidden behind a cached copy."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from progress import services
from progress.api.serializers import SummarySerializer
from progress.reads.summary import compute_summary, learner_summary
from tests.factories import ItemFactory, MentorshipFactory, UserFactory


def _api(user) -> APIClient:
    """Signed in by session: each request loads the learner afresh, as in production."""
    client = APIClient()
    client.force_login(user)
    return client


def test_a_plan_saved_on_the_profile_shows_on_the_next_dashboard_and_summary(client, alice):
    client.force_login(alice)
    api = _api(alice)
    assert "weekly-goal" not in client.get(reverse("progress:dashboard")).content.decode()
    assert api.get("/api/v1/me/summary/").json()["plan"]["weekly_goal"] is None
    target = timezone.localdate() + datetime.timedelta(days=60)
    response = client.post(reverse("accounts:plan"), {"target_date": target.isoformat(), "weekly_goal": "2"})
    assert response.status_code == 302
    assert "This week: <strong>0 of 2</strong>" in client.get(reverse("progress:dashboard")).content.decode()
    plan = api.get("/api/v1/me/summary/").json()["plan"]
    assert (plan["target_date"], plan["weekly_goal"]) == (target.isoformat(), 2)


def test_a_plan_patched_through_the_api_shows_in_the_summary(alice):
    api = _api(alice)
    assert api.get("/api/v1/me/summary/").json()["plan"]["target_date"] is None
    target = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    assert api.patch("/api/v1/me/plan/", {"target_date": target, "weekly_goal": 3}, format="json").status_code == 200
    plan = api.get("/api/v1/me/summary/").json()["plan"]
    assert (plan["target_date"], plan["weekly_goal"]) == (target, 3)


@pytest.fixture
def clock(monkeypatch):
    """Moves the clock forward without any write: `clock(days=8)`."""
    start = timezone.now()

    def move(**delta):
        moved = start + datetime.timedelta(**delta)
        monkeypatch.setattr(timezone, "now", lambda: moved)

    return move


@pytest.fixture
def mentor_of_alice(alice):
    return MentorshipFactory(mentee=alice, mentor=UserFactory(email="maya@example.com", name="Maya"))


def _fresh(user):
    user.refresh_from_db()
    return SummarySerializer(compute_summary(user)).data


def test_a_week_later_with_no_write_the_summary_is_what_a_fresh_read_says(alice, ladder, clock):
    alice.weekly_goal = 1
    alice.save()
    services.item_progress_set(user=alice, item=ladder["steps1"][0], status="done")
    api = _api(alice)
    assert api.get("/api/v1/me/summary/").json()["plan"]["this_week"] == 1
    clock(days=8)
    cached = api.get("/api/v1/me/summary/").json()
    fresh = _fresh(alice)
    assert cached["plan"]["this_week"] == 0
    assert cached["plan"] == fresh["plan"]
    assert cached["plan"]["burn_down"][-1]["date"] == timezone.localdate().isoformat()


def test_a_week_later_the_dashboard_shows_this_weeks_count_again_from_zero(client, alice, ladder, clock):
    alice.weekly_goal = 1
    alice.save()
    services.item_progress_set(user=alice, item=ladder["steps1"][0], status="done")
    client.force_login(alice)
    assert "This week: <strong>1 of 1</strong>" in client.get(reverse("progress:dashboard")).content.decode()
    clock(days=8)
    assert "This week: <strong>0 of 1</strong>" in client.get(reverse("progress:dashboard")).content.decode()


def test_a_year_later_the_activity_calendar_is_what_a_fresh_read_says(alice, ladder, clock):
    services.item_progress_set(user=alice, item=ladder["steps1"][0], status="done")
    assert sum(learner_summary(alice).activity_days.values()) == 1
    clock(days=400)
    assert learner_summary(alice).activity_days == compute_summary(alice).activity_days == {}


def test_a_question_falling_due_days_later_is_counted_on_the_dashboard_with_no_write(client, alice, ladder, clock):
    services.practice_grade(user=alice, item=ladder["question"], grade=3)  # Good: due in two days
    client.force_login(alice)
    assert "due for practice" not in client.get(reverse("progress:dashboard")).content.decode()
    assert _api(alice).get("/api/v1/me/practice/").json()["results"] == []
    clock(days=3)
    assert (
        "<strong>1</strong> interview question due for practice"
        in client.get(reverse("progress:dashboard")).content.decode()
    )
    due = _api(alice).get("/api/v1/me/practice/").json()["results"]
    assert [card["key"] for card in due] == [ladder["question"].key]


def test_a_mentor_reads_the_mentees_new_name_on_the_next_request(client, alice, mentor_of_alice):
    alice.name = "Alice Old"
    alice.save()
    client.force_login(mentor_of_alice.mentor)
    url = reverse("mentoring:mentee", args=[mentor_of_alice.pk])
    assert "Alice Old is at" in client.get(url).content.decode()
    alice_client = _api(alice)
    assert alice_client.patch("/api/v1/me/profile/", {"name": "Alice New"}, format="json").status_code == 200
    html = client.get(url).content.decode()
    assert "Alice New is at" in html
    assert "Alice Old" not in html


def test_a_status_change_answers_with_the_item_as_an_editor_just_renamed_it(client, alice, ladder):
    """The toggle reads its item from the content cache: an edit is a new content version, so the
    very next answer carries the new title."""
    client.force_login(alice)
    item = ladder["deliverables"][0]
    url = reverse("progress:item", args=[item.key])
    htmx = {"HTTP_HX_REQUEST": "true"}
    assert item.title in client.post(url, {"status": "in_progress"}, **htmx).content.decode()
    item.title = "Model evaluation report, renamed"
    item.save()
    answer = client.post(url, {"status": "done"}, **htmx).content.decode()
    assert "Model evaluation report, renamed" in answer
    assert client.post(reverse("progress:item", args=["no-such-item"]), {"status": "done"}).status_code == 404


def test_a_question_an_editor_adds_or_archives_shows_on_the_next_practice_page(client, alice, ladder):
    client.force_login(alice)
    first = client.get(reverse("progress:practice")).content.decode()
    assert ladder["question"].title in first
    ladder["question"].is_archived = True
    ladder["question"].save()
    added = ItemFactory(level=ladder["junior"], kind="question", key="q-added", title="A question added today")
    page = client.get(reverse("progress:practice")).content.decode()
    assert added.title in page
    assert ladder["question"].title not in page
