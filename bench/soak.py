"""Soak: 50 learners at once mixing reads, item toggles and KPI logging against gunicorn +
PostgreSQL + Redis on 127.0.0.1, then a check in the database that every acknowledged write
is there.

    python -m bench.soak [--learners-online 50] [--minutes 5] [--redis-outage] [--mail-outage]

With --redis-outage the app uses a Redis server this script starts on its own port, and the
script stops that server for the middle third of the run (the middle minute of a 3-minute run)
and starts it again: the app must answer every request (slower) and lose no write.

With --mail-outage a mail worker runs beside gunicorn, learners also invite mentors now and then
(each at most once every INVITE_EVERY seconds), and the local SMTP server (aiosmtpd) is down for
the middle third of the run: every request must still answer, and afterwards every invitation's
mail must arrive exactly once.

Each learner is one client thread making one request at a time, so the last acknowledged
toggle of an item is the state the database must hold.
"""

import argparse
import datetime
import json
import random
import statistics
import subprocess
import threading
import time
from pathlib import Path

import requests

from bench.mail_outage import Sink, start_worker
from bench.run import PORT, RESULTS, WORK, bench_env, prepare, start_server

BASE = f"http://127.0.0.1:{PORT}"
STATUSES = ["done", "in_progress", "skipped", "not_started"]
INVITE_EVERY = 15  # seconds: a learner's daily invitation limit (20) holds over a long run
SMTP_PORT = 8826


class Learner(threading.Thread):
    def __init__(self, number, line, items, kpi, deadline, invites=False):
        super().__init__(daemon=True)
        self.number, self.invites, self.last_invite = number, invites, 0.0
        self.invited: list[str] = []  # addresses whose invitation was acknowledged
        self.session_key, self.csrf, self.token = line.split()
        self.rng = random.Random(number)
        self.items, self.kpi, self.deadline = items, kpi, deadline
        self.latencies, self.failures = [], []
        self.toggles: dict[str, str] = {}  # item key -> last acknowledged status
        self.measurements: dict[int, str] = {}  # id -> value, as acknowledged
        self.http = requests.Session()
        self.http.cookies.update({"sessionid": self.session_key, "csrftoken": self.csrf})

    def run(self):
        actions = [self.dashboard] * 4 + [self.summary] * 2 + [self.toggle] * 3 + [self.log_kpi]
        while time.monotonic() < self.deadline:
            action = self.rng.choice(actions)
            if self.invites and time.monotonic() - self.last_invite > INVITE_EVERY:
                action = self.invite
            started = time.perf_counter()
            try:
                action()
            except requests.RequestException as error:
                self.failures.append(repr(error))
            self.latencies.append(time.perf_counter() - started)

    def _check(self, response, name) -> bool:
        if response.status_code >= 400:
            self.failures.append(f"{name}: {response.status_code}")
            return False
        return True

    def dashboard(self):
        return self._check(self.http.get(f"{BASE}/dashboard/", timeout=30), "dashboard")

    def summary(self):
        headers = {"Authorization": f"Token {self.token}"}
        return self._check(self.http.get(f"{BASE}/api/v1/me/summary/", headers=headers, timeout=30), "summary")

    def toggle(self):
        key, status = self.rng.choice(self.items), self.rng.choice(STATUSES)
        response = self.http.post(
            f"{BASE}/progress/items/{key}/",
            data={"status": status},
            headers={"X-CSRFToken": self.csrf, "HX-Request": "true"},
            timeout=30,
        )
        if self._check(response, "toggle"):
            self.toggles[key] = status
            return True
        return False

    def log_kpi(self):
        value = f"{self.rng.uniform(50, 400):.2f}"
        response = self.http.post(
            f"{BASE}/api/v1/me/kpi-measurements/",
            json={"kpi": self.kpi, "value": value, "measured_on": datetime.date.today().isoformat()},
            headers={"Authorization": f"Token {self.token}"},
            timeout=30,
        )
        if self._check(response, "log_kpi"):
            self.measurements[response.json()["id"]] = value
            return True
        return False

    def invite(self):
        self.last_invite = time.monotonic()
        address = f"mentor-{RUN_TAG}-{self.number}-{len(self.invited)}@soak-mail.example"
        response = self.http.post(
            f"{BASE}/api/v1/me/invitations/",
            json={"email": address},
            headers={"Authorization": f"Token {self.token}"},
            timeout=30,
        )
        if self._check(response, "invite"):
            self.invited.append(address)
            return True
        return False


