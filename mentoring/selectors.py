"""What the mentoring and team pages and their API read: each access rule and each list once, so a
web page and its endpoint cannot disagree. Numbers come from progress.reads."""

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from core.statements import InstanceStatement, Statement
from mentoring.models import Invitation, Membership, Mentorship, Message, Review, ReviewRequest, display_name
from progress import ical
from progress.models import ItemProgress
from progress.reads import keys
from progress.reads.keys import Learner
from progress.reads.matrix import skill_matrix
from progress.reads.roster import RosterRow, cached_roster, roster
from roadmap.models import Criterion, Item, Level


class InvitationToAnswer(NamedTuple):
    pk: int
    expires_at: datetime.datetime
    inviter: str  # how the inviter is named


# Read on every visit of a mentor's list, the busiest mentoring page.
_MENTOR_INVITATIONS = Statement(
    lambda user_id, now: (
        Invitation.objects.to_addresses_of(user_id)
        .open(now)
        .filter(kind=Invitation.Kind.MENTOR)
        .values_list("pk", "expires_at", "inviter__name", "inviter__email")
    ),
    int,
    datetime.datetime,
)


def mentor_invitations_to_answer(user) -> list[InvitationToAnswer]:
    """Open invitations to mentor someone, sent to any of the user's verified addresses, newest first."""
    return [
        InvitationToAnswer(pk, expires_at, name or email)
        for pk, expires_at, name, email in _MENTOR_INVITATIONS.rows(user.pk, timezone.now())
    ]


# Every team page and endpoint starts with one of these, so their SQL is built once.
_MEMBER = InstanceStatement(
    Membership,
    lambda user_id, slug: Membership.objects.filter(user_id=user_id, team__slug=slug),
    int,
    str,
    related="team",
)
_LEAD = InstanceStatement(
    Membership,
    lambda user_id, slug: Membership.objects.filter(user_id=user_id, team__slug=slug, role=Membership.Role.LEAD),
    int,
    str,
    related="team",
)


def membership(user, slug: str, lead: bool = False) -> Membership:
    """The person's own membership of the team (as a lead, with `lead`): anyone else gets a 404."""
    found = (_LEAD if lead else _MEMBER).instances(user.pk, slug)
    if not found:
        raise Http404("No such team, or not yours.")
    return found[0]


def member_of(mine: Membership, user_id) -> Membership:
    return get_object_or_404(mine.team.memberships.select_related("user"), user_id=user_id)


class MenteeLink(NamedTuple):
    """A mentorship as a mentor's list shows it: its id and the mentee as reads see them."""

    pk: int
    mentee: Learner


# A mentor's mentees and a team's members, oldest link first.
MENTEE_LINKS = keys.learner_links(
    lambda mentor_id: Mentorship.objects.of_mentor(mentor_id).order_by("started_at", "pk"), learner="mentee"
)
MEMBER_LINKS = keys.learner_links(lambda team_id: Membership.objects.filter(team_id=team_id))


def mentee_rows(mentor, read: keys.Read, render):
    """`render(rows)` of each of the mentor's mentorships with its mentee's headline numbers, cached as
    `read` until a mentee, the mentorships or the content change."""

    def rows(linked) -> list[tuple[MenteeLink, RosterRow]]:
        return list(zip((MenteeLink(*pair) for pair in linked), roster(m for _, m in linked), strict=True))

    return read.of_many(MENTEE_LINKS, mentor.pk, lambda linked: render(rows(linked)))


