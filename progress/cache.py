"""A learner's derived numbers are read far more often than their records change: cache them
per learner under `User.records_version`, which every write of their records increments in SQL
in the write's own transaction. The request loads the user anyway, so the key costs no query,
and every process sees a new version as soon as the write commits."""

import hashlib

from django.contrib.auth import get_user_model
from django.db.models import F

from roadmap.cache import content_version, get_or_compute


def records_changed(user) -> None:
    """Call inside the write's transaction: the version commits (or rolls back) with the records."""
    get_user_model().objects.filter(pk=user.pk).update(records_version=F("records_version") + 1)
    # This request's own next read must miss the cache too.
    user.records_version += 1


def cached_for_learner(user, name: str, compute):
    key = (
        f"progress:{name}:{user.pk}:{user.records_version}:{content_version()}:"
        f"{user.current_level_id}:{user.target_level_id}:{user.readiness_verified_only:d}"
    )
    return get_or_compute(key, compute)


# What a value derived from a learner may show of them besides their records.
LEARNER_STATE = (
    "pk",
    "records_version",
    "current_level_id",
    "target_level_id",
    "readiness_verified_only",
    "name",
    "email",
)


def cached_for_learners(rows, name: str, compute, learner: str = "user"):
    """A value derived from many learners (a mentor's or a lead's list), cached until any of them
    records something, changes level, preference or name, one joins or leaves, or the content
    changes. `rows` is a queryset of what links them (a team's memberships, a mentor's
    mentorships) in the order the value lists them, `learner` its foreign key to each: the key is a
    digest of the rows and their learners' state read as plain values in one query, because
    loading the learners as models cost more than the cached value saved."""
    fields = ["pk", *(f"{learner}__{field}" for field in LEARNER_STATE)]
    state = "|".join(".".join(map(str, values)) for values in rows.values_list(*fields))
    digest = hashlib.sha256(state.encode()).hexdigest()[:32]
    return get_or_compute(f"progress:{name}:{digest}:{content_version()}", compute)
