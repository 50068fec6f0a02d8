import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import api_token_create
from progress import export, services
from progress.models import ItemProgress, KPIMeasurement, SkillRating
from progress.reads.summary import learner_summary
from tests.factories import KPIMeasurementFactory, UserFactory

ME_ENDPOINTS = [
    ("get", "/api/v1/me/profile/"),
    ("patch", "/api/v1/me/profile/"),
    ("get", "/api/v1/me/progress/"),
    ("get", "/api/v1/me/progress/s1-1/"),
    ("put", "/api/v1/me/progress/s1-1/"),
    ("delete", "/api/v1/me/progress/s1-1/"),
    ("get", "/api/v1/me/skills/"),
    ("put", "/api/v1/me/skills/js-0/"),
    ("get", "/api/v1/me/kpi-measurements/"),
    ("post", "/api/v1/me/kpi-measurements/"),
    ("get", "/api/v1/me/summary/"),
    ("get", "/api/v1/me/export/"),
]


@pytest.fixture
def api(alice):
    client = APIClient()
    _, token = api_token_create(user=alice, name="tests")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def bob_api(bob):
    client = APIClient()
    _, token = api_token_create(user=bob, name="tests")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.mark.parametrize(("method", "url"), ME_ENDPOINTS)
def test_my_endpoints_need_authentication(ladder, method, url):
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}


def test_a_bad_token_is_refused(ladder):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token mlcl_not-a-real-token")
    assert client.get("/api/v1/me/summary/").status_code == 401


