"""Capacity: how many learners can use one machine at once, each thinking between clicks.

    python -m bench.capacity [--learners 10000] [--workers 2 4] [--think 5] [--step-seconds 40]

Simulated people, each a loop of one request and a pause (uniform between 0.4 and 1.6 times
`--think` seconds), doing a mix chosen from what the app's pages invite (MIX below: a learner
opens the dashboard most, ticks items, reads the roadmap, practises, rates a skill, logs a KPI
through the API, reads their summary; a mentor opens the mentees list or one mentee; a lead the
team overview). Each step adds people, who start at random moments within one pause (no burst at
the start), and measures the step's last three quarters; the ramp stops at the first step whose
p95 is over 200 ms or that has any error. The answer — the most people a step held — is written
with every step to bench/results/<date>-capacity.md and .json, for each number of gunicorn
workers. The client is asyncio on the same machine: it takes some of the CPU the server would
have, as the users' browsers would not; the figure is a floor.
"""

import argparse
import asyncio
import datetime
import json
import os
import random
import secrets
import subprocess
import sys
import time
from pathlib import Path

from bench.run import PORT, RESULTS, ROOT, WORK, bench_env, machine, start_server

P95_LIMIT_MS = 200
STEPS = [50, 100, 150, 200, 300, 400, 600, 800, 1200, 1600, 2400, 3200, 4800]
# (weight, what): how often a person does it, out of 100.
MIX = [
    (28, "dashboard"),
    (18, "toggle"),
    (10, "roadmap"),
    (10, "practice"),
    (8, "rate_skill"),
    (5, "kpi_log"),
    (5, "api_summary"),
    (6, "mentees"),
    (6, "mentee"),
    (4, "team_overview"),
]
STATUSES = ["done", "in_progress", "skipped", "not_started"]


class Work:
    """What the benchmark's preparation left: signed-in learners, items, KPIs, skills, the lead."""

    def __init__(self, folder: Path):
        self.learners = [line.split() for line in (folder / "learners.txt").read_text().split("\n") if line]
        self.items = (folder / "items.txt").read_text().split()
        self.kpis = (folder / "kpis.txt").read_text().split()
        self.skills = (folder / "skills.txt").read_text().split()
        self.mentorships = (folder / "mentorships.txt").read_text().split()
        self.lead = (folder / "lead.txt").read_text().strip()


def scenario_request(what: str, work: Work, rng: random.Random) -> tuple[str, str, dict, str]:
    """One request of an action by a random prepared learner: method, path, headers, body."""
    session, csrf, token = rng.choice(work.learners)
    cookie = f"sessionid={session}; csrftoken={csrf}"
    method, path, headers, body = "GET", "/", {"Cookie": cookie}, ""
    form = {"Cookie": cookie, "X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded"}
    if what == "dashboard":
        path = "/dashboard/"
    elif what == "toggle":
        method, path = "POST", f"/progress/items/{rng.choice(work.items)}/"
        headers, body = {**form, "HX-Request": "true"}, f"status={rng.choice(STATUSES)}"
    elif what == "roadmap":
        path = "/roadmap/"
    elif what == "practice":
        path = "/practice/"
    elif what == "rate_skill":
        method, path = "POST", f"/progress/skills/{rng.choice(work.skills)}/"
        headers, body = {**form, "HX-Request": "true"}, f"rating={rng.randint(0, 4)}"
    elif what == "kpi_log":
        method, path = "POST", "/api/v1/me/kpi-measurements/"
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        body = json.dumps({"kpi": rng.choice(work.kpis), "value": rng.randint(1, 99), "measured_on": str(_today())})
    elif what == "api_summary":
        path, headers = "/api/v1/me/summary/", {"Authorization": f"Token {token}"}
    elif what == "mentees":
        path, headers = "/mentees/", {"Cookie": work.lead}
    elif what == "mentee":
        path, headers = f"/mentees/{rng.choice(work.mentorships)}/", {"Cookie": work.lead}
    elif what == "team_overview":
        path, headers = "/teams/bench-team/overview/", {"Cookie": work.lead}
    elif what == "trivial":
        path, headers = "/healthz", {}
    return method, path, headers, body


