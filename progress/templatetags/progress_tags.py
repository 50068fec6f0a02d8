from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.templatetags.ui import icon
from progress import charts
from progress.models import ItemProgress, Status, Verdict
from progress.reads.activity import public_decimal
from progress.reads.summary import Tally, level_progress, level_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def item_progress(context, item):
    """The learner's record on an item, or None. All of the learner's records are read
    once per request, so a page of any length costs one query."""
    return _learner_records(context).get(item.pk)


@register.inclusion_tag("progress/_level_summary.html", takes_context=True)
def progress_summary(context, level=None, oob=False):
    """One line under a content page's title: the signed-in learner's progress on the level that
    page is about (their current level where a page spans levels). With oob, htmx swaps it in
    place of the one already on the page."""
    user = context["request"].user
    level = level or user.current_level
    if not user.is_authenticated or level is None:
        return {"summary_level": None, "oob": oob}
    progress = level_progress(level_rows(user.pk), level)
    return {"summary_level": level, "progress": progress, "oob": oob}


STATUS_ICONS = {
    Status.DONE: ("check-circle", "mini"),
    Status.IN_PROGRESS: ("clock", "mini"),
    Status.SKIPPED: ("forward", "mini"),
    Status.NOT_STARTED: ("minus-circle", "outline"),
}


@register.simple_tag
def status_icon(status, label=""):
    """A shape per status, so that no status is told apart by colour alone."""
    name, style = STATUS_ICONS[Status(status or Status.NOT_STARTED)]
    return icon(name, label=label, style=style)


STATUS_FILTERS = {
    "todo": ("To do", {Status.NOT_STARTED}),
    "in_progress": ("In progress", {Status.IN_PROGRESS}),
    "done": ("Done", {Status.DONE}),
    "skipped": ("Skipped", {Status.SKIPPED}),
}


def _learner_records(context) -> dict:
    """All of the signed-in learner's item records, read once per request (see item_progress)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {}
    if not hasattr(request, "_item_progress"):
        request._item_progress = {p.item_id: p for p in ItemProgress.objects.for_user(request.user)}
    return request._item_progress


@register.simple_tag
def status_filters(current):
    """The roadmap's filter links: (value, label, is current); "" is all."""
    return [("", "All", not current), *((key, label, key == current) for key, (label, _) in STATUS_FILTERS.items())]


@register.simple_tag(takes_context=True)
def filter_by_status(context, items, status_filter):
    """The items whose status (for the signed-in learner) the filter keeps; all for an unknown filter."""
    if status_filter not in STATUS_FILTERS:
        return list(items)
    records, keep = _learner_records(context), STATUS_FILTERS[status_filter][1]
    return [i for i in items if (records[i.pk].status if i.pk in records else Status.NOT_STARTED) in keep]


@register.simple_tag(takes_context=True)
def stage_overview(context, stages):
    """Each stage with the learner's tally on its current steps and a state for the path."""
    records = _learner_records(context)
    rows = []
    for stage in stages:
        tally = Tally()
        for item in stage.current_steps:
            tally.add(records[item.pk].status if item.pk in records else Status.NOT_STARTED)
        if tally.counted and tally.done == tally.counted:
            state = Status.DONE
        elif tally.done or tally.in_progress:
            state = Status.IN_PROGRESS
        else:
            state = Status.NOT_STARTED
        rows.append({"stage": stage, "tally": tally, "state": state})
    return rows


# The status control's segments: what a learner can set (clearing is pressing the pressed one).
SEGMENTS = [(Status.IN_PROGRESS.value, "In progress"), (Status.DONE.value, "Done"), (Status.SKIPPED.value, "Skip")]


@register.simple_tag
def status_segments():
    return SEGMENTS


GETTING_STARTED = {
    "target": ("Set your level and the level you aim for", "accounts:profile", ""),
    "step": ("Mark your first step in progress or done", "", "#next-heading"),
    "skills": ("Rate a few skills", "", "#skills-heading"),
    "kpi": ("Log a KPI value", "", "#kpi-heading"),
    "plan": ("Set a target date or a weekly goal", "accounts:plan", ""),
}


@register.filter
def getting_started_links(steps: dict[str, bool]):
    """(done, label, url) for each first step of Summary.getting_started."""
    return [
        (
            done,
            GETTING_STARTED[key][0],
            reverse(GETTING_STARTED[key][1]) if GETTING_STARTED[key][1] else GETTING_STARTED[key][2],
        )
        for key, done in steps.items()
    ]


@register.filter
def status_label(status):
    return Status(status or Status.NOT_STARTED).label


@register.filter
def verdict_label(verdict):
    return Verdict(verdict).label if verdict in Verdict.values else ""


@register.filter
def kpi_value(value):
    return public_decimal(value) if value is not None else "—"


@register.inclusion_tag("progress/charts/_sparkline.html")
def sparkline(kpi_status):
    return charts.sparkline(kpi_status)


# Charts come in a wide and a narrow drawing; CSS shows the one that fits. The narrow one is no
# wider than a 375px phone's content box, so its 12px text is never scaled below 12px there.
NARROW = 300


@register.inclusion_tag("progress/charts/_kpi_chart.html")
def kpi_chart(kpi_status):
    wide = charts.kpi_chart(kpi_status)
    return {**wide, "drawings": [wide, charts.kpi_chart(kpi_status, width=NARROW, height=220, date_ticks=2)]}


@register.inclusion_tag("progress/charts/_burn_down.html")
def burn_down(plan, next_level):
    wide = charts.burn_down(plan)
    return {**wide, "next_level": next_level, "drawings": [wide, charts.burn_down(plan, width=NARROW, date_ticks=2)]}


@register.simple_tag
def fresh_days() -> int:
    """Days a skill rating stays fresh (settings.SKILL_FRESH_DAYS)."""
    return settings.SKILL_FRESH_DAYS


@register.inclusion_tag("progress/charts/_skills_chart.html")
def skills_chart(rows, level):
    wide = charts.skills_chart(rows, level.title)
    narrow = charts.skills_chart(rows, level.title, width=NARROW, stacked=True)
    return {**wide, "level": level, "drawings": [wide, narrow]}


@register.inclusion_tag("progress/charts/_activity_calendar.html")
def activity_calendar(days, owner="you"):
    return {**charts.activity_calendar(days, timezone.localdate()), "owner": owner}


@register.inclusion_tag("progress/charts/_rating_history.html")
def rating_history(changes, skill):
    wide = charts.rating_history(changes)
    return {**wide, "skill": skill, "drawings": [wide, charts.rating_history(changes, width=NARROW)]}


@register.filter
def meets_target(measurement, kpi):
    return charts.meets(kpi, measurement.value)