RUN_TAG = f"{random.getrandbits(24):06x}"


def verify(learners) -> dict:
    """Every acknowledged write is in the database, as acknowledged."""
    from decimal import Decimal

    from django.contrib.sessions.models import Session

    from progress.models import ItemProgress, KPIMeasurement

    missing_toggles = missing_measurements = 0
    for learner in learners:
        user_id = Session.objects.get(session_key=learner.session_key).get_decoded()["_auth_user_id"]
        stored = dict(
            ItemProgress.objects.filter(user_id=user_id, item__key__in=learner.toggles).values_list(
                "item__key", "status"
            )
        )
        missing_toggles += sum(1 for key, status in learner.toggles.items() if stored.get(key, "not_started") != status)
        values = dict(
            KPIMeasurement.objects.filter(pk__in=learner.measurements, user_id=user_id).values_list("pk", "value")
        )
        missing_measurements += sum(1 for pk, value in learner.measurements.items() if values.get(pk) != Decimal(value))
    return {
        "toggles_checked": sum(len(x.toggles) for x in learners),
        "toggles_wrong_or_missing": missing_toggles,
        "measurements_checked": sum(len(x.measurements) for x in learners),
        "measurements_missing": missing_measurements,
    }


OUTAGE_REDIS_PORT = 6391


