"""The benchmark: gunicorn with production settings on PostgreSQL and Redis, loaded by wrk.

    python -m bench.run [--learners 10000 [100000]] [--duration 15] [--connections 16] [--rounds 3]

Seeds the learners if the database has fewer, signs in a sample of them (sessions and API tokens
made directly in the database), then runs every scenario against the same servers in one run and
writes bench/results/<date>.md and .json. With two sizes, both servers run side by side (one
database and one Redis database each) and every scenario is run on one size, then the other, for
`--rounds` rounds: each figure is the median of its rounds, so a slow minute of the machine
falls on both sizes instead of on one. Speed is measured here, never asserted in tests.
"""

import argparse
import datetime
import json
import os
import platform
import random
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench import weight

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
RESULTS = ROOT / "bench" / "results"
PORT = 8765
SAMPLE = 200

BARE_PORT = PORT + 1
TEAM_SIZE = 200
MENTEES = 50
SCENARIOS = [
    # The real ceiling: bench/bare.py, a Django view with nothing around it, on BARE_PORT.
    ("bare", "bare Django view (no middleware, no database)", {"BENCH_PATH": "/healthz"}),
    ("trivial", "/healthz (the app's cheapest page)", {"BENCH_PATH": "/healthz"}),
    ("ladder", "/ public ladder", {"BENCH_PATH": "/"}),
    ("content_api", "GET /api/v1/levels/ (content API)", {"BENCH_PATH": "/api/v1/levels/"}),
    ("dashboard", "/dashboard/ (different learners)", {}),
    ("toggle", "htmx item toggle (POST)", {}),
    ("api_summary", "GET /api/v1/me/summary/", {}),
    ("api_progress", "GET /api/v1/me/progress/", {}),
    ("kpi_log", "POST /api/v1/me/kpi-measurements/ (log a KPI value)", {}),
    ("practice", "/practice/ (questions due today)", {}),
    ("team_overview", f"/teams/bench-team/overview/ (a lead, {TEAM_SIZE} members)", {}),
    ("mentees", f"/mentees/ (a mentor of {MENTEES} learners)", {}),
]


def bench_env(args, index: int = 0) -> dict:
    env = dict(os.environ)
    # One database per size, so 10,000 and 100,000 learners can be kept and run side by side; one
    # Redis database per size too: both have a learner 5 whose cache keys would otherwise meet.
    env.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/bench_{args.learners}")
    env.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{1 + index}")
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        # The benchmark measures the app, not the throttle.
        DJANGO_API_THROTTLE_ANON="1000000/second",
        DJANGO_API_THROTTLE_USER="1000000/second",
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *argv):
    subprocess.run([sys.executable, "manage.py", *argv], cwd=ROOT, env=env, check=True)


