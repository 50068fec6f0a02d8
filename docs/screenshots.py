"""Screenshots of the main pages as a learner sees them, so the README shows the app as it is.

    python docs/screenshots.py [--full] [--out docs/screenshots] [--pages dashboard,roadmap]

Builds a throwaway SQLite database with the seed content and the demo learners
(`manage.py seed_demo`), serves it with `runserver`, signs in through the real form in Debian's
Chromium (Playwright) and saves each page at 1280×800 and 375×812, light and dark. Without
--full only the first screen is saved: what a person sees before scrolling.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM, LAUNCH_ARGS  # noqa: E402  (the path above first)

PASSWORD = "demo-learner-pass-42"
# name -> (who is signed in, path)
PAGES = {
    "dashboard": ("maya", "/dashboard/"),
    "first-run": ("new", "/dashboard/"),
    "roadmap": ("maya", "/roadmap/"),
    "level": ("maya", "/levels/junior-ml-engineer/"),
    "team-skills": ("sam", "/teams/vision-guild/skills/"),
    "sign-in": (None, "/accounts/login/"),
    "home": (None, "/"),
}
VIEWPORTS = {"1280": (1280, 800), "375": (375, 812)}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(workdir: Path) -> tuple[subprocess.Popen, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{workdir / 'screens.sqlite3'}", EMAIL_URL="dummy://")
    for command in (["migrate", "--noinput", "-v0"], ["load_roadmap"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            return server, base
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


def shoot(base: str, out: Path, full: bool, names: list[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for who in {PAGES[name][0] for name in names}:
            for theme in ("light", "dark"):
                for width, (w, h) in VIEWPORTS.items():
                    context = browser.new_context(base_url=base, viewport={"width": w, "height": h}, color_scheme=theme)
                    page = context.new_page()
                    if who:
                        page.goto("/accounts/login/")
                        page.fill("input[name=login]", f"{who}@demo.example")
                        page.fill("input[name=password]", PASSWORD)
                        page.press("input[name=password]", "Enter")
                        page.wait_for_load_state()
                    for name in names:
                        if PAGES[name][0] != who:
                            continue
                        page.goto(PAGES[name][1])
                        path = out / f"{name}-{width}-{theme}.png"
                        page.screenshot(path=str(path), full_page=full)
                        saved.append(path)
                    context.close()
        browser.close()
    return saved


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="Whole pages, not the first screen.")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--pages", default=",".join(PAGES), help=f"Some of: {', '.join(PAGES)}.")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        server, base = serve(Path(workdir))
        try:
            saved = shoot(base, args.out, args.full, args.pages.split(","))
        finally:
            server.terminate()
            server.wait()
    print(f"{len(saved)} screenshots in {args.out}")


if __name__ == "__main__":
    main()
