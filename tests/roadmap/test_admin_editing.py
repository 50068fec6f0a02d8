"""The tasks a content editor does every week in the admin: never a 500, always audited."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.test import APIClient

from roadmap.models import KPI, ContentRelease, Item, Level, LevelSkill, LevelText, Skill, Source, Stage, Step
from tests.factories import KPIMeasurementFactory, UserFactory
from tests.roadmap.conftest import admin_form_data

STAGE = "python-math-and-ml-foundations"


@pytest.fixture
def editor(client, seeded):
    client.force_login(UserFactory(email="editor@example.com", name="Eda Editor", is_staff=True, is_superuser=True))
    return client


def _stage_url():
    return reverse("admin:roadmap_stage_change", args=[Stage.objects.get(slug=STAGE).pk])


def _orders():
    return list(Item.objects.current().filter(stage__slug=STAGE).order_by("order").values_list("key", "order"))


def _row(data, key) -> int:
    return next(int(k.split("-")[1]) for k, v in data.items() if k.endswith("-key") and v == key and "item" in k)


def _add_row(data, prefix, **fields) -> None:
    """One more inline row in the posted form, as the admin's "Add another" makes it."""
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = n + 1
    data.update({f"{prefix}-{n}-{name}": value for name, value in fields.items()})


def test_swapping_two_steps_in_one_save_reorders_them(editor):
    before = _orders()
    (first, _), (second, _) = before[0], before[1]
    data = admin_form_data(editor, _stage_url())
    prefix = next(k for k in data if k.endswith("-key") and data[k] == first).rsplit("-", 2)[0]
    data[f"{prefix}-{_row(data, first)}-order"], data[f"{prefix}-{_row(data, second)}-order"] = 2, 1
    response = editor.post(_stage_url(), data)
    assert response.status_code == 302
    after = _orders()
    assert [key for key, _ in after[:2]] == [second, first]
    assert [order for _, order in after] == list(range(1, len(after) + 1))


def test_a_new_step_at_a_taken_position_moves_the_others_down(editor):
    before = _orders()
    data = admin_form_data(editor, _stage_url())
    prefix = next(k for k in data if k.endswith("-key") and data[k] == before[0][0]).rsplit("-", 2)[0]
    _add_row(
        data, prefix, order=2, kind="learn", title="Probability refresher", key="stage1-learn-probability-refresher"
    )
    assert editor.post(_stage_url(), data).status_code == 302
    after = _orders()
    assert after[1] == ("stage1-learn-probability-refresher", 2)
    assert after[2][0] == before[1][0]
    assert len(after) == len(before) + 1


def test_a_new_step_without_a_position_goes_to_the_end(editor):
    before = _orders()
    data = admin_form_data(editor, _stage_url())
    prefix = next(k for k in data if k.endswith("-key") and data[k] == before[0][0]).rsplit("-", 2)[0]
    _add_row(data, prefix, kind="practice", title="Kaggle warm-up", key="stage1-practice-kaggle-warm-up")
    assert editor.post(_stage_url(), data).status_code == 302
    assert _orders()[-1] == ("stage1-practice-kaggle-warm-up", len(before) + 1)


