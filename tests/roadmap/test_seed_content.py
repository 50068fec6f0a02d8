import json

from django.core.management import call_command

from roadmap.models import (
    KPI,
    ContentRelease,
    ExperienceRange,
    Item,
    Level,
    LevelSkill,
    LevelText,
    RoleArea,
    SalaryBand,
    Skill,
    Source,
    Specialization,
    Stage,
    Tip,
    Track,
    TrackModule,
)
from roadmap.services import SEED_FIXTURE, content_release_load

CONTENT_MODELS = [
    Source,
    Level,
    ExperienceRange,
    SalaryBand,
    Skill,
    LevelSkill,
    Stage,
    Track,
    TrackModule,
    Item,
    KPI,
    Specialization,
    Tip,
    LevelText,
    RoleArea,
]


def _counts():
    return {model.__name__: model.objects.count() for model in CONTENT_MODELS}


def test_seed_loads_every_guide_and_loading_twice_adds_nothing(seeded):
    first = _counts()
    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    call_command("load_roadmap", "--force", verbosity=0)
    assert _counts() == first
    assert first["Source"] == 4
    assert list(Level.objects.values_list("title", flat=True)) == [
        "Junior ML Engineer",
        "ML Engineer",
        "Senior ML Engineer",
        "Lead ML Engineer",
        "ML / AI Architect",
        "Director of AI Engineering",
    ]


def test_every_guides_salary_figures_are_kept_with_their_source(seeded):
    bands = {
        (b.source.number, b.level.slug): (b.min_amount, b.max_amount, b.open_ended)
        for b in SalaryBand.objects.select_related("source", "level")
    }
    assert bands[(0, "senior-ml-engineer")] == (300_000, None, True)
    assert bands[(1, "junior-ml-engineer")] == (95_000, 130_000, False)
    assert bands[(2, "ml-ai-architect")] == (220_000, 350_000, True)
    assert bands[(3, "lead-ml-engineer")] == (220_000, 400_000, True)
    assert len(bands) == 15


def test_junior_level_has_the_six_kpis_of_guide_001_with_default_targets(seeded):
    kpis = KPI.objects.filter(level__slug="junior-ml-engineer")
    assert [k.name for k in kpis] == [
        "Model Accuracy vs. Baseline",
        "Pipeline Success Rate",
        "Experiment Reproducibility",
        "Data Quality & Coverage",
        "Inference Latency (p95)",
        "Pull Request Merge Rate",
    ]
    assert all(k.source.number == 1 and k.target_is_default for k in kpis)


def test_every_level_has_kpis(seeded):
    assert not Level.objects.filter(kpis__isnull=True).exists()


def test_five_stages_with_learn_and_practice_steps_and_tracks(seeded):
    stages = list(Stage.objects.with_steps_and_tracks())
    assert len(stages) == 5
    first = stages[0]
    learn = [s.title for s in first.current_steps if s.kind == "learn"]
    assert learn[:4] == [
        "Python for Data Science",
        "Linear Algebra & Statistics Essentials",
        "Intro to Machine Learning",
        "Data Wrangling with Pandas",
    ]
    assert [t.letter for t in first.tracks.all()] == ["A", "B", "C"]
    # The roadmaps of guides 000 and 003 are merged in, each step keeping its source.
    assert Item.objects.filter(source__number=0, kind__in=Item.STEP_KINDS).count() == 7
    assert Item.objects.filter(source__number=3, kind__in=Item.STEP_KINDS).count() == 6


def test_projects_and_certifications_of_guide_003(seeded):
    projects = Item.objects.of_kind(Item.Kind.PROJECT).prefetch_related("skills")
    demonstrated = {p.title: [s.name for s in p.skills.all()] for p in projects}
    assert demonstrated["Fraud Detection System"] == ["Classification & Analytics"]
    assert len(demonstrated) == 6
    assert Item.objects.of_kind(Item.Kind.CERTIFICATION).count() == 5


def test_same_release_is_not_reloaded_so_admin_edits_survive_a_restart(seeded):
    summary = LevelText.objects.filter(level__slug="junior-ml-engineer", section="summary", order=1)
    summary.update(text="Edited by an admin.")
    result = content_release_load()
    assert not result.loaded
    assert summary.get().text == "Edited by an admin."


def test_item_dropped_from_a_new_release_is_archived_not_deleted(seeded, tmp_path):
    data = json.loads(SEED_FIXTURE.read_text())
    dropped = "junior-ml-engineer-deliverable-data-pipeline-project"
    data = [o for o in data if o["fields"].get("key") != dropped]
    new_release = tmp_path / "roadmap.json"
    new_release.write_text(json.dumps(data))

    result = content_release_load(path=new_release)

    assert result.archived_keys == [dropped]
    item = Item.objects.get(key=dropped)
    assert item.is_archived
    assert not Item.objects.current().filter(key=dropped).exists()
    assert ContentRelease.objects.count() == 2


def test_level_for_years_uses_the_levels_year_ranges(seeded):
    assert Level.objects.for_years(0).slug == "junior-ml-engineer"
    assert Level.objects.for_years(3).slug == "ml-engineer"
    assert Level.objects.for_years(9).slug == "lead-ml-engineer"
    assert Level.objects.for_years(11).slug == "ml-ai-architect"
    assert Level.objects.for_years(20).slug == "director-of-ai-engineering"
