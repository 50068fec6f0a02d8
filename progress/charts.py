"""Geometry of the charts, drawn as server-rendered SVG by the templates in templates/progress/charts/.

Why SVG from the server: the charts need no JavaScript (so they work without it and under the
strict CSP), follow the light and dark themes through CSS variables, cost no query beyond the
summary that already holds their data, and every chart has its data as a table beside it.
"""

import datetime
import math
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from progress.reads.activity import ACTIVITY_WEEKS, public_decimal
from progress.reads.plan import Plan, week_of
from progress.reads.summary import KPIStatus, SkillRow
from roadmap.models import KPI, LevelSkill

# What a level's expectation asks of a self-rating (0-4), for the skills chart. Ours: the guides
# say "learn" or "master" without a number.
EXPECTED_RATING: dict[str, int] = {LevelSkill.Expectation.LEARN: 2, LevelSkill.Expectation.MASTER: 3}
RATING_LABELS = ["None", "Aware", "Working", "Practitioner", "Expert"]


def _scale(value: float, low: float, high: float, start: float, end: float) -> float:
    return round(start + (end - start) * ((value - low) / ((high - low) or 1.0)), 1)


def _nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round values covering [low, high], about `count` steps apart, for a value axis."""
    if low == high:
        low, high = low - 1, high + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first, last = math.floor(low / step) * step, math.ceil(high / step) * step
    return [round(first + i * step, 10) for i in range(round((last - first) / step) + 1)]


@dataclass
class Point:
    x: float
    y: float
    value: str
    date: datetime.date
    on_target: bool


def kpi_chart(status: KPIStatus, *, width: int = 640, height: int = 260, date_ticks: int = 4) -> dict:
    """A time series of the KPI's measurements: dates across, values (with the unit) up, the
    target as a line, the side of the target that is good shaded, each point on or off target."""
    left, right, top, bottom = 56, 16, 16, 36
    kpi = status.kpi
    values = [float(p.value) for p in status.points]
    target = float(kpi.target)
    ticks = _nice_ticks(min([*values, target]), max([*values, target]))
    low, high = ticks[0], ticks[-1]
    dates = [p.measured_on for p in status.points]
    first, last = (min(dates), max(dates)) if dates else (datetime.date.today(),) * 2
    days = max((last - first).days, 1)

    def x(day):
        return _scale((day - first).days, 0, days, left, width - right) if len(set(dates)) > 1 else (width / 2)

    def y(value):
        return _scale(value, low, high, height - bottom, top)

    higher = kpi.direction == KPI.Direction.HIGHER
    target_y = y(target)
    points = [
        Point(x(p.measured_on), y(float(p.value)), public_decimal(p.value), p.measured_on, meets(kpi, p.value))
        for p in status.points
    ]
    unit = kpi.get_unit_display()
    target_label, latest_label = _kpi_labels(
        f"target {public_decimal(kpi.target)}",
        f"{points[-1].value} {unit}" if points else "",
        target_y,
        points[-1] if points else None,
        (left, top, width - right, height - bottom),
    )
    return {
        "status": status,
        "width": width,
        "height": height,
        "plot": {
            "left": left,
            "right": width - right,
            "top": top,
            "bottom": height - bottom,
            "width": width - right - left,
        },
        "target_y": target_y,
        # The good side of the target, shaded: above it when higher is better, below otherwise.
        "good_band": {"y": top, "height": target_y - top}
        if higher
        else {"y": target_y, "height": height - bottom - target_y},
        "value_ticks": [{"y": y(t), "label": public_decimal(t)} for t in ticks],
        "date_ticks": _date_ticks(first, last, x, date_ticks) if dates else [],
        "points": points,
        "path": " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points)),
        "latest": points[-1] if points else None,
        "target_label": target_label,
        "latest_label": latest_label,
        "unit": unit,
    }


# Chart text is 12px (the type scale's smallest size); a label's box is estimated from its length.
TEXT_SIZE = 12
CHAR_WIDTH = 0.62 * TEXT_SIZE


@dataclass
class Label:
    x: float
    y: float  # the baseline
    anchor: str  # start or end
    text: str

    @property
    def box(self) -> tuple[float, float, float, float]:
        width = len(self.text) * CHAR_WIDTH
        left = self.x - width if self.anchor == "end" else self.x
        return (left, self.y - TEXT_SIZE, left + width, self.y + 3)


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _kpi_labels(target_text: str, latest_text: str, target_y: float, latest, plot) -> tuple[Label, Label | None]:
    """The target's label and the latest value's, each above or below its line or point, in the
    first arrangement where neither overlaps the other, crosses the target line or leaves the plot."""
    left, top, right, bottom = plot
    target_spots = [Label(right, target_y - 5, "end", target_text), Label(right, target_y + 16, "end", target_text)]

    def fits(label: Label) -> bool:
        x0, y0, x1, y1 = label.box
        return x0 >= 0 and x1 <= right + 12 and y0 >= top - TEXT_SIZE and y1 <= bottom + 4

    def clear(label: Label) -> bool:
        return not (label.box[1] < target_y < label.box[3])

    if latest is None:
        return next((t for t in target_spots if fits(t)), target_spots[0]), None
    anchor, dx = ("end", -8) if latest.x > (left + right) / 2 else ("start", 8)
    latest_spots = [
        Label(latest.x + dx, latest.y - 8, anchor, latest_text),
        Label(latest.x + dx, latest.y + 18, anchor, latest_text),
    ]
    if anchor == "end":  # beside the point, clear of the target label at the right end
        latest_spots.append(Label(latest.x - 10, latest.y + 4, "end", latest_text))
    for target_label in target_spots:
        for latest_label in latest_spots:
            if (
                fits(target_label)
                and fits(latest_label)
                and clear(latest_label)
                and not _overlap(target_label.box, latest_label.box)
            ):
                return target_label, latest_label
    return target_spots[0], latest_spots[0]


def meets(kpi: KPI, value) -> bool:
    return value >= kpi.target if kpi.direction == KPI.Direction.HIGHER else value <= kpi.target


def _date_ticks(first: datetime.date, last: datetime.date, x, count: int) -> list[dict]:
    if first == last:
        return [{"x": x(first), "label": f"{first:%-d %b %Y}"}]
    span = (last - first).days
    days = sorted({first + datetime.timedelta(days=round(span * i / count)) for i in range(count + 1)})
    label = "%-d %b" if first.year == last.year else "%b %Y"
    return [{"x": x(day), "label": day.strftime(label)} for day in days]


def burn_down(plan: Plan, *, width: int = 640, height: int = 240, date_ticks: int = 4) -> dict:
    """Readiness items left at the end of each week, the forecast at the current pace as a dashed
    line down to zero, the forecast band (plan.band) shaded around it, and the target date as a
    vertical line. A slow end far beyond the forecast runs off the right edge rather than squeeze
    the weeks already measured."""
    left, right, top, bottom = 40, 16, 16, 36
    first, today = plan.burn_down[0][0], plan.burn_down[-1][0]
    last = max(d for d in (today, plan.forecast, plan.target_date, plan.forecast_early) if d)
    if plan.forecast_late and plan.forecast:
        last = max(last, min(plan.forecast_late, today + 2 * (plan.forecast - today)))
    ticks = _nice_ticks(0, max(max(n for _, n in plan.burn_down), 1))
    high = ticks[-1]  # the line never rises above the top tick

    def x(day):
        return _scale((day - first).days, 0, max((last - first).days, 1), left, width - right)

    def y(n):
        return _scale(n, 0, high, height - bottom, top)

    points = [(x(day), y(n)) for day, n in plan.burn_down]
    forecast = (x(plan.forecast), y(0)) if plan.forecast and plan.remaining else None
    band = None
    if plan.band in ("dated", "open") and plan.forecast_early and plan.pace and plan.pace_spread is not None:
        slow = max(plan.pace - plan.pace_spread, 0.0)
        corners = [points[-1], (x(plan.forecast_early), y(0))]
        if plan.forecast_late and plan.forecast_late <= last:
            corners.append((x(plan.forecast_late), y(0)))
        else:  # the slow line leaves the plot at its right edge, this high
            at_edge = plan.remaining - slow * (last - today).days / 7
            corners += [(x(last), y(0)), (x(last), y(at_edge))]
        band = " ".join(f"{px:.1f},{py:.1f}" for px, py in corners)
    return {
        "plan": plan,
        "width": width,
        "height": height,
        "plot": {"left": left, "right": width - right, "top": top, "bottom": height - bottom},
        "actual": " ".join(f"{px},{py}" for px, py in points),
        "now": {"x": points[-1][0], "y": points[-1][1]},
        "now_label": _beside(points[-1], f"{plan.remaining} left", width - right),
        "forecast": {"x": forecast[0], "y": forecast[1]} if forecast else None,
        "band": band,
        "target_x": x(plan.target_date) if plan.target_date else None,
        "value_ticks": [{"y": y(t), "label": public_decimal(t)} for t in ticks],
        "date_ticks": _date_ticks(first, last, x, date_ticks),
    }


def _beside(point: tuple[float, float], text: str, right: float) -> Label:
    """A point's label to its right, or to its left when it would leave the plot."""
    label = Label(point[0] + 6, point[1] - 8, "start", text)
    return label if label.box[2] <= right else Label(point[0] - 6, point[1] - 8, "end", text)


