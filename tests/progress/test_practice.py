"""Interview practice scheduled by FSRS, with the clock frozen (every grade is given `now`)."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import api_token_create
from progress import export, practice, services
from progress.models import ItemProgress, PracticeCard, PracticeReview
from tests.factories import ItemFactory, UserFactory

NOW = timezone.make_aware(datetime.datetime(2026, 11, 25, 9, 0))


@pytest.fixture
def questions(ladder):
    extra = [ItemFactory(level=ladder["junior"], kind="question", order=n, key=f"q-{n}") for n in range(2, 9)]
    return [ladder["question"], *extra]


def test_a_new_question_is_due_today(alice, questions):
    assert practice.due_today(alice, NOW)[0] == questions[0]
    assert practice.due_count(alice, NOW) == 5  # the daily limit of new questions


def test_the_practice_page_shows_the_first_due_question_and_counts_all_of_them(client, alice, questions):
    """The page reads only the first question; what it shows and counts must be due_today's."""
    first = practice.next_question(alice, NOW)
    assert first == (questions[0], None, 5)  # a new question: no card, the day's 5 new ones
    services.practice_grade(user=alice, item=questions[1], grade=1, now=NOW)  # again: due in ten minutes
    later = NOW + datetime.timedelta(days=1, hours=1)
    due = practice.due_today(alice, later)
    item, card, remaining = practice.next_question(alice, later)
    assert (item, remaining) == (due[0], len(due)) == (questions[1], 5)  # the card first, then 4 new
    assert card == PracticeCard.objects.get(user=alice, item=questions[1])
    PracticeCard.objects.update(created_at=later - datetime.timedelta(days=1))
    assert practice.next_question(alice, later)[2] == len(practice.due_today(alice, later)) == 6
    assert practice.next_question(UserFactory(current_level=None), later) == (None, None, 0)


def test_good_moves_a_question_days_ahead_and_again_brings_it_back_today(alice, questions):
    good = services.practice_grade(user=alice, item=questions[0], grade=3, now=NOW)
    assert good.due_after - NOW >= datetime.timedelta(days=2)
    assert questions[0] not in practice.due_today(alice, NOW + datetime.timedelta(hours=1))
    later = good.due_after + datetime.timedelta(minutes=1)
    again = services.practice_grade(user=alice, item=questions[0], grade=1, now=later)
    assert again.due_after.date() == later.date()
    assert again.due_after - later <= datetime.timedelta(minutes=10)


def test_again_on_a_new_question_brings_it_back_in_this_session(alice, questions):
    again = services.practice_grade(user=alice, item=questions[0], grade=1, now=NOW)
    assert again.due_after - NOW == datetime.timedelta(minutes=10)
    assert questions[0] not in practice.due_today(alice, NOW + datetime.timedelta(minutes=5))
    assert questions[0] in practice.due_today(alice, NOW + datetime.timedelta(minutes=11))
    good = services.practice_grade(user=alice, item=questions[0], grade=3, now=NOW + datetime.timedelta(minutes=11))
    assert good.due_after - NOW >= datetime.timedelta(days=1)


@override_settings(PRACTICE_NEW_PER_DAY=3)
def test_at_most_the_daily_number_of_new_questions_enter(alice, questions):
    assert len(practice.due_today(alice, NOW)) == 3
    for item in practice.due_today(alice, NOW):
        services.practice_grade(user=alice, item=item, grade=3, now=NOW)
    # Cards made today count against the limit, whenever today they were made.
    PracticeCard.objects.update(created_at=NOW)
    assert practice.due_today(alice, NOW + datetime.timedelta(hours=2)) == []
    tomorrow = NOW + datetime.timedelta(days=1)
    assert len(practice.due_today(alice, tomorrow)) == 3


@override_settings(PRACTICE_NEW_PER_DAY=2)
def test_a_new_question_past_the_daily_number_is_refused_with_when_to_come_back(alice, questions):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=alice, name='t')[1]}")
    for item in questions[:2]:
        assert api.post(f"/api/v1/me/practice/{item.key}/grade/", {"grade": 3}, format="json").status_code == 200
    refused = api.post(f"/api/v1/me/practice/{questions[2].key}/grade/", {"grade": 3}, format="json")
    assert refused.status_code == 429
    assert "new questions are started" in refused.json()["detail"]
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600
    assert not PracticeCard.objects.filter(item=questions[2]).exists()
    # A question already started can be practised again the same day.
    assert api.post(f"/api/v1/me/practice/{questions[0].key}/grade/", {"grade": 1}, format="json").status_code == 200


