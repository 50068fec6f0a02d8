"""An editor reorders the steps of a stage in the admin, in Debian's Chromium."""

import pytest
from playwright.sync_api import expect

from roadmap.models import Item, Stage
from tests.browser import sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAGE = "python-math-and-ml-foundations"


def test_an_editor_moves_the_last_learn_step_of_a_stage_to_the_top(page, seeded):
    editor = UserFactory(email="editor@example.com", is_staff=True, is_superuser=True)
    steps = list(Item.objects.current().filter(stage__slug=STAGE).order_by("order"))
    last = [step for step in steps if step.kind == "learn"][-1]  # the page lists learn steps first

    sign_in(page, editor, PASSWORD)
    page.goto(f"/admin/roadmap/stage/{Stage.objects.get(slug=STAGE).pk}/change/")
    row = page.locator("tr.form-row", has=page.locator(f"input[value='{last.key}']"))
    row.locator("input[name$='-order']").fill("1")  # taken by the first step: the others move down
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"/roadmap/{STAGE}/")
    titles = page.locator("li.item .item-title")
    expect(titles.first).to_have_text(last.title)
    expect(titles.nth(1)).to_have_text(steps[0].title)
    orders = list(Item.objects.current().filter(stage__slug=STAGE).order_by("order").values_list("order", flat=True))
    assert orders == list(range(1, len(steps) + 1))
