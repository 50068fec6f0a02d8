"""A learner and a mentor, each in their own browser context, take one item through two iterations
to a verified item, talking in its thread (issue: mentoring v2). The mentor marks the rubric and
reviews by keyboard only."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from progress import services
from roadmap.models import Criterion
from tests.browser import sign_in
from tests.factories import PASSWORD, MentorshipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_iterations_to_a_verified_item_in_two_browsers(page, ladder):
    alice = UserFactory(
        email="alice@example.com", name="Alice", current_level=ladder["junior"], onboarded_at=timezone.now()
    )
    maya = UserFactory(email="maya@example.com", name="Maya", current_level=ladder["mle"], onboarded_at=timezone.now())
    mentorship = MentorshipFactory(mentee=alice, mentor=maya)
    item = ladder["steps1"][0]
    Criterion.objects.create(key="baseline", item=item, text="A baseline is compared", order=1)
    Criterion.objects.create(key="cost", item=item, text="Compute cost is measured", order=2)
    Criterion.objects.create(key="why", kind=item.kind, text="Decisions are explained", required=False)
    thread = f"/mentees/{mentorship.pk}/items/{item.key}/"

    sign_in(page, alice, PASSWORD)  # the learner's context
    base = page.url.split("/", 3)[:3]
    mentor = page.context.browser.new_context(base_url="/".join(base)).new_page()
    sign_in(mentor, maya, PASSWORD)

    # The learner reads what a mentor checks before asking.
    page.goto(f"/progress/items/{item.key}/")
    expect(page.get_by_test_id("rubric")).to_contain_text("Compute cost is measured")
    services.item_progress_set(user=alice, item=item, status="done", evidence_url="https://example.com/v1")

    # Iteration 1, keyboard only: the baseline met, the cost not yet (with a note), changes requested.
    mentor.goto(thread)
    mentor.get_by_role("radio", name="Met").first.focus()
    keys(mentor, "Space", "Tab", "Tab", "ArrowRight", "Tab")  # baseline: met; cost: not yet
    mentor.keyboard.type("No cost figures yet.")
    keys(mentor, "Tab", "Tab", "Tab", "ArrowRight", "Tab")  # the optional one left; changes requested
    mentor.keyboard.type("Add the cost per run.")
    keys(mentor, "Tab", "Enter")
    expect(mentor.get_by_role("status")).to_contain_text("changes requested")
    expect(mentor.get_by_test_id("iteration-1")).to_contain_text("No cost figures yet.")

    # The learner reads it in the thread, answers, and changes the evidence: iteration 2.
    page.goto(f"/mentors/items/{item.key}/")
    expect(page.get_by_test_id("iteration-1")).to_contain_text("Add the cost per run.")
    expect(page.get_by_test_id("iteration-1")).to_contain_text("Not yet: Compute cost is measured")
    page.get_by_role("textbox", name="Message").fill("Done, see https://example.com/v2")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_test_id("message")).to_contain_text("Done, see")
    services.item_progress_set(user=alice, item=item, evidence_url="https://example.com/v2")

    # The mentor sees what changed and the message, and verifies.
    mentor.goto(thread)
    expect(mentor.get_by_test_id("changed-since")).to_contain_text("https://example.com/v2")
    expect(mentor.get_by_test_id("message")).to_contain_text("https://example.com/v2")
    # Verified with a required criterion left out is refused, and says which.
    mentor.get_by_role("radio", name="Met").first.focus()
    keys(mentor, "Space", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Space", "Tab", "Tab", "Enter")
    expect(mentor.locator(".review-form")).to_contain_text("Not met yet: Compute cost is measured.")
    # Every required criterion met, by keyboard: verified.
    mentor.get_by_role("radio", name="Met").nth(1).focus()
    keys(mentor, "Space", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Enter")
    expect(mentor.get_by_test_id("iteration-2")).to_contain_text("Verified")
    expect(mentor.get_by_test_id("iteration-2")).to_contain_text("Met: Compute cost is measured")

    page.reload()
    expect(page.get_by_test_id("iteration-1")).to_contain_text("Changes requested")
    expect(page.get_by_test_id("iteration-2")).to_contain_text("Verified")
    mentor.context.close()


def keys(page, *names):
    for name in names:
        page.keyboard.press(name)
