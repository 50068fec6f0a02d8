"""Page weight: each page's HTML as served (compressed) and what its first visit downloads besides,
against the budgets in the README. Run by bench.run on its server; `year_of_history` (in the
preparing process, Django set up) makes the learner whose dashboard is weighed with a year behind it.
"""

import datetime
import gzip
import re
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

HTML_BUDGET_KB = 60  # the dashboard with a year of history, compressed
ASSETS_BUDGET_KB = 150  # any page's first visit, compressed, besides its HTML
ACCEPT = "br, gzip"


def year_of_history(work: Path) -> None:
    """A learner a year in: every item of their level done over the year (with evidence), a
    measurement of each of its KPIs every week, a skill rating changed every month; signed in, with
    the session in work/year.txt."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from accounts.models import User
    from progress import services
    from progress.models import ItemProgress, KPIMeasurement, SkillRating, SkillRatingChange
    from roadmap.models import KPI, Item, Level, LevelSkill

    level = Level.objects.order_by("order")[1]
    user, created = User.objects.get_or_create(
        email="a-year-in@bench.invalid",
        defaults={"name": "A Year In", "current_level": level, "onboarded_at": timezone.now()},
    )
    if created:
        today = timezone.localdate()
        items = list(Item.objects.current().filter(stage__level__order__lte=level.order))
        items += list(Item.objects.current().filter(level__order__lte=level.order))
        for n, item in enumerate(items):
            services.item_progress_set(user=user, item=item, status="done", evidence_url=f"https://e.org/{item.key}")
            done = timezone.now() - datetime.timedelta(days=365 * (len(items) - n) // len(items))
            ItemProgress.objects.filter(user=user, item=item).update(completed_at=done, updated_at=done)
        for kpi in KPI.objects.filter(level=level):
            for week in range(52):
                value = float(kpi.target or 50) * (0.5 + week / 104)
                day = today - datetime.timedelta(weeks=52 - week)
                KPIMeasurement.objects.create(user=user, kpi=kpi, value=round(value, 2), measured_on=day)
        for month, level_skill in enumerate(LevelSkill.objects.filter(level=level).select_related("skill")):
            services.skill_rating_set(user=user, skill=level_skill.skill, rating=1 + month % 4)
        SkillRatingChange.objects.filter(user=user).update(changed_at=timezone.now() - datetime.timedelta(days=200))
        SkillRating.objects.filter(user=user).update(confirmed_at=timezone.now() - datetime.timedelta(days=30))
        services.records_changed(user)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    (work / "year.txt").write_text(f"sessionid={session.session_key}\n")


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {"stylesheet", "icon", "preload"}:
            self.urls.append(a["href"])
        elif tag in ("script", "img") and a.get("src"):
            self.urls.append(a["src"])


def _get(port: int, path: str, cookie: str = "") -> tuple[bytes, int, dict]:
    """(the body as it came, decompressed; the bytes sent over the wire; the headers)."""
    headers = {"Accept-Encoding": ACCEPT, **({"Cookie": cookie} if cookie else {})}
    with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)) as r:
        raw, info = r.read(), dict(r.headers)
    encoding = info.get("Content-Encoding", "")
    if encoding == "gzip":
        body = gzip.decompress(raw)
    elif encoding == "br":
        import brotli  # type: ignore[import-untyped]

        body = brotli.decompress(raw)
    else:
        body = raw
    return body, len(raw), info


def _assets_of(port: int, html: bytes, seen: dict) -> list[str]:
    parser = _Assets()
    parser.feed(html.decode())
    urls = [u for u in parser.urls if u.startswith("/")]
    for url in list(urls):
        if url.endswith(".css"):
            css = _fetch_asset(port, url, seen)
            base = url.rsplit("/", 1)[0]
            for ref in re.findall(r"url\(['\"]?([^'\")]+)['\"]?\)", css.decode(errors="replace")):
                if not ref.startswith(("data:", "#", "http")):
                    urls.append(ref if ref.startswith("/") else f"{base}/{ref}")
    return list(dict.fromkeys(urls))


def _fetch_asset(port: int, url: str, seen: dict) -> bytes:
    if url not in seen:
        body, sent, headers = _get(port, url)
        seen[url] = (
            body,
            sent,
            "immutable" in headers.get("Cache-Control", "") or "max-age=31536000" in headers.get("Cache-Control", ""),
        )
    return seen[url][0]


def measure(port: int, pages: list[tuple[str, str, str]]) -> list[dict]:
    """Each (label, path, cookie): HTML compressed and not, assets on a first visit, and whether
    every asset is cached for good after it (hashed names, far-future Cache-Control)."""
    rows: list[dict] = []
    seen: dict[str, tuple[bytes, int, bool]] = {}
    for label, path, cookie in pages:
        html, sent, headers = _get(port, path, cookie)
        assets = _assets_of(port, html, seen)
        for url in assets:
            _fetch_asset(port, url, seen)
        rows.append(
            {
                "page": label,
                "path": path,
                "html_kb": round(sent / 1024, 1),
                "html_raw_kb": round(len(html) / 1024, 1),
                "encoding": headers.get("Content-Encoding", "none"),
                "assets": len(assets),
                "assets_kb": round(sum(seen[u][1] for u in assets) / 1024, 1),
                "cached_after": all(seen[u][2] for u in assets),
            }
        )
    return rows


def pages(work: Path) -> list[tuple[str, str, str]]:
    """What a learner, a mentor and a lead open, signed in as the benchmark signed them in."""
    session, csrf, _ = (work / "learners.txt").read_text().split("\n")[0].split()
    learner = f"sessionid={session}; csrftoken={csrf}"
    year = (work / "year.txt").read_text().strip()
    lead = (work / "lead.txt").read_text().strip()
    mentorship = (work / "mentorships.txt").read_text().split()[0]
    item = (work / "items.txt").read_text().split()[0]
    return [
        ("home (signed out)", "/", ""),
        ("sign in", "/accounts/login/", ""),
        ("ladder, signed in", "/", learner),
        ("dashboard, a year of history", "/dashboard/", year),
        ("dashboard", "/dashboard/", learner),
        ("roadmap", "/roadmap/", learner),
        ("an item", f"/progress/items/{item}/", learner),
        ("practice", "/practice/", learner),
        ("promotion packet, a year of history", "/dashboard/packet/", year),
        ("my mentors", "/mentors/", learner),
        ("notifications", "/notifications/", learner),
        ("people I mentor (50)", "/mentees/", lead),
        ("one mentee", f"/mentees/{mentorship}/", lead),
        ("team overview (200)", "/teams/bench-team/overview/", lead),
        ("team skills (200)", "/teams/bench-team/skills/", lead),
    ]


def table(rows: list[dict]) -> list[str]:
    lines = [
        "## Page weight",
        "",
        f"HTML as served (`Accept-Encoding: {ACCEPT}`) and, on a first visit, every stylesheet, script, icon "
        "and font it loads (compressed as served); after the first visit the assets come from the browser's "
        f"cache (hashed names, a year's `Cache-Control`). Budgets: the dashboard with a year of history under "
        f"{HTML_BUDGET_KB} KB of HTML; no page over {ASSETS_BUDGET_KB} KB of assets.",
        "",
        "| page | HTML KB (raw) | encoding | assets | assets KB | cached after | budget |",
        "|---|---:|---|---:|---:|---|---|",
    ]
    for r in rows:
        over = r["assets_kb"] > ASSETS_BUDGET_KB or (
            r["page"].startswith("dashboard, a year") and r["html_kb"] > HTML_BUDGET_KB
        )
        lines.append(
            f"| {r['page']} | {r['html_kb']} ({r['html_raw_kb']}) | {r['encoding']} | {r['assets']} | {r['assets_kb']} "
            f"| {'yes' if r['cached_after'] else '**no**'} | {'**over**' if over else 'met'} |"
        )
    return lines
