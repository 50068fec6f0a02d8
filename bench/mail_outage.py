"""Mail never waits in a request, and none is lost: real processes against a real SMTP server.

    python -m bench.mail_outage              # SQLite, one mail worker (`make serve`)
    python -m bench.mail_outage --postgres   # PostgreSQL + Redis, two mail workers side by side

gunicorn (two workers) and `manage.py mail_worker` run with production settings and their mail
server on a local port. Three acts, each checked in the outbox and at the SMTP server (aiosmtpd):

1. The mail server is unreachable. Learners send invitations through the API and one person signs
   up: every request answers at once (201, 302) and every mail waits in the outbox, tried and
   failed, nothing lost.
2. The mail server comes back: every mail arrives, each exactly once (counted by Message-ID).
3. The mail server is slow; the mail worker is killed (SIGKILL) while it is sending, and a new one
   starts: every mail still arrives. The one mail in flight when a worker dies may arrive twice
   (the server took it and the worker died before it wrote so down; the Message-ID is the same).

Exits non-zero on the first check that does not hold.
"""

import argparse
import asyncio
import collections
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes
from pathlib import Path

import requests
from aiosmtpd.controller import Controller

from bench.instances import check, environment, new_learner, setup_django
from bench.run import start_server

ROOT = Path(__file__).resolve().parent.parent
INVITERS = 4
INVITATIONS_EACH = 3  # per act: 12 invitations, well under a learner's daily limit
WAIT = 90  # seconds any act may take before it counts as failed


class Sink:
    """A local SMTP server that counts what it accepts, one Message-ID at a time."""

    def __init__(self, port: int):
        self.port = port
        self.delay = 0.0
        self.received: collections.Counter[str] = collections.Counter()
        self.recipients: dict[str, str] = {}
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content)
        with self.lock:
            self.received[message["Message-ID"]] += 1
            self.recipients[message["Message-ID"]] = envelope.rcpt_tos[0]
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None

    def count_to(self, addresses: set[str]) -> collections.Counter[str]:
        """How many mails each of these addresses received."""
        with self.lock:
            counts = collections.Counter(
                self.recipients[mid] for mid, n in self.received.items() for _ in range(n) if mid in self.recipients
            )
        return collections.Counter({a: counts[a] for a in addresses})


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "mail_worker", "--interval", "0.2", "--sweep-every", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, what: str) -> None:
    for _ in range(WAIT * 5):
        if condition():
            return
        time.sleep(0.2)
    check(False, f"{what} within {WAIT} s")


def states(addresses: set[str]) -> collections.Counter[str]:
    from core.models import Mail

    return collections.Counter(Mail.objects.filter(to__in=addresses).values_list("state", flat=True))


def invite(base: str, tokens: list[str], act: str) -> tuple[set[str], list[float]]:
    """Every inviter invites INVITATIONS_EACH new addresses at once; returns them and the latencies."""

    def one(job):
        token, address = job
        started = time.perf_counter()
        response = requests.post(
            f"{base}/api/v1/me/invitations/",
            json={"email": address},
            headers={"Authorization": f"Token {token}"},
            timeout=30,
        )
        return response.status_code, time.perf_counter() - started

    run_tag = secrets.token_hex(3)  # the PostgreSQL database outlives a run
    jobs = [
        (token, f"{act}-{run_tag}-{n}-{i}@mail-outage.example")
        for n, token in enumerate(tokens)
        for i in range(INVITATIONS_EACH)
    ]
    with ThreadPoolExecutor(len(jobs)) as pool:
        answers = list(pool.map(one, jobs))
    statuses = collections.Counter(status for status, _ in answers)
    check(statuses == {201: len(jobs)}, f"{len(jobs)} invitations answered 201 ({dict(statuses)})")
    return {address for _, address in jobs}, [latency for _, latency in answers]


