"""Many processes, one truth: real gunicorn processes sharing only the database (and Redis).

    python -m bench.instances            # two instances on two ports, PostgreSQL + Redis
    python -m bench.instances --no-redis # one instance with two workers, SQLite, no Redis (`make serve`)

Checks, each against every instance with a fresh connection per request (so any worker answers):
a session made on one instance works on the others; a write through one is read at once through
the others, cached pages included; failed sign-ins spread over the instances hit one shared
limit; a content change (made here, a third process, as the admin would) shows everywhere.
Exits non-zero on the first check that does not hold.
"""

import argparse
import itertools
import os
import re
import secrets
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from bench.run import start_server

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-Bench-passw0rd"
READS = 16
# How long a request may wait for its answer: a bound on a hung server, not a speed check (CI's
# two cores, busy with the other test process, have taken over 10 s for one page).
ANSWER_WITHIN = 60


def environment(use_redis: bool, workdir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL", "DATABASE_URL"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    if use_redis:
        env["DATABASE_URL"] = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
        env["REDIS_URL"] = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3")
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'instances.sqlite3'}"
    return env


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def new_learner(prefix: str):
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from roadmap.models import Level

    email = f"{prefix}-{secrets.token_hex(4)}@instances.example"
    user = User.objects.create_user(email, PASSWORD, current_level=Level.objects.order_by("order").first())
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def sign_in(base: str, email: str, password: str) -> requests.Session:
    http = requests.Session()
    http.get(f"{base}/accounts/login/", timeout=ANSWER_WITHIN)
    http.post(
        f"{base}/accounts/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": http.cookies["csrftoken"]},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=ANSWER_WITHIN,
    )
    return http


def fresh_get(base: str, path: str, cookies=None) -> requests.Response:
    """A new connection each time, so that any worker of the instance may answer."""
    with requests.Session() as http:
        return http.get(
            f"{base}{path}",
            cookies=cookies,
            headers={"Connection": "close"},
            allow_redirects=False,
            timeout=ANSWER_WITHIN,
        )


