"""The promotion packet: a print-ready page and a PDF of a learner's case for the next level, with
what mentors verified (who and when); the learner's own, and their mentor's and lead's through
the access they already have (issue: career insight)."""

import io
import os

import pytest
from django.urls import reverse
from pypdf import PdfReader

from mentoring.models import Membership
from progress import pdf
from progress import services as progress_services
from tests.factories import KPIMeasurementFactory, UserFactory
from tests.mentoring.conftest import review

# Skipped where Pango is missing (the page then says to use the browser's Save as PDF); CI sets
# REQUIRE_PDF so that there it fails instead.
needs_pdf = pytest.mark.skipif(
    not pdf.pdf_available() and not os.environ.get("REQUIRE_PDF"), reason="WeasyPrint cannot load (Pango missing)"
)


@pytest.fixture
def verified(mentorship, done_with_evidence, ladder):
    """Alice with two items verified by Maya Mentor, a KPI logged and a skill rated."""
    for item in done_with_evidence:
        review(mentorship, item)
    KPIMeasurementFactory(user=mentorship.mentee, kpi=ladder["latency"], value=180)
    progress_services.skill_rating_set(user=mentorship.mentee, skill=ladder["junior_skills"][0].skill, rating=3)
    return mentorship


def test_the_packet_holds_level_readiness_verified_work_kpis_skills_and_plan(client, alice, verified):
    client.force_login(alice)
    page = client.get(reverse("progress:packet")).content.decode()
    assert "Junior, aiming for ML Engineer" in page
    assert page.count('data-testid="packet-verified-item"') == 2
    assert "Maya Mentor" in page
    assert "Foundations 1" in page
    assert "https://example.com/s1-1" in page
    for heading in ("Readiness for ML Engineer", "KPIs of Junior", "Rating history", "Plan"):
        assert heading in page
    assert 'data-testid="packet-readiness-items"' in page
    assert "180" in page  # the KPI's latest value, beside its target
    assert "alice's private note" not in page  # notes stay out of a document meant to be shared
    assert reverse("progress:packet") in client.get(reverse("progress:dashboard")).content.decode()


@needs_pdf
def test_the_pdf_is_made_on_the_server_and_its_text_holds_the_verified_items(client, alice, verified):
    client.force_login(alice)
    response = client.get(reverse("progress:packet_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="promotion-packet-')
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Foundations 1" in text
    assert "Foundations 2" in text
    assert "Maya Mentor" in text
    assert "Verified work (2)" in text


def test_a_mentor_and_a_lead_see_it_through_their_access_and_nobody_else_does(client, alice, mentor, verified):
    client.force_login(mentor)
    assert "Maya Mentor" in client.get(reverse("mentoring:mentee_packet", args=[verified.pk])).content.decode()
    lead = UserFactory(email="lead@example.com")
    from mentoring import services as mentoring_services

    team = mentoring_services.team_create(user=lead, name="Guild", slug="guild")
    Membership.objects.create(team=team, user=alice)
    client.force_login(lead)
    as_lead = client.get(reverse("mentoring:team_member_packet", args=["guild", alice.pk])).content.decode()
    assert "Foundations 1" in as_lead
    assert "https://example.com/s1-1" not in as_lead  # a lead never sees what the learner linked
    stranger = UserFactory(email="stranger@example.com")
    client.force_login(stranger)
    assert client.get(reverse("mentoring:mentee_packet", args=[verified.pk])).status_code == 404
    assert client.get(reverse("mentoring:mentee_packet_pdf", args=[verified.pk])).status_code == 404
    assert client.get(reverse("mentoring:team_member_packet", args=["guild", alice.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("progress:packet")).status_code == 302  # to sign in


def test_the_packet_runs_a_constant_number_of_queries(client, alice, verified, ladder, django_assert_max_num_queries):
    client.force_login(alice)
    client.get(reverse("progress:packet"))
    with django_assert_max_num_queries(6):  # the summary from the cache, the two lists, the session
        client.get(reverse("progress:packet"))
    for n in range(10):
        progress_services.skill_rating_set(user=alice, skill=ladder["junior_skills"][1].skill, rating=n % 5)
        KPIMeasurementFactory(user=alice, kpi=ladder["accuracy"], value=80 + n)
    with django_assert_max_num_queries(16):  # the summary computed afresh, as the dashboard's
        page = client.get(reverse("progress:packet")).content.decode()
    assert page.count('data-testid="packet-verified-item"') == 2