def request_for(what: str, work: Work, rng: random.Random) -> bytes:
    method, path, headers, body = scenario_request(what, work, rng)
    data = body.encode()
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", f"Content-Length: {len(data)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


def _today() -> datetime.date:
    return datetime.date.today()


async def fetch(port: int, raw: bytes) -> int:
    """One request on its own connection (gunicorn's sync workers close each one); the status."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(raw)
        await writer.drain()
        response = await reader.read()
    finally:
        writer.close()
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/") else 0


async def person(number, port, work, think, until, measured_from, samples, errors):
    rng = random.Random(number)
    whats = [what for weight, what in MIX for _ in range(weight)]
    await asyncio.sleep(rng.uniform(0, think))  # people arrive spread over one pause
    while time.monotonic() < until:
        what = rng.choice(whats)
        started = time.monotonic()
        try:
            status = await asyncio.wait_for(fetch(port, request_for(what, work, rng)), timeout=30)
        except (TimeoutError, OSError):
            status = 0
        ended = time.monotonic()
        if started >= measured_from:
            samples.append((what, (ended - started) * 1000))
            if not 200 <= status < 400:
                errors[what] = errors.get(what, 0) + 1
        await asyncio.sleep(rng.uniform(0.4 * think, 1.6 * think))


async def step(people: int, port: int, work: Work, think: float, seconds: float) -> dict:
    samples: list[tuple[str, float]] = []
    errors: dict[str, int] = {}
    start = time.monotonic()
    measured_from, until = start + seconds / 4, start + seconds
    await asyncio.gather(*(person(n, port, work, think, until, measured_from, samples, errors) for n in range(people)))
    every = sorted(ms for _, ms in samples)
    return {
        "people": people,
        "requests": len(samples),
        "rps": round(len(samples) / (seconds * 3 / 4), 1),
        "p50_ms": _percentile(every, 0.50),
        "p95_ms": _percentile(every, 0.95),
        "p99_ms": _percentile(every, 0.99),
        "p95_ms_by_action": {what: _percentile(sorted(ms for w, ms in samples if w == what), 0.95) for _, what in MIX},
        "errors": sum(errors.values()),
        "errors_by_action": errors,
    }


def _percentile(ordered: list[float], q: float) -> float | None:
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else None


def ramp(port: int, work: Work, args) -> list[dict]:
    steps = []
    for people in STEPS:
        result = asyncio.run(step(people, port, work, args.think, args.step_seconds))
        result["held"] = result["errors"] == 0 and result["p95_ms"] is not None and result["p95_ms"] <= P95_LIMIT_MS
        steps.append(result)
        print(
            f"{people} people: {result['rps']} req/s, p95 {result['p95_ms']} ms, errors {result['errors']}"
            f" {'held' if result['held'] else 'did not hold'}; p95 by action {result['p95_ms_by_action']}",
            flush=True,
        )
        if not result["held"]:
            break
    return steps


def write(report: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"{datetime.date.today().isoformat()}-capacity"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    mix = ", ".join(f"{what} {weight} %" for weight, what in MIX)
    lines = [
        f"# Capacity {report['date']}",
        "",
        f"Machine: {report['machine']}. PostgreSQL ({report['learners']:,} learners), Redis cache, gunicorn "
        f"on 127.0.0.1. Simulated people, each one request then a pause of {report['think']} s on average "
        f"(uniform, 0.4–1.6×), arriving spread over one pause; the mix: {mix}. Each step lasts "
        f"{report['step_seconds']} s and counts its last three quarters; it holds when p95 ≤ {P95_LIMIT_MS} ms "
        "and no request fails. The load generator (asyncio) runs on the same machine.",
        "",
    ]
    for run in report["runs"]:
        lines.append(f"**{run['workers']} workers: {run['capacity']:,} people active at once.**")
    lines.append("")
    for run in report["runs"]:
        lines += [
            f"## {run['workers']} workers",
            "",
            "| people | req/s | p50 ms | p95 ms | p99 ms | errors | |",
            "|---:|---:|---:|---:|---:|---:|---|",
        ]
        for s in run["steps"]:
            failed = ", ".join(f"{k} {v}" for k, v in s["errors_by_action"].items())
            lines.append(
                f"| {s['people']:,} | {s['rps']:,.0f} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} | "
                f"{s['errors']}{f' ({failed})' if failed else ''} | {'held' if s['held'] else '**did not hold**'} |"
            )
        held = [s for s in run["steps"] if s["held"]]
        if held:
            by_action = ", ".join(f"{what} {ms}" for what, ms in held[-1]["p95_ms_by_action"].items())
            lines += ["", f"p95 ms by action at {held[-1]['people']:,} people: {by_action}."]
        lines.append("")
    stem.with_suffix(".md").write_text("\n".join(lines))
    return stem.with_suffix(".md")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--think", type=float, default=5.0, help="Mean pause between a person's requests (s).")
    parser.add_argument("--step-seconds", type=float, default=40.0)
    args = parser.parse_args()
    # One secret for the process that signs learners in and the servers that read their sessions.
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    out = WORK / f"prepared-{args.learners}.json"
    WORK.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "bench.run", "--learners", str(args.learners), "--prepare-out", str(out)]
    subprocess.run(argv, cwd=ROOT, check=True)
    env = bench_env(argparse.Namespace(learners=args.learners))
    work = Work(WORK / str(args.learners))
    runs = []
    for workers in args.workers:
        server = start_server(env, workers, PORT)
        try:
            steps = ramp(PORT, work, args)
        finally:
            server.terminate()
            server.wait()
        held = [s["people"] for s in steps if s["held"]]
        runs.append({"workers": workers, "capacity": max(held, default=0), "steps": steps})
    report = {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "learners": args.learners,
        "think": args.think,
        "step_seconds": args.step_seconds,
        "mix": MIX,
        "runs": runs,
    }
    print(write(report).read_text())


if __name__ == "__main__":
    main()
