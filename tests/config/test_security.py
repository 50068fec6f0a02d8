import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_create
from progress import services
from progress.models import SkillRating, SkillRatingChange
from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
HTML_PAGES = ["/", "/roadmap/", "/accounts/login/", "/api/docs/", "/nope/"]


def _csp(response) -> dict:
    directives = [d.strip().split() for d in response["Content-Security-Policy"].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


@pytest.mark.parametrize("path", HTML_PAGES)
def test_every_html_page_has_a_strict_content_security_policy(client, db, path):
    policy = _csp(client.get(path))
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_no_page_has_an_inline_script(client, seeded):
    for path in HTML_PAGES[:-1]:
        html = client.get(path).content.decode()
        for tag in html.split("<script")[1:]:
            assert "src=" in tag.split(">")[0], f"inline script on {path}"


def test_security_headers(client, db):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_a_wrong_host_gets_400(client, db):
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400


def test_404_is_the_sites_own_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert b"There is nothing at this address" in response.content
    assert client.get("/api/v1/nothing-here/").json() == {"detail": "Not found.", "code": "not_found"}


def test_500_is_the_sites_own_page_without_a_traceback(client, db, monkeypatch):
    def explode(request):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("roadmap.views.render", explode)
    client.raise_request_exception = False
    response = client.get(reverse("roadmap:roadmap"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content


def test_admin_sign_in_goes_through_allauth(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_admin_path_is_configurable():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_DEBUG="1", DJANGO_ADMIN_PATH="backstage/")
    code = "import django; django.setup(); from django.urls import reverse; print(reverse('admin:index'))"
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "/backstage/", result.stderr


def test_password_reset_is_rate_limited_per_address(client, db):
    UserFactory(email="alice@example.com")
    codes = [
        client.post(reverse("account_reset_password"), {"email": "alice@example.com"}).status_code for _ in range(4)
    ]
    assert codes[:3] == [302, 302, 302]
    assert codes[3] == 429


def test_sign_up_is_rate_limited_per_ip(client, db):
    codes = [
        client.post(
            reverse("account_signup"),
            {"email": f"new{i}@example.com", "password1": PASSWORD, "password2": PASSWORD},
        ).status_code
        for i in range(11)
    ]
    assert codes[:10] == [302] * 10
    assert codes[10] == 429


def test_a_changing_x_forwarded_for_does_not_reset_the_api_throttle(db, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "3/minute"})
    api = APIClient()
    codes = [api.get("/api/v1/levels/", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]


@override_settings(DEBUG=False)
def test_a_database_that_stops_answering_mid_request_is_a_503(client, alice, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    client.force_login(alice)
    monkeypatch.setattr("progress.views.compute_summary", down)
    monkeypatch.setattr("progress.api.serializers.compute_summary", down)
    page = client.get(reverse("progress:dashboard"))
    assert page.status_code == 503
    assert page["Retry-After"]
    assert b"briefly unavailable" in page.content
    api = client.get("/api/v1/me/summary/")
    assert api.status_code == 503
    assert api.json()["code"] == "unavailable"


@pytest.mark.django_db(transaction=True)
def test_a_write_that_fails_after_its_first_row_leaves_neither(alice, ladder, monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("connection lost")

    monkeypatch.setattr(SkillRatingChange.objects, "create", fail)
    with pytest.raises(OperationalError):
        services.skill_rating_set(user=alice, skill=ladder["junior_skills"][0].skill, rating=3)
    assert not SkillRating.objects.exists()
    assert not SkillRatingChange.objects.exists()


def _database_gone(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/dashboard/"), ("get", "/practice/"), ("get", "/mentees/"), ("get", "/teams/"), ("post", "/mentors/")],
)
def test_a_signed_in_page_with_the_database_gone_is_a_503_to_retry(alice, method, path):
    """The middleware that runs after the view reads the signed-in user again: it must not turn
    the 503 into a 500."""
    from django.db import connection

    client = Client(raise_request_exception=False)  # as a browser sees it: the handler's answer
    client.force_login(alice)
    with connection.execute_wrapper(_database_gone):
        page = getattr(client, method)(path)
    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    assert b"briefly unavailable" in page.content


def test_a_token_signed_write_to_no_api_route_is_the_apis_404(alice):
    token = api_token_create(user=alice, name="cli")[1]
    api = APIClient(enforce_csrf_checks=True)
    response = api.post("/api/v1/me/invitations-received/abc/decline/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
