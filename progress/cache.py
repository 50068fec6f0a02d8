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


def cached_for_learners(users, name: str, compute):
    """A value derived from many learners (a mentor's or a lead's list), cached until any of them
    records something, changes level, preference or name, or the content changes: the key is a
    digest of what the request loaded anyway."""
    state = "|".join(
        f"{u.pk}.{u.records_version}.{u.current_level_id}.{u.target_level_id}.{u.readiness_verified_only:d}.{u.name}.{u.email}"
        for u in users
    )
    digest = hashlib.sha256(state.encode()).hexdigest()[:32]
    return get_or_compute(f"progress:{name}:{digest}:{content_version()}", compute)
