import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.factories import LevelFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_learner_signs_up_confirms_email_and_picks_a_level_in_a_real_browser(page, mailoutbox):
    LevelFactory(order=1, slug="junior", title="Junior ML Engineer", years_min=0, years_max=2)
    LevelFactory(order=2, slug="mle", title="ML Engineer", years_min=2, years_max=5)

    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill("carol@example.com")
    page.get_by_label("Password", exact=True).fill("a-strong-pass-phrase-42")
    page.get_by_label("Password (again)").fill("a-strong-pass-phrase-42")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Where are you on the ladder?")).to_be_visible()
    page.get_by_label("Years of experience").fill("1")
    # htmx asks the server for a suggestion while typing.
    expect(page.locator("#level-suggestion")).to_contain_text("Junior ML Engineer")
    page.get_by_label("Target level").select_option(label="ML Engineer")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Junior ML Engineer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    expect(page.get_by_role("main").get_by_text("Signed in as")).to_contain_text(
        "You are on the Junior ML Engineer level"
    )
    carol = get_user_model().objects.get(email="carol@example.com")
    assert carol.current_level.slug == "junior"
    assert carol.target_level.slug == "mle"
