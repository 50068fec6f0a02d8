"""axe-core (axe-playwright-python, from PyPI) on every page a learner reaches, signed in and out,
in the light and the dark theme: no violation of any impact."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone

from mentoring import services as mentoring
from mentoring.models import Membership, Mentorship
from progress import digest, services
from progress.models import KPIMeasurement
from roadmap.models import KPI, Item, Level, LevelSkill, Stage
from tests.browser import sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/levels/junior-ml-engineer/",
    "/levels/ml-engineer/",
    "/roadmap/",
    "/projects/",
    "/certifications/",
    "/specializations/",
    "/role/",
    "/sources/",
    "/levels/director-of-ai-engineering/",
    "/roadmap/python-math-and-ml-foundations/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/no-such-page/",
]
LEARNER_PAGES = [
    "/dashboard/",
    "/roadmap/?status=done",
    "/accounts/profile/",
    "/accounts/profile/plan/",
    "/accounts/onboarding/",
    "/accounts/tokens/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/delete/",
    "/practice/",
    "/mentors/",
    "/mentees/",
    "/notifications/",
    "/teams/",
    "/teams/guild/",
    "/teams/guild/overview/",
    "/teams/guild/skills/",
]


@pytest.fixture
def learner(seeded):
    levels = list(Level.objects.order_by("order"))
    ada = UserFactory(
        email="ada@example.com",
        name="Ada",
        current_level=levels[0],
        target_level=levels[1],
        onboarded_at=timezone.now(),
    )
    items = list(Item.objects.current().filter(stage__level=levels[0]).order_by("stage__order", "order"))
    services.item_progress_set(user=ada, item=items[0], status="done", note="Notebook", evidence_url="https://e.org/x")
    services.item_progress_set(user=ada, item=items[1], status="in_progress")
    services.item_progress_set(user=ada, item=items[2], status="skipped")
    for level_skill in LevelSkill.objects.filter(level__in=levels[:2])[:5]:
        services.skill_rating_set(user=ada, skill=level_skill.skill, rating=3)
    kpi = KPI.objects.filter(level=levels[0], unit="ms").first()
    for days, value in [(30, 260), (10, 210), (1, 180)]:
        services.kpi_measurement_create(
            user=ada, kpi=kpi, value=value, measured_on=timezone.localdate() - datetime.timedelta(days=days)
        )
    question = Item.objects.current().filter(level=levels[0], kind="question").first()
    services.practice_grade(user=ada, item=question, grade=3, answer="A draft")
    # Ada mentors Ben (who asked for changes on one item) and leads a team with him.
    ben = UserFactory(email="ben@example.com", name="Ben", current_level=levels[0], onboarded_at=timezone.now())
    services.item_progress_set(user=ben, item=items[0], status="done", evidence_url="https://e.org/ben")
    services.item_progress_set(user=ben, item=items[1], status="done", evidence_url="https://e.org/ben2")
    invitation, _ = mentoring.invitation_create(inviter=ben, email=ada.email, base_url="http://x")
    mentoring.invitation_accept(invitation=invitation, user=ada)
    mentorship = Mentorship.objects.get(mentor=ada)
    mentoring.review_create(mentorship=mentorship, item=items[0], verdict="changes_requested", comment="Add a baseline")
    services.skill_rating_set(user=ben, skill=LevelSkill.objects.filter(level=levels[0]).first().skill, rating=2)
    mentoring.message_post(mentee=ben, item=items[0], author=ben, text="Added one: https://e.org/ben3")
    team = mentoring.team_create(user=ada, name="Guild", slug="guild")
    Membership.objects.create(team=team, user=ben)
    ada.set_public_sharing(True)
    ada.target_date = timezone.localdate() + datetime.timedelta(days=90)
    ada.weekly_goal = 2
    ada.save()
    return ada


def _learner_pages(ada) -> list[str]:
    kpi = KPI.objects.filter(level=ada.current_level, unit="ms").first()
    measurement = KPIMeasurement.objects.filter(user=ada).first()
    item = Item.objects.current().filter(stage__level=ada.current_level).order_by("stage__order", "order").first()
    skill = LevelSkill.objects.filter(level=ada.current_level).first().skill
    return [
        *LEARNER_PAGES,
        f"/roadmap/{Stage.objects.order_by('order').first().slug}/",
        f"/progress/kpis/{kpi.slug}/",
        f"/progress/measurements/{measurement.pk}/edit/",
        f"/progress/measurements/{measurement.pk}/delete/",
        f"/progress/items/{item.key}/",
        f"/progress/skills/{skill.slug}/",
        f"/progress/items/{Item.objects.current().filter(level=ada.current_level, kind='question').first().key}/",
        ada.get_public_url(),
        f"/mentees/{Mentorship.objects.get(mentor=ada).pk}/",
        f"/mentees/{Mentorship.objects.get(mentor=ada).pk}/items/{item.key}/",
        f"/mentees/{Mentorship.objects.get(mentor=ada).pk}/packet/",
        f"/mentors/items/{item.key}/",
        "/dashboard/packet/",
        f"/teams/guild/members/{Membership.objects.get(team__slug='guild', role='member').user_id}/",
    ]


def _violations(page, urls) -> dict:
    axe, found = Axe(), {}
    for url in urls:
        page.goto(url)
        for details in page.locator("details").all():  # what is folded away must pass too
            details.evaluate("d => d.open = true")
        result = axe.run(page)
        if result.violations_count:
            found[url] = [
                f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                for v in result.response["violations"]
            ]
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_accessibility_violations_on_any_page_signed_out_and_in(page, learner, scheme):
    page.emulate_media(color_scheme=scheme)
    unsubscribe = reverse("progress:digest_unsubscribe", args=[digest.unsubscribe_token(learner)])
    _, token = mentoring.invitation_create(inviter=learner, email="someone@example.com", base_url="http://x")
    invitation = reverse("mentoring:invitation", args=[token])
    signed_out = _violations(page, [*PUBLIC_PAGES, learner.get_public_url(), unsubscribe, invitation])
    sign_in(page, learner, PASSWORD)
    signed_in = _violations(page, [*PUBLIC_PAGES[:11], *_learner_pages(learner)])
    assert signed_out == {}
    assert signed_in == {}
