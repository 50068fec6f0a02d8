import itertools

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from roadmap.models import Item, Level
from tests.factories import UserFactory
from tests.roadmap.conftest import admin_form_data, inline_field


@pytest.fixture
def admin_client(client, seeded):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_ladder_and_content_api_are_served_from_the_cache(client, seeded, django_assert_num_queries):
    client.get("/")
    APIClient().get("/api/v1/levels/")
    # Each answer reads only the content version (one row every process shares), no content.
    with django_assert_num_queries(2):
        assert client.get("/").status_code == 200
        assert APIClient().get("/api/v1/levels/").status_code == 200


def test_saving_content_in_the_admin_shows_on_the_ladder_and_in_the_api_at_once(admin_client, client):
    api = APIClient()
    assert "Edited summary" not in client.get("/").content.decode()
    api.get("/api/v1/levels/junior-ml-engineer/")

    level = Level.objects.get(slug="junior-ml-engineer")
    url = reverse("admin:roadmap_level_change", args=[level.pk])
    data = admin_form_data(admin_client, url)
    data[inline_field(data, "texts", level.summaries[0], "text")] = "Edited summary"
    assert admin_client.post(url, data).status_code == 302

    assert "Edited summary" in client.get("/").content.decode()
    texts = api.get("/api/v1/levels/junior-ml-engineer/").json()["texts"]
    assert next(t for t in texts if t["section"] == "summary")["text"] == "Edited summary"


def test_archiving_in_the_admin_removes_the_item_from_cached_answers(admin_client):
    api = APIClient()
    key = "junior-ml-engineer-deliverable-model-evaluation-report"
    assert key in [d["key"] for d in api.get("/api/v1/deliverables/").json()["results"]]
    item = Item.objects.get(key=key)
    admin_client.post(
        reverse("admin:roadmap_deliverable_changelist"), {"action": "archive", "_selected_action": [item.pk]}
    )
    assert key not in [d["key"] for d in api.get("/api/v1/deliverables/").json()["results"]]


def test_a_content_version_moved_by_another_process_is_read_by_the_next_request(client, seeded):
    """The version is read once per request and never carried to the next one (nor outside requests)."""
    from roadmap.cache import content_version
    from roadmap.models import ContentVersion

    level = Level.objects.get(slug="junior-ml-engineer")
    client.get("/")
    before = content_version()
    # What another process's admin save does here: the title and the version change in SQL, no signal.
    Level.objects.filter(pk=level.pk).update(title="Renamed elsewhere")
    ContentVersion.objects.update(version=before + 1)
    assert content_version() == before + 1
    assert "Renamed elsewhere" in client.get("/").content.decode()


def test_a_worker_keeps_a_bounded_amount_of_content_and_still_answers_right(client, seeded, monkeypatch):
    """Past KEPT_BYTES a worker drops its copies (the shared cache still has them): memory stays
    bounded, and every answer still has the content."""
    from roadmap import cache as content_cache

    monkeypatch.setattr(content_cache, "KEPT_BYTES", 50_000)
    api, sizes = APIClient(), []
    for path in ("/api/v1/levels/", "/api/v1/deliverables/", "/api/v1/skills/", "/api/v1/kpis/", "/"):
        assert (api if path.startswith("/api/") else client).get(path).status_code == 200
        sizes.append(content_cache._kept.size)
        assert sizes[-1] == sum(map(len, content_cache._kept.values.values()))
    assert 0 < max(sizes) <= 50_000
    assert any(later < earlier for earlier, later in itertools.pairwise(sizes))  # dropped once at least
    assert "Junior ML Engineer" in client.get("/").content.decode()