def start_own_redis() -> subprocess.Popen:
    server = subprocess.Popen(
        ["redis-server", "--port", str(OUTAGE_REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return server


def redis_outage(servers: list, start_at: float, end_at: float, log: list) -> None:
    """Stop our own Redis (the last of `servers`) between the two instants (monotonic clock),
    then start a new one on the same port."""
    time.sleep(max(0.0, start_at - time.monotonic()))
    servers[-1].terminate()
    servers[-1].wait()
    log.append(f"Redis stopped at {time.strftime('%H:%M:%S')}")
    time.sleep(max(0.0, end_at - time.monotonic()))
    servers.append(start_own_redis())
    log.append(f"Redis started again at {time.strftime('%H:%M:%S')}")


def forget_invitations() -> None:
    """The sample learners invite afresh each run: yesterday's soak does not count against today's
    daily limit, nor do its open invitations."""
    from mentoring.models import Invitation

    Invitation.objects.filter(email__endswith="@soak-mail.example").delete()


def mail_outage(sink: Sink, start_at: float, end_at: float, log: list) -> None:
    """The mail server is up, then down between the two instants (monotonic clock), then up."""
    sink.start()
    time.sleep(max(0.0, start_at - time.monotonic()))
    sink.stop()
    log.append(f"mail server stopped at {time.strftime('%H:%M:%S')}")
    time.sleep(max(0.0, end_at - time.monotonic()))
    sink.start()
    log.append(f"mail server started again at {time.strftime('%H:%M:%S')}")


def verify_mail(learners, sink: Sink) -> dict:
    """Wait for the outbox to drain, then count what the mail server received."""
    from core.models import Mail

    addresses = {a for learner in learners for a in learner.invited}
    for _ in range(MAIL_WAIT * 5):
        if not Mail.objects.filter(to__in=addresses).exclude(state=Mail.State.SENT).exists():
            break
        time.sleep(0.2)
    counts = sink.count_to(addresses)
    return {
        "invitations": len(addresses),
        "mails_arrived_once": sum(1 for n in counts.values() if n == 1),
        "mails_missing": sum(1 for n in counts.values() if n == 0),
        "mails_doubled": sum(1 for n in counts.values() if n > 1),
    }


MAIL_WAIT = 120  # seconds for the outbox to drain after the run (retries back off from 2 s)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=10_000, help="Learners in the database.")
    parser.add_argument("--learners-online", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis-outage", action="store_true", help="Stop Redis for the middle third of the run.")
    parser.add_argument("--mail-outage", action="store_true", help="Stop the mail server for the middle third.")
    args = parser.parse_args()

    env = bench_env(args)
    outage_log: list[str] = []
    own_redis: list[subprocess.Popen] = []
    if args.redis_outage:
        env["REDIS_URL"] = f"redis://127.0.0.1:{OUTAGE_REDIS_PORT}/0"
        own_redis.append(start_own_redis())
    sink = Sink(SMTP_PORT)
    if args.mail_outage:
        env.update(
            EMAIL_URL=f"smtp://127.0.0.1:{SMTP_PORT}",
            DJANGO_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
            DJANGO_MAIL_FIRST_RETRY_SECONDS="2",
        )
    meta = prepare(env, args.learners)
    lines = (WORK / "learners.txt").read_text().split("\n")[: args.learners_online]
    items = (WORK / "items.txt").read_text().split()
    server = start_server(env, args.workers)
    mail_worker = None
    mail: dict = {}
    try:
        started = time.monotonic()
        deadline = started + args.minutes * 60
        third = args.minutes * 60 / 3
        if args.redis_outage:
            threading.Thread(
                target=redis_outage, args=(own_redis, started + third, started + 2 * third, outage_log), daemon=True
            ).start()
        if args.mail_outage:
            forget_invitations()
            mail_worker = start_worker(env)
            threading.Thread(
                target=mail_outage, args=(sink, started + third, started + 2 * third, outage_log), daemon=True
            ).start()
        kpi = "junior-ml-engineer-inference-latency-p95"
        learners = [
            Learner(n, line, items, kpi, deadline, invites=args.mail_outage) for n, line in enumerate(lines) if line
        ]
        for learner in learners:
            learner.start()
        for learner in learners:
            learner.join()
        if args.mail_outage:
            mail = verify_mail(learners, sink)
    finally:
        server.terminate()
        server.wait()
        for redis in own_redis:
            redis.terminate()
        if mail_worker:
            mail_worker.terminate()
            mail_worker.wait()
        sink.stop()

    latencies = sorted(x for learner in learners for x in learner.latencies)
    percentiles = statistics.quantiles(latencies, n=100)
    result = {
        "date": datetime.date.today().isoformat(),
        "learners_in_database": meta["learners"],
        "learners_online": len(learners),
        "minutes": args.minutes,
        "requests": len(latencies),
        "outages": outage_log,
        "failures": sum(len(x.failures) for x in learners),
        "server_errors": sum(1 for x in learners for f in x.failures if f.endswith(": 500")),
        "failure_examples": [f for x in learners for f in x.failures][:10],
        "p50_ms": round(percentiles[49] * 1000, 1),
        "p95_ms": round(percentiles[94] * 1000, 1),
        "p99_ms": round(percentiles[98] * 1000, 1),
        **verify(learners),
        **mail,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    outage = "-redis-outage" if args.redis_outage else "-mail-outage" if args.mail_outage else ""
    path = RESULTS / f"{result['date']}-soak{outage}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    Path(path.with_suffix(".md")).write_text(
        f"# Soak {result['date']}\n\n{result['learners_online']} learners online for {args.minutes} minutes "
        f"({result['learners_in_database']:,} in the database): {result['requests']:,} requests, "
        f"{result['failures']} failures ({result['server_errors']} server errors), "
        f"{'; '.join(outage_log) + ', ' if outage_log else ''}p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
        f"p99 {result['p99_ms']} ms.\n\nAcknowledged writes checked in the database afterwards: "
        f"{result['toggles_checked']} item states ({result['toggles_wrong_or_missing']} wrong or missing), "
        f"{result['measurements_checked']} KPI measurements ({result['measurements_missing']} missing).\n"
        + (
            f"\nMentor invitations sent during the run: {mail['invitations']}; once the outbox drained the mail "
            f"server had received {mail['mails_arrived_once']} exactly once, {mail['mails_doubled']} twice or "
            f"more, {mail['mails_missing']} never.\n"
            if mail
            else ""
        )
    )
    print(json.dumps(result, indent=2))
    if (
        result["failures"]
        or result["toggles_wrong_or_missing"]
        or result["measurements_missing"]
        or mail.get("mails_missing")
        or mail.get("mails_doubled")
    ):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
