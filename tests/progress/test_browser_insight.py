"""Career insight as a learner meets it in Debian's Chromium: the pay rise and a stale skill on the
dashboard, "Still accurate" in one click, and the promotion packet printed to PDF by the browser
as a second check of the print stylesheet (issue: career insight)."""

import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from progress import services
from progress.models import ItemProgress
from tests.browser import sign_in
from tests.factories import PASSWORD, SalaryBandFactory, SourceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def learner(ladder):
    alice = UserFactory(
        email="alice@example.com",
        name="Alice Learner",
        current_level=ladder["junior"],
        target_level=ladder["mle"],
        onboarded_at=timezone.now(),
    )
    guide = SourceFactory(title="Guide A")
    SalaryBandFactory(level=ladder["junior"], source=guide, min_amount=90_000, max_amount=150_000)
    SalaryBandFactory(level=ladder["mle"], source=guide, min_amount=130_000, max_amount=210_000)
    long_ago = timezone.now() - datetime.timedelta(days=200)
    services.skill_rating_set(user=alice, skill=ladder["junior_skills"][0].skill, rating=3, now=long_ago)
    services.item_progress_set(
        user=alice, item=ladder["steps1"][0], status="done", evidence_url="https://example.com/notebook"
    )
    return alice


def test_the_pay_rise_and_a_stale_skill_show_on_the_dashboard_and_one_click_refreshes_it(page, learner):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, learner, PASSWORD)
    page.goto("/dashboard/")
    expect(page.get_by_test_id("pay-rise")).to_contain_text("+$40,000 to +$60,000")
    stale = page.get_by_test_id("stale-js-0").first
    page.get_by_text("Rate your skills").click()
    expect(stale).to_be_visible()
    expect(stale).to_contain_text("due for a refresh")
    page.locator("#skill-js-0").get_by_role("button", name="still accurate").click()
    expect(page.locator("#dashboard-announce")).to_contain_text("still 3 · Practitioner, confirmed")
    expect(page.get_by_test_id("stale-js-0")).to_have_count(0)


def test_the_packet_printed_by_chromium_holds_the_verified_work(page, learner, ladder):
    ItemProgress.objects.filter(user=learner).update(
        review_verdict="verified", reviewed_at=timezone.now(), reviewed_by=UserFactory(name="Maya Mentor")
    )
    services.records_changed(learner)
    sign_in(page, learner, PASSWORD)
    page.goto("/dashboard/")
    page.get_by_test_id("packet-link").click()
    expect(page.get_by_role("heading", name="Alice Learner")).to_be_visible()
    page.emulate_media(media="print")
    assert not page.locator(".shell-nav").is_visible()  # the print stylesheet hides the app shell
    assert not page.locator(".packet-actions").is_visible()
    pages = PdfReader(io.BytesIO(page.pdf(format="A4"))).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())  # a table cell may wrap a name
    assert "Verified work (1)" in text
    assert "Foundations 1" in text
    assert "Maya Mentor" in text
    assert "ML Career Ladder" not in text.split("Alice Learner")[0]  # no sidebar or brand before the title