def test_profile_reads_and_changes_levels_by_slug(api, alice, ladder):
    assert api.get("/api/v1/me/profile/").json()["current_level"] == "junior"
    response = api.patch("/api/v1/me/profile/", {"target_level": "mle", "years_of_experience": 1}, format="json")
    assert response.status_code == 200
    alice.refresh_from_db()
    assert (alice.target_level.slug, alice.years_of_experience) == ("mle", 1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"current_level": "no-such-level"}, "current_level"),
        ({"current_level": "mle", "target_level": "junior"}, "target_level"),
        ({"years_of_experience": -3}, "years_of_experience"),
        ({"preferred_track": "Z"}, "preferred_track"),
    ],
)
def test_invalid_profile_changes_are_400_and_change_nothing(api, alice, ladder, body, field):
    response = api.patch("/api/v1/me/profile/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    alice.refresh_from_db()
    assert alice.current_level.slug == "junior"
    assert alice.target_level.slug == "mle"


def test_put_on_an_item_is_idempotent(api, alice, ladder):
    body = {"status": "done", "note": "shipped", "evidence_url": "https://github.com/alice/x"}
    first = api.put("/api/v1/me/progress/s1-1/", body, format="json")
    second = api.put("/api/v1/me/progress/s1-1/", body, format="json")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert first.json()["status"] == "done"
    assert first.json()["level"] == "junior"
    assert ItemProgress.objects.filter(user=alice).count() == 1


def test_put_replaces_note_and_link_left_out(api, alice, ladder):
    api.put("/api/v1/me/progress/s1-1/", {"status": "done", "note": "n"}, format="json")
    data = api.put("/api/v1/me/progress/s1-1/", {"status": "done"}, format="json").json()
    assert data["note"] == ""


@pytest.mark.parametrize(
    "body",
    [
        {"status": "finished"},
        {"status": "done", "evidence_url": "javascript:alert(1)"},
        {"status": "done", "evidence_url": "data:text/html,hi"},
        {"status": "done", "note": "x" * 4001},
        {"status": 3},
        {},
    ],
)
def test_invalid_item_body_is_400_with_field_errors_and_saves_nothing(api, alice, ladder, body):
    response = api.put("/api/v1/me/progress/s1-1/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"]
    assert not ItemProgress.objects.filter(user=alice).exists()


def test_malformed_json_is_a_400(api, alice, ladder):
    response = api.generic("PUT", "/api/v1/me/progress/s1-1/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert not ItemProgress.objects.exists()


def test_unknown_item_is_404(api, ladder):
    assert api.put("/api/v1/me/progress/nope/", {"status": "done"}, format="json").status_code == 404


def test_delete_clears_my_record(api, alice, ladder):
    api.put("/api/v1/me/progress/s1-1/", {"status": "done"}, format="json")
    assert api.delete("/api/v1/me/progress/s1-1/").status_code == 204
    assert not ItemProgress.objects.filter(user=alice).exists()
    cleared = api.get("/api/v1/me/progress/s1-1/")
    assert cleared.status_code == 200
    assert (cleared.json()["status"], cleared.json()["updated_at"]) == ("not_started", None)
    assert api.get("/api/v1/me/progress/no-such-item/").status_code == 404


def test_progress_list_filters_and_shows_only_mine(api, alice, bob, ladder):
    services.item_progress_set(user=alice, item=ladder["steps1"][0], status="done")
    services.item_progress_set(user=alice, item=ladder["steps2"][0], status="in_progress")
    services.item_progress_set(user=alice, item=ladder["deliverables"][0], status="done")
    services.item_progress_set(user=bob, item=ladder["steps1"][1], status="done")

    def keys(**params):
        return [r["item"] for r in api.get("/api/v1/me/progress/", params).json()["results"]]

    assert sorted(keys()) == ["d-1", "s1-1", "s2-1"]
    assert keys(status="done", kind="learn") == ["s1-1"]
    assert sorted(keys(level="junior")) == ["d-1", "s1-1"]
    assert keys(stage="deep-learning") == ["s2-1"]
    assert api.get("/api/v1/me/progress/", {"status": "bogus"}).status_code == 400


def test_bob_cannot_read_or_clear_alices_records(bob_api, alice, ladder):
    services.item_progress_set(user=alice, item=ladder["steps1"][0], status="done", note="alice")
    bobs = bob_api.get("/api/v1/me/progress/s1-1/").json()
    assert (bobs["status"], bobs["note"]) == ("not_started", "")
    bob_api.delete("/api/v1/me/progress/s1-1/")
    assert ItemProgress.objects.get(user=alice).note == "alice"


def test_rating_a_skill(api, alice, ladder):
    response = api.put("/api/v1/me/skills/js-0/", {"rating": 3}, format="json")
    assert response.status_code == 200
    assert response.json()["rating"] == 3
    assert api.put("/api/v1/me/skills/js-0/", {"rating": 7}, format="json").status_code == 400
    assert api.put("/api/v1/me/skills/no-skill/", {"rating": 1}, format="json").status_code == 404
    assert SkillRating.objects.get(user=alice).rating == 3
    assert [r["skill"] for r in api.get("/api/v1/me/skills/").json()["results"]] == ["js-0"]


def test_kpi_measurements_create_filter_update_delete(api, alice, ladder):
    today = timezone.localdate()
    for days, value in [(40, 300), (10, 220), (1, 190)]:
        body = {"kpi": "latency", "value": value, "measured_on": str(today - datetime.timedelta(days=days))}
        assert api.post("/api/v1/me/kpi-measurements/", body, format="json").status_code == 201
    recent = api.get(
        "/api/v1/me/kpi-measurements/", {"kpi": "latency", "measured_after": str(today - datetime.timedelta(days=20))}
    ).json()
    assert [m["value"] for m in recent["results"]] == [190, 220]

    pk = recent["results"][0]["id"]
    response = api.patch(f"/api/v1/me/kpi-measurements/{pk}/", {"value": 185}, format="json")
    assert response.status_code == 200
    assert response.json()["value"] == 185
    assert api.delete(f"/api/v1/me/kpi-measurements/{pk}/").status_code == 204
    assert KPIMeasurement.objects.filter(user=alice).count() == 2


@pytest.mark.parametrize(
    "body",
    [
        {"kpi": "accuracy", "value": 150, "measured_on": "2026-01-01"},
        {"kpi": "latency", "value": -1, "measured_on": "2026-01-01"},
        {"kpi": "latency", "value": "NaN", "measured_on": "2026-01-01"},
        {"kpi": "latency", "value": "Infinity", "measured_on": "2026-01-01"},
        {"kpi": "latency", "value": 1e15, "measured_on": "2026-01-01"},
        {"kpi": "latency", "value": 100, "measured_on": "2999-01-01"},
        {"kpi": "latency", "value": 100, "measured_on": "yesterday"},
        {"kpi": "no-such-kpi", "value": 100, "measured_on": "2026-01-01"},
        {"kpi": "latency", "value": 100, "measured_on": "2026-01-01", "evidence_url": "javascript:x"},
    ],
)
def test_invalid_measurements_are_400_and_save_nothing(api, ladder, body):
    response = api.post("/api/v1/me/kpi-measurements/", body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["errors"]
    assert not KPIMeasurement.objects.exists()


def test_an_owner_in_the_body_is_ignored(api, alice, bob, ladder):
    body = {"kpi": "latency", "value": 100, "measured_on": "2026-01-01", "user": bob.pk, "id": 999}
    response = api.post("/api/v1/me/kpi-measurements/", body, format="json")
    assert response.status_code == 201
    assert KPIMeasurement.objects.get().user == alice


def test_bob_gets_404_on_alices_measurement_and_it_stays_unchanged(bob_api, alice, ladder):
    m = KPIMeasurementFactory(user=alice, kpi=ladder["latency"], value=150)
    url = f"/api/v1/me/kpi-measurements/{m.pk}/"
    assert bob_api.get(url).status_code == 404
    assert bob_api.put(url, {"value": 1, "measured_on": "2026-01-01"}, format="json").status_code == 404
    assert bob_api.patch(url, {"value": 1}, format="json").status_code == 404
    assert bob_api.delete(url).status_code == 404
    m.refresh_from_db()
    assert m.value == 150


def test_summary_has_the_dashboards_numbers(api, alice, ladder, client):
    services.item_progress_set(user=alice, item=ladder["steps1"][0], status="done")
    services.item_progress_set(user=alice, item=ladder["steps1"][1], status="skipped")
    services.kpi_measurement_create(user=alice, kpi=ladder["latency"], value=150, measured_on=timezone.localdate())
    data = api.get("/api/v1/me/summary/").json()
    summary = learner_summary(alice)
    assert data["progress"]["overall"]["percent"] == summary.progress.overall.percent == 17  # 1 of 6
    assert data["progress"]["by_kind"]["steps"]["counted"] == 3
    assert [(k["kpi"], k["on_target"]) for k in data["kpis"]] == [("latency", True), ("accuracy", None)]
    assert [(p["key"], p["met"], p["total"]) for p in data["readiness"]["parts"]] == [
        ("skills", 0, 3),
        ("items", 0, 3),
        ("kpis", 1, 2),
    ]
    assert data["readiness"]["parts"][2]["missing"] == ["accuracy"]
    assert data["next_step"] == "s1-3"
    assert data["hint"] is None
    client.force_login(alice)
    assert 'data-testid="overall-percent">17%<' in client.get("/dashboard/").content.decode()


def test_a_summary_without_a_current_level_says_what_to_set(api, alice, ladder):
    alice.current_level = None
    alice.save()
    data = api.get("/api/v1/me/summary/").json()
    assert (data["level"], data["progress"], data["readiness"]) == (None, None, None)
    assert "set current_level with PATCH /api/v1/me/profile/" in data["hint"]


def test_export_is_the_same_json_as_the_web_export(api, alice, ladder, client):
    services.item_progress_set(user=alice, item=ladder["steps1"][0], status="done", note="n")
    data = api.get("/api/v1/me/export/").json()
    web = export.export_data(alice)
    data.pop("exported_at")
    web.pop("exported_at")
    assert data == web


def test_session_auth_needs_csrf_for_writes(alice, ladder):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get("/api/v1/me/summary/").status_code == 200
    response = client.put("/api/v1/me/progress/s1-1/", {"status": "done"}, format="json")
    assert response.status_code == 403
    assert not ItemProgress.objects.exists()


@pytest.mark.parametrize("n", [1, 10])
def test_my_lists_run_constant_queries(api, alice, ladder, n, django_assert_max_num_queries):
    for i, item in enumerate(ladder["steps1"][: min(n, 4)] + ladder["deliverables"]):
        services.item_progress_set(user=alice, item=item, status="done", note=str(i))
    for d in range(n * 3):
        KPIMeasurementFactory(
            user=alice, kpi=ladder["latency"], measured_on=timezone.localdate() - datetime.timedelta(days=d)
        )
    for url in ["/api/v1/me/progress/", "/api/v1/me/kpi-measurements/", "/api/v1/me/skills/", "/api/v1/me/summary/"]:
        with django_assert_max_num_queries(14):
            assert api.get(url).status_code == 200


def test_throttled_clients_get_429_with_retry_after(api, monkeypatch, ladder):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "3/minute"})
    codes = [api.get("/api/v1/me/skills/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = api.get("/api/v1/me/skills/")
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"
    anon = APIClient()
    assert [anon.get("/api/v1/levels/").status_code for _ in range(3)] == [200, 200, 429]


def test_the_cached_progress_list_shows_every_change_at_once(api, alice, ladder):
    """The list is served from the cache between writes; each write, and a mentor's review, shows on the next read."""
    step = ladder["steps1"][0]
    assert api.get("/api/v1/me/progress/").json()["count"] == 0
    api.put(
        f"/api/v1/me/progress/{step.key}/", {"status": "done", "evidence_url": "https://e.example/1"}, format="json"
    )
    first = api.get("/api/v1/me/progress/", {"page_size": 1}).json()["results"]
    assert [(r["item"], r["status"], r["review_state"]) for r in first] == [(step.key, "done", None)]
    services.item_review_record(
        progress=alice.item_progress.get(item=step),
        reviewer=UserFactory(),
        verdict="verified",
        comment="",
        at=timezone.now(),
    )
    assert api.get("/api/v1/me/progress/", {"page_size": 1}).json()["results"][0]["review_state"] == "verified"
    api.delete(f"/api/v1/me/progress/{step.key}/")
    assert api.get("/api/v1/me/progress/", {"page_size": 1}).json()["count"] == 0
    assert api.get("/api/v1/me/progress/", {"page": "x"}).status_code == 400  # errors are never cached


def test_a_measurement_keeps_its_kpi_and_an_unknown_kpi_filter_is_named(api, alice, ladder):
    created = api.post(
        "/api/v1/me/kpi-measurements/",
        {"kpi": "latency", "value": 210, "measured_on": datetime.date.today().isoformat()},
        format="json",
    ).json()
    url = f"/api/v1/me/kpi-measurements/{created['id']}/"
    moved = api.patch(url, {"kpi": "accuracy", "value": 80}, format="json")
    assert moved.status_code == 400
    assert "kpi" in moved.json()["errors"]
    assert api.get(url).json()["value"] == created["value"]  # nothing of it was saved
    assert api.patch(url, {"kpi": "latency", "value": 205}, format="json").status_code == 200  # its own: fine
    unknown = api.get("/api/v1/me/kpi-measurements/", {"kpi": "no-such-kpi"})
    assert unknown.status_code == 400
    assert "kpi" in unknown.json()["errors"]
    assert api.get("/api/v1/me/kpi-measurements/", {"kpi": "latency"}).json()["count"] == 1


def test_one_skill_rating_can_be_read_back_where_it_was_written(api, alice, ladder):
    slug = ladder["junior_skills"][0].skill.slug
    assert api.get(f"/api/v1/me/skills/{slug}/").status_code == 404  # not rated yet
    assert api.put(f"/api/v1/me/skills/{slug}/", {"rating": 3}, format="json").status_code == 200
    mine = api.get(f"/api/v1/me/skills/{slug}/")
    assert mine.status_code == 200  # it was a 405
    assert mine.json()["rating"] == 3
    assert api.get("/api/v1/me/skills/no-such-skill/").status_code == 404


def test_the_export_states_the_preferred_track_as_the_profile_does(api, alice, ladder):
    assert api.get("/api/v1/me/export/").json()["profile"]["preferred_track"] == ""  # as the profile: none
    assert api.get("/api/v1/me/profile/").json()["preferred_track"] == ""
    api.patch("/api/v1/me/profile/", {"preferred_track": "B"}, format="json")
    assert api.get("/api/v1/me/export/").json()["profile"]["preferred_track"] == "B"


@pytest.mark.parametrize(("kpi", "says"), [("no-such-kpi", "does not exist"), (["latency"], "Invalid value")])
def test_logging_a_value_for_an_unknown_kpi_says_which_field_and_saves_nothing(api, alice, ladder, kpi, says):
    body = {"kpi": kpi, "value": 210, "measured_on": datetime.date.today().isoformat()}
    refused = api.post("/api/v1/me/kpi-measurements/", body, format="json")
    assert refused.status_code == 400
    assert says in str(refused.json()["errors"]["kpi"])
    assert not KPIMeasurement.objects.filter(user=alice).exists()