def test_a_step_row_cannot_become_a_deliverable(editor):
    data = admin_form_data(editor, _stage_url())
    kind_field = next(k for k in data if k.endswith("-kind"))
    data[kind_field] = "deliverable"
    response = editor.post(_stage_url(), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_swapping_deliverables_on_a_level_page_reorders_them(editor):
    level = Level.objects.get(slug="junior-ml-engineer")
    url = reverse("admin:roadmap_level_change", args=[level.pk])
    keys = list(
        Item.objects.current().filter(level=level, kind="deliverable").order_by("order").values_list("key", flat=True)
    )
    data = admin_form_data(editor, url)
    rows = {v: k.rsplit("-", 1)[0] for k, v in data.items() if k.endswith("-key") and v in keys}
    data[f"{rows[keys[0]]}-order"], data[f"{rows[keys[1]]}-order"] = 2, 1
    assert editor.post(url, data).status_code == 302
    after = Item.objects.current().filter(level=level, kind="deliverable").order_by("order")
    assert [i.key for i in after][:2] == [keys[1], keys[0]]


def _act(client, action, item):
    return client.post(
        reverse("admin:roadmap_step_changelist"), {"action": action, "_selected_action": [item.pk]}, follow=True
    )


def test_restoring_a_step_whose_place_was_taken_puts_it_at_the_end_and_writes_history(editor):
    step = Step.objects.filter(stage__slug=STAGE).order_by("order").first()
    _act(editor, "archive", step)
    Step.objects.create(stage=step.stage, kind="learn", order=step.order, title="Newcomer", key="stage1-newcomer")
    response = _act(editor, "restore", step)
    assert response.status_code == 200
    step.refresh_from_db()
    assert not step.is_archived
    assert step.order == len(_orders())
    messages = list(LogEntry.objects.filter(object_id=str(step.pk)).values_list("change_message", flat=True))
    assert any("Archived" in m for m in messages)
    assert any("Restored" in m for m in messages)


def test_staff_with_only_view_permission_cannot_archive_or_restore(client, seeded):
    viewer = UserFactory(email="viewer@example.com", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_step"))
    client.force_login(viewer)
    step = Step.objects.filter(stage__slug=STAGE).first()
    _act(client, "archive", step)
    step.refresh_from_db()
    assert not step.is_archived
    assert not LogEntry.objects.exists()


def test_history_names_the_editor_properly(editor):
    level = Level.objects.get(slug="junior-ml-engineer")
    url = reverse("admin:roadmap_level_change", args=[level.pk])
    editor.post(url, admin_form_data(editor, url, summary="Edited by Eda"))
    history = editor.get(reverse("admin:roadmap_level_history", args=[level.pk])).content.decode()
    assert "Eda Editor" in history
    assert "None None" not in history


@pytest.fixture
def learner(seeded):
    ada = UserFactory(email="ada@example.com")
    return ada


def test_staff_never_see_or_edit_a_learners_two_factor_secret(editor, learner):
    totp = Authenticator.objects.create(user=learner, type="totp", data={"secret": "JBSWY3DPEHPK3PXP"})
    page = editor.get(reverse("admin:mfa_authenticator_change", args=[totp.pk])).content.decode()
    assert "JBSWY3DPEHPK3PXP" not in page
    assert 'name="data"' not in page
    editor.post(reverse("admin:mfa_authenticator_change", args=[totp.pk]), {"data": '{"secret": "X"}'})
    totp.refresh_from_db()
    assert totp.data == {"secret": "JBSWY3DPEHPK3PXP"}
    editor.post(reverse("admin:mfa_authenticator_delete", args=[totp.pk]), {"post": "yes"})
    assert not Authenticator.objects.filter(pk=totp.pk).exists()


def test_an_address_changed_by_staff_is_unverified(editor, learner):
    url = reverse("admin:accounts_user_change", args=[learner.pk])
    assert editor.post(url, admin_form_data(editor, url, email="ada.new@example.com")).status_code == 302
    address = EmailAddress.objects.get(user=learner)
    assert (address.email, address.verified) == ("ada.new@example.com", False)


def test_turning_public_sharing_on_in_the_admin_makes_a_link(editor, learner):
    url = reverse("admin:accounts_user_change", args=[learner.pk])
    assert editor.post(url, admin_form_data(editor, url, public_sharing=True)).status_code == 302
    learner.refresh_from_db()
    assert learner.public_sharing
    assert learner.public_slug


# --- validation in words ----------------------------------------------------------------------


def _level_url(slug="junior-ml-engineer"):
    return reverse("admin:roadmap_level_change", args=[Level.objects.get(slug=slug).pk])


def _inline_field(data, suffix, value_match=None):
    return next(k for k, v in data.items() if k.endswith(suffix) and (value_match is None or v == value_match))


def test_a_constraint_is_explained_in_words(editor):
    data = admin_form_data(editor, _level_url())
    data[_inline_field(data, "-min_amount")] = 500_000
    page = editor.post(_level_url(), data).content.decode()
    assert "The lowest salary cannot be above the highest." in page
    assert "Constraint" not in page


def test_a_negative_latency_target_is_refused(editor):
    kpi = KPI.objects.filter(unit="ms").first()
    url = reverse("admin:roadmap_kpi_change", args=[kpi.pk])
    page = editor.post(url, admin_form_data(editor, url, target="-5")).content.decode()
    assert "cannot be negative" in page
    kpi.refresh_from_db()
    assert kpi.target > 0


def test_overlapping_years_of_one_guide_are_refused(editor):
    level = Level.objects.get(slug="ml-engineer")
    url = reverse("admin:roadmap_level_change", args=[level.pk])
    data = admin_form_data(editor, url)
    row = next(k.rsplit("-", 1)[0] for k, v in data.items() if k.endswith("-years_min") and "experience" in k)
    data[f"{row}-years_min"] = 1  # Junior is 0-2 in the same guide
    page = editor.post(url, data).content.decode()
    assert "These years overlap Junior ML Engineer" in page


def test_a_currency_comes_from_the_list(editor):
    data = admin_form_data(editor, _level_url())
    data[_inline_field(data, "-currency")] = "XX1"
    assert "Select a valid choice" in editor.post(_level_url(), data).content.decode()


def test_a_unit_change_with_learners_values_asks_first(editor, learner):
    kpi = KPI.objects.filter(unit="pp").first()
    KPIMeasurementFactory(user=learner, kpi=kpi, value=3)
    url = reverse("admin:roadmap_kpi_change", args=[kpi.pk])
    page = editor.post(url, admin_form_data(editor, url, unit="percent")).content.decode()
    assert "Learners have 1 value(s) logged" in page
    kpi.refresh_from_db()
    assert kpi.unit == "pp"
    editor.post(url, admin_form_data(editor, url, unit="percent", confirm_unit_change="on"))
    kpi.refresh_from_db()
    assert kpi.unit == "percent"


def test_a_tip_needs_a_level_a_stage_or_a_topic(editor):
    page = editor.post(reverse("admin:roadmap_tip_add"), {"key": "keep", "text": "Keep learning", "order": 1})
    assert "a tip with none of them appears on no page" in page.content.decode()
    response = editor.post(
        reverse("admin:roadmap_tip_add"),
        {"key": "keep", "text": "Keep learning", "order": 1, "topic": "general", "wording": "ours"},
    )
    assert response.status_code == 302
    assert "Keep learning" in editor.get(reverse("roadmap:roadmap")).content.decode()


def test_saving_an_untouched_level_changes_nothing(editor):
    url = _level_url()
    data = admin_form_data(editor, url)
    for key, value in data.items():
        if key.startswith("texts-") and key.endswith("-text"):
            data[key] = value.replace("\n", "\r\n") + "\r\n"  # as a browser posts a text area
    editor.post(url, data)
    entry = LogEntry.objects.filter(object_id=str(Level.objects.get(slug="junior-ml-engineer").pk)).latest("pk")
    assert "level text" not in entry.get_change_message()
    assert not LevelText.objects.filter(edited_at__isnull=False).exists()


# --- finding things ---------------------------------------------------------------------------


@pytest.mark.parametrize("term", ["003", "Guide 003", "guide 3"])
def test_the_source_picker_finds_a_guide_by_its_number(editor, term):
    response = editor.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "roadmap", "model_name": "kpi", "field_name": "source"},
    )
    assert [r["text"] for r in response.json()["results"]] == [str(Source.objects.get(number=3))]