def sparkline(status: KPIStatus, *, width: int = 200, height: int = 48) -> dict:
    """A small trend for a KPI card: the line, the target dashed, the latest value marked."""
    pad_x, pad_y = 6, 6
    values = [float(p.value) for p in status.points]
    target = float(status.kpi.target)
    low, high = min([*values, target]), max([*values, target])

    def y(value):
        return _scale(value, low, high, height - pad_y, pad_y)

    step = (width - 2 * pad_x - 40) / max(len(values) - 1, 1)  # room on the right for the label
    points = [(round(pad_x + i * step, 1), y(v)) for i, v in enumerate(values)]
    return {
        "status": status,
        "width": width,
        "height": height,
        "target_y": y(target),
        "points": " ".join(f"{px},{py}" for px, py in points),
        "latest": {"x": points[-1][0], "y": points[-1][1]} if points else None,
        "label_x": points[-1][0] + 6 if points else 0,
    }


def skills_chart(rows: list[SkillRow], level_title: str, *, width: int = 640, stacked: bool = False) -> dict:
    """One bar per skill: the learner's rating (0-4) against the rating the level expects.
    Stacked (for phones), each skill's name stands above its bar instead of beside it."""
    label_width, bar_height, gap, top = (0, 12, 26, 40) if stacked else (230, 14, 10, 24)
    scale_start, scale_end = label_width + (8 if stacked else 0), width - 36  # room for the last grid label
    bars = []
    for n, row in enumerate(rows):
        expected = EXPECTED_RATING[row.level_skill.expectation]
        rating = row.rating or 0
        bars.append(
            {
                "name": row.level_skill.skill.name,
                "slug": row.level_skill.skill.slug,
                "y": top + n * (bar_height + gap),
                "width": _scale(rating, 0, 4, 0, scale_end - scale_start),
                "expected_x": _scale(expected, 0, 4, scale_start, scale_end),
                "rating": row.rating,
                "expected": expected,
                "expectation": row.level_skill.get_expectation_display(),
                "meets": row.rating is not None and row.rating >= expected,
                "stale": row.stale,
                "scale_end": scale_end,
            }
        )
    height = top + len(rows) * (bar_height + gap) + 8
    return {
        "bars_svg": _bars_svg(bars, scale_start, bar_height, stacked, level_title),
        "width": width,
        "height": height,
        "stacked": stacked,
        "bar_height": bar_height,
        "scale_start": scale_start,
        "grid": [{"x": _scale(r, 0, 4, scale_start, scale_end), "label": f"{r} {RATING_LABELS[r]}"} for r in range(5)],
        "bars": bars,
        "stale": sum(1 for bar in bars if bar["stale"]),
    }


