import pytest
from django.urls import reverse

from progress import services as progress_services
from tests.factories import ItemProgressFactory, MentorshipFactory, SkillRatingFactory, UserFactory
from tests.mentoring.conftest import review


@pytest.mark.parametrize("mentees", [1, 50])
def test_the_mentee_list_runs_constant_queries(client, mentor, ladder, mentees, django_assert_max_num_queries):
    for n in range(mentees):
        mentee = UserFactory(current_level=ladder["junior"])
        MentorshipFactory(mentee=mentee, mentor=mentor)
        ItemProgressFactory(user=mentee, item=ladder["steps1"][n % 4], status="done", evidence_url="https://e.x/1")
        SkillRatingFactory(user=mentee)
    client.force_login(mentor)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("mentoring:mentees"))
    assert page.content.decode().count('data-testid="mentee-') == mentees
    with django_assert_max_num_queries(15):
        assert len(client.get("/api/v1/me/mentees/").json()) == mentees


@pytest.mark.parametrize("scale", [1, 10])
def test_a_mentee_page_runs_constant_queries(
    client, alice, mentor, mentorship, ladder, scale, django_assert_max_num_queries
):
    items = [*ladder["steps1"], *ladder["steps2"], *ladder["deliverables"]][: scale * 9 // 10 or 1]
    for n in range(scale):
        for item in items:
            progress_services.item_progress_set(
                user=alice, item=item, status="done", evidence_url=f"https://example.com/{n}/{item.key}"
            )
        review(mentorship, items[0])
    client.force_login(mentor)
    with django_assert_max_num_queries(18):
        page = client.get(reverse("mentoring:mentee", args=[mentorship.pk]))
    assert page.status_code == 200
    assert "Awaiting your review" in page.content.decode()