def test_every_content_list_filters_by_source_including_ours(editor):
    ours = KPI.objects.filter(source__isnull=True).count()
    page = editor.get(reverse("admin:roadmap_kpi_changelist"), {"source": "ours"}).content.decode()
    assert f"{ours} KPI" in page or ours == 0
    assert "Ours (no guide)" in page


def test_a_skill_page_lists_the_levels_that_expect_it(editor):
    skill = LevelSkill.objects.first().skill
    page = editor.get(reverse("admin:roadmap_skill_change", args=[skill.pk])).content.decode()
    assert "levels that expect it" in page.lower()


def test_releases_cannot_be_deleted(editor):
    release = ContentRelease.objects.first()
    assert editor.get(reverse("admin:roadmap_contentrelease_delete", args=[release.pk])).status_code == 403
    assert "delete_selected" not in editor.get(reverse("admin:roadmap_contentrelease_changelist")).content.decode()


def test_staff_see_every_editors_recent_changes(editor, client):
    other = UserFactory(email="other@example.com", name="Otto", is_staff=True, is_superuser=True)
    client.force_login(other)
    url = _level_url()
    client.post(url, admin_form_data(client, url, summary="Otto's words"))
    page = client.get(reverse("admin:admin_logentry_changelist")).content.decode()
    assert "Junior ML Engineer" in page
    assert "Otto" in page


