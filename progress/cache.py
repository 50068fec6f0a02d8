"""A learner's derived numbers are read far more often than their records change: cache them
per learner under a version that every write of theirs bumps."""

from django.core.cache import cache
from django.db import transaction

from roadmap.cache import TIMEOUT, content_version


def _version_key(user_id) -> str:
    return f"progress:version:{user_id}"


def records_version(user_id) -> int:
    return cache.get_or_set(_version_key(user_id), 1, timeout=None)


def _bump(user_id) -> None:
    try:
        cache.incr(_version_key(user_id))
    except ValueError:
        cache.add(_version_key(user_id), 2, timeout=None)


def records_changed(user) -> None:
    """Bump now, so this request's next read is fresh, and again after commit, so a summary
    computed by another request from the data before the commit is not kept either."""
    _bump(user.pk)
    transaction.on_commit(lambda: _bump(user.pk))


def cached_for_learner(user, name: str, compute):
    key = (
        f"progress:{name}:{user.pk}:{records_version(user.pk)}:{content_version()}:"
        f"{user.current_level_id}:{user.target_level_id}"
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