def ensure_database(env):
    import psycopg

    url = env["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(env, learners: int, work: Path = WORK) -> dict:
    """Migrate, load content, seed learners up to the target, and sign in a sample (in `work`)."""
    ensure_database(env)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_roadmap")
    manage(env, "collectstatic", "--noinput", "-v0")
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from accounts.models import User
    from progress.management.commands.seed_learners import EMAIL_DOMAIN

    existing = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count()
    seed_seconds = None
    if existing < learners:
        started = time.perf_counter()
        manage(env, "seed_learners", "--users", str(learners - existing), "--seed", "1")
        seed_seconds = round(time.perf_counter() - started, 1)
    return {"learners": max(existing, learners), "seed_seconds": seed_seconds, **sign_in_sample(work)}


def sign_in_sample(work: Path) -> dict:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

    from accounts.models import User
    from accounts.services import api_token_create
    from progress.management.commands.seed_learners import EMAIL_DOMAIN
    from roadmap.models import KPI, Item, Skill

    rng = random.Random(42)
    ids = list(User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").values_list("pk", flat=True))
    sample = User.objects.filter(pk__in=rng.sample(ids, min(SAMPLE, len(ids))))
    work.mkdir(parents=True, exist_ok=True)
    lines = []
    for user in sample:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        # An unmasked 32-character CSRF secret is valid both as the cookie and as the header.
        csrf = secrets.token_hex(16)
        token = api_token_create(user=user, name="benchmark")[1]
        lines.append(f"{session.session_key} {csrf} {token}")
    (work / "learners.txt").write_text("\n".join(lines) + "\n")
    keys = Item.objects.current().filter(stage__isnull=False).values_list("key", flat=True)
    (work / "items.txt").write_text("\n".join(keys) + "\n")
    (work / "kpis.txt").write_text("\n".join(KPI.objects.values_list("slug", flat=True)) + "\n")
    (work / "skills.txt").write_text("\n".join(Skill.objects.values_list("slug", flat=True)) + "\n")
    lead = team_of(ids[:TEAM_SIZE])
    mentorships = mentor_of(lead, ids[1 : MENTEES + 1])
    (work / "mentorships.txt").write_text("\n".join(map(str, mentorships)) + "\n")
    session = SessionStore()
    session[SESSION_KEY] = str(lead.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = lead.get_session_auth_hash()
    session.create()
    (work / "lead.txt").write_text(f"sessionid={session.session_key}\n")
    return {"signed_in": len(lines)}


def team_of(ids):
    """The team the team_overview scenario reads: TEAM_SIZE seeded learners, the first its lead."""
    from accounts.models import User
    from mentoring.models import Membership, Team

    team, _ = Team.objects.get_or_create(slug="bench-team", defaults={"name": "Benchmark team"})
    Membership.objects.bulk_create(
        [Membership(team=team, user_id=pk, role="lead" if n == 0 else "member") for n, pk in enumerate(ids)],
        ignore_conflicts=True,
    )
    lead_id = team.memberships.filter(role="lead").values_list("user_id", flat=True).first()
    return User.objects.get(pk=lead_id)


def mentor_of(mentor, ids) -> list[int]:
    """The mentees scenario: the team's lead mentors MENTEES of its members; the mentorships' ids."""
    from mentoring.models import Mentorship

    taken = set(Mentorship.objects.active().filter(mentor=mentor).values_list("mentee_id", flat=True))
    Mentorship.objects.bulk_create([Mentorship(mentor=mentor, mentee_id=pk) for pk in ids if pk not in taken])
    return list(Mentorship.objects.active().filter(mentor=mentor).values_list("pk", flat=True))


def start_server(env, workers: int, port: int = PORT, app: str = "config.wsgi"):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=ROOT,
        env=env,
    )
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn on port {port} did not answer /healthz")


def run_wrk(scenario: str, extra_env: dict, args, port: int = PORT, work: Path = WORK) -> dict:
    env = dict(
        os.environ,
        BENCH_SCENARIO=scenario,
        BENCH_LEARNERS=str(work / "learners.txt"),
        BENCH_ITEMS=str(work / "items.txt"),
        BENCH_LEAD=str(work / "lead.txt"),
        BENCH_KPIS=str(work / "kpis.txt"),
        **extra_env,
    )
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "-s",
        "bench/lua/scenario.lua",
        f"http://127.0.0.1:{port}",
    ]
    output = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    result = json.loads(line.removeprefix("WRK_JSON "))
    result["rps"] = round(result["requests"] / (result["duration_us"] / 1e6), 1)
    return result


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    return f"{os.cpu_count()} cores ({cpu}), {memory} GiB, {system}"


def write_results(runs: list[dict]) -> Path:
    """One table, a column group per number of learners; with two sizes, the larger's req/s as a
    share of the smaller's (flat with scale: close to 1)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / datetime.date.today().isoformat()
    stem.with_suffix(".json").write_text(json.dumps(runs, indent=2) + "\n")
    meta = runs[0]["meta"]
    sizes = [f"{run['meta']['learners']:,}" for run in runs]
    head = "| scenario |" + "".join(f" {n}: req/s | p95 ms | × bare | × /healthz |" for n in sizes)
    rule = "|---|" + "---:|---:|---:|---:|" * len(runs)
    if len(runs) == 2:
        head += f" {sizes[1]} ÷ {sizes[0]} |"
        rule += "---:|"
    lines = [
        f"# Benchmark {meta['date']}",
        "",
        f"Machine: {meta['machine']}. PostgreSQL ({' and '.join(sizes)} learners, one database each), "
        f"Redis cache, gunicorn {meta['workers']} workers, `wrk -t{meta['threads']} -c{meta['connections']} "
        f"-d{meta['duration']}s`, 127.0.0.1. Every figure is the median of {meta.get('rounds', 1)} rounds; "
        "within a round each scenario runs on one size right after the other (servers side by side, a "
        "database and a Redis database each). Ratios are within one run: against the bare Django view "
        "(bench/bare.py, no middleware, no database) and against /healthz.",
        "",
        head,
        rule,
    ]
    by_name = [{r["scenario"]: r for r in run["results"]} for run in runs]
    for r in runs[0]["results"]:
        cells = []
        for results in by_name:
            x = results.get(r["scenario"])
            cells.append(
                f" {x['rps']:,.0f} | {x['p95_ms']:.1f} | {x['ratio_bare']:.2f} | {x['ratio']:.2f} |"
                if x
                else " – | – | – | – |"
            )
        row = f"| {r['label']} |" + "".join(cells)
        if len(runs) == 2 and r["scenario"] in by_name[1]:
            row += f" {by_name[1][r['scenario']]['rps'] / r['rps']:.2f} |"
        lines.append(row)
    for run in runs:
        m = run["meta"]
        worst = m["slowest_dashboard_query"]
        seeded = f"; seeding took {m['seed_seconds']} s" if m.get("seed_seconds") is not None else ""
        first = m.get("first_visit_ms", {})
        seeded += (
            f"; first visit after a deploy (cold cache), mean of {SAMPLE}: dashboard {first.get('dashboard')} ms, "
        )
        seeded += f"API summary {first.get('api_summary')} ms"
        lines += [
            "",
            f"{m['learners']:,} learners: slowest dashboard query (EXPLAIN ANALYZE, 20 learners) "
            f"{worst['ms']} ms{seeded}.",
        ]
    weights = weight.table(runs[-1]["meta"]["weights"])
    lines += ["", *capacity_lines(meta["date"]), "", *target_lines(runs), "", *weights]
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")
    return stem.with_suffix(".md")


def capacity_lines(date: str) -> list[str]:
    """The day's capacity figure (`python -m bench.capacity`, run before this benchmark), if measured."""
    path = RESULTS / f"{date}-capacity.json"
    lines = ["## Capacity", ""]
    if not path.exists():
        return [*lines, f"Not measured on {date}: `python -m bench.capacity` writes it, and this report reads it."]
    report = json.loads(path.read_text())
    lines.append(
        f"How many people one machine serves at once ({report['learners']:,} learners; each person one request, "
        f"then a pause of {report['think']} s on average; a weighted mix of {len(report['mix'])} actions; "
        f"ramped until p95 > 200 ms or an error; every step in `{path.with_suffix('.md').name}`):"
    )
    lines.append("")
    for run in report["runs"]:
        held = [s for s in run["steps"] if s["held"]]
        at = f" ({held[-1]['rps']:,.0f} req/s of the mix, p95 {held[-1]['p95_ms']} ms)" if held else ""
        lines.append(f"- **{run['workers']} workers: {run['capacity']:,} people active at once**{at}")
    return lines


# Scenarios that change the sampled learners' records.
WRITES = {"toggle", "kpi_log"}

LEARNER_SCENARIOS = [
    "dashboard",
    "toggle",
    "api_summary",
    "api_progress",
    "kpi_log",
    "practice",
    "team_overview",
    "mentees",
]


def target_lines(runs: list[dict]) -> list[str]:
    """Issue 16's targets against this run, one row each; why one is missed is the README's business."""
    by_name = [{r["scenario"]: r for r in run["results"]} for run in runs]
    sizes = [f"{run['meta']['learners']:,}" for run in runs]

    def row(label: str, values: list, met: bool) -> str:
        return f"| {label} | " + " | ".join(values) + f" | {'met' if met else '**not met**'} |"

    def in_every_size(name: str) -> list[dict]:
        """The scenario's result in each size, or none if a size did not run it."""
        found = [results[name] for results in by_name if name in results]
        return found if len(found) == len(by_name) else []

    lines = [
        "## Targets (issues 16 and 32)",
        "",
        "| target | " + " | ".join(sizes) + " | |",
        "|---|" + "---:|" * len(runs) + "---|",
    ]
    dashboards = in_every_size("dashboard")
    if dashboards:
        lines.append(
            row(
                "dashboard ≥ 0.25× bare",
                [f"{d['ratio_bare']:.2f}" for d in dashboards],
                all(d["ratio_bare"] >= 0.25 for d in dashboards),
            )
        )
        lines.append(
            row(
                "dashboard p95 ≤ 50 ms",
                [f"{d['p95_ms']:.1f} ms" for d in dashboards],
                all(d["p95_ms"] <= 50 for d in dashboards),
            )
        )
    for name in LEARNER_SCENARIOS:
        found = in_every_size(name)
        if found:
            lines.append(
                row(
                    f"{name} ≥ 0.2× /healthz",
                    [f"{x['ratio']:.2f}" for x in found],
                    all(x["ratio"] >= 0.2 for x in found),
                )
            )
    if len(runs) == 2:
        shares = {
            name: found[1]["rps"] / found[0]["rps"] for name in LEARNER_SCENARIOS if (found := in_every_size(name))
        }
        outside = [f"{name} {share:.2f}" for name, share in shares.items() if abs(share - 1) > 0.10]
        bare = in_every_size("bare")
        noise = f"; the bare view, which reads nothing: {bare[1]['rps'] / bare[0]['rps']:.2f}" if bare else ""
        lines += [
            "",
            f"Flat with scale ({sizes[1]} ÷ {sizes[0]} within 10 % for every learner scenario): "
            + ("met" if not outside else f"**not met** for {', '.join(outside)}")
            + noise
            + ".",
        ]
    return lines


def first_visits(port: int, work: Path) -> dict:
    """Each signed-in learner's first dashboard and summary after a deploy (their cache is cold: keys
    carry a digest of the code), one at a time, before the timed runs measure the steady state."""
    timings: dict[str, list[float]] = {"dashboard": [], "api_summary": []}
    for entry in (work / "learners.txt").read_text().strip().split("\n"):
        session, csrf, token = entry.split()
        for name, path, headers in (
            ("dashboard", "/dashboard/", {"Cookie": f"sessionid={session}; csrftoken={csrf}"}),
            ("api_summary", "/api/v1/me/summary/", {"Authorization": f"Token {token}"}),
        ):
            started = time.perf_counter()
            with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)) as r:
                r.read()
            timings[name].append((time.perf_counter() - started) * 1000)
    return {name: round(sum(ms) / len(ms), 1) for name, ms in timings.items()}


