import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from progress import services
from progress.models import ItemProgress, KPIMeasurement, SkillRating
from tests.factories import (
    ItemFactory,
    ItemProgressFactory,
    KPIFactory,
    KPIMeasurementFactory,
    LevelSkillFactory,
    SkillRatingFactory,
    StepFactory,
    UserFactory,
)


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def test_dashboard_needs_sign_in_and_a_level(client, ladder):
    assert client.get(reverse("progress:dashboard")).url.startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(reverse("progress:dashboard")).url == reverse("accounts:onboarding")


def test_status_change_without_javascript_posts_and_redirects_back(signed_in, alice, ladder):
    item = ladder["steps1"][0]
    page = reverse("roadmap:stage", args=["foundations"])
    response = signed_in.post(reverse("progress:item", args=[item.key]), {"status": "done", "next": page})
    assert response.status_code == 302
    assert response.url == f"{page}#item-{item.key}"
    assert ItemProgress.objects.get(user=alice, item=item).status == "done"
    html = signed_in.get(page).content.decode()
    assert 'data-status="done"' in html
    # Done is the pressed segment; pressing it again clears the status.
    assert re.search(r'id="s1-1-done" name="status" value="not_started" [^>]*aria-pressed="true"', html)


def test_status_change_with_htmx_returns_the_item_and_the_updated_summary(signed_in, alice, ladder):
    item = ladder["steps1"][0]
    response = signed_in.post(
        reverse("progress:item", args=[item.key]), {"status": "done"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="controls-{item.key}"' in html
    assert 'hx-swap-oob="true"' in html
    assert "14%" in html  # 1 of 7 junior items


def test_open_redirect_in_next_is_ignored(signed_in, ladder):
    item = ladder["steps1"][0]
    response = signed_in.post(
        reverse("progress:item", args=[item.key]), {"status": "done", "next": "https://evil.example/"}
    )
    assert response.url.startswith(reverse("progress:item", args=[item.key]))


def test_bad_evidence_link_in_the_form_shows_an_error_and_keeps_the_typed_note(signed_in, alice, ladder):
    item = ladder["steps1"][0]
    response = signed_in.post(
        reverse("progress:item", args=[item.key]),
        {"note": "my long careful note", "evidence_url": "javascript:alert(1)"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a link starting with http:// or https://." in html
    assert "my long careful note" in html
    assert not ItemProgress.objects.filter(user=alice).exists()


def test_notes_with_html_are_shown_escaped(signed_in, alice, ladder):
    item = ladder["deliverables"][0]
    services.item_progress_set(user=alice, item=item, note="<script>alert('x')</script>")
    html = signed_in.get(reverse("roadmap:level", args=["junior"])).content.decode()
    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;" in html


def test_skill_rating_in_place_and_without_javascript(signed_in, alice, ladder):
    skill = ladder["junior_skills"][0].skill
    url = reverse("progress:skill_rate", args=[skill.slug])
    response = signed_in.post(url, {"rating": "3"}, headers={"HX-Request": "true"})
    assert '<option value="3" selected>' in response.content.decode()
    response = signed_in.post(url, {"rating": "4", "next": reverse("progress:dashboard")})
    assert response.status_code == 302
    assert SkillRating.objects.get(user=alice, skill=skill).rating == 4
    response = signed_in.post(url, {"rating": "9"}, follow=True)
    assert "choose a rating from 0 to 4" in response.content.decode()
    assert SkillRating.objects.get(user=alice, skill=skill).rating == 4


def test_log_a_kpi_value_and_see_it_on_the_dashboard_against_its_target(signed_in, alice, ladder):
    response = signed_in.post(
        reverse("progress:kpi", args=["latency"]),
        {"value": "180", "measured_on": timezone.localdate().isoformat(), "note": "", "evidence_url": ""},
    )
    assert response.status_code == 302
    html = signed_in.get(reverse("progress:dashboard")).content.decode()
    card = html.split('id="kpi-latency"')[1].split("</li>")[0]
    assert "<strong>180</strong> ms" in card
    assert "on target" in card
    assert "off target" not in card


@pytest.mark.parametrize(
    ("slug", "value", "measured_on", "message"),
    [
        ("accuracy", "150", None, "A percentage is between 0 and 100."),
        ("latency", "-1", None, "cannot be negative"),
        ("latency", "NaN", None, "Enter a number."),
        ("latency", "100", "2999-01-01", "cannot be in the future"),
    ],
)
def test_bad_kpi_values_in_the_form_show_a_message_and_save_nothing(
    signed_in, ladder, slug, value, measured_on, message
):
    response = signed_in.post(
        reverse("progress:kpi", args=[slug]),
        {"value": value, "measured_on": measured_on or timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not KPIMeasurement.objects.exists()


def test_public_page_shows_the_summary_never_notes_and_evidence_only_when_chosen(client, alice, ladder):
    services.item_progress_set(
        user=alice, item=ladder["steps1"][0], status="done", note="secret note", evidence_url="https://example.com/e"
    )
    alice.set_public_sharing(True)
    alice.save()
    html = client.get(alice.get_public_url()).content.decode()
    assert "Progress on Junior" in html
    assert "secret note" not in html
    assert "https://example.com/e" not in html

    alice.public_show_evidence = True
    alice.save()
    assert "https://example.com/e" in client.get(alice.get_public_url()).content.decode()


class TestIsolation:
    """Bob never sees or changes Alice's records: her ids in URLs are 404 and change nothing."""

    def test_bob_cannot_edit_or_delete_alices_measurement(self, client, alice, bob, ladder):
        m = KPIMeasurementFactory(user=alice, kpi=ladder["latency"], value=150)
        client.force_login(bob)
        assert client.get(reverse("progress:measurement_edit", args=[m.pk])).status_code == 404
        response = client.post(
            reverse("progress:measurement_edit", args=[m.pk]), {"value": "1", "measured_on": "2026-01-01"}
        )
        assert response.status_code == 404
        assert client.post(reverse("progress:measurement_delete", args=[m.pk])).status_code == 404
        m.refresh_from_db()
        assert m.value == 150

    def test_bobs_writes_touch_only_bobs_rows(self, client, alice, bob, ladder):
        item = ladder["steps1"][0]
        services.item_progress_set(user=alice, item=item, status="done", note="alice")
        client.force_login(bob)
        client.post(reverse("progress:item", args=[item.key]), {"status": "skipped", "note": "bob"})
        client.post(reverse("progress:item_clear", args=[item.key]))
        alices = ItemProgress.objects.get(user=alice, item=item)
        assert (alices.status, alices.note) == ("done", "alice")

    def test_bob_sees_none_of_alices_records_on_any_page(self, client, alice, bob, ladder):
        services.item_progress_set(user=alice, item=ladder["steps1"][0], status="done", note="alice-note")
        services.kpi_measurement_create(
            user=alice, kpi=ladder["latency"], value=123, measured_on=timezone.localdate(), note="alice-kpi"
        )
        client.force_login(bob)
        for url in [
            reverse("progress:dashboard"),
            reverse("roadmap:stage", args=["foundations"]),
            reverse("progress:kpi", args=["latency"]),
            reverse("progress:item", args=[ladder["steps1"][0].key]),
        ]:
            html = client.get(url).content.decode()
            assert "alice" not in html, url
            assert "123 ms" not in html, url


def _history(user, ladder, scale):
    """Content and history `scale` times larger."""
    junior = ladder["junior"]
    for i in range(scale * 5):
        ItemProgressFactory(
            user=user, item=StepFactory(stage=ladder["steps1"][0].stage, order=10_000 + i), status="done"
        )
        ItemProgressFactory(user=user, item=ItemFactory(level=junior, kind="project", order=10_000 + i))
        LevelSkillFactory(level=junior)
        SkillRatingFactory(user=user)
    for i in range(scale * 2):
        kpi = KPIFactory(level=junior, order=10_000 + i)
        for d in range(scale * 3):
            KPIMeasurementFactory(user=user, kpi=kpi, measured_on=timezone.localdate() - datetime.timedelta(days=d))
    other = UserFactory(current_level=junior)
    ItemProgressFactory.create_batch(scale * 3, user=other)


@pytest.mark.parametrize("scale", [1, 10])
def test_dashboard_runs_at_most_15_queries_whatever_the_content_and_history(
    signed_in, alice, ladder, scale, django_assert_max_num_queries
):
    _history(alice, ladder, scale)
    # Computed afresh (nothing cached yet): the session, the user, the content version, practice,
    # and the summary's reads; the header's unread count is a field of the user, not a query.
    with django_assert_max_num_queries(15):
        response = signed_in.get(reverse("progress:dashboard"))
    assert response.status_code == 200


@pytest.mark.parametrize("scale", [1, 10])
@pytest.mark.parametrize(
    ("name", "args", "max_queries"),
    [("roadmap:stage", ["foundations"], 14), ("roadmap:level", ["junior"], 21), ("roadmap:projects", [], 10)],
)
def test_content_pages_with_learner_statuses_run_a_constant_number_of_queries(
    signed_in, alice, ladder, scale, name, args, max_queries, django_assert_max_num_queries
):
    _history(alice, ladder, scale)
    with django_assert_max_num_queries(max_queries):
        assert signed_in.get(reverse(name, args=args)).status_code == 200


def test_cached_dashboard_and_summary_show_a_change_right_after_it(signed_in, alice, ladder):
    assert 'overall-percent">0%<' in signed_in.get(reverse("progress:dashboard")).content.decode()
    assert signed_in.get("/api/v1/me/summary/").json()["progress"]["overall"]["done"] == 0
    signed_in.post(reverse("progress:item", args=[ladder["steps1"][0].key]), {"status": "done"})
    assert 'overall-percent">14%<' in signed_in.get(reverse("progress:dashboard")).content.decode()
    assert signed_in.get("/api/v1/me/summary/").json()["progress"]["overall"]["done"] == 1


def test_cached_dashboard_carries_a_csrf_token_that_works_for_this_session(client, alice, ladder):
    client.force_login(alice)
    client.get(reverse("progress:dashboard"))  # cached by the first browser
    other = type(client)(enforce_csrf_checks=True)
    other.force_login(alice)
    html = other.get(reverse("progress:dashboard")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    item = ladder["steps1"][0]
    response = other.post(reverse("progress:item", args=[item.key]), {"status": "done", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert ItemProgress.objects.get(user=alice, item=item).status == "done"
