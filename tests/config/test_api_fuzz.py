"""Schemathesis over the whole OpenAPI schema with seeded content, as a learner, as a mentor with
a mentee and as a team's lead.

Bounded and derandomized so CI runs the same examples every time.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.config._operations import OperationConfig
from schemathesis.generation import GenerationMode

from accounts.services import api_token_create
from mentoring.models import Membership
from mentoring.services import team_create
from roadmap.models import Level
from tests.factories import MentorshipFactory, UserFactory

# Serving the schema touches no database, so it can be loaded when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
# Valid and invalid data both: invalid data must be refused with a 4xx (ST201), never accepted.
schema.config.generation.update(modes=list(GenerationMode))
# Every check is on. One allowance: a request that names content by slug (a KPI, a level, a
# stage, also as a list filter), or a value whose range depends on content or on today (a
# percentage KPI takes 0-100, a latency any number >= 0; a measurement is not after today, a
# target date is after it), can be schema-valid and still refused, with a 400 naming the field.
schema.config.operations.operations.append(
    OperationConfig.from_dict(
        {
            "include-path-regex": "^/api/v1/(me/(kpi-measurements|profile|plan)/|"
            "(skills|kpis|steps|deliverables|projects|certifications|interview-questions|tips|me/progress)/$)",
            # 304: a generated If-None-Match ("*") matches the current ETag.
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "304", "400", "404", "429"]}},
        }
    )
)


# A mentor's and a lead's answers differ from a learner's only on these addresses; elsewhere the
# learner's run covers them. Each case loads the whole seed content, so this halves the run.
BY_ROLE = ("/api/v1/me/mentees", "/api/v1/me/mentorships", "/api/v1/me/reviews", "/api/v1/me/teams")


@pytest.fixture(params=["learner", "mentor", "lead"])
def role(request):
    # Before `seeded` (token asks for this first): a skipped case loads nothing.
    if request.param != "learner" and not any(f" {path}" in request.node.name for path in BY_ROLE):
        pytest.skip("answers alike for every role: covered as a learner")
    return request.param


@pytest.fixture
def token(role, seeded, monkeypatch):
    # Fuzzing sends hundreds of requests a minute; throttling is tested on its own.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})
    # The real WSGI handler closes a connection left in a transaction after each request, and the
    # test's connection is in one; Django's own test client unhooks this the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    user = UserFactory(email="fuzz@example.com", current_level=Level.objects.order_by("order").first())
    other = UserFactory(email="other@example.com", current_level=user.current_level)
    if role == "mentor":
        MentorshipFactory(mentor=user, mentee=other)
    elif role == "lead":
        team = team_create(user=user, name="Fuzz team", slug="fuzz-team")
        Membership.objects.create(team=team, user=other)
    yield api_token_create(user=user, name="fuzz")[1]
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=20, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema_and_never_errors(case, token):
    # identity: the in-process WSGI transport hands back a gzip body as it is (tests/config/test_compression.py).
    case.call_and_validate(headers={"Authorization": f"Token {token}", "Accept-Encoding": "identity"})
