import re
from urllib.parse import urljoin

import pytest
from django.urls import reverse

from roadmap.models import Item, LevelText, RoleArea, Tip
from tests.factories import (
    ExperienceRangeFactory,
    ItemFactory,
    KPIFactory,
    LevelFactory,
    LevelSkillFactory,
    LevelTextFactory,
    RoleAreaFactory,
    SalaryBandFactory,
    SkillFactory,
    SourceFactory,
    SpecializationFactory,
    StageFactory,
    StepFactory,
    TipFactory,
    TrackFactory,
    TrackModuleFactory,
)


def test_level_page_shows_skills_kpis_and_salary_bands_by_source(client, seeded):
    html = client.get(reverse("roadmap:level", args=["junior-ml-engineer"])).content.decode()
    for text in [
        "Python",
        "Technical Documentation",
        "Inference Latency (p95)",
        "default target",
        "$95,000 – $130,000",
        "$70,000 – $100,000",
        "$90,000 – $150,000",
        "$80,000 – $120,000",
        "Job-Ready Roadmap (data Mar 2026)",
        "How would you handle a dataset with significant class imbalance",
        "Next level: ML Engineer",
    ]:
        assert text in html, text


def test_ladder_shows_every_level_with_the_bands_of_every_source(client, seeded):
    html = client.get("/").content.decode()
    assert "Director of AI Engineering" in html
    assert "$250,000 – $500,000+" in html  # guide 003, AI Architect
    assert "$220,000 – $350,000+" in html  # guide 002, ML Architect / Head of AI
    assert "$300,000+" in html  # guide 000, senior, no upper figure


def test_archived_items_are_hidden_from_pages(client, seeded):
    item = Item.objects.get(key="junior-ml-engineer-deliverable-model-evaluation-report")
    item.is_archived = True
    item.save()
    html = client.get(reverse("roadmap:level", args=["junior-ml-engineer"])).content.decode()
    assert "Model Evaluation Report" not in html


def test_unknown_level_is_404(client, db):
    assert client.get(reverse("roadmap:level", args=["nope"])).status_code == 404


def test_every_public_page_is_reachable_by_following_links_from_home(client, seeded):
    expected = {
        reverse("roadmap:roadmap"),
        reverse("roadmap:projects"),
        reverse("roadmap:certifications"),
        reverse("roadmap:specializations"),
        *(reverse("roadmap:level", args=[s]) for s in ["junior-ml-engineer", "director-of-ai-engineering"]),
        reverse("roadmap:stage", args=["choose-your-specialization"]),
    }
    seen, queue = set(), ["/"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
            target = urljoin(url, href)
            if not target.startswith(("/static/", "/accounts/", "/admin/")) and target not in seen:
                queue.append(target)
    assert expected <= seen


def _content(scale: int):
    """A ladder with `scale` times as much of everything."""
    sources = SourceFactory.create_batch(2 * scale)
    for _ in range(2 * scale):
        level = LevelFactory()
        for source in sources:
            SalaryBandFactory(level=level, source=source)
            ExperienceRangeFactory(level=level, source=source)
        skill = SkillFactory()
        skill.sources.set(sources)
        LevelSkillFactory.create_batch(3 * scale, level=level)
        KPIFactory.create_batch(2 * scale, level=level)
        TipFactory.create_batch(scale, level=level)
        for section in LevelText.Section.values:
            for source in sources:
                LevelTextFactory(level=level, section=section, source=source)
        for kind in Item.LEVEL_KINDS:
            for item in ItemFactory.create_batch(scale, level=level, kind=kind):
                item.skills.add(skill)
        stage = StageFactory(level=level)
        StepFactory.create_batch(3 * scale, stage=stage)
        TrackModuleFactory.create_batch(scale, track=TrackFactory(stage=stage, letter="A"))
        TipFactory.create_batch(scale, stage=stage)
    SpecializationFactory.create_batch(scale)
    TipFactory.create_batch(scale, topic=Tip.Topic.SALARY, source=sources[0])
    TipFactory.create_batch(scale, topic=Tip.Topic.GENERAL)
    for group in RoleArea.Group.values:
        RoleAreaFactory.create_batch(scale, group=group, source=sources[-1], level=level)


@pytest.mark.parametrize("scale", [1, 5])
@pytest.mark.parametrize(
    ("name", "args", "max_queries"),
    [
        ("roadmap:ladder", [], 8),
        ("roadmap:level", ["level-first"], 15),
        ("roadmap:roadmap", [], 6),
        ("roadmap:stage", ["stage-first"], 8),
        ("roadmap:projects", [], 4),
        ("roadmap:certifications", [], 3),
        ("roadmap:specializations", [], 3),
        ("roadmap:role", [], 3),
        ("roadmap:sources", [], 12),
    ],
)
def test_public_pages_run_a_constant_number_of_queries(
    client, db, django_assert_max_num_queries, scale, name, args, max_queries
):
    _content(scale)
    first_level = LevelFactory(order=0, slug="level-first", years_min=0, years_max=1)
    StageFactory(order=0, slug="stage-first", level=first_level)
    with django_assert_max_num_queries(max_queries):
        response = client.get(reverse(name, args=args))
    assert response.status_code == 200