def _bars_svg(bars: list[dict], start: float, height: int, stacked: bool, level_title: str) -> str:
    """The bars drawn here rather than in a template loop (the dashboard renders them twice, for
    the wide and the narrow drawing); names are escaped by format_html."""
    drawn = []
    for bar in bars:
        rating = "not rated" if bar["rating"] is None else f"rated {bar['rating']}"
        # Names are cut to the room they have (beside the bar, or above it when stacked).
        room = int(((bar["scale_end"] - start) if stacked else (start - 8)) / CHAR_WIDTH)
        short = bar["name"] if len(bar["name"]) <= room else bar["name"][: room - 1] + "…"
        if stacked:
            name = format_html('<text x="{}" y="{}" dy="-5" class="chart-label">{}</text>', start, bar["y"], short)
        else:
            name = format_html(
                '<text x="{}" dx="-8" y="{}" dy="{}" class="chart-label" text-anchor="end">{}</text>',
                start,
                bar["y"],
                height,
                short,
            )
        drawn.append(
            format_html(
                "<g><title>{}: {}{}; {} expects {} ({})</title>{}"
                '<rect x="{}" y="{}" width="{}" height="{}" rx="3" class="{}"/>'
                '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart-expected"/></g>',
                bar["name"],
                rating,
                ", due for a refresh" if bar["stale"] else "",
                level_title,
                bar["expected"],
                bar["expectation"].lower(),
                name,
                start,
                bar["y"],
                bar["width"],
                height,
                ("chart-good" if bar["meets"] else "chart-bar") + (" chart-stale" if bar["stale"] else ""),
                bar["expected_x"],
                bar["expected_x"],
                bar["y"] - (0 if stacked else 3),
                bar["y"] + height + (0 if stacked else 3),
            )
        )
    return mark_safe("".join(drawn))


