import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_learner_marks_an_item_done_in_place_and_logs_a_kpi_value(page, ladder):
    alice = UserFactory(email="alice@example.com", current_level=ladder["junior"], onboarded_at=timezone.now())
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Junior")

    overall = page.get_by_test_id("overall-percent")
    expect(overall).to_have_text("0%")
    page.evaluate("window.notReloaded = true")

    next_step = page.locator("#item-s1-1")
    next_step.get_by_role("button", name="Done").click()
    expect(overall).to_have_text("14%")  # 1 of 7 items of the level
    expect(next_step.locator(".status-now")).to_contain_text("Done")
    assert page.evaluate("window.notReloaded") is True

    page.locator("#kpi-latency").get_by_role("link", name="Log a value").click()
    page.get_by_label("Value (ms)").fill("180")
    page.get_by_role("button", name="Log value").click()
    expect(page.get_by_text("Logged Latency.")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    card = page.locator("#kpi-latency")
    expect(card).to_contain_text("Latest: 180 ms")
    expect(card).to_contain_text("on target")
