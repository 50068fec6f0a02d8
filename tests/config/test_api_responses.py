"""Every documented GET answer, as a learner with data, a mentor, a team's lead, a learner who
has just signed up and one with no level, checked against the live schema by a strict validator
(openapi-core: OpenAPI 3.1, JSON Schema 2020-12, formats and headers included)."""

import io
import re

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import api_token_create
from mentoring import services as mentoring
from progress import practice, services
from tests.factories import UserFactory

PARAM = re.compile(r"\{(\w+)\}")
# Where a list row holds the value a detail address needs, by the address's parameter name.
ROW_FIELDS = {
    "id": ("id", "mentorship"),
    "pk": ("id", "mentorship"),
    "key": ("key", "item"),
    "slug": ("slug", "skill"),
    "review": ("id",),
}


@pytest.fixture
def people(seeded):
    call_command("seed_demo", stdout=io.StringIO())
    maya = User.objects.get(email="maya@demo.example")
    question = practice.due_today(maya, timezone.now())[0]
    services.practice_grade(user=maya, item=question, grade=3, answer="A draft.")
    mentoring.invitation_create(inviter=maya, email="someone@example.com", base_url="http://testserver")
    return {
        "learner with data": maya,
        "mentor and lead": User.objects.get(email="sam@demo.example"),
        "new learner": User.objects.get(email="new@demo.example"),
        "learner with no level": UserFactory(email="nolevel@example.com", current_level=None),
    }


def _client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='check')[1]}")
    return client


def _fill(client, template: str) -> str | None:
    """The template with each parameter taken from the first row of the list before it; None
    when that list is empty for this user."""
    path = template
    for name in PARAM.findall(template):
        listing = path[: path.index("{" + name + "}")]
        rows = client.get(listing).json()["results"]
        if not rows:
            return None
        value = next((rows[0][field] for field in ROW_FIELDS[name] if field in rows[0]), None)
        assert value is not None, (template, rows[0])
        path = path.replace("{" + name + "}", str(value), 1)
    return path


def test_every_documented_get_answer_validates_strictly_against_the_schema(people, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})
    document = yaml.safe_load(APIClient().get("/api/schema/").content)
    assert document["openapi"].startswith("3.1")
    openapi = OpenAPI.from_dict(document)
    templates = [path for path, operations in document["paths"].items() if "get" in operations]

    checked: dict[str, int] = {}
    mismatches = []
    for who, user in people.items():
        client = _client(user)
        for template in templates:
            path = _fill(client, template)
            if path is None:
                continue
            for response in _answers(client, path, document["paths"][template]["get"]):
                try:
                    openapi.validate_response(
                        DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
                    )
                except Exception as error:  # every kind of mismatch is collected, then shown at once
                    mismatches.append(f"{who} GET {path} {response.status_code}: {error!r} {_cause(error)}")
                checked[template] = checked.get(template, 0) + 1

    errors = [
        APIClient().get("/api/v1/me/summary/"),  # 401
        APIClient().get("/api/v1/levels/no-such-level/"),  # 404
        _client(people["learner with data"]).get("/api/v1/me/kpi-measurements/?kpi=no-such-kpi"),  # 400
    ]
    assert [r.status_code for r in errors] == [401, 404, 400]
    for response in errors:
        try:
            openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))
        except Exception as error:
            mismatches.append(f"{response.wsgi_request.path} {response.status_code}: {error!r} {_cause(error)}")

    assert not mismatches, "\n".join(mismatches)
    assert set(checked) == set(templates)  # every documented GET answered for someone
    assert sum(checked.values()) > 250


def _answers(client, path: str, operation: dict):
    """The plain answer, and for content its 304 when the client holds the ETag."""
    response = client.get(path)
    yield response
    if "304" in operation["responses"] and response.status_code == 200:
        yield client.get(path, headers={"If-None-Match": response["ETag"]})


def _cause(error: BaseException) -> str:
    causes = []
    while error.__cause__ is not None:
        error = error.__cause__
        causes.append(repr(error)[:600])
    details = getattr(error, "schema_errors", None)
    return " <- ".join(causes) + (" " + "; ".join(str(e.message) for e in details) if details else "")