def _waiting(records, mentor=None):
    """What awaits a review (the rule: progress.reads.rules.awaiting_review), the longest waiting
    first: an item waits from when it was done, from the change since its last review, or from
    when it was last asked of someone (a ReviewRequest). With `mentor`, only what waits for them:
    not what the learner asked of another mentor or withdrew."""
    request = ReviewRequest.objects.filter(mentee=OuterRef("user_id"), item=OuterRef("item_id"))
    since = Case(When(review_stale=True, then=F("updated_at")), default=F("completed_at"))
    asked_at = Subquery(request.values("asked_at")[:1])
    waiting = records.awaiting_review().annotate(
        waiting_since=Greatest(since, Coalesce(asked_at, since)),
        asked=Exists(request),
        asked_mentor=Subquery(request.values("mentor_id")[:1]),
    )
    if mentor is not None:
        waiting = waiting.exclude(Exists(request.exclude(mentor=mentor)))
    return waiting.order_by("waiting_since", "pk")


def review_queue(mentee, mentor=None):
    """The mentee's items waiting for a review (for `mentor`, only those waiting for them)."""
    return _waiting(ItemProgress.objects.for_user(mentee), mentor).select_related("item__stage", "item__level")


def asked_of(waiting, mentorships) -> list:
    """Each item waiting for a review with the mentor it is asked of (`asked_of`; None: all of the
    learner's mentors, or nobody once `withdrawn`)."""
    mentors = {m.mentor_id: m.mentor for m in mentorships}
    records = list(waiting)
    for record in records:
        record.asked_of = mentors.get(record.asked_mentor)
        record.withdrawn = record.asked and record.asked_mentor is None
    return records


def review_request_events(mentor, today: datetime.date, site: str) -> list:
    """The mentor's calendar: each request waiting for them on the day it should be answered by
    (REVIEW_ANSWER_DAYS after it came), or today once that is past."""
    mentorships = dict(Mentorship.objects.of_mentor(mentor).values_list("mentee_id", "pk"))
    waiting = _waiting(ItemProgress.objects.filter(user_id__in=mentorships), mentor).select_related("item", "user")
    return [
        ical.all_day(
            f"review-{request.pk}",
            max(
                timezone.localdate(request.waiting_since) + datetime.timedelta(days=settings.REVIEW_ANSWER_DAYS), today
            ),
            f"Review for {display_name(request.user)}: {request.item.title}",
            f"Waiting since {timezone.localdate(request.waiting_since):%-d %b %Y}.",
            site + reverse("mentoring:mentee", args=[mentorships[request.user_id]]),
        )
        for request in waiting
    ]


@dataclass(frozen=True)
class RubricLine:
    """One criterion as the review form shows it, with what a refused form had chosen and said."""

    criterion: Criterion
    mark: str = ""
    note: str = ""


def with_rubrics(items):
    """Each item with its rubric (`item.rubric`, lines of the review form), in one query for all."""
    items = list(items)
    criteria = list(Criterion.objects.for_items(items)) if items else []
    for item in items:
        item.rubric = [
            RubricLine(c) for c in criteria if c.item_id == item.pk or (c.item_id is None and c.kind == item.kind)
        ]
    return items


def review_queue_with_rubrics(mentee, mentor=None) -> list:
    """review_queue's records, each one's item with its rubric (one query for all the rubrics)."""
    records = list(review_queue(mentee, mentor))
    with_rubrics(record.item for record in records)
    return records


@dataclass
class Thread:
    """A learner's item as a conversation: the record as it stands (the iteration now), every earlier
    iteration with its verdict (the reviews, oldest first), what changed since the last one, and
    the messages."""

    item: Item
    record: ItemProgress | None
    iterations: list[Review]
    messages: list[Message]

    @property
    def last(self) -> Review | None:
        return self.iterations[-1] if self.iterations else None

    @property
    def rubric(self) -> list[Criterion]:
        return [line.criterion for line in getattr(self.item, "rubric", [])]

    @property
    def changed(self) -> list[str]:
        """Of status, note and evidence, those that differ from the iteration last reviewed."""
        last = self.last
        if last is None or self.record is None or not last.status:  # reviewed before iterations were kept
            return []
        return [f for f in ("status", "note", "evidence_url") if getattr(self.record, f) != getattr(last, f)]


