import pytest
from rest_framework.test import APIClient

from mentoring import services
from progress import services as progress_services
from roadmap.models import Criterion
from tests.factories import MentorshipFactory, UserFactory

BASE = "http://testserver/"


@pytest.fixture
def api():
    """An API client signed in as the user it is called with."""

    def client_for(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for


@pytest.fixture
def mentor(ladder):
    return UserFactory(email="mentor@example.com", name="Maya Mentor", current_level=ladder["mle"])


@pytest.fixture
def mentorship(alice, mentor):
    return MentorshipFactory(mentee=alice, mentor=mentor)


@pytest.fixture
def done_with_evidence(alice, ladder):
    """Two items of alice's current level done with evidence: what a mentor reviews."""
    items = ladder["steps1"][:2]
    for item in items:
        progress_services.item_progress_set(
            user=alice,
            item=item,
            status="done",
            note="alice's private note",
            evidence_url=f"https://example.com/{item.key}",
        )
    return items


def review(mentorship, item, verdict="verified", comment="", marks=None):
    """A review; verified marks the item's whole rubric met unless `marks` says otherwise."""
    if marks is None and verdict == "verified":
        marks = {criterion.key: (True, "") for criterion in Criterion.objects.for_items([item])}
    return services.review_create(mentorship=mentorship, item=item, verdict=verdict, comment=comment, marks=marks)