def test_a_question_counts_as_done_once_it_would_be_recalled_three_weeks_on(alice, questions):
    item, when = questions[0], NOW
    for _ in range(6):
        review = services.practice_grade(user=alice, item=item, grade=4, now=when)
        when = review.due_after
        if review.stability_after >= practice.MASTERED_STABILITY_DAYS:
            break
    progress = ItemProgress.objects.get(user=alice, item=item)
    assert progress.status == "done"
    services.practice_grade(user=alice, item=item, grade=1, now=when)
    assert ItemProgress.objects.get(user=alice, item=item).status == "in_progress"


def test_only_interview_questions_are_practised(alice, ladder):
    with pytest.raises(services.ValidationError):
        services.practice_grade(user=alice, item=ladder["steps1"][0], grade=3, now=NOW)


@pytest.mark.django_db(transaction=True)
def test_two_grades_at_once_are_both_recorded_in_order(ladder):
    learner = UserFactory(email="racer@example.com", current_level=ladder["junior"])
    question = ladder["question"]
    errors = []

    def grade(value):
        try:
            services.practice_grade(user=learner, item=question, grade=value)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=grade, args=(value,)) for value in (3, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    reviews = list(PracticeReview.objects.filter(card__user=learner).order_by("pk"))
    assert len(reviews) == 2
    assert reviews[0].reviewed_at <= reviews[1].reviewed_at
    card = PracticeCard.objects.get(user=learner)
    assert card.due == reviews[-1].due_after  # the state is the last grade's


def test_the_practice_page_grades_without_javascript(client, alice, questions):
    client.force_login(alice)
    page = client.get(reverse("progress:practice")).content.decode()
    assert questions[0].title in page
    assert "Show what a good answer covers" in page
    response = client.post(reverse("progress:practice"), {"item": questions[0].key, "grade": "3", "answer": "notes"})
    assert response.status_code == 302
    review = PracticeReview.objects.get(card__user=alice)
    assert (review.grade, review.answer) == (3, "notes")
    assert questions[1].title in client.get(reverse("progress:practice")).content.decode()


def test_the_practice_page_and_the_due_count_run_constant_queries(
    client, alice, questions, django_assert_max_num_queries
):
    client.force_login(alice)
    for item in questions[:4]:
        services.practice_grade(user=alice, item=item, grade=1, now=NOW - datetime.timedelta(days=1))
    with django_assert_max_num_queries(9):
        client.get(reverse("progress:practice"))
    with django_assert_max_num_queries(16):
        assert "due for practice" in client.get(reverse("progress:dashboard")).content.decode()


def test_the_question_page_shows_the_next_due_date_and_history(client, alice, questions):
    services.practice_grade(user=alice, item=questions[0], grade=3, now=NOW)
    client.force_login(alice)
    page = client.get(reverse("progress:item", args=[questions[0].key])).content.decode()
    assert "Next due" in page
    assert "Good" in page


def test_the_api_lists_due_cards_takes_a_grade_and_shows_the_history(alice, questions):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=alice, name='t')[1]}")
    due = api.get("/api/v1/me/practice/").json()["results"]
    assert due[0]["key"] == questions[0].key
    assert due[0]["due"] is None
    card = api.post(f"/api/v1/me/practice/{questions[0].key}/grade/", {"grade": 3}, format="json").json()
    assert [r["grade"] for r in card["reviews"]] == [3]
    assert api.post(f"/api/v1/me/practice/{questions[0].key}/grade/", {"grade": 5}, format="json").status_code == 400
    assert api.get(f"/api/v1/me/practice/{questions[0].key}/").json()["due"] == card["due"]


def test_export_holds_the_cards_and_their_reviews(alice, questions):
    services.practice_grade(user=alice, item=questions[0], grade=3, answer="my draft", now=NOW)
    data = export.export_data(alice)
    assert data["practice"][0]["question"] == questions[0].key
    assert data["practice"][0]["reviews"][0]["answer"] == "my draft"


def test_a_done_tick_from_before_practice_becomes_a_first_review(alice, ladder):
    from importlib import import_module

    from django.apps import apps

    services.item_progress_set(user=alice, item=ladder["question"], status="done")
    migration = import_module("progress.migrations.0003_practice")
    migration.ticks_become_first_reviews(apps, None)
    card = PracticeCard.objects.get(user=alice, item=ladder["question"])
    assert [r.grade for r in card.reviews.all()] == [3]
    assert ItemProgress.objects.get(user=alice, item=ladder["question"]).status == "done"
