from django import template

from progress.derive import items_with_status, level_progress, public_decimal
from progress.models import ItemProgress, Status

register = template.Library()

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 160, 40, 4


@register.simple_tag(takes_context=True)
def item_progress(context, item):
    """The learner's record on an item, or None. All of the learner's records are read
    once per request, so a page of any length costs one query."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    if not hasattr(request, "_item_progress"):
        request._item_progress = {p.item_id: p for p in ItemProgress.objects.for_user(request.user)}
    return request._item_progress.get(item.pk)


@register.inclusion_tag("progress/_level_summary.html", takes_context=True)
def progress_summary(context, oob=False):
    """The signed-in learner's progress on their current level, for pages that change it.
    With oob, htmx swaps it in place of the one already on the page."""
    user = context["request"].user
    if not user.is_authenticated or not user.current_level_id:
        return {"summary_level": None, "oob": oob}
    progress = level_progress(items_with_status(user), user.current_level)
    return {"summary_level": user.current_level, "progress": progress, "oob": oob}


@register.filter
def status_label(status):
    return Status(status or Status.NOT_STARTED).label


@register.filter
def kpi_value(value):
    return public_decimal(value) if value is not None else "—"


@register.inclusion_tag("progress/_sparkline.html")
def sparkline(kpi_status):
    """Server-rendered SVG trend with the target as a dashed line; works without JavaScript."""
    values = [float(p.value) for p in kpi_status.points]
    target = float(kpi_status.kpi.target)
    low, high = min([*values, target]), max([*values, target])
    span = (high - low) or 1.0

    def y(v):
        return round(SPARK_PAD + (SPARK_HEIGHT - 2 * SPARK_PAD) * (1 - (v - low) / span), 1)

    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(len(values) - 1, 1)
    points = " ".join(f"{round(SPARK_PAD + i * step, 1)},{y(v)}" for i, v in enumerate(values))
    return {
        "status": kpi_status,
        "points": points,
        "single": len(values) == 1,
        "first_x": SPARK_PAD,
        "first_y": y(values[0]) if values else 0,
        "target_y": y(target),
        "width": SPARK_WIDTH,
        "height": SPARK_HEIGHT,
    }
