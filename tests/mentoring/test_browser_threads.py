"""A learner and a mentor, each in their own browser context, take one item through two iterations
to a verified item, talking in its thread (issue: mentoring v2). The mentor reviews by keyboard."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from progress import services
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
    services.item_progress_set(user=alice, item=item, status="done", evidence_url="https://example.com/v1")
    thread = f"/mentees/{mentorship.pk}/items/{item.key}/"

    sign_in(page, alice, PASSWORD)  # the learner's context
    base = page.url.split("/", 3)[:3]
    mentor = page.context.browser.new_context(base_url="/".join(base)).new_page()
    sign_in(mentor, maya, PASSWORD)

    # Iteration 1: the mentor asks for changes, by keyboard only.
    mentor.goto(thread)
    mentor.get_by_label("Changes requested").focus()
    mentor.keyboard.press("Space")
    mentor.keyboard.press("Tab")
    mentor.keyboard.type("Add a baseline model.")
    mentor.keyboard.press("Tab")
    mentor.keyboard.press("Enter")
    expect(mentor.get_by_role("status")).to_contain_text("changes requested")

    # The learner reads it in the thread, answers, and changes the evidence: iteration 2.
    page.goto(f"/mentors/items/{item.key}/")
    expect(page.get_by_test_id("iteration-1")).to_contain_text("Add a baseline model.")
    page.get_by_role("textbox", name="Message").fill("Done, see https://example.com/v2")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_test_id("message")).to_contain_text("Done, see")
    services.item_progress_set(user=alice, item=item, evidence_url="https://example.com/v2")

    # The mentor sees what changed and the message, and verifies.
    mentor.goto(thread)
    expect(mentor.get_by_test_id("changed-since")).to_contain_text("https://example.com/v2")
    expect(mentor.get_by_test_id("message")).to_contain_text("https://example.com/v2")
    mentor.get_by_label("Verified").check()
    mentor.get_by_role("button", name="Send review").click()
    expect(mentor.get_by_test_id("iteration-2")).to_contain_text("Verified")

    page.reload()
    expect(page.get_by_test_id("iteration-1")).to_contain_text("Changes requested")
    expect(page.get_by_test_id("iteration-2")).to_contain_text("Verified")
    mentor.context.close()
