"""A new content release merges with what editors did in the admin since the last one."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from roadmap.models import KPI, ContentRelease, Criterion, Item, SalaryBand, Tip
from roadmap.services import SEED_FIXTURE, content_release_load
from tests.factories import UserFactory
from tests.roadmap.conftest import admin_form_data

STAGE = "python-math-and-ml-foundations"
BAND = {"level": ["junior-ml-engineer"], "source": ["guide-000"]}


def _release_b(tmp_path, editor_step_order: int, retitled: str = ""):
    """Release A with changes to rows editors touched and to rows they did not."""
    objects = json.loads(SEED_FIXTURE.read_text())
    for obj in objects:
        fields = obj["fields"]
        if obj["model"] == "roadmap.salaryband" and {k: fields[k] for k in BAND} == BAND:
            fields["min_amount"] = 91_000  # an editor changed this figure too: the editor's stays
        if obj["model"] == "roadmap.item" and fields["key"] == retitled:
            fields["title"] = "Introduction to Machine Learning (release B)"  # an editor moved it
        if obj["model"] == "roadmap.tip" and fields["key"] == "start-with-supervised-learning":
            fields["text"] = "Start with supervised learning (release B)."  # nobody edited it: updated
        if obj["model"] == "roadmap.kpi" and fields["slug"] == "junior-ml-engineer-model-accuracy-vs-baseline":
            fields["target"] = "6"  # nobody edited it: updated
        if obj["model"] == "roadmap.item" and fields["key"] == "stage1-learn-python-for-data-science":
            fields["is_archived"] = False  # an editor archived it: stays archived
    objects.append(
        {
            "model": "roadmap.item",
            "fields": {
                "key": "stage1-learn-release-b-topic",
                "kind": "learn",
                "title": "A topic new in release B",
                "description": "",
                "stage": [STAGE],
                "level": None,
                "order": editor_step_order,  # taken by the editor's own step
                "source": ["guide-001"],
                "issuer": "",
                "answer_covers": "",
                "skills": [],
                "is_archived": False,
            },
        }
    )
    path = tmp_path / "release-b.json"
    path.write_text(json.dumps(objects))
    return path


@pytest.fixture
def editor(client, seeded):
    client.force_login(UserFactory(email="editor@example.com", is_staff=True, is_superuser=True))
    return client


def test_a_release_keeps_editors_work_updates_the_rest_and_reports_both(editor, tmp_path):
    # Editor: change a band, add a step, swap two steps, archive one.
    band = SalaryBand.objects.get(level__slug="junior-ml-engineer", source__key="guide-000")
    url = reverse("admin:roadmap_salaryband_change", args=[band.pk])
    assert editor.post(url, admin_form_data(editor, url, min_amount=95_000)).status_code == 302

    steps = list(Item.objects.current().filter(stage__slug=STAGE).order_by("order"))
    stage_url = reverse("admin:roadmap_stage_change", args=[steps[0].stage_id])
    data = admin_form_data(editor, stage_url)
    rows = {v: k.rsplit("-", 1)[0] for k, v in data.items() if k.endswith("-key")}
    data[f"{rows[steps[1].key]}-order"], data[f"{rows[steps[2].key]}-order"] = 3, 2
    prefix = rows[steps[0].key].rsplit("-", 1)[0]
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": n + 1,
            f"{prefix}-{n}-kind": "practice",
            f"{prefix}-{n}-title": "Editor's own step",
            f"{prefix}-{n}-key": "stage1-editors-own-step",
        }
    )
    assert editor.post(stage_url, data).status_code == 302
    editor.post(reverse("admin:roadmap_step_changelist"), {"action": "archive", "_selected_action": [steps[0].pk]})
    editors_order = {i.key: i.order for i in Item.objects.current().filter(stage__slug=STAGE)}

    release = _release_b(tmp_path, editors_order["stage1-editors-own-step"], retitled=steps[1].key)
    dry = content_release_load(path=release, dry_run=True)
    assert "tip start-with-supervised-learning" in dry.report["updated"]
    assert Tip.objects.get(key="start-with-supervised-learning").text != "Start with supervised learning (release B)."

    result = content_release_load(path=release)
    assert result.loaded
    band.refresh_from_db()
    assert band.min_amount == 95_000  # the editor's figure
    assert Tip.objects.get(key="start-with-supervised-learning").text == "Start with supervised learning (release B)."
    assert KPI.objects.get(slug="junior-ml-engineer-model-accuracy-vs-baseline").target == 6
    assert Item.objects.get(key=steps[0].key).is_archived
    current = list(Item.objects.current().filter(stage__slug=STAGE).order_by("order").values_list("key", flat=True))
    # The editor's order (their swap, their new step) stands; the release's new step, whose place the
    # editor's step took, comes at the end.
    assert current[:-1] == sorted(editors_order, key=editors_order.get)
    assert current[-1] == "stage1-learn-release-b-topic"

    # Field by field: the reordered step takes the release's new title and keeps the editor's place.
    assert Item.objects.get(key=steps[1].key).title == "Introduction to Machine Learning (release B)"
    assert current.index(steps[1].key) > current.index(steps[2].key)

    report = ContentRelease.objects.get(checksum=result.checksum).report
    assert (
        "salaryband junior-ml-engineer/guide-000: min_amount: kept the editor's “95000”; the release has “91000”"
        in report["conflicts"]
    )
    assert (
        f"item {steps[1].key}: title “{steps[1].title}” → “Introduction to Machine Learning (release B)”"
        in report["applied"]
    )
    assert f"item {steps[2].key}: order: the editor's “2” (the release still has “3”)" in report["kept"]
    assert f"item {steps[0].key}" in report["kept_archived"]
    assert report["moved_to_end"] == ["item stage1-learn-release-b-topic"]  # and no untouched item
    assert "tip start-with-supervised-learning" in report["updated"]
    assert any(line.startswith("tip start-with-supervised-learning: text “") for line in report["applied"])


def test_the_command_prints_the_report_and_a_dry_run_changes_nothing(seeded, tmp_path, capsys):
    release = _release_b(tmp_path, 99)
    call_command("load_roadmap", "--path", str(release), "--dry-run")
    out = capsys.readouterr().out
    assert "Would load (dry run, nothing changed)" in out
    assert "updated" in out
    assert not Item.objects.filter(key="stage1-learn-release-b-topic").exists()
    call_command("load_roadmap", "--path", str(release))
    assert "created (1): item stage1-learn-release-b-topic" in capsys.readouterr().out


def test_a_release_whose_new_source_clashes_with_an_editors_reports_it_and_loads_the_rest(seeded, tmp_path):
    """An editor added guide number 4; the release brings its own guide 4 (another key) and a band
    credited to it. The source and its band cannot be applied: both are reported, the rest loads."""
    from roadmap.models import Source

    Source.objects.create(key="editors-guide", number=4, title="An editor's guide", badge="Editor 2026")
    objects = json.loads(SEED_FIXTURE.read_text())
    objects.append(
        {
            "model": "roadmap.source",
            "fields": {
                "key": "guide-004",
                "number": 4,
                "title": "A fifth guide",
                "publisher": "P",
                "date_stated": "2026",
                "note": "",
                "badge": "Fifth 2026",
            },
        }
    )
    objects.append(
        {
            "model": "roadmap.salaryband",
            "fields": {
                "level": ["ml-engineer"],
                "source": ["guide-004"],
                "label_as_stated": "Mid",
                "min_amount": 1,
                "max_amount": 2,
                "currency": "USD",
                "open_ended": False,
                "growth_note": "",
            },
        }
    )
    objects.append(
        {
            "model": "roadmap.tip",
            "fields": {
                "key": "new-in-this-release",
                "text": "A tip only this release has.",
                "order": 99,
                "topic": "general",
                "level": None,
                "stage": None,
                "source": ["guide-001"],
                "wording": "quoted",
            },
        }
    )
    path = tmp_path / "release-c.json"
    path.write_text(json.dumps(objects))
    for dry_run in (True, False):
        result = content_release_load(path=path, force=True, dry_run=dry_run)
        not_applied = " ".join(result.report["not_applied"])
        assert "source guide-004" in not_applied
        assert "salaryband ml-engineer: credited to source guide-004, which is not loaded" in not_applied
    assert Tip.objects.filter(key="new-in-this-release").exists()
    assert not SalaryBand.objects.filter(source__key="guide-004").exists()
    assert Source.objects.get(number=4).key == "editors-guide"


def test_an_editors_review_criterion_survives_a_release_that_changes_the_others(editor, tmp_path):
    """Rubrics are content too: a criterion an editor reworded keeps the editor's words, another
    takes the release's, and the change shows in the admin's history."""
    edited = Criterion.objects.get(key="model-evaluation-report-compute-cost")
    url = reverse("admin:roadmap_criterion_change", args=[edited.pk])
    assert (
        editor.post(url, admin_form_data(editor, url, text="Cost per 1,000 predictions is compared")).status_code == 302
    )
    objects = json.loads(SEED_FIXTURE.read_text())
    for obj in objects:
        if obj["model"] == "roadmap.criterion" and obj["fields"]["key"] in (edited.key, "project-code-is-reproducible"):
            obj["fields"]["text"] += " (release B)"
    release = tmp_path / "release-b.json"
    release.write_text(json.dumps(objects))

    content_release_load(path=release)
    assert Criterion.objects.get(key=edited.key).text == "Cost per 1,000 predictions is compared"
    assert Criterion.objects.get(key="project-code-is-reproducible").text.endswith("(release B)")
    history = editor.get(reverse("admin:roadmap_criterion_history", args=[edited.pk])).content.decode()
    assert "Cost per 1,000 predictions is compared" in history
