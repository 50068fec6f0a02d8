import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch_csp(page) -> list[str]:
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    return violations


def test_swagger_ui_works_under_the_content_security_policy(page, seeded):
    violations = _watch_csp(page)
    page.goto("/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.get_by_text("ML Career Ladder API").first).to_be_visible()
    assert violations == []


def test_admin_works_under_the_content_security_policy_and_signs_in_through_allauth(page, seeded):
    UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)
    violations = _watch_csp(page)
    page.goto("/admin/")
    page.get_by_label("Email").fill("admin@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Content, learners and outgoing mail")).to_be_visible()
    page.goto("/admin/roadmap/level/")
    page.get_by_role("link", name="Junior ML Engineer", exact=True).click()
    expect(page.locator("#id_slug")).to_have_value("junior-ml-engineer")
    page.locator("#id_title").fill("Junior Machine Learning Engineer")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    assert violations == []
