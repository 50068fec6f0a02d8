"""The only place that builds the key of a value derived from learners.

A key covers everything its value may depend on, because both come from one declaration:
`LEARNER_STATE` names every field of a learner that any read may touch, a read is handed a
`Learner` holding exactly those fields (touching another one raises `UndeclaredField`, in code and
in templates alike), and the key is built from the same fields. On top, each `Read` says whether its
value depends on the clock (today's date for this week's count or a calendar, the minute for what is
due) or on the host (absolute links in its body); the content version is always in. So a saved
plan, a rename, a new day or another host name is a new key on the very next request, in every
process, with no invalidation to forget.
"""

from dataclasses import dataclass

from django.utils import timezone

from core.cache import TIMEOUT, digest_key, get_or_compute
from core.statements import Statement
from roadmap.cache import content_version

# Every field of a learner a derived value may show or depend on.
LEARNER_STATE = (
    "pk",
    "records_version",  # every write of their records increments it (records_changed)
    "name",
    "email",
    "date_joined",
    "current_level_id",
    "target_level_id",
    "readiness_verified_only",
    "readiness_fresh_only",
    "readiness_mentor_skills_only",
    "target_date",
    "weekly_goal",
    "digest_opt_in",
    "public_sharing",
    "public_slug",
    "public_show_evidence",
)


class UndeclaredField(LookupError):
    """A read touched a field of the learner that LEARNER_STATE (and so its key) leaves out.
    Not an AttributeError on purpose: templates would swallow that and render nothing."""


class Learner:
    """What a read may know of a learner: the fields of LEARNER_STATE and nothing else."""

    def __init__(self, values: dict):
        self.__dict__["_values"] = values

    @classmethod
    def of(cls, user) -> "Learner":
        return user if isinstance(user, cls) else cls({field: getattr(user, field) for field in LEARNER_STATE})

    @classmethod
    def from_row(cls, row) -> "Learner":
        return cls(dict(zip(LEARNER_STATE, row, strict=True)))

    def __getattr__(self, name: str):
        if name.startswith("_"):  # pickling and copying look for optional dunders
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise UndeclaredField(f"A read touched {name!r} of a learner: add it to LEARNER_STATE") from None

    def __setattr__(self, name: str, value) -> None:
        raise TypeError("A learner as a read sees it does not change")

    def __getstate__(self):
        return self._values

    def __setstate__(self, values):
        self.__dict__["_values"] = values

    def __eq__(self, other) -> bool:
        return isinstance(other, Learner) and self._values == other._values

    def __hash__(self) -> int:
        return hash(self.pk)

    def state(self) -> tuple:
        return tuple(self._values[field] for field in LEARNER_STATE)

    def get_short_name(self) -> str:
        return self.name or self.email


@dataclass(frozen=True)
class Read:
    """A value derived from learners and cached: its name, and what it depends on besides the
    learners' state and the content."""

    name: str
    clock: str = ""  # "day": it names today, this week or a time ago; "minute": it counts what is due now
    per_host: bool = False  # its body holds absolute links
    timeout: int = TIMEOUT

    def key(self, state: str, *parts, request=None) -> str:
        inputs = [self.name, state, content_version(), *parts]
        if self.clock == "day":
            inputs.append(timezone.localdate().isoformat())
        elif self.clock == "minute":
            inputs.append(f"{timezone.now():%Y-%m-%dT%H:%M}")
        if self.per_host:
            if request is None:
                raise ValueError(f"{self.name} holds absolute links: its key needs the request")
            inputs.append(request.build_absolute_uri("/"))
        return digest_key(f"learners:{self.name}", *inputs)

    def of(self, user, compute, *parts, request=None):
        """`compute(learner)` for one learner, cached under their state."""
        learner = Learner.of(user)
        key = self.key(repr(learner.state()), *parts, request=request)
        return get_or_compute(key, lambda: compute(learner), self.timeout)

    def of_many(self, links: Statement, owner_id: int, compute, *parts, request=None):
        """`compute(linked)` for the learners linked to one owner (a mentor's mentorships, a team's
        memberships: `links`, made by `learner_links`), cached until any of them changes, one joins
        or leaves, or the content changes. Their state is read as plain values in one query, and
        `compute` gets them from that same read: a list of (the link's pk, the Learner)."""
        values = links.rows(owner_id)
        return get_or_compute(
            self.key(repr(values), *parts, request=request),
            lambda: compute([(row[0], Learner.from_row(row[1:])) for row in values]),
            self.timeout,
        )


def learner_links(build, learner: str = "user") -> Statement:
    """What links learners to an owner, as `Read.of_many` reads it: `build(owner_id)` is the queryset
    of the links in the order a list shows them, `learner` their foreign key to each learner. Read
    on every visit of a mentor's or a lead's list, so its SQL is built once (core.statements)."""
    fields = ["pk", *(f"{learner}__{field}" for field in LEARNER_STATE)]
    return Statement(lambda owner_id: build(owner_id).values_list(*fields), int)


# Every cached read of learners.
SUMMARY = Read("summary", clock="day")
SUMMARY_JSON = Read("summary-json", clock="day")
DASHBOARD = Read("dashboard", clock="day")
DASHBOARD_READONLY = Read("dashboard-readonly", clock="day")
PRACTICE_DUE = Read("practice-due", clock="minute", timeout=120)
PROGRESS_LIST = Read("progress-list", per_host=True)
# Readiness in a roster may count fresh skill ratings only, and a rating goes stale with the days.
ROSTER = Read("roster", clock="day")
MENTEES_TABLE = Read("mentees-table", clock="day")
MENTEES_JSON = Read("mentees-json", clock="day")
TEAM_TABLE = Read("team-table", clock="day")
