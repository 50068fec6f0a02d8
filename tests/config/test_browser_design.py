"""The design as a person meets it, in Debian's Chromium: the app shell on a phone and a laptop,
the phone dashboard's first screen, a new learner's first steps, charts whose text neither
overlaps nor leaves the drawing, and a heatmap whose member column stays in view."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1280, "height": 800}
DEMO_PASSWORD = "demo-learner-pass-42"


@pytest.fixture
def demo(seeded):
    """The demo world of `manage.py seed_demo`: Maya nine weeks in, Sam her mentor and lead, a
    learner who has just signed up."""
    from accounts.models import User

    call_command("seed_demo", stdout=io.StringIO())
    return {who: User.objects.get(email=f"{who}@demo.example") for who in ("maya", "sam", "new")}


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, "not drawn"
    return box


def test_on_a_phone_the_first_screen_shows_the_level_progress_and_the_next_step_with_its_control(page, demo):
    page.set_viewport_size(PHONE)
    sign_in(page, demo["maya"], DEMO_PASSWORD)
    page.goto("/dashboard/")
    for thing in (
        page.get_by_role("heading", name="Junior ML Engineer", exact=True),
        page.get_by_test_id("overall-percent"),
        page.locator("#next-1 .next-title"),
        page.locator("#next-1").get_by_role("button", name="Done"),
    ):
        box = _box(thing)
        assert box["y"] >= 0, thing
        assert box["y"] + box["height"] <= PHONE["height"], thing


def test_the_phone_menu_opens_from_one_button_and_reaches_every_destination(page, demo):
    page.set_viewport_size(PHONE)
    sign_in(page, demo["maya"], DEMO_PASSWORD)
    page.goto("/dashboard/")
    menu = page.get_by_role("navigation", name="Main")
    expect(menu).to_be_hidden()
    button = page.get_by_role("button", name="Menu")
    assert _box(button)["height"] >= 44
    button.click()
    expect(menu).to_be_visible()
    names = [
        "Dashboard",
        "Practice",
        "Plan",
        "Ladder",
        "Roadmap",
        "Projects",
        "Certifications",
        "Specializations",
        "Mentors",
        "Mentees",
        "Teams",
        "Notifications",
        "Profile",
    ]
    for name in names:
        link = menu.get_by_role("link", name=name)
        link.scroll_into_view_if_needed()
        box = _box(link)
        assert box["height"] >= 44, f"{name} is {box['height']} px tall"
        assert box["x"] >= 0, f"{name} is cut off"
        assert box["x"] + box["width"] <= PHONE["width"], f"{name} is cut off"
        # The whole label shows: nothing of it is clipped by its box.
        assert link.evaluate("a => a.scrollWidth <= a.clientWidth + 1"), f"{name} is cut off"
    assert _box(menu.get_by_role("button", name="Sign out"))["height"] >= 44
    menu.get_by_role("link", name="Teams").click()
    expect(page).to_have_url(re.compile(r"/teams/$"))
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()  # it closes as the page changes


def test_the_shell_marks_where_you_are_on_a_laptop_without_opening_anything(page, demo):
    page.set_viewport_size(LAPTOP)
    sign_in(page, demo["sam"], DEMO_PASSWORD)
    for path, name in [
        ("/dashboard/", "Dashboard"),
        ("/teams/vision-guild/skills/", "Teams"),
        ("/levels/ml-engineer/", "Ladder"),
        ("/accounts/profile/plan/", "Plan"),
        ("/accounts/email/", "Profile"),
    ]:
        page.goto(path)
        menu = page.get_by_role("navigation", name="Main")
        expect(menu).to_be_visible()
        current = menu.locator('[aria-current="page"]')
        expect(current).to_have_count(1)
        expect(current).to_contain_text(name)


def test_a_new_learner_gets_a_getting_started_list_that_ticks_as_they_go(page, demo):
    sign_in(page, demo["new"], DEMO_PASSWORD)
    page.goto("/dashboard/")
    start = page.get_by_test_id("getting-started")
    expect(start).to_be_visible()
    first_step = start.get_by_role("listitem").filter(has_text="Mark your first step")
    expect(first_step.get_by_role("img", name="Done:")).to_have_count(0)
    level_step = start.get_by_role("listitem").filter(has_text="Set your level")
    expect(level_step.get_by_role("img", name="Done:")).to_have_count(1)
    page.locator("#next-1").get_by_role("button", name="In progress").click()
    expect(first_step.get_by_role("img", name="Done:")).to_have_count(1)


# Every text of every chart drawn at this width: inside its drawing, clear of the others, and at
# least 12 px on screen.
CHART_TEXT = """(svg) => {
  const frame = svg.getBoundingClientRect();
  const scale = frame.width / svg.viewBox.baseVal.width;
  const texts = [...svg.querySelectorAll('text')].map(t => ({text: t.textContent, box: t.getBoundingClientRect(),
    px: parseFloat(getComputedStyle(t).fontSize) * scale}));
  const problems = [];
  for (const t of texts) {
    const b = t.box;
    if (b.left < frame.left - 1 || b.right > frame.right + 1 || b.top < frame.top - 1 || b.bottom > frame.bottom + 1)
      problems.push(`"${t.text}" leaves the drawing`);
    if (t.px < 11.9) problems.push(`"${t.text}" is ${t.px.toFixed(1)} px`);
  }
  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
    const a = texts[i].box, b = texts[j].box;
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      problems.push(`"${texts[i].text}" overlaps "${texts[j].text}"`);
  }
  return problems;
}"""


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "375"])
def test_chart_text_never_overlaps_leaves_its_drawing_or_shrinks_below_12px(page, demo, viewport):
    from roadmap.models import KPI

    page.set_viewport_size(viewport)
    sign_in(page, demo["maya"], DEMO_PASSWORD)
    skill = demo["maya"].skill_ratings.select_related("skill").first().skill
    pages = [f"/progress/kpis/{kpi.slug}/" for kpi in KPI.objects.filter(level=demo["maya"].current_level)]
    checked = 0
    for path in [*pages, "/dashboard/", f"/progress/skills/{skill.slug}/"]:
        page.goto(path)
        for svg in page.locator("figure.chart svg").all():
            if not svg.is_visible():
                continue  # the drawing for the other width
            assert svg.evaluate(CHART_TEXT) == [], f"{path} at {viewport['width']} px"
            checked += 1
    assert checked >= len(pages) + 4  # every KPI chart, the burn-down, calendar, skills and history


def test_the_heatmap_keeps_the_member_column_in_view_when_scrolled_sideways(page, demo):
    page.set_viewport_size(PHONE)
    sign_in(page, demo["sam"], DEMO_PASSWORD)
    page.goto("/teams/vision-guild/skills/")
    region = page.get_by_role("region", name="Skill gaps, scrolls sideways")
    assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "the table fits: nothing to check"
    region.evaluate("r => { r.scrollLeft = r.scrollWidth; }")
    member = page.get_by_role("rowheader", name="Maya Chen")
    frame, cell = _box(region), _box(member)
    assert frame["x"] - 1 <= cell["x"]
    assert cell["x"] + cell["width"] <= frame["x"] + frame["width"]
    # Nothing is drawn over it: the cell is what a tap at its centre reaches.
    x, y = cell["x"] + cell["width"] / 2, cell["y"] + cell["height"] / 2
    assert page.evaluate(f"document.elementFromPoint({x}, {y}).closest('th')?.textContent.trim()") == "Maya Chen"
