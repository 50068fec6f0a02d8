"""Skill ratings go stale: past DJANGO_SKILL_FRESH_DAYS (180) a rating is due for a refresh, one
click says it still holds, readiness can count fresh ratings only, and a certification can carry
the date it expires (issue: career insight). The clock is passed in or the rows dated, never slept."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import api_token_create
from progress import digest, services
from progress.models import ItemProgress, SkillRating, SkillRatingChange
from progress.reads.matrix import skill_matrix
from progress.reads.summary import compute_summary
from tests.factories import ItemFactory, UserFactory


def _days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _rate(user, level_skill, rating, days_ago):
    services.skill_rating_set(user=user, skill=level_skill.skill, rating=rating, now=_days_ago(days_ago))


@pytest.fixture
def rated(alice, ladder):
    """Alice rated the three MLE skills 3: one yesterday, two 181 and 400 days ago."""
    for level_skill, days_ago in zip(ladder["mle_skills"], (1, 181, 400), strict=True):
        _rate(alice, level_skill, 3, days_ago)
    return alice


def _skills_part(user):
    user.refresh_from_db()
    return next(p for p in compute_summary(user).readiness.parts if p.key == "skills")


def test_a_rating_181_days_old_is_due_and_one_180_days_old_is_not(alice, ladder):
    _rate(alice, ladder["junior_skills"][0], 2, 181)
    _rate(alice, ladder["junior_skills"][1], 2, 179)
    rows = {row.level_skill.skill.slug: row for row in compute_summary(alice).skills}
    assert rows["js-0"].stale
    assert not rows["js-1"].stale


def test_still_accurate_makes_it_fresh_without_a_new_history_entry(alice, ladder):
    skill = ladder["junior_skills"][0].skill
    _rate(alice, ladder["junior_skills"][0], 2, 200)
    services.skill_rating_set(user=alice, skill=skill, rating=2)
    assert not compute_summary(alice).skills[0].stale
    assert SkillRatingChange.objects.filter(user=alice, skill=skill).count() == 1  # the history shows changes


def test_readiness_counts_stale_ratings_until_the_learner_asks_for_fresh_ones_only(rated):
    every = _skills_part(rated)
    assert (every.met, every.total, every.stale, every.fresh_only) == (3, 3, 2, False)
    services.readiness_fresh_only_set(user=rated, on=True)
    fresh = _skills_part(rated)
    assert (fresh.met, fresh.total, fresh.fresh_only) == (1, 3, True)
    assert [row.level_skill.skill.slug for row in fresh.missing] == ["ms-1", "ms-2"]
    assert "confirmed in the last 180 days" in fresh.label


def test_the_dashboard_flags_a_stale_rating_and_one_click_confirms_it(client, alice, ladder):
    _rate(alice, ladder["junior_skills"][0], 2, 181)
    client.force_login(alice)
    page = client.get(reverse("progress:dashboard")).content.decode()
    assert 'data-testid="stale-js-0"' in page
    assert "chart-stale" in page  # the bar on the skills chart too
    response = client.post(
        reverse("progress:skill_rate", args=["js-0"]),
        {"rating": "2", "confirm": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="dashboard",
    )
    assert "still 2 · Working, confirmed" in response.content.decode()
    assert 'data-testid="stale-js-0"' not in response.content.decode()
    assert SkillRating.objects.get(user=alice, skill__slug="js-0").confirmed_at > _days_ago(1)


def test_the_fresh_only_toggle_is_said_on_the_dashboard_and_works_without_javascript(client, rated):
    client.force_login(rated)
    page = client.get(reverse("progress:dashboard")).content.decode()
    assert "2 of the ratings counted here are due for a refresh." in page
    response = client.post(reverse("progress:readiness_fresh"), {"fresh_only": "1"}, follow=True)
    page = response.content.decode()
    assert "Counting only ratings confirmed in the last 180 days." in page
    assert "Skills rated 2+, fresh" in page
    client.post(reverse("progress:readiness_fresh"), {"fresh_only": "0"})
    rated.refresh_from_db()
    assert not rated.readiness_fresh_only


def test_the_api_says_when_a_rating_was_confirmed_and_a_put_of_the_same_rating_confirms_it(alice, ladder):
    _rate(alice, ladder["junior_skills"][0], 2, 181)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=alice, name='t')[1]}")
    row = api.get("/api/v1/me/skills/js-0/").json()
    assert row["due_for_refresh"] is True
    again = api.put("/api/v1/me/skills/js-0/", {"rating": 2}, format="json").json()
    assert again["due_for_refresh"] is False
    summary = api.get("/api/v1/me/summary/").json()
    assert summary["skills"][0]["due_for_refresh"] is False
    assert api.patch("/api/v1/me/plan/", {"readiness_fresh_only": True}, format="json").status_code == 200
    parts = {p["key"]: p for p in api.get("/api/v1/me/summary/").json()["readiness"]["parts"]}
    assert parts["skills"]["fresh_only"] is True
    exported = api.get("/api/v1/me/export/").json()
    assert exported["skill_ratings"][0]["confirmed_at"].startswith(again["confirmed_at"][:19])
    assert exported["insight"]["skills_due_for_refresh"] == []
    _rate(alice, ladder["junior_skills"][1], 3, 365)
    insight = api.get("/api/v1/me/export/").json()["insight"]
    assert insight["skills_due_for_refresh"] == ["js-1"]
    assert insight["forecast"]["band"] == "none"  # nothing completed: no forecast, no band


def test_the_team_heatmap_marks_stale_ratings(rated, ladder):
    fresh_rater = UserFactory()
    _rate(fresh_rater, ladder["mle_skills"][0], 2, 3)
    matrix = skill_matrix([rated, fresh_rater], ladder["mle"])
    assert [cell.stale for cell in matrix.rows[0][1]] == [False, True, True]
    assert [cell.stale for cell in matrix.rows[1][1]] == [False, False, False]


# --- certifications that expire -------------------------------------------------------------


@pytest.fixture
def certification(ladder):
    return ItemFactory(level=ladder["junior"], kind="certification", order=1, key="cert-1", title="Cloud ML cert")


def test_a_certification_takes_an_expiry_date_and_other_items_refuse_one(alice, ladder, certification):
    when = datetime.date(2027, 3, 1)
    progress = services.item_progress_set(user=alice, item=certification, status="done", expires_on=when)
    assert progress.expires_on == when
    with pytest.raises(ValidationError, match="Only a certification"):
        services.item_progress_set(user=alice, item=ladder["steps1"][0], expires_on=when)


def test_the_expiry_is_entered_on_the_page_and_shown_back(client, alice, certification):
    client.force_login(alice)
    client.post(reverse("progress:item", args=["cert-1"]), {"note": "", "evidence_url": "", "expires_on": "2027-03-01"})
    assert ItemProgress.objects.get(user=alice, item=certification).expires_on == datetime.date(2027, 3, 1)
    refused = client.post(reverse("progress:item", args=["cert-1"]), {"expires_on": "next spring"})
    assert "Enter a valid date" in refused.content.decode()
    assert ItemProgress.objects.get(user=alice, item=certification).expires_on == datetime.date(2027, 3, 1)


def test_the_digest_reminds_of_a_certification_that_expires_soon_and_of_stale_ratings(alice, ladder, certification):
    today = timezone.localdate()
    services.item_progress_set(user=alice, item=certification, expires_on=today + datetime.timedelta(days=30))
    _rate(alice, ladder["junior_skills"][0], 2, 200)
    body = digest.digest_message(alice, today).body
    assert "TO RENEW" in body
    assert f"Cloud ML cert: expires on {(today + datetime.timedelta(days=30)):%-d %b %Y}" in body
    assert "1 skill rating due for a refresh" in body
    services.item_progress_set(user=alice, item=certification, expires_on=today + datetime.timedelta(days=90))
    services.skill_rating_set(user=alice, skill=ladder["junior_skills"][0].skill, rating=2)
    assert "TO RENEW" not in digest.digest_message(alice, today).body
