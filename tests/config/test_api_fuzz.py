"""Schemathesis over the whole OpenAPI schema, as a signed-in learner with seeded content.

Bounded and derandomized so CI runs the same examples every time.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import api_token_create
from tests.factories import UserFactory

# positive_data_acceptance is left out on purpose: a schema cannot say "a percentage KPI takes
# 0-100 but a latency KPI takes any number >= 0", so business-rule 400s would count as failures.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# Serving the schema touches no database, so it can be loaded when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def learner_token(seeded, monkeypatch):
    # Fuzzing sends hundreds of requests a minute; throttling is tested on its own.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})
    # The real WSGI handler closes a connection left in a transaction after each request, and the
    # test's connection is in one; Django's own test client unhooks this the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    learner = UserFactory(email="fuzz@example.com")
    yield api_token_create(user=learner, name="fuzz")[1]
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=20, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema_and_never_errors(case, learner_token):
    case.call_and_validate(headers={"Authorization": f"Token {learner_token}"}, checks=CHECKS)
