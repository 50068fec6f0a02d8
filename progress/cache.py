"""A learner's derived numbers are read far more often than their records change: cache them
per learner under `User.records_version`, which every write of their records increments in SQL
in the write's own transaction. The request loads the user anyway, so the key costs no query,
and every process sees a new version as soon as the write commits."""

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
