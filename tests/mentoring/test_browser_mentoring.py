"""A learner and a mentor, each in their own browser, from the invitation to the reviews."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from progress import services
from tests.browser import sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_learner_invites_a_mentor_who_signs_up_accepts_and_reviews(page, ladder, mailoutbox):
    alice = UserFactory(
        email="alice@example.com",
        name="Alice",
        current_level=ladder["junior"],
        target_level=ladder["mle"],
        onboarded_at=timezone.now(),
    )
    first, second = ladder["steps1"][:2]
    for item in (first, second):
        services.item_progress_set(
            user=alice, item=item, status="done", evidence_url=f"https://github.com/alice/{item.key}"
        )

    sign_in(page, alice, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mentors").click()
    page.get_by_label("Mentor’s e-mail address").fill("maya@example.com")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to maya@example.com")
    invitation = re.search(r"https?://\S+(/invitations/\S+/)", mailoutbox[-1].body).group(1)

    # The mentor, in a browser of their own, has no account yet.
    mentor = page.context.browser.new_context(base_url=page.url.split("/mentors/")[0]).new_page()
    mentor.goto(invitation)
    expect(mentor.get_by_role("heading", level=1)).to_have_text("Alice asks you to be their mentor")
    mentor.get_by_role("main").get_by_role("link", name="Sign up").click()
    mentor.get_by_label("Email").fill("maya@example.com")
    mentor.get_by_label("Password", exact=True).fill(PASSWORD)
    mentor.get_by_label("Password (again)").fill(PASSWORD)
    mentor.get_by_role("button", name="Sign up").click()
    confirm = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    mentor.goto(confirm)
    mentor.get_by_role("button", name="Confirm").click()
    # Back on the invitation, signed in with the invited address.
    expect(mentor.get_by_role("heading", level=1)).to_have_text("Alice asks you to be their mentor")
    mentor.get_by_role("button", name="Accept").click()
    expect(mentor.get_by_role("status")).to_contain_text("You now mentor Alice")

    mentor.get_by_role("link", name="Alice").click()
    expect(mentor.get_by_role("heading", name="Awaiting your review (2)")).to_be_visible()
    card = mentor.get_by_test_id(f"queue-{first.key}")
    card.get_by_label("Verified").check()
    card.get_by_role("button", name="Send review").click()
    card = mentor.get_by_test_id(f"queue-{second.key}")
    card.get_by_label("Changes requested").check()
    card.get_by_label("Comment").fill("Add the baseline you compared against.")
    card.get_by_role("button", name="Send review").click()
    expect(mentor.get_by_role("heading", name="Awaiting your review (0)")).to_be_visible()

    page.goto("/dashboard/")
    expect(page.get_by_test_id("verified-count")).to_contain_text("2 done · 1 verified")
    requested = page.get_by_test_id("changes-requested")
    expect(requested).to_contain_text(second.title)
    expect(requested).to_contain_text("Add the baseline you compared against.")
    expect(page.get_by_test_id("notifications-link")).to_contain_text("3")
