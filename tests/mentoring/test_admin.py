import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.mentoring.conftest import review


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(email="admin@example.com", is_staff=True, is_superuser=True))
    return client


def test_staff_see_mentoring_and_reviews_stay_read_only(staff_client, mentorship, done_with_evidence):
    made = review(mentorship, done_with_evidence[0], "changes_requested", "More tests")
    for model in ("invitation", "mentorship", "review", "notification"):
        assert staff_client.get(reverse(f"admin:mentoring_{model}_changelist")).status_code == 200
    page = staff_client.get(reverse("admin:mentoring_review_change", args=[made.pk]))
    assert page.status_code == 200
    assert "More tests" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert staff_client.post(reverse("admin:mentoring_review_delete", args=[made.pk])).status_code == 403
