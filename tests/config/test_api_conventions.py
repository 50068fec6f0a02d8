"""What an API consumer can count on, beyond each endpoint's own data."""

import datetime

import pytest
import yaml
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from accounts.services import api_token_create
from progress import services
from progress.models import ItemProgress, KPIMeasurement
from tests.factories import KPIMeasurementFactory, LevelFactory


@pytest.fixture
def api(alice):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=alice, name='test')[1]}")
    return client


@pytest.mark.parametrize(
    "url", ["/api/v1/skills/?level=no-such-level", "/api/v1/steps/?stage=nope", "/api/v1/me/progress/?level=nope"]
)
def test_an_unknown_filter_slug_is_a_400_naming_the_filter(api, ladder, url):
    response = api.get(url)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [url.split("?")[1].split("=")[0]]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/skills/?kind=",
        "/api/v1/steps/?kind=",
        "/api/v1/kpis/?unit=",
        "/api/v1/kpis/?direction=",
        "/api/v1/me/progress/?status=",
        "/api/v1/me/progress/?kind=",
    ],
)
def test_a_choice_filter_sent_empty_is_a_400_not_no_filter(api, ladder, url):
    """The schema lists the choices; an empty one is not among them."""
    response = api.get(url)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [url.split("?")[1].rstrip("=")]
    assert api.get(url.split("?")[0]).status_code == 200


def test_a_known_filter_slug_filters(api, ladder):
    keys = [s["key"] for s in api.get("/api/v1/steps/", {"stage": "foundations"}).json()["results"]]
    assert keys == ["s1-1", "s1-2", "s1-3", "s1-4"]


def test_a_created_measurement_has_its_location(api, ladder):
    response = api.post(
        "/api/v1/me/kpi-measurements/", {"kpi": "latency", "value": 180, "measured_on": "2026-01-05"}, format="json"
    )
    assert response.status_code == 201
    assert response["Location"].endswith(f"/api/v1/me/kpi-measurements/{response.json()['id']}/")


def test_patch_changes_only_what_was_sent(api, alice, ladder):
    measurement = KPIMeasurementFactory(user=alice, kpi=ladder["latency"], note="nightly", evidence_url="https://e.org")
    response = api.patch(f"/api/v1/me/kpi-measurements/{measurement.pk}/", {"value": 150}, format="json")
    assert response.json()["value"] == 150.0
    measurement.refresh_from_db()
    assert (measurement.note, measurement.evidence_url) == ("nightly", "https://e.org")


def test_decimal_values_are_json_numbers_everywhere(api, alice, ladder):
    services.kpi_measurement_create(
        user=alice, kpi=ladder["latency"], value=180.5, measured_on=datetime.date(2026, 1, 5)
    )
    assert api.get("/api/v1/kpis/latency/").json()["target"] == 200.0
    status = next(k for k in api.get("/api/v1/me/summary/").json()["kpis"] if k["kpi"] == "latency")
    assert (status["target"], status["latest"]["value"]) == (200.0, 180.5)
    assert api.get("/api/v1/me/export/").json()["kpi_measurements"][0]["value"] == 180.5


def test_every_response_tells_the_rate_limit_and_a_429_when_to_retry(api, ladder, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "5/minute", "user": "3/minute"})
    first = api.get("/api/v1/me/skills/")
    assert (first["RateLimit-Limit"], first["RateLimit-Remaining"]) == ("3", "2")
    assert 0 < int(first["RateLimit-Reset"]) <= 60
    api.get("/api/v1/me/skills/")
    api.get("/api/v1/me/skills/")
    refused = api.get("/api/v1/me/skills/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused["RateLimit-Remaining"] == "0"


def test_answers_refused_before_any_view_tell_the_rate_limit_and_count_against_it(client, db, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "5/minute", "user": "3/minute"})
    refusals = [
        client.get("/api/v1/me/skills/", headers={"Authorization": "Token not-a-token"}),
        client.get("/api/v1/no-such-route/"),
        client.post("/api/v1/me/kpi-measurements/", "x" * 3_000_000, content_type="application/json"),
    ]
    assert [r.status_code for r in refusals] == [401, 404, 413]
    assert [(r["RateLimit-Limit"], r["RateLimit-Remaining"]) for r in refusals] == [("5", "4"), ("5", "3"), ("5", "2")]


