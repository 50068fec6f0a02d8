"""A lead and two learners, each in their own browser: a team from creation to a member leaving."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from progress import services
from tests.browser import sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_builds_a_team_sees_its_rows_and_gaps_and_a_leaver_disappears(page, ladder):
    def learner(email, name):
        return UserFactory(
            email=email,
            name=name,
            current_level=ladder["junior"],
            target_level=ladder["mle"],
            onboarded_at=timezone.now(),
        )

    lead, ben, cleo = (
        learner("lead@example.com", "Lena"),
        learner("ben@example.com", "Ben"),
        learner("cleo@example.com", "Cleo"),
    )
    skill = ladder["junior_skills"][0].skill
    services.skill_rating_set(user=ben, skill=skill, rating=1)
    services.skill_rating_set(user=cleo, skill=skill, rating=3)

    sign_in(page, lead, PASSWORD)
    page.goto("/teams/")
    page.get_by_label("Team name").fill("Study group")
    page.get_by_label("Address").fill("study-group")
    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Study group")
    for person in (ben, cleo):
        page.get_by_label("Member’s e-mail address").fill(person.email)
        page.get_by_role("button", name="Send invitation").click()
        expect(page.get_by_role("status")).to_contain_text(f"Invitation sent to {person.email}")

    others = {}
    for person in (ben, cleo):
        other = page.context.browser.new_context(base_url=page.url.split("/teams/")[0]).new_page()
        sign_in(other, person, PASSWORD)
        other.goto("/teams/")
        other.get_by_role("button", name="Join").click()
        expect(other.get_by_role("heading", level=1)).to_have_text("Study group")
        others[person.email] = other

    page.goto("/teams/study-group/overview/")
    overview = page.get_by_test_id("team-overview")
    for person in (lead, ben, cleo):
        expect(overview.get_by_test_id(f"row-{person.pk}")).to_be_visible()
    page.get_by_role("link", name="Skill gaps").click()
    heatmap = page.get_by_test_id("heatmap")
    expect(heatmap.get_by_role("row", name="Ben")).to_contain_text("1")
    expect(heatmap.get_by_role("row", name="Team average")).to_contain_text("2.0")

    ben_page = others[ben.email]
    ben_page.get_by_role("button", name="Leave the team").click()
    expect(ben_page.get_by_role("status")).to_contain_text("You left Study group")
    page.goto("/teams/study-group/overview/")
    expect(overview.get_by_test_id(f"row-{cleo.pk}")).to_be_visible()
    expect(overview.get_by_test_id(f"row-{ben.pk}")).to_have_count(0)
