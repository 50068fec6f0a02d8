from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from roadmap.cache import content_version
from roadmap.models import KPI, Item, Level, LevelSkill, Source, Specialization, Stage, Tip

LEVEL_ITEM_SECTIONS = [
    (Item.Kind.DELIVERABLE, "deliverables", "Example deliverables"),
    (Item.Kind.PROJECT, "projects", "Portfolio projects"),
    (Item.Kind.CERTIFICATION, "certs", "Certifications"),
    (Item.Kind.QUESTION, "interview", "Interview checkpoint"),
]


def _by_source(rows, sources):
    """Align per-source figures with the list of sources, None where a guide is silent."""
    found = {row.source_id: row for row in rows}
    return [found.get(source.pk) for source in sources]


def _ladder_rows() -> dict:
    sources = list(Source.objects.all())
    return {
        "sources": sources,
        "rows": [
            {
                "level": level,
                "bands": _by_source(level.salary_bands.all(), sources),
                "ranges": _by_source(level.experience_ranges.all(), sources),
            }
            for level in Level.objects.with_ladder_figures()
        ],
    }


@require_safe
def ladder(request):
    # The most visited page: its content is rendered once per content version (see the
    # template's {% cache %}); the rows are read only when that fragment is rendered.
    return render(request, "roadmap/ladder.html", {"ladder": _ladder_rows, "content_version": content_version()})


@require_safe
def level_detail(request, slug):
    level = get_object_or_404(Level.objects.with_ladder_figures(), slug=slug)
    sources = list(Source.objects.all())
    items = list(Item.objects.for_display().filter(level=level).order_by("kind", "order"))
    context = {
        "level": level,
        "bands": [b for b in _by_source(level.salary_bands.all(), sources) if b],
        "ranges": [r for r in _by_source(level.experience_ranges.all(), sources) if r],
        "level_skills": LevelSkill.objects.for_level(level),
        "item_sections": [
            (anchor, heading, [i for i in items if i.kind == kind])
            for kind, anchor, heading in LEVEL_ITEM_SECTIONS
            if any(i.kind == kind for i in items)
        ],
        "kpis": KPI.objects.filter(level=level).select_related("source"),
        "stages": Stage.objects.for_level(level),
        "tips": Tip.objects.filter(level=level).select_related("source"),
        "next_level": Level.objects.filter(order__gt=level.order).order_by("order").first(),
        "previous_level": Level.objects.filter(order__lt=level.order).order_by("-order").first(),
    }
    return render(request, "roadmap/level_detail.html", context)


@require_safe
def roadmap(request):
    stages = Stage.objects.with_steps_and_tracks()
    # Which items to list (to do, done, ...): the learner's statuses are progress's business, so
    # the template's progress tags read and check it.
    return render(request, "roadmap/roadmap.html", {"stages": stages, "status_filter": request.GET.get("status", "")})


@require_safe
def stage_detail(request, slug):
    stage = get_object_or_404(
        Stage.objects.with_steps_and_tracks().prefetch_related(
            Prefetch("tips", queryset=Tip.objects.select_related("source"))
        ),
        slug=slug,
    )
    context = {
        "stage": stage,
        "previous_stage": Stage.objects.filter(order__lt=stage.order).order_by("-order").first(),
        "next_stage": Stage.objects.filter(order__gt=stage.order).order_by("order").first(),
    }
    return render(request, "roadmap/stage_detail.html", context)


@require_safe
def projects(request):
    items = Item.objects.for_display().of_kind(Item.Kind.PROJECT).order_by("level__order", "order")
    return render(request, "roadmap/projects.html", {"projects": items})


@require_safe
def certifications(request):
    items = Item.objects.for_display().of_kind(Item.Kind.CERTIFICATION).order_by("level__order", "order")
    return render(request, "roadmap/certifications.html", {"certifications": items})


@require_safe
def specializations(request):
    return render(
        request, "roadmap/specializations.html", {"specializations": Specialization.objects.prefetch_related("sources")}
    )