def rating_history(changes, *, width: int = 480, height: int = 140) -> dict:
    """A skill's self-ratings over time, as steps (a rating holds until the next change)."""
    left, right, top, bottom = 112, 16, 10, 28  # room for "3 Practitioner" at 12px
    if not changes:
        return {"width": width, "height": height, "path": "", "points": []}
    first = changes[0].changed_at
    last = max(changes[-1].changed_at, first + datetime.timedelta(days=1))
    span = (last - first).total_seconds()

    def x(moment):
        return _scale((moment - first).total_seconds(), 0, span, left, width - right)

    def y(rating):
        return _scale(rating, 0, 4, height - bottom, top)

    points = [{"x": x(c.changed_at), "y": y(c.rating), "rating": c.rating, "at": c.changed_at} for c in changes]
    path = f"M{points[0]['x']},{points[0]['y']}"
    for point in points[1:]:
        path += f" H{point['x']} V{point['y']}"
    path += f" H{width - right}"
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "path": path,
        "points": points,
        "levels": [{"y": y(r), "label": f"{r} {RATING_LABELS[r]}"} for r in range(5)],
        "first": first,
        "last": last,
        "bottom": height - bottom,
    }


def activity_calendar(days: dict, today: datetime.date) -> dict:
    """The last 52 weeks and this one, a column a week (Monday on top), each day shaded by how
    many changes the learner recorded; and the current streak of days in a row with any."""
    cell, gap, left, top = 11, 3, 28, 18
    start = week_of(today) - datetime.timedelta(weeks=ACTIVITY_WEEKS - 1)
    busiest = max(days.values(), default=0)
    cells, months = [], []
    for week in range(ACTIVITY_WEEKS):
        monday = start + datetime.timedelta(weeks=week)
        if monday.day <= 7:
            months.append({"x": left + week * (cell + gap), "label": f"{monday:%b}"})
        for weekday in range(7):
            day = monday + datetime.timedelta(days=weekday)
            if day > today:
                break
            count = days.get(day, 0)
            cells.append(
                {
                    "x": left + week * (cell + gap),
                    "y": top + weekday * (cell + gap),
                    "day": day,
                    "count": count,
                    # Shades 0-4, relative to the busiest day shown.
                    "level": 0 if not count else min(4, 1 + (3 * count) // max(busiest, 1)),
                }
            )
    return {
        "width": left + ACTIVITY_WEEKS * (cell + gap),
        "height": top + 7 * (cell + gap),
        "cell": cell,
        "cells": cells,
        "cells_svg": _calendar_cells_svg(cells, cell),
        "months": months,
        "weekdays": [
            {"y": top + d * (cell + gap) + cell - 1, "label": name} for d, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"))
        ],
        "active_days": sum(1 for c in cells if c["count"]),
        "by_month": _by_month(cells),
        "streak": streak(days, today),
    }


def _calendar_cells_svg(cells: list[dict], size: int) -> str:
    """The calendar's 371 squares, drawn here rather than in a template loop (which took most of
    the dashboard's render time), and compactly: the quiet days as one path, each active day as
    a square with its tooltip. Only numbers and dates go in: nothing needs escaping."""
    quiet = "".join(f"M{c['x']} {c['y']}h{size}v{size}h-{size}z" for c in cells if not c["count"])
    active = "".join(
        f'<rect x="{c["x"]}" y="{c["y"]}" width="{size}" height="{size}" rx="2" class="heat-{c["level"]}">'
        f"<title>{c['day']:%a %-d %b %Y}: {c['count']} change{'s' if c['count'] != 1 else ''}</title></rect>"
        for c in cells
        if c["count"]
    )
    return mark_safe(f'<path d="{quiet}" class="heat-0"/>{active}')


def _by_month(cells: list[dict]) -> list[dict]:
    """The calendar's data as rows for its table: each month with its active days and changes."""
    months: dict = {}
    for c in cells:
        row = months.setdefault(c["day"].replace(day=1), {"month": c["day"].replace(day=1), "days": 0, "changes": 0})
        row["days"] += bool(c["count"])
        row["changes"] += c["count"]
    return list(months.values())


def streak(days: dict, today: datetime.date) -> int:
    """Days in a row with any recorded change, up to today (or up to yesterday: today is not over)."""
    day = today if days.get(today) else today - datetime.timedelta(days=1)
    count = 0
    while days.get(day):
        count += 1
        day -= datetime.timedelta(days=1)
    return count
