"""What the app does with hostile input, a lost Redis and writes that fail halfway."""

import datetime
import json

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_create
from progress import services
from progress.models import KPIMeasurement
from tests.factories import PASSWORD, KPIMeasurementFactory, UserFactory

# A Redis address where nothing listens: what a crashed or unreachable Redis looks like.
REDIS_DOWN = {
    "default": {
        "BACKEND": "core.cache.RedisWithDatabaseFallbackCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"},
}


@pytest.fixture
def api(alice):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=alice, name='test')[1]}")
    return client


# --- NUL characters, nesting, sizes ---------------------------------------------------------


@pytest.mark.parametrize("path", ["/u/%00/", "/levels/a%00b/", "/api/v1/levels/a%00/"])
def test_a_nul_character_in_the_path_is_not_found(client, db, path):
    response = client.get(path)
    assert response.status_code == 404


def test_a_nul_character_in_the_query_string_is_a_400_with_the_api_error_body(client, db):
    response = client.get("/api/v1/levels/?page=1%00")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "/api/v1/me/profile/", {"specialization": "a\x00b"}),
        ("patch", "/api/v1/me/profile/", {"current_level": "a\x00b"}),
        ("patch", "/api/v1/me/profile/", {"target_level": "a\x00b"}),
        ("post", "/api/v1/me/kpi-measurements/", {"kpi": "a\x00b", "value": 1, "measured_on": "2026-01-01"}),
    ],
)
def test_a_nul_character_in_a_json_body_is_a_400_and_changes_nothing(api, alice, method, path, body):
    response = getattr(api, method)(path, body, format="json")
    assert response.status_code == 400
    assert "NUL" in response.json()["errors"]["non_field_errors"][0]
    alice.refresh_from_db()
    assert alice.specialization_id is None
    assert not KPIMeasurement.objects.exists()