def test_the_docs_and_schema_do_not_count_against_the_api_limit(client, db, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": None})
    for _ in range(4):
        assert client.get("/api/docs/").status_code == 200
        assert client.get("/api/schema/").status_code == 200


def test_content_has_an_etag_and_answers_304_to_it(ladder):
    anonymous = APIClient()
    first = anonymous.get("/api/v1/levels/")
    assert first["Cache-Control"] == "no-cache"
    again = anonymous.get("/api/v1/levels/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    ladder["junior"].title = "Junior (renamed)"
    ladder["junior"].save()
    changed = anonymous.get("/api/v1/levels/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "Junior (renamed)" in changed.content.decode()


def test_the_root_lists_every_resource(db):
    root = APIClient().get("/api/v1/").json()
    assert root["levels"].endswith("/api/v1/levels/")
    assert root["interview_questions"].endswith("/api/v1/interview-questions/")
    assert root["me_summary"].endswith("/api/v1/me/summary/")


def test_writes_work_with_or_without_the_trailing_slash(api, alice, ladder):
    assert api.put("/api/v1/me/progress/s1-1", {"status": "done"}, format="json").status_code == 200
    assert ItemProgress.objects.get(user=alice, item__key="s1-1").status == "done"
    response = api.post(
        "/api/v1/me/kpi-measurements", {"kpi": "latency", "value": 180, "measured_on": "2026-01-05"}, format="json"
    )
    assert response.status_code == 201
    assert KPIMeasurement.objects.filter(user=alice).count() == 1


def test_the_summary_names_kinds_as_the_content_endpoints_do(api, ladder):
    by_kind = api.get("/api/v1/me/summary/").json()["progress"]["by_kind"]
    assert set(by_kind) == {"steps", "deliverables", "projects", "certifications", "interview_questions"}
    assert by_kind["interview_questions"]["total"] == 1


def test_a_new_current_level_above_the_target_moves_the_target_and_says_so(api, alice, ladder, db):
    senior = LevelFactory(order=3, slug="senior", title="Senior")
    response = api.patch("/api/v1/me/profile/", {"current_level": "mle"}, format="json")
    assert response.status_code == 200
    alice.refresh_from_db()
    assert (alice.current_level.slug, alice.target_level.slug) == ("mle", "mle")
    assert response.json()["notices"] == []
    response = api.patch("/api/v1/me/profile/", {"current_level": "senior"}, format="json")
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.target_level == senior
    assert response.json()["notices"] == [
        "Your target level moved from ML Engineer to Senior, above your current level."
    ]


def test_public_content_is_readable_from_any_origin_and_my_data_from_none(api, ladder):
    origin = {"Origin": "https://learning-site.example"}
    content = APIClient().get("/api/v1/levels/", headers=origin)
    assert content["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in content["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in content
    preflight = APIClient().options(
        "/api/v1/levels/",
        headers=origin | {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "if-none-match"},
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]

    mine = api.get("/api/v1/me/summary/", headers=origin)
    assert mine.status_code == 200
    assert "Access-Control-Allow-Origin" not in mine
    asked = APIClient().options(
        "/api/v1/me/summary/",
        headers=origin | {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"},
    )
    assert "Access-Control-Allow-Origin" not in asked


def test_every_list_pages_alike_and_every_fixed_set_of_values_is_an_enum(client, db):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    bare_lists = [
        path
        for path, operations in schema["paths"].items()
        if "get" in operations
        and operations["get"]["responses"]["200"]["content"]["application/json"]["schema"].get("type") == "array"
    ]
    assert bare_lists == []
    components = schema["components"]["schemas"]
    fields = [
        ("ItemProgress", "kind"),
        ("QueueItem", "kind"),
        ("ExportItem", "kind"),
        ("LevelSkill", "kind"),
        ("Mentorship", "role"),
        ("Team", "my_role"),
    ]
    refs = [components[c]["properties"][f] for c, f in fields]
    assert [(ref.get("$ref") or ref["allOf"][0]["$ref"]).split("/")[-1] for ref in refs] == [
        "ItemKindEnum",
        "ItemKindEnum",
        "ItemKindEnum",
        "SkillKindEnum",
        "MentorshipRoleEnum",
        "TeamRoleEnum",
    ]
