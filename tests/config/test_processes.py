"""`make serve` as it runs: one gunicorn instance with two workers on SQLite without Redis."""

import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _passes(module: str, *args: str) -> None:
    """Run a bench/ script that drives real processes; it exits non-zero naming the failed check."""
    result = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=400
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "all checks passed" in result.stdout


def test_two_workers_never_serve_a_stale_page_and_share_sign_in_limits():
    """Writes, sign-in failures and a content change in one worker (or a third process) are seen
    by both workers at once: bench/instances.py drives real gunicorn processes and says which
    check failed."""
    _passes("bench.instances", "--no-redis", "--port", str(_free_port()))


def test_mail_waits_while_the_mail_server_is_down_arrives_once_and_survives_a_killed_worker():
    """bench/mail_outage.py: gunicorn and the mail worker as `make serve` runs them, a local SMTP
    server down, then back, then slow while the worker is killed; it says which check failed."""
    _passes("bench.mail_outage", "--port", str(_free_port()), "--smtp-port", str(_free_port()))