def test_a_nul_character_in_a_form_is_a_400_page_that_says_nothing_was_saved(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:profile"), {"name": "Al\x00ice"})
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    alice.refresh_from_db()
    assert alice.name != "Al\x00ice"


def test_revoking_a_token_named_with_a_nul_is_not_found(client, alice):
    client.force_login(alice)
    assert client.post("/accounts/tokens/%00/revoke/").status_code == 404


def test_deeply_nested_json_is_a_400(api, ladder):
    body = "[" * 100_000 + "]" * 100_000
    response = api.put(
        reverse("api:me-progress-detail", args=[ladder["steps1"][0].key]), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_moderately_nested_json_is_still_read_as_a_validation_error(api, ladder):
    body = json.dumps({"status": [[["done"]]]})
    response = api.put(
        reverse("api:me-progress-detail", args=[ladder["steps1"][0].key]), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_an_oversized_api_body_is_a_413_with_the_api_error_body(api, db):
    body = json.dumps({"note": "x" * 10_000_000})
    response = api.post("/api/v1/me/kpi-measurements/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_an_oversized_form_is_a_413_page(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:profile"), {"name": "x" * 10_000_000})
    assert response.status_code == 413
    assert "Nothing was saved" in response.content.decode()


def test_too_many_form_fields_is_a_413_page(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:profile"), {f"field{i}": "x" for i in range(2000)})
    assert response.status_code == 413


def test_a_form_body_to_the_api_is_refused_as_unsupported(api, alice):
    response = api.patch("/api/v1/me/profile/", {"name": "Alice"}, format="multipart")
    assert response.status_code == 415
    alice.refresh_from_db()
    assert alice.name != "Alice"


@override_settings(DEBUG=True)
def test_an_api_address_no_route_matches_is_json_even_in_debug_mode(client, db):
    response = client.get("/api/v1/stages/%C2%84/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


# --- Methods and caching headers ----------------------------------------------------------


def test_head_works_wherever_get_does(client, alice):
    alice.set_public_sharing(True)
    alice.save()
    client.force_login(alice)
    for url in [
        "/healthz",
        reverse("progress:dashboard"),
        alice.get_public_url(),
        reverse("progress:export_json"),
        reverse("progress:export_csv"),
        "/",
        "/roadmap/",
    ]:
        assert client.head(url).status_code == 200, url


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_content_pages_answer_only_get_and_head(client, ladder, method):
    for url in ["/", f"/levels/{ladder['junior'].slug}/", "/roadmap/", "/projects/"]:
        assert getattr(client, method)(url).status_code == 405, url


def test_learner_data_is_never_kept_by_a_shared_cache(client, api, alice):
    for response in [api.get("/api/v1/me/summary/"), api.get("/api/v1/me/progress/")]:
        assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    client.force_login(alice)
    for url in [reverse("progress:dashboard"), "/", reverse("accounts:profile")]:
        directives = {d.strip() for d in client.get(url)["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url


def test_a_tampered_status_is_shown_back_with_a_message(client, alice, ladder):
    client.force_login(alice)
    key = ladder["steps1"][0].key
    response = client.post(reverse("progress:item", args=[key]), {"status": "finished"})
    assert response.status_code == 200
    assert "“finished” is not a status" in response.content.decode()


# --- Sign-in limits and tokens ------------------------------------------------------------


def test_the_sign_in_lockout_counts_per_address_whatever_the_host_port(client, db):
    UserFactory(email="alice@example.com")
    for port in range(1001, 1006):
        client.post(
            reverse("account_login"),
            {"login": "alice@example.com", "password": "wrong"},
            HTTP_HOST=f"localhost:{port}",
        )
    response = client.post(
        reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD}, HTTP_HOST="localhost:1007"
    )
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_password_reset_signs_out_every_session_and_revokes_every_token(
    client, alice, django_capture_on_commit_callbacks
):
    other_browser = type(client)()
    other_browser.force_login(alice)
    token = api_token_create(user=alice, name="notebook")[1]
    with django_capture_on_commit_callbacks(execute=True):  # the outbox hands the mail over at commit
        client.post(reverse("account_reset_password"), {"email": alice.email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/password/reset/key/" in line).strip()
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"password1": "a-new-Passw0rd!", "password2": "a-new-Passw0rd!"})

    assert other_browser.get(reverse("progress:dashboard")).status_code == 302
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/summary/").status_code == 401


def test_a_password_change_keeps_tokens_and_the_tokens_page_shows_their_last_use(client, alice):
    token = api_token_create(user=alice, name="notebook")[1]
    client.force_login(alice)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a-new-Passw0rd!", "password2": "a-new-Passw0rd!"},
    )
    assert "never" in client.get(reverse("accounts:tokens")).content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/summary/").status_code == 200
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert "never" not in page.split("Your tokens")[1]


# --- A lost Redis --------------------------------------------------------------------------


@override_settings(CACHES=REDIS_DOWN)
def test_without_redis_every_kind_of_page_still_answers(client, api, alice, ladder):
    assert client.get("/").status_code == 200
    assert api.get("/api/v1/levels/").status_code == 200
    assert api.put(reverse("api:me-progress-detail", args=[ladder["steps1"][0].key]), {"status": "done"}).status_code
    assert api.get("/api/v1/me/summary/").json()["progress"]["overall"]["done"] == 1
    response = client.post(reverse("account_login"), {"login": alice.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("progress:dashboard")).status_code == 200


@override_settings(CACHES=REDIS_DOWN)
def test_without_redis_the_sign_in_lockout_still_applies(client, db):
    UserFactory(email="alice@example.com")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "alice@example.com", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()


@override_settings(CACHES=REDIS_DOWN)
def test_healthz_names_a_lost_redis_and_stays_200(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "down"}


# --- All or nothing -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_kpi_measurement_whose_version_bump_fails_is_not_saved(alice, ladder, monkeypatch):
    def fail(user):
        raise RuntimeError("lost")

    monkeypatch.setattr(services, "records_changed", fail)
    with pytest.raises(RuntimeError):
        services.kpi_measurement_create(
            user=alice, kpi=ladder["latency"], value=150, measured_on=datetime.date(2026, 1, 1)
        )
    assert not KPIMeasurement.objects.exists()
    measurement = KPIMeasurementFactory(user=alice, kpi=ladder["latency"])
    pk = measurement.pk
    with pytest.raises(RuntimeError):
        services.kpi_measurement_delete(measurement=measurement)
    assert KPIMeasurement.objects.filter(pk=pk).exists()


def test_a_nul_character_only_in_a_member_the_endpoint_does_not_read_is_ignored(api, alice, ladder):
    body = {"kpi": ladder["latency"].slug, "value": 1, "measured_on": "2026-01-01", "x\x00": {"y": "a\x00"}}
    assert api.post("/api/v1/me/kpi-measurements/", body, format="json").status_code == 201
