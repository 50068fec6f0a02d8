"""Where a learner's pace takes them: pace, forecast, weekly goal and burn-down, from the completion
times of their items (no query of its own)."""

import datetime
import math
import statistics
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from progress.reads.rules import Status, readiness_items

PACE_WEEKS = 8  # the pace is measured over this many weeks (or since the learner started)
BAND_MIN_WEEKS = 3  # fewer whole weeks than this tell nothing of how the pace varies
PLAN_STATUSES = ["done", "no_pace", "no_target", "on_track", "behind"]  # Plan.status
FORECAST_BANDS = ["none", "not_enough_history", "open", "dated"]  # Plan.band
# An Item annotated with the learner's record (see summary.items_with_status): not attributes mypy knows of.
ItemWithRecord = Any


@dataclass
class Plan:
    """Where the learner's pace takes them: the forecast for the readiness items still to do."""

    target_date: datetime.date | None
    remaining: int  # readiness items of the next level not done (skipped ones do not count)
    pace: float | None  # items completed per week over the window; None before any completion
    pace_weeks: float  # the window: the last PACE_WEEKS weeks, or since the learner started
    forecast: datetime.date | None
    required_pace: float | None  # items a week the target date needs; None without a future target
    weekly_goal: int | None
    this_week: int  # items completed this ISO week
    goal_streak: int  # weeks in a row, up to this one, that met the weekly goal
    burn_down: list[tuple[datetime.date, int]]  # remaining readiness items at the end of each week
    # The forecast band: the whole weeks of the window measured, the spread of their counts, and the
    # dates at the pace plus and minus that spread (None where it says nothing: see forecast_band).
    band_weeks: int = 0
    pace_spread: float | None = None
    forecast_early: datetime.date | None = None
    forecast_late: datetime.date | None = None

    band_min_weeks = BAND_MIN_WEEKS

    @property
    def band(self) -> str:
        """none (nothing to forecast), not_enough_history, open (the slow end finishes nothing), or dated."""
        if self.remaining == 0 or self.pace is None:
            return "none"
        if self.band_weeks < BAND_MIN_WEEKS:
            return "not_enough_history"
        return "dated" if self.forecast_late else "open"

    @property
    def flat(self) -> bool:
        """Nothing has moved yet: a burn-down would be one flat line."""
        return len({n for _, n in self.burn_down}) <= 1 and self.pace is None

    @property
    def status(self) -> str:
        """done, no_pace (nothing completed lately), on_track, behind, or no_target (a forecast only)."""
        if self.remaining == 0:
            return "done"
        if self.target_date is None:
            return "no_pace" if self.pace is None else "no_target"
        if self.pace is None:
            return "no_pace"
        return "on_track" if self.forecast and self.forecast <= self.target_date else "behind"


def compute_plan(learner, items, next_level, today: datetime.date) -> Plan:
    """Pace, forecast and burn-down from the completion times of the learner's items (no query)."""
    completed = sorted(_completion_days(items))
    started = min([timezone.localdate(learner.date_joined), *completed[:1]])
    window_start = max(today - datetime.timedelta(weeks=PACE_WEEKS), started)
    pace_weeks = max((today - window_start).days / 7, 1.0)  # a first week counts as a whole week
    recent = sum(1 for day in completed if window_start <= day <= today)
    pace = recent / pace_weeks if recent else None

    counted = readiness_items(items, next_level) if next_level else []
    open_items = [i for i in counted if i.my_status != Status.DONE]
    remaining = len(open_items)
    forecast = None
    if remaining == 0:
        forecast = today
    elif pace:
        forecast = _finish(today, remaining, pace)
    target = learner.target_date
    required_pace = remaining / ((target - today).days / 7) if target and target > today and remaining else None

    weekly = _weekly_counts(completed, window_start, today)
    spread = statistics.stdev(weekly) if len(weekly) >= BAND_MIN_WEEKS else None
    early = late = None
    if spread is not None and pace and remaining:
        early = _finish(today, remaining, pace + spread)
        late = _finish(today, remaining, pace - spread)

    monday = week_of(today)
    per_week: dict = {}
    for day in completed:
        week = week_of(day)
        per_week[week] = per_week.get(week, 0) + 1
    this_week = per_week.get(monday, 0)
    return Plan(
        target_date=target,
        remaining=remaining,
        pace=round(pace, 2) if pace else None,
        pace_weeks=round(pace_weeks, 2),
        forecast=forecast,
        required_pace=round(required_pace, 2) if required_pace else None,
        weekly_goal=learner.weekly_goal,
        this_week=this_week,
        goal_streak=_goal_streak(per_week, monday, learner.weekly_goal),
        burn_down=_burn_down(counted, today, window_start),
        band_weeks=len(weekly),
        pace_spread=round(spread, 2) if spread is not None else None,
        forecast_early=early,
        forecast_late=late,
    )


def _finish(today: datetime.date, remaining: int, pace: float) -> datetime.date | None:
    """When `remaining` items are done at `pace` a week; None at no pace at all."""
    if pace <= 0:
        return None
    return today + datetime.timedelta(days=math.ceil(7 * remaining / pace))


def _weekly_counts(completed: list[datetime.date], since: datetime.date, today: datetime.date) -> list[int]:
    """Items completed in each whole week (seven days back from today) of the pace window."""
    weeks = (today - since).days // 7
    counts = [0] * weeks
    for day in completed:
        back = (today - day).days // 7
        if 0 <= back < weeks:
            counts[back] += 1
    return counts


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the ISO week the day is in."""
    return day - datetime.timedelta(days=day.weekday())


def _completion_days(items) -> list[datetime.date]:
    return [timezone.localdate(i.my_completed_at) for i in items if i.my_status == Status.DONE and i.my_completed_at]


def _goal_streak(per_week: dict, monday: datetime.date, goal: int | None) -> int:
    """Weeks in a row that met the goal, counting this week only once it is met (it is not over)."""
    if not goal:
        return 0
    week = monday if per_week.get(monday, 0) >= goal else monday - datetime.timedelta(weeks=1)
    streak = 0
    while per_week.get(week, 0) >= goal:
        streak += 1
        week -= datetime.timedelta(weeks=1)
    return streak


def _burn_down(
    counted: list[ItemWithRecord], today: datetime.date, since: datetime.date
) -> list[tuple[datetime.date, int]]:
    """Readiness items not yet done at the end of each week since `since`, ending today."""
    done_on = [
        timezone.localdate(i.my_completed_at) for i in counted if i.my_status == Status.DONE and i.my_completed_at
    ]
    weeks = max(math.ceil((today - since).days / 7), 1)
    days = [today - datetime.timedelta(weeks=n) for n in range(weeks, -1, -1)]
    return [(day, len(counted) - sum(1 for d in done_on if d <= day)) for day in days]
