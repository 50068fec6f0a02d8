import pytest
from rest_framework.test import APIClient

from tests.roadmap.conftest import CONTENT_ENDPOINTS
from tests.roadmap.test_pages import _content

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.parametrize("endpoint", CONTENT_ENDPOINTS)
def test_content_is_public_paginated_and_runs_constant_queries(api, endpoint, django_assert_max_num_queries):
    _content(1)
    with django_assert_max_num_queries(9) as small:
        response = api.get(f"/api/v1/{endpoint}/")
    assert response.status_code == 200
    assert {"count", "next", "previous", "results"} <= set(response.json())
    _content(4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api.get(f"/api/v1/{endpoint}/").status_code == 200


def test_level_by_slug_has_salary_bands_by_source_skills_and_kpis(api, seeded):
    data = api.get("/api/v1/levels/junior-ml-engineer/").json()
    assert {b["source"]: b["min_amount"] for b in data["salary_bands"]} == {
        "guide-000": 90000,
        "guide-001": 95000,
        "guide-002": 70000,
        "guide-003": 80000,
    }
    assert "python" in [s["skill"] for s in data["skills"]]
    assert len(data["kpis"]) == 6
    assert all(k["target_is_default"] for k in data["kpis"])


def test_filters_select_what_they_name(api, seeded):
    soft = api.get("/api/v1/skills/", {"kind": "soft", "level": "junior-ml-engineer"}).json()
    assert soft["count"] == 5
    assert {s["kind"] for s in soft["results"]} == {"soft"}
    kpis = api.get("/api/v1/kpis/", {"level": "ml-engineer"}).json()
    assert {k["level"] for k in kpis["results"]} == {"ml-engineer"}
    steps = api.get("/api/v1/steps/", {"stage": "python-math-and-ml-foundations", "kind": "practice"}).json()
    assert [s["title"] for s in steps["results"]][:1] == ["End-to-End Classification Project with evaluation report"]
    assert {s["kind"] for s in steps["results"]} == {"practice"}


def test_page_size_is_at_most_200(api, seeded):
    data = api.get("/api/v1/skills/", {"page_size": 200}).json()
    assert len(data["results"]) == min(data["count"], 200)
    response = api.get("/api/v1/skills/", {"page_size": 201})
    assert response.status_code == 400
    assert response.json()["errors"] == {"page_size": ["At most 200."]}


@pytest.mark.parametrize("params", [{"page_size": "abc"}, {"page_size": "-1"}, {"page_size": "0"}, {"page": "x"}])
def test_a_malformed_page_or_page_size_is_a_400_naming_it(api, seeded, params):
    response = api.get("/api/v1/skills/", params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == list(params)


def test_unknown_slug_is_a_404_with_the_error_body(api, db):
    response = api.get("/api/v1/levels/no-such-level/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Level matches the given query.", "code": "not_found"}


def test_archived_items_are_not_served(api, seeded):
    from roadmap.models import Item

    Item.objects.filter(key="junior-ml-engineer-deliverable-model-evaluation-report").update(is_archived=True)
    keys = [d["key"] for d in api.get("/api/v1/deliverables/", {"level": "junior-ml-engineer"}).json()["results"]]
    assert "junior-ml-engineer-deliverable-model-evaluation-report" not in keys


def test_content_links_name_the_host_the_client_asked(client, seeded):
    """Two clients on two host names share the cache, never each other's absolute links."""
    first = client.get("/api/v1/steps/?page_size=1", HTTP_HOST="localhost").json()
    assert first["next"].startswith("http://localhost/")
    second = client.get("/api/v1/steps/?page_size=1", HTTP_HOST="127.0.0.1").json()
    assert second["next"].startswith("http://127.0.0.1/")


def test_steps_filter_by_the_level_their_stages_prepare_for_and_level_items_have_no_stage_filter(api, seeded):
    from roadmap.models import Item

    steps = api.get("/api/v1/steps/", {"level": "junior-ml-engineer", "page_size": 100}).json()
    expected = Item.objects.current().filter(stage__level__slug="junior-ml-engineer").count()
    assert steps["count"] == expected > 0  # it was always 0: steps have no level of their own
    assert api.get("/api/v1/steps/", {"level": "no-such-level"}).status_code == 400
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/deliverables/",
        "/api/v1/projects/",
        "/api/v1/interview-questions/",
        "/api/v1/certifications/",
    ):
        names = {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}
        assert "stage" not in names, path  # a filter that could never match is not offered
        assert "level" in names, path
