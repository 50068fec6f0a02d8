"""The forecast's band: how sure a forecast is, from how the weekly pace varies (issue: career
insight). Every plan here runs on a fixed clock and a fixed history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from progress import charts
from tests.progress.test_plan import TODAY, _at, _done, _plan


@pytest.fixture
def three_weeks(alice, ladder):
    """Joined 24 days ago (three whole weeks), completing 2, 2 and 1 items in them."""
    alice.date_joined = _at(24)
    alice.save()
    junior = ladder["steps1"] + ladder["deliverables"]
    for item, days_ago in zip(junior, (1, 2, 8, 9, 16), strict=False):
        _done(alice, item, days_ago)
    return alice


def test_a_varying_pace_gives_an_early_and_a_late_date_around_the_forecast(three_weeks, ladder):
    plan = _plan(three_weeks, ladder)
    # 5 items over 24 days is 1.46 a week; the weeks held 2, 2 and 1: a spread of 0.58.
    assert (plan.pace, plan.band_weeks, plan.pace_spread) == (1.46, 3, 0.58)
    assert plan.band == "dated"
    assert plan.forecast == TODAY + datetime.timedelta(days=15)  # 3 left
    assert plan.forecast_early == TODAY + datetime.timedelta(days=11)  # at 2.04 a week
    assert plan.forecast_late == TODAY + datetime.timedelta(days=24)  # at 0.88 a week
    assert plan.forecast_early < plan.forecast < plan.forecast_late


def test_the_same_pace_every_week_is_a_band_of_one_day(alice, ladder):
    alice.date_joined = _at(21)
    alice.save()
    for item, days_ago in zip(ladder["steps1"], (1, 8, 15), strict=False):
        _done(alice, item, days_ago)
    plan = _plan(alice, ladder)
    assert (plan.pace_spread, plan.band) == (0.0, "dated")
    assert plan.forecast_early == plan.forecast == plan.forecast_late


def test_under_three_whole_weeks_there_is_not_enough_history(alice, ladder):
    alice.date_joined = _at(20)
    alice.save()
    _done(alice, ladder["steps1"][0], 3)
    _done(alice, ladder["steps1"][1], 10)
    plan = _plan(alice, ladder)
    assert plan.forecast is not None
    assert (plan.band, plan.band_weeks, plan.forecast_early, plan.forecast_late) == (
        "not_enough_history",
        2,
        None,
        None,
    )


def test_weeks_that_finished_nothing_leave_the_slow_end_open(learner, ladder):
    for weeks_ago, item in enumerate(ladder["steps1"], start=1):  # one a week, then four idle weeks
        _done(learner, item, 7 * weeks_ago - 1)
    plan = _plan(learner, ladder)
    assert (plan.pace, plan.pace_spread) == (0.5, 0.53)
    assert (plan.band, plan.forecast_late) == ("open", None)
    assert plan.forecast_early == TODAY + datetime.timedelta(days=21)  # 3 left at 1.03 a week
    drawing = charts.burn_down(plan)
    assert drawing["band"] is not None  # shaded from the early date to the plot's right edge


def test_no_pace_no_band(learner, ladder):
    assert _plan(learner, ladder).band == "none"


def test_the_dashboard_and_the_api_show_the_band(client, three_weeks, monkeypatch):
    real = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: real(value, tz) if value else TODAY)
    client.force_login(three_weeks)
    page = client.get(reverse("progress:dashboard")).content.decode()
    assert 'data-testid="forecast-band-area"' in page
    assert "between <strong>6 Dec 2026</strong> and <strong>19 Dec 2026</strong>" in page
    plan = client.get("/api/v1/me/summary/").json()["plan"]
    assert (plan["band"], plan["band_weeks"], plan["pace_spread"]) == ("dated", 3, 0.58)
    assert (plan["forecast_early"], plan["forecast_late"]) == ("2026-12-06", "2026-12-19")