# The management form of the item's review criteria (an inline on deliverables and projects), none added.
NO_CRITERIA = {"criteria-TOTAL_FORMS": 0, "criteria-INITIAL_FORMS": 0}


@pytest.mark.parametrize(
    ("model", "kind", "extra"),
    [
        ("deliverable", "deliverable", NO_CRITERIA),
        ("portfolioproject", "project", NO_CRITERIA),
        ("interviewquestion", "question", {}),
    ],
)
def test_adding_an_item_of_a_kind_the_level_already_has_puts_it_among_its_kind(editor, model, kind, extra):
    """The add page used to place the new row before it had its kind, on position 1 of another
    section, and answered 500 (UNIQUE level, kind, order) whenever the level had one already."""
    level = Level.objects.get(slug="junior-ml-engineer")
    before = list(Item.objects.current().filter(level=level, kind=kind).order_by("order").values_list("key", flat=True))
    assert before, "the level needs an item of this kind already"
    response = editor.post(
        reverse(f"admin:roadmap_{model}_add"),
        {"level": level.pk, "title": "A new one", "key": f"new-{kind}", "order": 1, **extra},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    after = list(Item.objects.current().filter(level=level, kind=kind).order_by("order").values_list("key", flat=True))
    assert after == [f"new-{kind}", *before]


def test_a_release_report_cannot_be_edited_even_by_a_superuser(editor):
    release = ContentRelease.objects.first()
    url = reverse("admin:roadmap_contentrelease_change", args=[release.pk])
    page = editor.get(url)
    assert page.status_code == 200  # still readable
    assert 'name="report"' not in page.content.decode()
    assert editor.post(url, {"report": '{"note": "tampered"}'}).status_code == 403
    release.refresh_from_db()
    assert release.report != {"note": "tampered"}


def test_a_target_an_editor_sets_is_no_longer_marked_as_our_default(editor):
    kpi = KPI.objects.filter(target_is_default=True).first()
    url = reverse("admin:roadmap_kpi_change", args=[kpi.pk])
    assert editor.post(url, admin_form_data(editor, url, target=str(kpi.target + 1))).status_code == 302
    kpi.refresh_from_db()
    assert not kpi.target_is_default


def test_a_skill_added_to_a_level_without_a_position_comes_last(editor):
    from roadmap.models import Skill

    level = Level.objects.get(slug="junior-ml-engineer")
    skill = Skill.objects.create(name="Prompt Engineering", slug="prompt-engineering", kind="technical")
    response = editor.post(
        reverse("admin:roadmap_levelskill_add"),
        {"level": level.pk, "skill": skill.pk, "expectation": "learn", "order": 0},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    orders = list(LevelSkill.objects.filter(level=level).order_by("order").values_list("skill__slug", flat=True))
    assert orders[-1] == "prompt-engineering"


# --- history an editor can read ------------------------------------------------------------------


def test_history_names_each_changed_field_with_its_old_and_new_value(editor):
    kpi = KPI.objects.get(slug="junior-ml-engineer-model-accuracy-vs-baseline")
    url = reverse("admin:roadmap_kpi_change", args=[kpi.pk])
    assert editor.post(url, admin_form_data(editor, url, target="7")).status_code == 302
    message = LogEntry.objects.filter(object_id=str(kpi.pk)).latest("pk").get_change_message()
    assert f"target from “{kpi.target}” to “7”" in message

    level = Level.objects.get(slug="junior-ml-engineer")
    summary = level.texts.get(section="summary", order=1)
    url = reverse("admin:roadmap_level_change", args=[level.pk])
    data = admin_form_data(editor, url)
    data[next(k for k, v in data.items() if k.endswith("-text") and v == summary.text)] = "A shorter summary."
    assert editor.post(url, data).status_code == 302
    message = LogEntry.objects.filter(object_id=str(level.pk)).latest("pk").get_change_message()
    assert f"Changed level text “{LevelText.objects.get(pk=summary.pk)}”: text from “{summary.text[:40]}" in message
    assert "to “A shorter summary.”" in message


def test_a_content_editor_reads_the_contents_history_and_not_the_learners(client, seeded):
    editor = UserFactory(email="kpi-editor@example.com", is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["change_kpi", "view_kpi"]))
    client.force_login(editor)
    kpi = KPI.objects.get(slug="junior-ml-engineer-model-accuracy-vs-baseline")
    url = reverse("admin:roadmap_kpi_change", args=[kpi.pk])
    assert client.post(url, admin_form_data(client, url, target="8")).status_code == 302
    learner = UserFactory(email="learner@example.com")
    LogEntry.objects.log_actions(user_id=editor.pk, queryset=[learner], action_flag=2, change_message="Changed name.")
    page = client.get(reverse("admin:admin_logentry_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "target from" in text
    assert "to “8”" in text
    assert "learner@example.com" not in text


def test_a_new_guide_gets_its_key_from_its_number_and_an_address(editor):
    response = editor.post(
        reverse("admin:roadmap_source_add"),
        {
            "number": 7,
            "title": "A seventh guide",
            "key": "",
            "publisher": "Pub",
            "date_stated": "2026",
            "url": "https://guides.example/seventh",
            "badge": "Pub 2026",
            "note": "",
        },
    )
    assert response.status_code == 302
    source = Source.objects.get(number=7)
    assert (source.key, source.url) == ("guide-007", "https://guides.example/seventh")
    assert 'href="https://guides.example/seventh"' in editor.get(reverse("roadmap:sources")).content.decode()


def test_an_edited_skill_description_shows_the_guide_it_comes_from(editor, client):
    skill = Skill.objects.get(slug="python")
    url = reverse("admin:roadmap_skill_change", args=[skill.pk])
    guide = Source.objects.get(key="guide-002")
    data = admin_form_data(editor, url, description="Python for data work.", description_source=guide.pk)
    # Credited to a guide but still marked ours: a clear message on the form, nothing saved.
    refused = editor.post(url, data)
    assert refused.status_code == 200
    assert "a text of ours names none" in refused.content.decode()
    data["description_wording"] = "summarised"
    assert editor.post(url, data).status_code == 302
    page = editor.get(reverse("progress:skill_rate", args=["python"])).content.decode()
    assert "Python for data work." in page
    assert 'data-source="guide-002"' in page
    assert APIClient().get("/api/v1/skills/python/").json()["description_source"] == "guide-002"


def test_one_page_shows_everything_a_guide_supplied(editor, client, django_assert_max_num_queries):
    guide = Source.objects.get(key="guide-001")
    url = reverse("admin:roadmap_source_supplied", args=[guide.pk])
    assert url in editor.get(reverse("admin:roadmap_source_changelist")).content.decode()
    with django_assert_max_num_queries(30):
        page = editor.get(url).content.decode()
    steps = Step.objects.filter(source=guide).count()
    assert steps > 0
    assert f"Stage steps ({steps})" in page
    assert reverse("admin:roadmap_step_change", args=[Step.objects.filter(source=guide).first().pk]) in page

    viewer = UserFactory(email="source-viewer@example.com", is_staff=True)
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    viewer.user_permissions.add(Permission.objects.get(codename="view_source"))
    assert client.get(url).status_code == 200