def many_gets(base: str, path: str, cookies=None, n: int = READS) -> list[requests.Response]:
    """n reads at once, so that every worker of the instance answers some of them."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda _: fresh_get(base, path, cookies), range(n)))


def check(condition: bool, message: str) -> None:
    print(("ok    " if condition else "FAIL  ") + message)
    if not condition:
        raise SystemExit(1)


def overall_percent(html: str) -> str:
    match = re.search(r'data-testid="overall-percent">([^<]*)<', html)
    return match.group(1) if match else "?"


def check_sessions(bases):
    user = new_learner("session")
    http = sign_in(bases[0], user.email, PASSWORD)
    for base in bases:
        response = fresh_get(base, "/dashboard/", cookies=http.cookies)
        check(response.status_code == 200, f"a session made on {bases[0]} opens the dashboard on {base}")


def check_writes(bases):
    from progress.models import Status
    from roadmap.models import Item

    user = new_learner("writes")
    http = sign_in(bases[0], user.email, PASSWORD)
    keys = list(Item.objects.filter(stage__level=user.current_level).values_list("key", flat=True)[:4])
    for n, (key, base) in enumerate(zip(keys, itertools.cycle(bases)), start=1):
        for reader in bases:  # every worker caches the dashboard as it is now
            many_gets(reader, "/dashboard/", http.cookies)
        response = http.post(
            f"{base}/progress/items/{key}/",
            data={"status": Status.DONE},
            headers={"X-CSRFToken": http.cookies["csrftoken"], "HX-Request": "true"},
            timeout=ANSWER_WITHIN,
        )
        check(response.status_code == 200, f"item {n} marked done through {base}")
        expected = fresh_get(base, "/dashboard/", cookies=http.cookies).text
        stale = sum(
            overall_percent(page.text) != overall_percent(expected)
            for reader in bases
            for page in many_gets(reader, "/dashboard/", http.cookies)
        )
        check(stale == 0, f"{READS * len(bases)} dashboard reads after write {n} all show {overall_percent(expected)}")


def check_sign_in_limit(bases):
    user = new_learner("limit")
    bases_five_times = list(itertools.islice(itertools.cycle(bases), 5))
    with ThreadPoolExecutor(max_workers=5) as pool:  # at once: every worker counts some
        list(pool.map(lambda base: sign_in(base, user.email, "wrong-password"), bases_five_times))
    for base in bases:
        http = sign_in(base, user.email, PASSWORD)
        page = fresh_get(base, "/dashboard/", cookies=http.cookies)
        check(page.status_code != 200, f"after 5 failed sign-ins spread over the instances, {base} refuses a 6th")


def check_content_change(bases):
    from roadmap.models import Level

    level = Level.objects.order_by("order").first()
    for base in bases:
        many_gets(base, "/")
        many_gets(base, f"/api/v1/levels/{level.slug}/")
    level.title = f"{level.title.split(' (')[0]} ({secrets.token_hex(3)})"
    level.save()  # what the admin's save does: the content version moves in the same transaction
    for base in bases:
        ladder = sum(level.title in page.text for page in many_gets(base, "/"))
        api = sum(page.json()["title"] == level.title for page in many_gets(base, f"/api/v1/levels/{level.slug}/"))
        check(ladder == READS and api == READS, f"a content change shows on {base} ({ladder}/{READS}, {api}/{READS})")


def check_long_addresses(bases):
    """gunicorn leaves long request lines to the app: the API answers them in its JSON."""
    for base in bases:
        fine = fresh_get(base, "/api/v1/levels/?x=" + "a" * 5000)
        check(fine.status_code == 200, f"a 5,000-character address is served by {base}")
        long = fresh_get(base, "/api/v1/levels/?x=" + "a" * 9000)
        check(
            long.status_code == 414 and long.json()["code"] == "too_long",
            f"a 9,000-character address is the API's JSON 414 on {base} ({long.status_code})",
        )


def check_learner_fields(bases):
    """Each field of a learner that a page shows, changed one at a time (by the learner through the
    app, the address by an admin), shows on every page that shows it on the very next request,
    through any worker: the learner's dashboard and summary, their mentor's page, their lead's overview."""
    import datetime

    from accounts.models import User
    from mentoring.models import Membership, Mentorship, Team
    from roadmap.models import Level

    alice, mentor, lead = new_learner("fields"), new_learner("mentor"), new_learner("lead")
    mentorship = Mentorship.objects.create(mentee=alice, mentor=mentor)
    team = Team.objects.create(name="Fields", slug=f"fields-{secrets.token_hex(3)}")
    Membership.objects.create(team=team, user=lead, role=Membership.Role.LEAD)
    Membership.objects.create(team=team, user=alice)
    sessions = {who.email: sign_in(bases[0], who.email, PASSWORD) for who in (alice, mentor, lead)}
    mine = sessions[alice.email]
    pages = {
        "dashboard": (alice, "/dashboard/"),
        "summary": (alice, "/api/v1/me/summary/"),
        "mentor's page": (mentor, f"/mentees/{mentorship.pk}/"),
        "overview": (lead, f"/teams/{team.slug}/overview/"),
    }

    def reads(page: str) -> list[str]:
        who, path = pages[page]
        return [r.text for base in bases for r in many_gets(base, path, sessions[who.email].cookies)]

    def send(method: str, path: str, **data) -> None:
        headers = {"X-CSRFToken": mine.cookies["csrftoken"], "Referer": bases[0] + path}
        response = mine.request(method, bases[0] + path, json=data, headers=headers, timeout=ANSWER_WITHIN)
        check(response.status_code == 200, f"{method} {path} {data} answered {response.status_code}")

    def as_admin(**fields) -> None:
        User.objects.filter(pk=alice.pk).update(**fields)

    levels = list(Level.objects.order_by("order"))
    goal_date = (datetime.date.today() + datetime.timedelta(days=90)).isoformat()
    new_email = f"renamed-{secrets.token_hex(4)}@instances.example"
    changes = [
        (
            "name",
            lambda: send("PATCH", "/api/v1/me/profile/", name="Fields Renamed"),
            {"mentor's page": "Fields Renamed is at", "overview": "Fields Renamed"},
        ),
        (
            "e-mail",
            lambda: (send("PATCH", "/api/v1/me/profile/", name=""), as_admin(email=new_email)),
            {"mentor's page": f"{new_email} is at", "overview": new_email},
        ),
        (
            "level",
            lambda: send("PATCH", "/api/v1/me/profile/", current_level=levels[1].slug),
            {
                "dashboard": levels[1].title,
                "summary": f'"level":"{levels[1].slug}"',
                "mentor's page": levels[1].title,
                "overview": levels[1].title,
            },
        ),
        (
            "target",
            lambda: send("PATCH", "/api/v1/me/profile/", target_level=levels[3].slug),
            {
                "dashboard": f'aiming for <a href="{levels[3].get_absolute_url()}">{levels[3].title}',
                "overview": levels[3].title,
            },
        ),
        (
            "plan",
            lambda: send("PATCH", "/api/v1/me/plan/", target_date=goal_date, weekly_goal=7),
            {
                "dashboard": "of 7</strong> items",
                "summary": f'"target_date":"{goal_date}"',
                "mentor's page": "of 7</strong> items",
            },
        ),
    ]
    for field, change, expected in changes:
        for page in expected:  # every worker caches every page as it is now
            reads(page)
        change()
        for page, text in expected.items():
            shown = sum(text in body for body in reads(page))
            check(
                shown == READS * len(bases), f"a new {field} shows on the {page} at once ({shown}/{READS * len(bases)})"
            )
    # Sharing: the public page answers on every worker as soon as it is on, and not once it is off.
    slug = None
    for enabled in (True, False):
        response = mine.post(
            bases[0] + "/accounts/profile/sharing/",
            data={"public_sharing": "on" if enabled else "", "csrfmiddlewaretoken": mine.cookies["csrftoken"]},
            headers={"Referer": bases[0] + "/accounts/profile/"},
            allow_redirects=False,
            timeout=ANSWER_WITHIN,
        )
        check(response.status_code == 302, f"sharing turned {'on' if enabled else 'off'}")
        slug = User.objects.values_list("public_slug", flat=True).get(pk=alice.pk) or slug
        answers = [r.status_code for base in bases for r in many_gets(base, f"/u/{slug}/")]
        check(
            set(answers) == {200 if enabled else 404},
            f"the public page answers {set(answers)} once sharing is {'on' if enabled else 'off'}",
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-redis", action="store_true", help="One instance, two workers, SQLite, no Redis.")
    parser.add_argument("--port", type=int, default=8771)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        env = environment(not args.no_redis, Path(workdir))
        for command in (["migrate", "--noinput", "-v0"], ["load_roadmap"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
        setup_django(env)
        ports = [args.port] if args.no_redis else [args.port, args.port + 1]
        servers = [start_server(env, 2 if args.no_redis else 1, port) for port in ports]
        try:
            bases = [f"http://127.0.0.1:{port}" for port in ports]
            check_sessions(bases)
            check_writes(bases)
            check_sign_in_limit(bases)
            check_content_change(bases)
            check_learner_fields(bases)
            check_long_addresses(bases)
        finally:
            for server in servers:
                server.terminate()
                server.wait()
    print("all checks passed")


if __name__ == "__main__":
    main()
