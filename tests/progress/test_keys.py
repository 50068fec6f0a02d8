"""A cache key covers everything its value depends on, because both come from one declaration."""

import datetime
import pickle

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from progress.reads import keys
from progress.reads.keys import LEARNER_STATE, Learner, UndeclaredField
from progress.reads.roster import roster
from progress.reads.summary import compute_summary


def test_a_read_that_touches_a_field_the_key_leaves_out_fails_in_code(alice):
    learner = Learner.of(alice)
    assert learner.name == alice.name
    with pytest.raises(UndeclaredField, match="years_of_experience"):
        _ = learner.years_of_experience


def test_a_template_that_shows_a_field_the_key_leaves_out_fails_instead_of_rendering_nothing(alice):
    template = Template("{{ learner.get_short_name }} has {{ learner.years_of_experience }} years")
    with pytest.raises(UndeclaredField):
        template.render(Context({"learner": Learner.of(alice)}))


def test_every_declared_field_is_in_the_key(alice):
    learner = Learner.of(alice)
    key = keys.SUMMARY.key(repr(learner.state()))
    for position, field in enumerate(LEARNER_STATE):
        changed = list(learner.state())
        changed[position] = f"{changed[position]}-changed"
        assert keys.SUMMARY.key(repr(tuple(changed))) != key, field


def test_reads_of_one_and_of_many_learners_see_them_only_through_the_declaration(alice, bob):
    """The summary and the roster run on Learners: any field they touch beyond LEARNER_STATE raises."""
    assert compute_summary(Learner.of(alice)).level == alice.current_level
    rows = roster([alice, bob])
    assert [type(row.user) for row in rows] == [Learner, Learner]
    assert [row.user.pk for row in rows] == [alice.pk, bob.pk]


def test_a_learner_survives_the_cache_unchanged(alice):
    learner = Learner.of(alice)
    assert pickle.loads(pickle.dumps(learner)) == learner
    with pytest.raises(TypeError):
        learner.name = "Mallory"


def test_a_value_that_names_today_is_keyed_by_the_day_and_one_with_links_by_the_host(alice, monkeypatch):
    state = repr(Learner.of(alice).state())
    assert keys.SUMMARY.clock == "day"
    today = keys.SUMMARY.key(state)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: datetime.date(2030, 1, 1))
    assert keys.SUMMARY.key(state) != today
    local = RequestFactory().get("/", HTTP_HOST="localhost")
    loopback = RequestFactory().get("/", HTTP_HOST="127.0.0.1")
    assert keys.PROGRESS_LIST.key(state, request=local) != keys.PROGRESS_LIST.key(state, request=loopback)
    with pytest.raises(ValueError, match="absolute links"):
        keys.PROGRESS_LIST.key(state)


def test_no_two_reads_share_a_name_and_so_each_others_entries():
    reads = [value for value in vars(keys).values() if isinstance(value, keys.Read)]
    assert len({read.name for read in reads}) == len(reads)


def test_a_lists_key_moves_with_every_declared_field_of_every_member(alice, bob):
    """A team's key is read from every member's declared state (one statement, core.statements): any
    declared field of any member, a join or a leave, or the list's order moves it."""
    from django.contrib.auth import get_user_model

    from mentoring.models import Membership, Team
    from mentoring.selectors import MEMBER_LINKS

    team = Team.objects.create(name="Cohort", slug="cohort")
    Membership.objects.create(team=team, user=alice, role=Membership.Role.LEAD)
    bobs = Membership.objects.create(team=team, user=bob)
    seen = {repr(MEMBER_LINKS.rows(team.pk))}

    def moved() -> bool:
        state = repr(MEMBER_LINKS.rows(team.pk))
        new = state not in seen
        seen.add(state)
        return new

    User = get_user_model()
    changes = {
        "name": "Bob",
        "email": "robert@example.com",
        "records_version": 7,
        "current_level_id": None,
        "target_date": datetime.date(2027, 6, 1),
        "weekly_goal": 3,
        "readiness_verified_only": True,
        "date_joined": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    }
    for field, value in changes.items():
        User.objects.filter(pk=bob.pk).update(**{field: value})
        assert moved(), field
    Membership.objects.filter(pk=bobs.pk).update(joined_at=datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC))
    assert moved()  # bob now comes first
    bobs.delete()
    assert moved()
    assert not moved()  # nothing changed: the same key
