from typing import Any

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from roadmap.cache import cached
from roadmap.models import (
    KPI,
    Criterion,
    ExperienceRange,
    Item,
    Level,
    LevelSkill,
    LevelText,
    RoleArea,
    SalaryBand,
    Source,
    Specialization,
    Stage,
    Tip,
)
from roadmap.pay import salary_gaps

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


def _grouped(pairs) -> list[tuple[str, list[Source]]]:
    """("0–2 years", source) pairs as each value once with every source that states it, in order."""
    grouped: dict[str, list[Source]] = {}
    for value, source in pairs:
        if source not in grouped.setdefault(value, []):
            grouped[value].append(source)
    return list(grouped.items())


def _years_by_source(level) -> list[tuple[str, list[Source]]]:
    return _grouped((r.label, r.source) for r in level.experience_ranges.all())


def _names_by_source(level) -> list[tuple[str, list[Source]]]:
    """What each guide calls the level: the names its figures are stated under, and names given without figures."""
    named = [(row.label_as_stated, row.source) for row in [*level.salary_bands.all(), *level.experience_ranges.all()]]
    named += [(text.text, text.source) for text in level.texts_of(LevelText.Section.NAME)]
    return sorted(_grouped((name, source) for name, source in named if name), key=lambda n: n[1][0].number)


def _ladder_rows() -> dict:
    sources = list(Source.objects.all())
    return {
        "sources": sources,
        "salary_notes": list(Tip.objects.on_topic(Tip.Topic.SALARY)),
        "progression": list(Tip.objects.on_topic(Tip.Topic.PROGRESSION)),
        "rows": [
            {
                "level": level,
                "years": _years_by_source(level),
                "bands": _by_source(level.salary_bands.all(), sources),
                "ranges": _by_source(level.experience_ranges.all(), sources),
            }
            for level in Level.objects.with_ladder_figures()
        ],
    }


@require_safe
def ladder(request):
    # The most visited page: its content is rendered once per content version; the rows are read
    # only when it is rendered. Safe: our own template output.
    body = cached("ladder", lambda: render_to_string("roadmap/_ladder.html", {"ladder": _ladder_rows}))
    return render(request, "roadmap/ladder.html", {"ladder": mark_safe(body)})


@require_safe
def level_detail(request, slug):
    level = get_object_or_404(Level.objects.with_ladder_figures(), slug=slug)
    sources = list(Source.objects.all())
    items = list(Item.objects.for_display().filter(level=level).order_by("kind", "order"))
    next_level = (
        Level.objects.filter(order__gt=level.order)
        .order_by("order")
        .prefetch_related(Prefetch("salary_bands", queryset=SalaryBand.objects.select_related("source")))
        .first()
    )
    context = {
        "level": level,
        "years": _years_by_source(level),
        "names": _names_by_source(level),
        "sections": {section: level.texts_of(section) for section in LevelText.Section.values},
        "salary_notes": Tip.objects.on_topic(Tip.Topic.SALARY),
        "bands": [b for b in _by_source(level.salary_bands.all(), sources) if b],
        "ranges": [r for r in _by_source(level.experience_ranges.all(), sources) if r],
        "level_skills": LevelSkill.objects.for_level(level),
        "item_sections": [
            (anchor, heading, [i for i in items if i.kind == kind])
            for kind, anchor, heading in LEVEL_ITEM_SECTIONS
            if any(i.kind == kind for i in items)
        ],
        "kpis": KPI.objects.filter(level=level).select_related("source", "description_source"),
        "stages": Stage.objects.for_level(level).select_related("level_source"),
        "tips": Tip.objects.filter(level=level).select_related("source"),
        "next_level": next_level,
        "salary_gaps": salary_gaps(level, next_level) if next_level else [],
        "previous_level": Level.objects.filter(order__lt=level.order).order_by("-order").first(),
    }
    return render(request, "roadmap/level_detail.html", context)


@require_safe
def roadmap(request):
    stages = list(Stage.objects.with_steps_and_tracks())
    # Which items to list (to do, done, ...): the learner's statuses are progress's business, so
    # the template's progress tags read and check it.
    context = {
        "stages": stages,
        "status_filter": request.GET.get("status", ""),
        "tips": Tip.objects.on_topic(Tip.Topic.GENERAL),
    }
    return render(request, "roadmap/roadmap.html", context)


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
    context = {"projects": items, "tips": Tip.objects.on_topic(Tip.Topic.PROJECTS)}
    return render(request, "roadmap/projects.html", context)


@require_safe
def certifications(request):
    items = list(Item.objects.for_display().of_kind(Item.Kind.CERTIFICATION).order_by("level__order", "order"))
    context = {"certifications": items, "tips": Tip.objects.on_topic(Tip.Topic.CERTIFICATION)}
    return render(request, "roadmap/certifications.html", context)


@require_safe
def specializations(request):
    specs = Specialization.objects.select_related("description_source").prefetch_related("sources")
    return render(request, "roadmap/specializations.html", {"specializations": specs})


@require_safe
def role(request):
    areas = RoleArea.objects.select_related("source", "level")
    groups = [
        (group, label, _grouped_by_source([area for area in areas if area.group == group]))
        for group, label in RoleArea.Group.choices
    ]
    return render(request, "roadmap/role.html", {"groups": [g for g in groups if g[2]]})


def _grouped_by_source(rows) -> list[tuple[Source | None, list]]:
    """Rows as (source, its rows), one guide beside the other, in the rows' order."""
    grouped: dict[Source | None, list] = {}
    for row in rows:
        grouped.setdefault(row.source, []).append(row)
    return list(grouped.items())


# What a guide can supply, counted per source on the sources page (None: ours). Any: the models
# share no base class that has `source`.
SUPPLIED: list[tuple[Any, str]] = [
    (SalaryBand, "salary bands"),
    (ExperienceRange, "year ranges"),
    (LevelText, "statements about levels"),
    (LevelSkill, "skills placed at a level"),
    (KPI, "KPIs"),
    (Stage, "stages"),
    (Item, "steps, deliverables, projects, certifications and questions"),
    (Tip, "tips"),
    (RoleArea, "descriptions of the work"),
    (Criterion, "review criteria"),
]


def _supplied_counts() -> dict[int | None, list[tuple[str, int]]]:
    counts: dict[int | None, list[tuple[str, int]]] = {}
    for model, label in SUPPLIED:
        rows = Item.objects.current() if model is Item else model._default_manager.all()
        for row in rows.values("source").annotate(n=Count("pk")).order_by("source"):
            counts.setdefault(row["source"], []).append((label, row["n"]))
    return counts


@require_safe
def sources(request):
    counts = _supplied_counts()
    rows = [(source, counts.get(source.pk, [])) for source in Source.objects.all()]
    return render(request, "roadmap/sources.html", {"rows": rows, "ours": counts.get(None, [])})
