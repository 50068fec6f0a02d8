import pytest
from django.urls import reverse

from mentoring import services
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
    # Again with nothing changed: the cached table, its key read in one query whatever the number
    # (the same read counts them for "You mentor N learners" beside the mentee limit).
    with django_assert_max_num_queries(5):
        again = client.get(reverse("mentoring:mentees"))
    assert again.content.decode().count('data-testid="mentee-') == mentees
    with django_assert_max_num_queries(15):
        assert len(client.get("/api/v1/me/mentees/").json()["results"]) == mentees


def test_the_cached_mentee_list_follows_every_change(client, alice, mentor, mentorship, ladder):
    client.force_login(mentor)
    url = reverse("mentoring:mentees")
    row = f'data-testid="mentee-{alice.pk}"'
    assert "0%" in client.get(url).content.decode().split(row)[1][:600]
    progress_services.item_progress_set(user=alice, item=ladder["steps1"][0], status="done")
    alice.name = "Alicia"
    alice.save()
    page = client.get(url).content.decode().split(row)[1][:600]
    assert "Alicia" in page
    assert "14%" in page  # 1 of the 7 items of Junior
    # Ended and begun again: the row links to the new mentorship, not the ended one.
    services.mentorship_end(mentorship=mentorship, by=alice)
    assert row not in client.get(url).content.decode()
    again = MentorshipFactory(mentee=alice, mentor=mentor)
    page = client.get(url).content.decode()
    assert reverse("mentoring:mentee", args=[again.pk]) in page
    assert reverse("mentoring:mentee", args=[mentorship.pk]) not in page
    assert [r["mentorship"] for r in client.get("/api/v1/me/mentees/").json()["results"]] == [again.pk]


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