def sign_up(base: str, address: str) -> float:
    http = requests.Session()
    http.get(f"{base}/accounts/signup/", timeout=30)
    started = time.perf_counter()
    response = http.post(
        f"{base}/accounts/signup/",
        data={
            "email": address,
            "password1": "a-Mail-outage-passw0rd",
            "password2": "a-Mail-outage-passw0rd",
            "csrfmiddlewaretoken": http.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/signup/"},
        allow_redirects=False,
        timeout=30,
    )
    check(response.status_code == 302, f"sign-up answered {response.status_code}")
    return time.perf_counter() - started


def run(env: dict, base: str, sink: Sink, workers: int) -> None:
    from accounts.services import api_token_create

    tokens = [api_token_create(user=new_learner("inviter"), name="mail outage")[1] for _ in range(INVITERS)]
    mail_workers = [start_worker(env) for _ in range(workers)]
    try:
        # 1. Unreachable: nothing listens on the mail port.
        first, latencies = invite(base, tokens, "down")
        signup = f"newcomer-{secrets.token_hex(3)}@mail-outage.example"
        latencies.append(sign_up(base, signup))
        first.add(signup)
        print(f"mail server down: {len(latencies)} requests answered, slowest {max(latencies) * 1000:.0f} ms")
        wait_for(lambda: _all_tried(first), "every mail tried once with the server down")
        check(states(first) == {"pending": len(first)}, f"every mail waits in the outbox ({states(first)})")
        check(not sink.received, "nothing reached a mail server that was down")

        # 2. The mail server is back: each mail once.
        sink.start()
        wait_for(lambda: states(first) == {"sent": len(first)}, "every mail sent once the server is back")
        time.sleep(3)  # a doubled send would show by now: the sweep runs every 2 s
        counts = sink.count_to(first)
        check(set(counts.values()) == {1}, f"each mail arrived exactly once (times: mails {_spread(counts)})")
        print(f"mail server back: {len(first)} mails arrived, each once")

        # 3. A slow server, and the mail workers killed while they send.
        sink.delay = 1.0
        second, _ = invite(base, tokens, "killed")
        wait_for(lambda: sum(sink.count_to(second).values()) >= 2, "the first mails of the third act sent")
        for worker in mail_workers:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
        left = states(second)
        check(left.get("sent", 0) < len(second), f"the workers died with mail left to send ({left})")
        print(f"mail workers killed with {len(second) - left.get('sent', 0)} of {len(second)} mails unsent")
        sink.delay = 0.0
        mail_workers = [start_worker(env) for _ in range(workers)]
        wait_for(lambda: states(second) == {"sent": len(second)}, "every mail sent after the workers were killed")
        counts = sink.count_to(second)
        doubled = sum(n - 1 for n in counts.values())
        check(min(counts.values()) >= 1, f"no mail lost (times: mails {_spread(counts)})")
        check(doubled <= workers, f"at most the mail in flight per killed worker doubled ({doubled})")
        print(f"after the kill: {len(second)} mails arrived, {doubled} twice (in flight when its worker died)")
    finally:
        for worker in mail_workers:
            worker.terminate()
            worker.wait()


def _spread(counts: collections.Counter[str]) -> dict[int, int]:
    return dict(sorted(collections.Counter(counts.values()).items()))


def _all_tried(addresses: set[str]) -> bool:
    from core.models import Mail

    mails = Mail.objects.filter(to__in=addresses)
    return mails.count() == len(addresses) and not mails.filter(attempts=0).exists()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL + Redis, two mail workers.")
    parser.add_argument("--port", type=int, default=8781)
    parser.add_argument("--smtp-port", type=int, default=8825)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        env = environment(args.postgres, Path(workdir))
        env.update(
            EMAIL_URL=f"smtp://127.0.0.1:{args.smtp_port}",
            DJANGO_EMAIL_TIMEOUT="20",
            # Retries and the sweep in seconds rather than minutes, so the acts take moments.
            DJANGO_MAIL_FIRST_RETRY_SECONDS="2",
            DJANGO_MAIL_LOST_AFTER_SECONDS="6",
            DJANGO_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        )
        for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
        setup_django(env)
        sink = Sink(args.smtp_port)
        server = start_server(env, 2, args.port)
        try:
            run(env, f"http://127.0.0.1:{args.port}", sink, workers=2 if args.postgres else 1)
        finally:
            server.terminate()
            server.wait()
            sink.stop()
    print("all checks passed")


if __name__ == "__main__":
    main()
