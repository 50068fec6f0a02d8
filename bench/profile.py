"""Where a request's time goes: each learner scenario of bench.run, in one process, profiled.

    python -m bench.profile [--learners 10000] [--requests 300]

Runs after `python -m bench.run` has seeded that many learners (it reuses its database and signs a
sample in again, in bench/.work/<learners>/), with the same production settings, and sends each
scenario's requests straight to the WSGI application (no server, no network): what is left is the
app's own work. For each scenario: milliseconds per request (the best of a few batches, wall and
CPU), queries per request and their time, and a sampling profile (pyinstrument, a dev dependency)
cut into what the time was spent on. Writes bench/results/<date>-profile.md and .json.
"""

import argparse
import datetime
import io
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

from bench.capacity import Work, scenario_request
from bench.run import RESULTS, ROOT, WORK, bench_env, machine, sign_in_sample

SCENARIOS = ["trivial", "dashboard", "toggle", "api_summary", "kpi_log", "practice", "team_overview", "mentees"]

# What a sample is counted as: the outermost frame of the call stack that matches, in this order of
# the stack (a query run by a template tag counts as the template's).
PARTS = [
    (
        "sign-in (session and user, or token)",
        [("django/contrib/auth/__init__.py", "get_user"), ("rest_framework/request.py", "_authenticate")],
    ),
    ("API throttle", [("rest_framework/views.py", "check_throttles")]),
    ("templates", [("django/template/", "")]),
    ("database (building queries, round trips, rows)", [("django/db/", "")]),
    ("cache (Redis)", [("django/core/cache/", ""), ("redis/", "")]),
    ("JSON", [("rest_framework/renderers.py", ""), ("rest_framework/serializers.py", "")]),
    ("compression", [("django/middleware/gzip.py", "")]),
]
OTHER = "the rest (middleware, URL routing, views, forms)"


class Requests(Work):
    """Each scenario's requests as WSGI environments, as bench/lua/scenario.lua sends them."""

    def __init__(self, folder: Path):
        super().__init__(folder)
        self.rng = random.Random(1)

    def environ(self, scenario: str) -> dict:
        method, path, headers, body = scenario_request(scenario, self, self.rng)
        data = body.encode()
        env = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
        if "HTTP_CONTENT_TYPE" in env:
            env["CONTENT_TYPE"] = env.pop("HTTP_CONTENT_TYPE")
        env.update(REQUEST_METHOD=method, PATH_INFO=path)
        return {
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "QUERY_STRING": "",
            "HTTP_ACCEPT_ENCODING": "gzip",
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.input": io.BytesIO(data),
            "CONTENT_LENGTH": str(len(data)),
            **env,
        }


def send(application, requests: Requests, scenario: str, n: int) -> Counter:
    statuses: Counter = Counter()
    for _ in range(n):

        def start_response(status, headers, exc_info=None):
            statuses[status] += 1

        response = application(requests.environ(scenario), start_response)
        b"".join(response)
        response.close()
    return statuses


def timed(application, requests: Requests, scenario: str, n: int, batches: int = 3) -> dict:
    best_wall = best_cpu = float("inf")
    for _ in range(batches):
        wall, cpu = time.perf_counter(), time.process_time()
        statuses = send(application, requests, scenario, n)
        best_wall = min(best_wall, (time.perf_counter() - wall) / n * 1000)
        best_cpu = min(best_cpu, (time.process_time() - cpu) / n * 1000)
    return {"wall_ms": round(best_wall, 2), "cpu_ms": round(best_cpu, 2), "statuses": dict(statuses)}


def queries(application, requests: Requests, scenario: str, n: int) -> dict:
    from django.db import connection

    count, seconds = 0, 0.0

    def measure(execute, sql, params, many, context):
        nonlocal count, seconds
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            count += 1
            seconds += time.perf_counter() - started

    with connection.execute_wrapper(measure):
        send(application, requests, scenario, n)
    return {"queries": round(count / n, 2), "query_ms": round(seconds / n * 1000, 2)}


def part_of(frame) -> str | None:
    path = frame.file_path or ""
    for name, patterns in PARTS:
        if any(where in path and (not function or frame.function == function) for where, function in patterns):
            return name
    return None


def split(frame, shares: Counter) -> None:
    """Adds each outermost matching frame's time to its part, the rest's self time to OTHER."""
    name = part_of(frame)
    if name:
        shares[name] += frame.time
        return
    shares[OTHER] += frame.total_self_time
    for child in frame.children:
        split(child, shares)


def profiled(application, requests: Requests, scenario: str, n: int) -> dict:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    send(application, requests, scenario, n)
    session = profiler.stop()
    shares: Counter = Counter()
    split(session.root_frame(), shares)
    total = sum(shares.values())
    return {name: round(100 * shares[name] / total, 1) for name in [*(p for p, _ in PARTS), OTHER]}


def write(results: dict, meta: dict) -> Path:
    stem = RESULTS / f"{datetime.date.today().isoformat()}-profile"
    stem.with_suffix(".json").write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    parts = [*(p for p, _ in PARTS), OTHER]
    lines = [
        f"# Where a request's time goes ({meta['date']})",
        "",
        f"Machine: {meta['machine']}. {meta['learners']:,} learners on PostgreSQL, Redis cache, production "
        f"settings; each scenario's requests sent straight to the WSGI application in one process (no "
        f"server, no network), {meta['requests']} per batch, the best of 3 batches; the shares come from "
        "a sampling profile (pyinstrument, 0.5 ms) of one more batch, each sample counted to the outermost "
        "part of its call stack (a query run from a template counts as the template's). `python -m bench.profile`.",
        "",
        "| scenario | ms/request (CPU) | queries | query ms | " + " | ".join(parts) + " |",
        "|---|---:|---:|---:|" + "---:|" * len(parts),
    ]
    for name, r in results.items():
        shares = " | ".join(f"{r['shares'][p]:.0f} %" for p in parts)
        lines.append(
            f"| {name} | {r['wall_ms']:.1f} ({r['cpu_ms']:.1f}) | {r['queries']:.0f} | {r['query_ms']:.1f} | {shares} |"
        )
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")
    return stem.with_suffix(".md")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300, help="Requests per batch.")
    args = parser.parse_args()
    work = WORK / str(args.learners)
    env = bench_env(argparse.Namespace(learners=args.learners), 0)
    os.environ.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from accounts.models import User
    from config.wsgi import application
    from progress.management.commands.seed_learners import EMAIL_DOMAIN

    if User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count() < args.learners:
        raise SystemExit(f"Run `python -m bench.run --learners {args.learners}` first: it seeds the learners.")
    sign_in_sample(work)  # with this process's secret key
    requests = Requests(work)
    results = {}
    for scenario in SCENARIOS:
        send(application, requests, scenario, 2 * args.requests)  # every sampled learner's reads cached
        results[scenario] = {
            **timed(application, requests, scenario, args.requests),
            **queries(application, requests, scenario, args.requests),
            "shares": profiled(application, requests, scenario, args.requests),
        }
        print(scenario, results[scenario])
    meta = {"date": datetime.date.today().isoformat(), "machine": machine(), **vars(args)}
    print(write(results, meta).read_text())


if __name__ == "__main__":
    main()