def threads_of(mentee):
    """The mentee's items that have a thread (a review or a message), with how many of each, in one query."""

    def counted(model):
        rows = model.objects.filter(mentee=mentee, item=OuterRef("pk")).order_by().values("item")
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)

    has = Q(Exists(Review.objects.filter(mentee=mentee, item=OuterRef("pk")))) | Q(
        Exists(Message.objects.filter(mentee=mentee, item=OuterRef("pk")))
    )
    return Item.objects.filter(has).annotate(iterations=counted(Review), messages=counted(Message)).order_by("key")


def thread(mentee, item: Item) -> Thread:
    """In five queries, however long the history: the record, the reviews with their rubric marks,
    the messages and the item's rubric."""
    with_rubrics([item])
    return Thread(
        item=item,
        record=ItemProgress.objects.for_user(mentee).filter(item=item).first(),
        iterations=list(
            Review.objects.filter(mentee=mentee, item=item)
            .select_related("mentor")
            .prefetch_related("marks")
            .order_by("created_at", "pk")
        ),
        messages=list(Message.objects.thread(mentee, item)),
    )


def overdue_before(now) -> datetime.datetime:
    """An item waiting since before this has had no answer for REVIEW_ANSWER_DAYS: the learner
    is offered to ask another mentor, and the mentor sees it flagged."""
    return now - datetime.timedelta(days=settings.REVIEW_ANSWER_DAYS)


# The team overview's columns: (key, heading, sort key of a row). Unknown values sort last.
def _part(row, key):
    part = next((p for p in (row.readiness.parts if row.readiness else []) if p.key == key), None)
    return (part.met / part.total if part.total else 1.0) if part else -1.0


COLUMNS = [
    ("member", "Member", lambda r: r.user.get_short_name().lower()),
    ("level", "Level", lambda r: r.level.order if r.level else -1),
    ("target", "Target", lambda r: r.target_level.order if r.target_level else -1),
    (
        "progress",
        "Progress",
        lambda r: r.progress.overall.percent if r.progress and r.progress.overall.percent is not None else -1,
    ),
    ("skills", "Skills rated 2+", lambda r: _part(r, "skills")),
    ("items", "Roadmap items done", lambda r: _part(r, "items")),
    ("kpis", "KPIs on target", lambda r: r.kpis_on_target / r.kpis_total if r.kpis_total else -1),
    ("verified", "Verified items", lambda r: r.progress.overall.verified if r.progress else -1),
    ("activity", "Last activity", lambda r: r.last_activity.timestamp() if r.last_activity else 0),
]
SORTS = {name: sort_key for name, _, sort_key in COLUMNS}


def _sorted(rows: list[RosterRow], sort: str, descending: bool) -> list[RosterRow]:
    return sorted(rows, key=SORTS.get(sort, SORTS["member"]), reverse=descending)


def team_rows(team, sort: str = "member", descending: bool = False) -> list[RosterRow]:
    return _sorted(cached_roster(MEMBER_LINKS, team.pk), sort, descending)


def team_table(team, render, sort: str, descending: bool):
    """`render(rows)` of the team's overview sorted so, cached until a member, the team or the content change."""
    return keys.TEAM_TABLE.of_many(
        MEMBER_LINKS,
        team.pk,
        lambda linked: render(_sorted(roster(learner for _, learner in linked), sort, descending)),
        team.pk,
        team.slug,
        team.name,
        sort,
        descending,
    )


def matrix_for(team, level_slug: str | None):
    """The skill-gap matrix of a team, for a level (default: the level most members are at)."""
    members = [Learner.of(m.user) for m in team.memberships.select_related("user").order_by("joined_at", "pk")]
    levels = list(Level.objects.order_by("order"))
    level = next((lv for lv in levels if lv.slug == level_slug), None)
    if level is None:
        common = Counter(u.current_level_id for u in members if u.current_level_id).most_common(1)
        level = next((lv for lv in levels if common and lv.pk == common[0][0]), levels[0] if levels else None)
    return (skill_matrix(members, level) if level else None), levels
