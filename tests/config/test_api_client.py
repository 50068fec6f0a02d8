"""A typed client generated from the live schema (openapi-python-client) drives the learner flow.

The client is generated fresh from /api/schema/ of the running test server, every module of it
must import, tests/config/api_client_flow.py must pass mypy against it, and the flow must run.
"""

import importlib
import pkgutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.services import api_token_create
from roadmap.models import KPI, Item, Level, LevelSkill
from tests.factories import UserFactory

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


@pytest.fixture
def generated_client(live_server, tmp_path, monkeypatch):
    schema = tmp_path / "schema.yaml"
    with urllib.request.urlopen(f"{live_server.url}/api/schema/") as response:
        schema.write_bytes(response.read())
    subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(schema),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / "mlcl_client"),
            "--config",
            str(HERE / "openapi_client.yml"),
        ],
        check=True,
        capture_output=True,
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [m for m in sys.modules if m.split(".")[0] in ("mlcl_client", "tests.config.api_client_flow")]:
        del sys.modules[name]


@pytest.mark.django_db(transaction=True)
def test_a_generated_typed_client_imports_type_checks_and_runs_the_learner_flow(
    generated_client, live_server, seeded, monkeypatch
):
    import mlcl_client

    modules = [m.name for m in pkgutil.walk_packages(mlcl_client.__path__, "mlcl_client.")]
    for name in modules:
        importlib.import_module(name)
    assert len(modules) > 60

    checked = subprocess.run(
        [str(BIN / "mypy"), "--no-incremental", "--follow-imports=normal", str(HERE / "api_client_flow.py")],
        env={"MYPYPATH": str(generated_client), "PATH": str(BIN)},
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr

    from tests.config.api_client_flow import learner_flow

    level = Level.objects.order_by("order").first()
    learner = UserFactory(email="client@example.com", onboarded_at=timezone.now())
    steps = list(
        Item.objects.current()
        .filter(stage__level=level)
        .order_by("stage__order", "order")
        .values_list("key", flat=True)
    )
    skills = list(LevelSkill.objects.filter(level=level).order_by("order").values_list("skill__slug", flat=True))
    kpi = KPI.objects.filter(level=level, unit=KPI.Unit.MILLISECONDS).values_list("slug", flat=True).first()
    learner_flow(
        live_server.url,
        api_token_create(user=learner, name="generated client")[1],
        level=level.slug,
        steps=steps[:5],
        skills=skills,
        kpi=kpi,
    )
