import pytest
from django.contrib import admin
from django.urls import reverse

from roadmap.models import ContentRelease, Item, Level, Step
from tests.factories import UserFactory
from tests.roadmap.conftest import admin_form_data, inline_field

CONTENT_MODELS = [m for m in admin.site._registry if m._meta.app_label == "roadmap"]


@pytest.fixture
def admin_client(client, seeded):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_superuser_can_open_list_add_and_change_pages_of_every_content_model(admin_client, model):
    assert admin_client.get(_url(model, "changelist")).status_code == 200
    obj = model._default_manager.first()
    assert obj is not None, f"seed content has no {model.__name__}"
    assert admin_client.get(_url(model, "change", obj.pk)).status_code == 200
    # Releases are written by load_roadmap only.
    expected_add_status = 403 if model is ContentRelease else 200
    assert admin_client.get(_url(model, "add")).status_code == expected_add_status


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_change_lists_run_a_bounded_number_of_queries(admin_client, model, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        admin_client.get(_url(model, "changelist"))


def test_admin_edits_a_level_summary_without_touching_code(admin_client):
    level = Level.objects.get(slug="junior-ml-engineer")
    summary = level.texts.get(section="summary", order=1)
    url = _url(Level, "change", level.pk)
    data = admin_form_data(admin_client, url)
    data[inline_field(data, "texts", summary, "text")] = "A new summary written by the content editor."
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    summary.refresh_from_db()
    assert summary.text == "A new summary written by the content editor."
    assert summary.edited_fields == ["text"]  # the next release keeps the text, and only the text
    level.refresh_from_db()
    assert level.edited_fields == []  # saving an inline does not mark its parent
    assert admin_client.get(level.get_absolute_url()).content.decode().count("A new summary") == 1


def test_items_cannot_be_deleted_in_the_admin_only_archived(admin_client):
    step = Step.objects.first()
    assert admin_client.get(_url(Step, "delete", step.pk)).status_code == 403
    response = admin_client.post(
        _url(Step, "changelist"), {"action": "archive", "_selected_action": [step.pk]}, follow=True
    )
    assert response.status_code == 200
    assert Item.objects.get(pk=step.pk).is_archived


def test_admin_adds_a_step_and_it_gets_a_step_kind(admin_client):
    stage = Step.objects.first().stage
    response = admin_client.post(
        _url(Step, "add"),
        {"stage": stage.pk, "kind": "practice", "order": 99, "title": "Ship a demo", "key": "ship-a-demo"},
    )
    assert response.status_code == 302
    assert Item.objects.get(key="ship-a-demo").kind == "practice"
