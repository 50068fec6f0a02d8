import datetime

from django.utils import timezone

from progress import services
from progress.reads.summary import items_with_status, learner_summary, level_progress, level_rows
from roadmap.models import Item
from tests.factories import UserFactory


def _day(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def test_progress_of_the_level_counts_done_over_all_but_skipped(alice, ladder):
    s = ladder["steps1"]
    services.item_progress_set(user=alice, item=s[0], status="done")
    services.item_progress_set(user=alice, item=s[1], status="done")
    services.item_progress_set(user=alice, item=s[2], status="skipped")
    services.item_progress_set(user=alice, item=s[3], status="in_progress")
    services.item_progress_set(user=alice, item=ladder["deliverables"][0], status="done")
    # Items of the next level's stage do not count for the current level.
    services.item_progress_set(user=alice, item=ladder["steps2"][0], status="done")

    progress = learner_summary(alice).progress
    steps, deliverables, questions = (progress.by_kind[k] for k in ("steps", "deliverables", "interview_questions"))
    assert (steps.done, steps.counted, steps.percent) == (2, 3, 67)
    assert (deliverables.done, deliverables.counted, deliverables.percent) == (1, 2, 50)
    assert (questions.done, questions.counted, questions.percent) == (0, 1, 0)
    # 7 junior items, 1 skipped: 3 done of 6.
    assert (progress.overall.done, progress.overall.counted, progress.overall.percent) == (3, 6, 50)


def test_all_items_skipped_gives_no_percentage_rather_than_a_division_by_zero(alice, ladder):
    for d in ladder["deliverables"]:
        services.item_progress_set(user=alice, item=d, status="skipped")
    assert learner_summary(alice).progress.by_kind["deliverables"].percent is None


def test_kpi_status_uses_the_latest_value_in_the_kpis_direction(alice, ladder):
    for days_ago, value in [(30, 320), (20, 250), (10, 190)]:
        services.kpi_measurement_create(user=alice, kpi=ladder["latency"], value=value, measured_on=_day(days_ago))
    services.kpi_measurement_create(user=alice, kpi=ladder["accuracy"], value=95, measured_on=_day(3))
    services.kpi_measurement_create(user=alice, kpi=ladder["accuracy"], value=85, measured_on=_day(1))

    latency, accuracy = learner_summary(alice).kpis
    assert latency.latest.value == 190
    assert latency.on_target is True  # lower is better, 190 <= 200
    assert latency.trend == "improving"
    assert [int(p.value) for p in latency.points] == [320, 250, 190]
    assert accuracy.on_target is False  # higher is better, 85 < 90
    assert accuracy.trend == "worsening"


def test_readiness_shows_each_part_and_exactly_what_is_missing(alice, ladder):
    mle_skills = ladder["mle_skills"]
    services.skill_rating_set(user=alice, skill=mle_skills[0].skill, rating=2)  # working: counts
    services.skill_rating_set(user=alice, skill=mle_skills[1].skill, rating=1)  # aware: missing
    steps2 = ladder["steps2"]
    services.item_progress_set(user=alice, item=steps2[0], status="done")
    services.item_progress_set(user=alice, item=steps2[1], status="skipped")
    services.kpi_measurement_create(user=alice, kpi=ladder["latency"], value=150, measured_on=_day(1))

    readiness = learner_summary(alice).readiness
    assert readiness.next_level == ladder["mle"]
    skills, items, kpis = readiness.parts
    assert (skills.met, skills.total) == (1, 3)
    assert [r.level_skill.skill.slug for r in skills.missing] == ["ms-1", "ms-2"]
    assert (items.met, items.total) == (1, 2)
    assert [i.key for i in items.missing] == ["s2-3"]
    assert (kpis.met, kpis.total) == (1, 2)
    assert [k.kpi.slug for k in kpis.missing] == ["accuracy"]
    assert not readiness.ready


def test_next_step_is_the_first_not_started_item_of_the_earliest_unfinished_stage(alice, ladder):
    s = ladder["steps1"]
    assert learner_summary(alice).next_step == s[0]
    services.item_progress_set(user=alice, item=s[0], status="done")
    services.item_progress_set(user=alice, item=s[1], status="in_progress")
    assert learner_summary(alice).next_step == s[2]
    for item in s[2:]:
        services.item_progress_set(user=alice, item=item, status="skipped")
    # Only an item in progress is left in stage 1: carry on with it.
    assert learner_summary(alice).next_step == s[1]
    services.item_progress_set(user=alice, item=s[1], status="done")
    assert learner_summary(alice).next_step == ladder["steps2"][0]


def test_recent_activity_mixes_items_ratings_and_measurements_newest_first(alice, ladder):
    services.item_progress_set(user=alice, item=ladder["steps1"][0], status="done")
    services.skill_rating_set(user=alice, skill=ladder["junior_skills"][0].skill, rating=3)
    services.kpi_measurement_create(user=alice, kpi=ladder["latency"], value="180.50", measured_on=_day(0))
    activity = learner_summary(alice).activity
    assert [(a.kind, a.detail) for a in activity] == [("kpi", "180.5"), ("skill", "3"), ("item", "done")]


def test_the_light_level_rows_give_the_same_progress_as_the_full_join(alice, ladder):
    """Content pages count a level from level_rows; the dashboard from items_with_status: same numbers."""
    s = ladder["steps1"]
    services.item_progress_set(user=alice, item=s[0], status="done", evidence_url="https://e.example/0")
    services.item_progress_set(user=alice, item=s[1], status="skipped")
    services.item_progress_set(user=alice, item=ladder["steps2"][0], status="in_progress")
    services.item_progress_set(user=alice, item=ladder["deliverables"][0], status="done")
    progress = alice.item_progress.get(item=s[0])
    services.item_review_record(
        progress=progress, reviewer=UserFactory(), verdict="verified", comment="", at=timezone.now()
    )
    archived = ladder["deliverables"][1]
    services.item_progress_set(user=alice, item=archived, status="done")
    Item.objects.filter(pk=archived.pk).update(is_archived=True)
    for level in (ladder["junior"], ladder["mle"]):
        light, full = level_progress(level_rows(alice.pk), level), level_progress(items_with_status(alice.pk), level)
        assert light == full
    junior = level_progress(level_rows(alice.pk), ladder["junior"]).overall
    assert (junior.done, junior.counted, junior.verified) == (2, 5, 1)
