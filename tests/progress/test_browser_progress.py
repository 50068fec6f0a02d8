"""The dashboard and the roadmap as a learner uses them, in Debian's Chromium."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from progress import services
from tests.browser import sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def learner(ladder):
    alice = UserFactory(
        email="alice@example.com",
        current_level=ladder["junior"],
        target_level=ladder["mle"],
        onboarded_at=timezone.now(),
    )
    return alice


def _in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def test_readiness_and_next_steps_are_on_the_first_screen(page, learner):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, learner, PASSWORD)
    page.goto("/dashboard/")
    for name in ["Junior", "Ready for ML Engineer?", "Next steps"]:
        assert _in_viewport(page, page.get_by_role("heading", name=name, exact=True)), name
    assert _in_viewport(page, page.get_by_test_id("overall-percent"))
    for part in ["skills", "items", "kpis"]:
        assert _in_viewport(page, page.get_by_test_id(f"readiness-{part}")), part
    assert _in_viewport(page, page.locator("#next-3").get_by_role("button", name="Done"))


def test_marking_the_next_step_done_moves_every_number_without_a_reload(page, learner, ladder):
    sign_in(page, learner, PASSWORD)
    page.goto("/dashboard/")
    page.evaluate("window.notReloaded = true")
    first = page.locator("#next-1")
    expect(first).to_have_attribute("data-item", "s1-1")
    expect(page.get_by_test_id("overall-percent")).to_have_text("0%")

    first.get_by_role("button", name="Done").click()

    expect(page.locator("#next-1")).to_have_attribute("data-item", "s1-2")
    expect(page.get_by_test_id("overall-percent")).to_have_text("14%")  # 1 of 7 items of the level
    expect(page.locator("#dashboard-announce")).to_contain_text("“Foundations 1”: done.")
    # The live region says where that leaves the learner, too.
    expect(page.locator("#dashboard-announce")).to_contain_text("14% of Junior done")
    assert page.evaluate("window.notReloaded") is True
    # Focus stays in the slot the learner used: the Done button of what is now the next step.
    assert page.evaluate("document.activeElement.id") == "next-1-done"


def test_marking_a_step_of_the_next_level_moves_the_readiness_count(page, learner, ladder):
    for step in ladder["steps1"]:
        services.item_progress_set(user=learner, item=step, status="done")
    sign_in(page, learner, PASSWORD)
    page.goto("/dashboard/")
    items = page.get_by_test_id("readiness-items")
    expect(items).to_contain_text("0 of 3")
    page.evaluate("window.notReloaded = true")
    page.locator("#next-1").get_by_role("button", name="Done").click()
    expect(items).to_contain_text("1 of 3")
    assert page.evaluate("window.notReloaded") is True


def test_rating_a_missing_skill_of_the_next_level_moves_the_readiness_count(page, learner, ladder):
    sign_in(page, learner, PASSWORD)
    page.goto("/dashboard/")
    skills = page.get_by_test_id("readiness-skills")
    expect(skills).to_contain_text("0 of 3")
    page.evaluate("window.notReloaded = true")
    missing = page.locator("#readiness-skills .missing-skill").first
    expect(missing).to_contain_text("not rated")
    missing.get_by_role("combobox").select_option("3")
    expect(skills).to_contain_text("1 of 3")
    expect(page.locator("#readiness-skills")).to_contain_text("1 of 3")
    assert page.evaluate("window.notReloaded") is True


def test_focus_stays_in_the_item_after_an_in_place_change(page, learner, ladder):
    sign_in(page, learner, PASSWORD)
    page.goto("/roadmap/foundations/")
    item = page.locator("#item-s1-2")
    item.get_by_role("button", name="In progress").click()
    expect(item.get_by_role("button", name="In progress")).to_have_attribute("aria-pressed", "true")
    expect(item.get_by_role("button", name="Done")).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("document.activeElement.closest('#item-s1-2') !== null")
    assert page.evaluate("document.activeElement.id") == "s1-2-in_progress"
    expect(page.locator("#progress-summary")).to_contain_text("0 of 7 done")


def test_logging_a_kpi_value_on_its_card_updates_the_dashboard(page, learner):
    sign_in(page, learner, PASSWORD)
    page.goto("/dashboard/")
    page.evaluate("window.notReloaded = true")
    card = page.locator("#kpi-latency")
    card.get_by_label("Today's value").fill("abc")
    card.get_by_role("button", name="Log").click()
    expect(card.locator(".errorlist")).to_contain_text("Enter a number")
    expect(card.get_by_label("Today's value")).to_have_value("abc")  # nothing typed is lost
    card.get_by_label("Today's value").fill("180")
    card.get_by_role("button", name="Log").click()
    expect(page.locator("#kpi-latency .kpi-latest")).to_contain_text("180 ms")
    expect(page.locator("#kpi-latency")).to_contain_text("on target")
    expect(page.get_by_test_id("readiness-kpis")).to_contain_text("1 of 2")
    assert page.evaluate("window.notReloaded") is True


def test_the_kpi_page_draws_the_history_with_its_target_and_the_same_data_as_a_table(page, learner, ladder):
    for day, value in [(40, 260), (20, 230), (1, 180)]:
        services.kpi_measurement_create(
            user=learner,
            kpi=ladder["latency"],
            value=value,
            measured_on=timezone.localdate() - timezone.timedelta(days=day),
        )
    sign_in(page, learner, PASSWORD)
    page.goto("/progress/kpis/latency/")
    chart = page.locator("figure.kpi-chart svg.chart-wide")
    expect(chart).to_be_visible()
    expect(chart.locator("circle")).to_have_count(3)
    expect(chart.locator(".chart-target")).to_have_count(1)
    expect(chart).to_contain_text("target 200")
    expect(chart).to_contain_text("180 ms")
    rows = page.locator("#kpi-data tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("180 ms")
    expect(rows.first).to_contain_text("on")


WRAP_CHECK = """() => {
  // A word wraps across lines when its own text rectangles sit on more than one line.
  const broken = [];
  for (const cell of document.querySelectorAll('td, th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /\\S+/g;
      let m;
      while ((m = re.exec(node.textContent))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


def test_no_word_in_a_table_cell_wraps_on_a_phone(page, learner, ladder):
    services.kpi_measurement_create(user=learner, kpi=ladder["latency"], value=95000, measured_on=timezone.localdate())
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page, learner, PASSWORD)
    for url in ["/", f"/levels/{ladder['junior'].slug}/", "/dashboard/", "/progress/kpis/latency/"]:
        page.goto(url)
        for details in page.locator("details").all():
            details.evaluate("d => d.open = true")
        assert page.evaluate(WRAP_CHECK) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url


def test_the_roadmap_opens_on_the_path_of_stages_and_filters_by_status(page, learner, ladder):
    services.item_progress_set(user=learner, item=ladder["steps1"][0], status="done")
    sign_in(page, learner, PASSWORD)
    page.goto("/roadmap/")
    nodes = page.locator(".stage-path .stage-node")
    expect(nodes).to_have_count(2)
    expect(nodes.first).to_contain_text("1 of 4 done")
    expect(nodes.first).to_have_class(re.compile("stage-node-in_progress"))
    page.get_by_role("link", name="Done", exact=True).click()
    expect(page).to_have_url(re.compile(r"status=done"))
    expect(page.locator("li.item")).to_have_count(1)
    expect(page.locator("li.item-done")).to_contain_text("Foundations 1")


def test_a_practice_session_by_keyboard_only(page, learner, ladder):
    from progress.models import PracticeReview

    sign_in(page, learner, PASSWORD)
    page.goto("/practice/")
    expect(page.get_by_role("heading", level=2)).to_have_text(ladder["question"].title)
    expect(page.locator("#practice-keys")).to_be_visible()
    page.keyboard.press("s")  # shows what a good answer covers
    expect(page.locator("#answer-covers")).to_have_attribute("open", "")
    for _ in range(40):  # Tab through the page to the answer box, as a keyboard user does
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "answer":
            break
    page.keyboard.type("Bias 3")  # digits typed in the answer stay text
    page.keyboard.press("Tab")
    page.keyboard.press("3")  # Good
    expect(page.locator(".messages")).to_contain_text("Good: next time on")
    review = PracticeReview.objects.get(card__user=learner)
    assert (review.grade, review.answer) == (3, "Bias 3")
