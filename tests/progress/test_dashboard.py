"""The dashboard's one truth after in-place changes, its charts, and the smaller pages around it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from progress import charts, services
from progress.models import KPIMeasurement, SkillRatingChange
from tests.factories import KPIMeasurementFactory

HTMX_DASHBOARD = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "dashboard"}


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def test_the_dashboard_lists_the_next_three_steps_with_their_buttons(signed_in, ladder):
    html = signed_in.get(reverse("progress:dashboard")).content.decode()
    for n, step in enumerate(ladder["steps1"][:3], start=1):
        assert f'id="next-{n}" data-item="{step.key}"' in html
        assert f'id="next-{n}-done"' in html
    assert "Ready for ML Engineer?" in html


def test_a_status_change_from_the_dashboard_returns_the_whole_dashboard_recomputed(signed_in, ladder):
    response = signed_in.post(
        reverse("progress:item", args=["s1-1"]), {"status": "done", "id_prefix": "next-1"}, **HTMX_DASHBOARD
    )
    html = response.content.decode()
    assert html.startswith('<div id="dashboard"') or '<div id="dashboard"' in html[:200]
    assert 'id="next-1" data-item="s1-2"' in html
    assert '<strong data-testid="overall-percent">14%</strong>' in html
    assert 'hx-swap-oob="innerHTML">“Foundations 1”: done. 14% of Junior done.' in html


def test_a_rating_from_the_dashboard_moves_the_readiness_count(signed_in, ladder):
    skill = ladder["mle_skills"][0].skill
    response = signed_in.post(reverse("progress:skill_rate", args=[skill.slug]), {"rating": "3"}, **HTMX_DASHBOARD)
    html = response.content.decode()
    readiness = html.split('data-testid="readiness-skills"')[1].split("</li>")[0]
    assert "1 of 3" in readiness
    assert f"{skill.name} rated 3 · Practitioner." in html


def test_a_bad_value_in_a_dashboard_form_is_shown_in_that_form_with_what_was_typed(signed_in, ladder):
    response = signed_in.post(reverse("progress:kpi", args=["latency"]), {"value": "fast"}, **HTMX_DASHBOARD)
    assert response["HX-Retarget"] == "#log-latency"
    html = response.content.decode()
    assert 'value="fast"' in html
    assert "Enter a number" in html
    assert not KPIMeasurement.objects.exists()


def test_a_bad_evidence_link_on_the_dashboard_is_shown_in_the_item_controls(signed_in, ladder):
    response = signed_in.post(
        reverse("progress:item", args=["s1-1"]),
        {"note": "kept", "evidence_url": "javascript:alert(1)", "id_prefix": "next-1"},
        **HTMX_DASHBOARD,
    )
    assert response["HX-Retarget"] == "#controls-next-1"
    html = response.content.decode()
    assert ">kept</textarea>" in html
    assert 'hx-target="#dashboard"' in html  # fixed, it still updates the whole dashboard


def test_the_quick_log_without_a_date_logs_today(signed_in, alice, ladder):
    signed_in.post(reverse("progress:kpi", args=["latency"]), {"value": "180"}, **HTMX_DASHBOARD)
    assert KPIMeasurement.objects.get(user=alice).measured_on == timezone.localdate()


def test_recent_activity_shows_kpi_values_with_their_unit(signed_in, alice, ladder):
    services.kpi_measurement_create(user=alice, kpi=ladder["latency"], value=210, measured_on=timezone.localdate())
    assert "logged Latency = 210 ms" in signed_in.get(reverse("progress:dashboard")).content.decode()


def test_deleting_a_measurement_asks_first(signed_in, alice, ladder):
    measurement = KPIMeasurementFactory(user=alice, kpi=ladder["latency"])
    url = reverse("progress:measurement_delete", args=[measurement.pk])
    assert "Delete this measurement?" in signed_in.get(url).content.decode()
    assert KPIMeasurement.objects.filter(pk=measurement.pk).exists()
    signed_in.post(url)
    assert not KPIMeasurement.objects.filter(pk=measurement.pk).exists()


def test_a_skill_page_shows_the_rating_history(signed_in, alice, ladder):
    skill = ladder["junior_skills"][0].skill
    for rating in (1, 2, 3):
        services.skill_rating_set(user=alice, skill=skill, rating=rating)
    html = signed_in.get(reverse("progress:skill_rate", args=[skill.slug])).content.decode()
    assert html.count("<circle") == 2 * 3  # three ratings, in the wide and the narrow drawing
    assert html.count("<tr>") == 4  # header and three changes
    assert SkillRatingChange.objects.filter(user=alice).count() == 3


def test_the_roadmap_filters_items_by_status_without_javascript(signed_in, alice, ladder):
    services.item_progress_set(user=alice, item=ladder["steps1"][0], status="done")
    html = signed_in.get(reverse("roadmap:roadmap"), {"status": "done"}).content.decode()
    assert 'id="item-s1-1"' in html
    assert 'id="item-s1-2"' not in html
    todo = signed_in.get(reverse("roadmap:roadmap"), {"status": "todo"}).content.decode()
    assert 'id="item-s1-1"' not in todo
    assert 'id="item-s1-2"' in todo


def test_the_public_page_speaks_of_the_learner_not_of_you(client, alice, ladder):
    alice.set_public_sharing(True)
    alice.save()
    html = client.get(alice.get_public_url()).content.decode()
    assert "your current level" not in html
    assert "KPIs on target" in html
    assert "current streak" in html


def test_the_stage_page_headings_do_not_skip_a_level(client, ladder):
    html = client.get(reverse("roadmap:stage", args=["foundations"])).content.decode()
    assert "<h2>Learn</h2>" in html
    assert "<h3>" not in html.split("<h2>Learn</h2>")[0]


def test_the_streak_counts_days_in_a_row_up_to_today_or_yesterday():
    today = datetime.date(2026, 11, 25)
    days = {today - datetime.timedelta(days=n): 1 for n in (1, 2, 3, 5)}
    assert charts.streak(days, today) == 3  # today is not over: yesterday and the two before
    days[today] = 2
    assert charts.streak(days, today) == 4
    assert charts.streak({}, today) == 0


def test_the_activity_calendar_covers_53_weeks_and_shades_busier_days_darker():
    today = datetime.date(2026, 11, 25)
    calendar = charts.activity_calendar({today: 9, today - datetime.timedelta(days=3): 1}, today)
    levels = {c["day"]: c["level"] for c in calendar["cells"]}
    assert levels[today] == 4
    assert levels[today - datetime.timedelta(days=3)] == 1
    assert levels[today - datetime.timedelta(days=1)] == 0
    assert min(levels) == today - datetime.timedelta(days=today.weekday(), weeks=52)
    assert calendar["active_days"] == 2
