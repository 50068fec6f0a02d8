"""Rubrics: the criteria a mentor marks met / not yet; "verified" means every required one is met
(issue: mentoring v2)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mentoring.models import RubricMark
from progress import services as progress_services
from progress.models import ItemProgress
from roadmap.models import Criterion
from tests.mentoring.conftest import review


@pytest.fixture
def item(ladder):
    return ladder["steps1"][0]


@pytest.fixture
def rubric(item):
    """Two criteria of the item's own, one of every item of its kind (optional)."""
    return [
        Criterion.objects.create(key="three-models", item=item, text="Three or more models are compared", order=1),
        Criterion.objects.create(key="cost", item=item, text="Compute cost is measured", order=2),
        Criterion.objects.create(
            key="learn-decisions", kind=item.kind, text="Decisions are explained", required=False, order=1
        ),
    ]


@pytest.fixture
def asked(alice, item, rubric):
    progress_services.item_progress_set(user=alice, item=item, status="done", evidence_url="https://example.com/v1")
    return item


def _review_form(mentorship, item, verdict, marks, **notes):
    data = {"verdict": verdict, "back": "thread", "comment": "See the rubric." if verdict != "verified" else ""}
    data |= {f"mark-{key}": value for key, value in marks.items()}
    data |= {f"note-{key}": value for key, value in notes.items()}
    return reverse("mentoring:review", args=[mentorship.pk, item.key]), data


def test_the_learner_sees_the_rubric_before_asking(client, alice, item, rubric):
    client.force_login(alice)
    page = client.get(reverse("progress:item", args=[item.key])).content.decode()
    assert "What a mentor checks" in page
    own, kind = page.index("Three or more models are compared"), page.index("Decisions are explained")
    assert own < kind  # the item's own criteria first, then its kind's
    assert "(optional)" in page
    assert 'data-source="ours"' in page  # criteria we wrote are marked as ours


def test_two_iterations_to_a_verification_by_the_rubric(client, alice, mentor, mentorship, asked):
    client.force_login(mentor)
    url, data = _review_form(
        mentorship, asked, "changes_requested", {"three-models": "met", "cost": "not_yet"}, cost="Not measured yet"
    )
    client.post(url, data)
    progress_services.item_progress_set(user=alice, item=asked, evidence_url="https://example.com/v2")

    # Verified with a required criterion not met is refused: nothing saved, every choice comes back.
    url, data = _review_form(
        mentorship, asked, "verified", {"three-models": "met", "cost": "not_yet"}, cost="Still missing"
    )
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Verified means every required criterion is met. Not met yet: Compute cost is measured." in page
    assert 'name="mark-cost" value="not_yet" checked' in page
    assert 'value="Still missing"' in page
    assert ItemProgress.objects.get(user=alice, item=asked).review_verdict == "changes_requested"

    url, data = _review_form(mentorship, asked, "verified", {"three-models": "met", "cost": "met"})
    assert client.post(url, data).status_code == 302  # the optional criterion may stay unmarked
    record = ItemProgress.objects.get(user=alice, item=asked)
    assert (record.review_verdict, record.review_stale) == ("verified", False)

    client.force_login(alice)
    page = client.get(reverse("mentoring:my_thread", args=[asked.key])).content.decode()
    first = page[page.index('data-testid="iteration-1"') : page.index('data-testid="iteration-2"')]
    assert "Not yet:</span> Compute cost is measured" in first
    assert "Not measured yet" in first
    second = page[page.index('data-testid="iteration-2"') :]
    assert "Met:</span> Compute cost is measured" in second

    # A later change makes the verification stale ("changed since verified"), iteration by iteration.
    progress_services.item_progress_set(user=alice, item=asked, evidence_url="https://example.com/v3")
    assert ItemProgress.objects.get(user=alice, item=asked).review_state == "changed"


def test_a_mark_keeps_the_criterion_as_it_read_when_given(alice, mentorship, asked, rubric):
    review(mentorship, asked)
    rubric[1].text = "Cost per 1,000 predictions is measured"
    rubric[1].save()
    assert set(RubricMark.objects.values_list("text", flat=True)) == {
        "Three or more models are compared",
        "Compute cost is measured",
        "Decisions are explained",
    }


def test_the_api_gives_the_rubric_and_takes_marks(alice, mentor, mentorship, asked):
    api = APIClient()
    rubric = api.get(f"/api/v1/criteria/?item={asked.key}").json()["results"]
    assert [(c["key"], c["required"], c["source"]) for c in rubric] == [
        ("three-models", True, None),
        ("cost", True, None),
        ("learn-decisions", False, None),
    ]

    api.force_authenticate(mentor)
    url = f"/api/v1/me/mentees/{mentorship.pk}/reviews/"
    partial = {"item": asked.key, "verdict": "verified", "marks": [{"criterion": "three-models", "met": True}]}
    refused = api.post(url, partial, format="json")
    assert refused.status_code == 400
    assert "Compute cost is measured" in str(refused.json())
    unknown = api.post(url, {**partial, "marks": [{"criterion": "made-up", "met": True}]}, format="json")
    assert unknown.status_code == 400
    assert "made-up" in str(unknown.json())

    marks = [
        {"criterion": "three-models", "met": True},
        {"criterion": "cost", "met": True, "note": "0.2 s per batch"},
        {"criterion": "learn-decisions", "met": False},
    ]
    created = api.post(url, {**partial, "marks": marks}, format="json")
    assert created.status_code == 201, created.json()
    given = created.json()["marks"]
    assert [(m["criterion"], m["met"], m["note"]) for m in given] == [
        ("three-models", True, ""),
        ("cost", True, "0.2 s per batch"),
        ("learn-decisions", False, ""),
    ]

    learner = APIClient()
    learner.force_authenticate(alice)
    received = learner.get("/api/v1/me/reviews/").json()["results"][0]
    assert received["marks"] == given
