"""A mentor confirms a mentee's skill rating, or suggests another; readiness can count confirmed
ratings only, like verified items (issue: mentoring v2, verified skills)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mentoring import services
from mentoring.models import Notification
from progress import services as progress_services
from progress.models import SkillRating
from progress.reads.matrix import skill_matrix
from progress.reads.summary import compute_summary


@pytest.fixture
def rated(alice, ladder):
    """Alice rated the three MLE skills: 3, 2 and 1."""
    for level_skill, value in zip(ladder["mle_skills"], (3, 2, 1), strict=True):
        progress_services.skill_rating_set(user=alice, skill=level_skill.skill, rating=value)
    return alice


def _skills_part(user):
    user.refresh_from_db()
    return next(p for p in compute_summary(user).readiness.parts if p.key == "skills")


def test_the_same_rating_confirms_it_and_another_is_a_suggestion(mentorship, rated, ladder):
    first, second, _ = (ls.skill for ls in ladder["mle_skills"])
    confirmed = services.skill_rating_confirm(mentorship=mentorship, skill=first, rating=3)
    suggested = services.skill_rating_confirm(mentorship=mentorship, skill=second, rating=1)
    assert (confirmed.mentor_confirmed, suggested.mentor_confirmed) == (True, False)
    assert suggested.mentor_rating == 1
    assert suggested.rating == 2  # the learner's own rating is theirs to change
    messages = list(Notification.objects.filter(user=rated).values_list("message", flat=True))
    assert any("confirmed your rating of" in m for m in messages)
    assert any("(you: 2)" in m for m in messages)


def test_readiness_counts_confirmed_ratings_only_when_the_learner_asks(mentorship, rated, ladder):
    first = ladder["mle_skills"][0].skill
    services.skill_rating_confirm(mentorship=mentorship, skill=first, rating=3)
    every = _skills_part(rated)
    assert (every.met, every.mentor_confirmed, every.mentor_only) == (2, 1, False)
    rated.readiness_mentor_skills_only = True
    rated.save()
    confirmed_only = _skills_part(rated)
    assert (confirmed_only.met, confirmed_only.mentor_only) == (1, True)
    assert "confirmed by a mentor" in confirmed_only.label
    progress_services.skill_rating_set(user=rated, skill=first, rating=4)  # the learner moves on
    assert _skills_part(rated).met == 0  # a confirmation holds for the rating it confirmed


def test_an_unrated_skill_or_an_ended_mentorship_cannot_be_confirmed(mentorship, alice, ladder):
    with pytest.raises(ValidationError, match="has not rated"):
        services.skill_rating_confirm(mentorship=mentorship, skill=ladder["mle_skills"][0].skill, rating=2)
    progress_services.skill_rating_set(user=alice, skill=ladder["mle_skills"][0].skill, rating=2)
    mentorship.ended_at = timezone.now()
    mentorship.save()
    with pytest.raises(ValidationError, match="ended"):
        services.skill_rating_confirm(mentorship=mentorship, skill=ladder["mle_skills"][0].skill, rating=2)


def test_the_mentor_confirms_on_the_mentee_page_and_the_learner_sees_it(client, mentor, mentorship, alice, ladder):
    for level_skill in ladder["junior_skills"]:
        progress_services.skill_rating_set(user=alice, skill=level_skill.skill, rating=2)
    client.force_login(mentor)
    page = client.get(reverse("mentoring:mentee", args=[mentorship.pk])).content.decode()
    assert 'data-testid="mentor-skill-js-0"' in page

    def rate(slug, value):
        url = reverse("mentoring:skill_confirm", args=[mentorship.pk, slug])
        return client.post(url, {"rating": value}, follow=True).content.decode()

    assert "confirmed." in rate("js-0", "2")
    assert "saved as a suggestion" in rate("js-1", "3")
    assert "Select a valid choice" in rate("js-1", "9")
    assert SkillRating.objects.get(user=alice, skill__slug="js-1").mentor_rating == 3
    client.force_login(alice)
    dashboard = client.get(reverse("progress:dashboard")).content.decode()
    assert 'data-testid="mentor-confirmed-js-0"' in dashboard
    assert 'data-testid="mentor-suggests-js-1"' in dashboard


def test_the_team_heatmap_marks_confirmed_ratings(mentorship, rated, ladder):
    services.skill_rating_confirm(mentorship=mentorship, skill=ladder["mle_skills"][0].skill, rating=3)
    cells = skill_matrix([rated], ladder["mle"]).rows[0][1]
    assert [cell.mentor_confirmed for cell in cells] == [True, False, False]


def test_the_api_lists_a_mentees_ratings_and_takes_the_mentors(mentor, mentorship, rated):
    api = APIClient()
    api.force_authenticate(mentor)
    listed = api.get(f"/api/v1/me/mentees/{mentorship.pk}/skills/").json()["results"]
    assert [(r["skill"], r["rating"], r["mentor_rating"]) for r in listed][:2] == [("ms-0", 3, None), ("ms-1", 2, None)]
    put = api.put(f"/api/v1/me/mentees/{mentorship.pk}/skills/ms-0/", {"rating": 3}, format="json")
    assert put.status_code == 200
    assert put.json()["mentor_confirmed"] is True
    assert api.put(f"/api/v1/me/mentees/{mentorship.pk}/skills/ms-0/", {"rating": 7}, format="json").status_code == 400
    learner = APIClient()
    learner.force_authenticate(rated)
    mine = learner.get("/api/v1/me/skills/ms-0/").json()
    assert (mine["mentor_rating"], mine["mentor_confirmed"]) == (3, True)
    preferences = {"readiness_mentor_skills_only": True}
    assert learner.patch("/api/v1/me/mentoring-preferences/", preferences, format="json").status_code == 200