def prepare_one(args) -> dict:
    """In its own process (Django is set up once, for one database): one size made ready."""
    env = bench_env(args, args.index)
    meta = prepare(env, args.learners, WORK / str(args.learners))
    from bench.explain import slowest_dashboard_query

    meta["slowest_dashboard_query"] = slowest_dashboard_query()
    weight.year_of_history(WORK / str(args.learners))
    return meta


def median_result(rounds: list[dict]) -> dict:
    """The round with the median throughput, and every round's req/s beside it."""
    ordered = sorted(rounds, key=lambda r: r["rps"])
    return {**ordered[len(ordered) // 2], "rounds_rps": [r["rps"] for r in rounds]}


def run_all(args) -> list[dict]:
    """Every scenario on every size, size after size within a scenario, for args.rounds rounds."""
    # One secret for the processes that sign learners in and the servers that read their sessions.
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    sizes = []
    for index, learners in enumerate(args.learners):
        out = WORK / f"prepared-{learners}.json"
        WORK.mkdir(parents=True, exist_ok=True)
        argv = [sys.executable, "-m", "bench.run", "--learners", str(learners), "--prepare-out", str(out)]
        subprocess.run([*argv, "--index", str(index)], cwd=ROOT, check=True)
        one = argparse.Namespace(learners=learners)
        sizes.append({"meta": json.loads(out.read_text()), "env": bench_env(one, index), "port": PORT + 10 * index})
    env0 = sizes[0]["env"]
    servers = [start_server(env0, args.workers, BARE_PORT, "bench.bare")]
    try:
        for size in sizes:
            servers.append(start_server(size["env"], args.workers, size["port"]))
            size["work"] = WORK / str(size["meta"]["learners"])
            size["meta"]["first_visit_ms"] = first_visits(size["port"], size["work"])
            size["meta"]["weights"] = weight.measure(size["port"], weight.pages(size["work"]))
            size["rounds"] = {}
        warm = argparse.Namespace(threads=1, connections=2, duration=2)
        for round_number in range(args.rounds):
            for name, label, extra in SCENARIOS:
                if args.only and name not in ("bare", "trivial") and name not in args.only:
                    continue
                for size in sizes:
                    port = BARE_PORT if name == "bare" else size["port"]
                    run_wrk(name, extra, warm, port, size["work"])
                    result = run_wrk(name, extra, args, port, size["work"])
                    size["rounds"].setdefault(name, []).append({"scenario": name, "label": label, **result})
                    if name in WRITES:
                        # What it wrote made the sampled learners' cached reads stale: the next
                        # scenario measures reading, not the first visit after a change.
                        first_visits(size["port"], size["work"])
                    print(
                        f"round {round_number + 1}, {size['meta']['learners']:,} learners, {label}: "
                        f"{result['rps']:.0f} req/s, p95 {result['p95_ms']:.1f} ms, errors {result['errors']}"
                    )
    finally:
        for server in servers:
            server.terminate()
            server.wait()
    runs = []
    for size in sizes:
        results = [median_result(rounds) for rounds in size["rounds"].values()]
        bare, trivial = results[0]["rps"], results[1]["rps"]
        for r in results:
            r["ratio_bare"] = round(r["rps"] / bare, 2)
            r["ratio"] = round(r["rps"] / trivial, 2)
        size["meta"].update(
            date=datetime.date.today().isoformat(),
            machine=machine(),
            workers=args.workers,
            threads=args.threads,
            connections=args.connections,
            duration=args.duration,
            rounds=args.rounds,
        )
        runs.append({"meta": size["meta"], "results": results})
    return runs


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, nargs="+", default=[10_000], help="One or two sizes.")
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="Runs of each scenario per size; the median counts.")
    parser.add_argument("--only", nargs="*", help="Run only these scenarios (trivial always runs).")
    parser.add_argument("--prepare-out", help=argparse.SUPPRESS)  # one size, prepared by a child process
    parser.add_argument("--index", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    if args.prepare_out:
        args.learners = args.learners[0]
        Path(args.prepare_out).write_text(json.dumps(prepare_one(args)))
        return
    print(write_results(run_all(args)).read_text())


if __name__ == "__main__":
    main()
