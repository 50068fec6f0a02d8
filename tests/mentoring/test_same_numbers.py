"""A learner's numbers are the same wherever they are shown: their dashboard and summary, their
mentor's page and endpoint, their lead's overview, its CSV and its endpoint, the skill heatmap and its
endpoint. Each comes from one read in progress.reads."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mentoring.models import Membership, Team
from progress import services
from tests.factories import MentorshipFactory, UserFactory


def _api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def bob_at_work(alice, bob, ladder):
    """bob, a member of alice's team and mentored by maya, with items done, a skill and a KPI."""
    team = Team.objects.create(name="Cohort", slug="cohort")
    Membership.objects.create(team=team, user=alice, role=Membership.Role.LEAD)
    Membership.objects.create(team=team, user=bob)
    bob.target_level = ladder["mle"]
    bob.save()
    for item in ladder["steps1"][:3]:
        services.item_progress_set(user=bob, item=item, status="done", evidence_url="https://example.com/e")
    services.item_progress_set(user=bob, item=ladder["steps2"][0], status="done")
    services.item_progress_set(user=bob, item=ladder["deliverables"][0], status="skipped")
    services.skill_rating_set(user=bob, skill=ladder["mle_skills"][0].skill, rating=3)
    services.skill_rating_set(user=bob, skill=ladder["junior_skills"][0].skill, rating=1)
    services.kpi_measurement_create(user=bob, kpi=ladder["latency"], value=150, measured_on=timezone.localdate())
    mentorship = MentorshipFactory(mentee=bob, mentor=UserFactory(email="maya@example.com", name="Maya"))
    return {"team": team, "mentorship": mentorship}


def _parts(parts) -> dict:
    return {p["key"]: (p["met"], p["total"]) for p in parts}


def test_the_dashboard_the_summary_and_the_mentors_views_agree(client, bob, bob_at_work):
    mine = _api(bob).get("/api/v1/me/summary/").json()
    mentorship = bob_at_work["mentorship"]
    mentors = _api(mentorship.mentor).get(f"/api/v1/me/mentees/{mentorship.pk}/summary/").json()
    assert mine == mentors
    overall = mine["progress"]["overall"]
    assert (overall["done"], overall["counted"], overall["percent"]) == (3, 6, 50)
    assert _parts(mine["readiness"]["parts"]) == {"skills": (1, 3), "items": (1, 3), "kpis": (1, 2)}
    client.force_login(bob)
    dashboard = client.get(reverse("progress:dashboard")).content.decode()
    client.force_login(mentorship.mentor)
    page = client.get(reverse("mentoring:mentee", args=[mentorship.pk])).content.decode()
    for html in (dashboard, page):
        assert 'data-testid="overall-percent">50%<' in html
        for key, (met, total) in _parts(mine["readiness"]["parts"]).items():
            part = html[html.index(f'data-testid="readiness-{key}"') :]
            assert f"</span>{met} of {total}" in part[: part.index("</li>")]


def test_the_overview_its_csv_and_its_endpoint_agree_with_the_summary(client, alice, bob, bob_at_work):
    summary = _api(bob).get("/api/v1/me/summary/").json()
    rows = _api(alice).get("/api/v1/me/teams/cohort/overview/").json()["results"]
    row = next(r for r in rows if r["member"]["id"] == bob.pk)
    assert row["overall"] == summary["progress"]["overall"]
    assert _parts(row["readiness"]) == _parts(summary["readiness"]["parts"])
    assert (row["kpis_on_target"], row["kpis_total"]) == _parts(summary["readiness"]["parts"])["kpis"]
    client.force_login(alice)
    html = client.get(reverse("mentoring:team_overview", args=["cohort"])).content.decode()
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html[html.index(f'data-testid="row-{bob.pk}"') :])[:7]
    assert cells[2:6] == ["50%", "1 of 3", "1 of 3", "1 of 2"]
    exported = list(csv.DictReader(io.StringIO(client.get("/teams/cohort/overview.csv").content.decode())))
    line = next(r for r in exported if r["member"] == bob.get_short_name())
    assert (line["progress_percent"], line["done"], line["items_met"], line["items_total"]) == ("50", "3", "1", "3")


def test_the_mentee_list_and_its_endpoint_agree(client, bob, bob_at_work):
    mentorship = bob_at_work["mentorship"]
    rows = _api(mentorship.mentor).get("/api/v1/me/mentees/").json()["results"]
    assert (rows[0]["overall"]["percent"], rows[0]["awaiting_review"]) == (50, 3)
    client.force_login(mentorship.mentor)
    html = client.get(reverse("mentoring:mentees")).content.decode()
    assert "50%" in html
    assert '#queue-heading"><strong>3</strong>' in html


def test_the_heatmap_and_its_endpoint_agree(client, alice, bob, bob_at_work, ladder):
    data = _api(alice).get("/api/v1/me/teams/cohort/skills/").json()
    client.force_login(alice)
    html = client.get(reverse("mentoring:team_skills", args=["cohort"])).content.decode()
    averages = re.findall(r'<td class="average">([^<]*)</td>', html)
    assert averages == ["–" if c["average"] is None else str(c["average"]) for c in data["skills"]]
    assert [m["ratings"] for m in data["members"] if m["member"]["id"] == bob.pk] == [[1, None]]
