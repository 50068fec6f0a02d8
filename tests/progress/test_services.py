import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from progress import services
from progress.models import ItemProgress, KPIMeasurement, SkillRating, SkillRatingChange


def test_status_changes_set_and_clear_the_timestamps(alice, ladder):
    item = ladder["steps1"][0]
    p = services.item_progress_set(user=alice, item=item, status="in_progress")
    assert p.started_at is not None
    assert p.completed_at is None
    started = p.started_at

    p = services.item_progress_set(user=alice, item=item, status="done")
    assert p.started_at == started
    assert p.completed_at is not None

    p = services.item_progress_set(user=alice, item=item, status="skipped")
    assert p.completed_at is None
    assert p.started_at == started

    p = services.item_progress_set(user=alice, item=item, status="not_started")
    assert p.started_at is None
    assert p.completed_at is None


def test_done_straight_away_sets_both_timestamps(alice, ladder):
    p = services.item_progress_set(user=alice, item=ladder["steps1"][0], status="done")
    assert p.started_at == p.completed_at


def test_setting_the_same_status_twice_changes_nothing(alice, ladder):
    item = ladder["steps1"][0]
    first = services.item_progress_set(user=alice, item=item, status="done", note="finished")
    again = services.item_progress_set(user=alice, item=item, status="done", note="finished")
    assert ItemProgress.objects.filter(user=alice, item=item).count() == 1
    assert (again.completed_at, again.updated_at) == (first.completed_at, first.updated_at)


def test_fields_left_out_keep_their_value(alice, ladder):
    item = ladder["steps1"][0]
    services.item_progress_set(user=alice, item=item, note="my note", evidence_url="https://example.com/x")
    p = services.item_progress_set(user=alice, item=item, status="done")
    assert (p.note, p.evidence_url) == ("my note", "https://example.com/x")


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://example.com/x", "not a url"]
)
def test_evidence_link_must_be_http_or_https(alice, ladder, url):
    with pytest.raises(ValidationError) as error:
        services.item_progress_set(user=alice, item=ladder["steps1"][0], status="done", evidence_url=url)
    assert "evidence_url" in error.value.message_dict
    assert not ItemProgress.objects.exists()


def test_unknown_status_is_refused(alice, ladder):
    with pytest.raises(ValidationError):
        services.item_progress_set(user=alice, item=ladder["steps1"][0], status="finished")
    assert not ItemProgress.objects.filter(status="finished").exists()


def test_oversized_note_is_refused(alice, ladder):
    with pytest.raises(ValidationError):
        services.item_progress_set(user=alice, item=ladder["steps1"][0], note="x" * 4001)
    assert not ItemProgress.objects.exists()


def test_skill_rating_keeps_its_history_and_ignores_repeats(alice, ladder):
    skill = ladder["junior_skills"][0].skill
    for rating in [1, 2, 2, 3]:
        services.skill_rating_set(user=alice, skill=skill, rating=rating)
    assert SkillRating.objects.get(user=alice, skill=skill).rating == 3
    assert list(SkillRatingChange.objects.filter(user=alice).values_list("rating", flat=True)) == [3, 2, 1]


@pytest.mark.parametrize("rating", [-1, 5, "3", True, None])
def test_skill_rating_outside_0_to_4_is_refused(alice, ladder, rating):
    with pytest.raises(ValidationError):
        services.skill_rating_set(user=alice, skill=ladder["junior_skills"][0].skill, rating=rating)
    assert not SkillRating.objects.exists()


@pytest.mark.parametrize(
    ("kpi", "value"),
    [
        ("accuracy", "150"),
        ("accuracy", "-1"),
        ("latency", "-5"),
        ("latency", "NaN"),
        ("latency", "Infinity"),
        ("latency", "1e12"),
        ("latency", "abc"),
    ],
)
def test_kpi_values_that_make_no_sense_for_the_unit_are_refused(alice, ladder, kpi, value):
    with pytest.raises(ValidationError) as error:
        services.kpi_measurement_create(user=alice, kpi=ladder[kpi], value=value, measured_on=timezone.localdate())
    assert "value" in error.value.message_dict
    assert not KPIMeasurement.objects.exists()


def test_kpi_measurement_in_the_future_is_refused(alice, ladder):
    with pytest.raises(ValidationError) as error:
        services.kpi_measurement_create(
            user=alice, kpi=ladder["latency"], value=100, measured_on=timezone.localdate() + datetime.timedelta(days=1)
        )
    assert "measured_on" in error.value.message_dict
    assert not KPIMeasurement.objects.exists()


def test_kpi_measurement_is_stored_and_can_be_corrected(alice, ladder):
    m = services.kpi_measurement_create(
        user=alice, kpi=ladder["latency"], value="180.5", measured_on=timezone.localdate(), note="after caching"
    )
    services.kpi_measurement_update(measurement=m, value="175", measured_on=timezone.localdate())
    m.refresh_from_db()
    assert m.value == Decimal("175")
    assert m.note == ""
