"""A learner's derived numbers are read far more often than their records change: cache them
per learner under a version that every write of theirs bumps."""

from django.db import transaction

from roadmap.cache import bump, content_version, get_or_compute, version


def _version_key(user_id) -> str:
    return f"progress:version:{user_id}"


def records_changed(user) -> None:
    """Bump now, so this request's next read is fresh, and again after commit, so a summary
    computed by another request from the data before the commit is not kept either."""
    key = _version_key(user.pk)
    bump(key)
    transaction.on_commit(lambda: bump(key))


def cached_for_learner(user, name: str, compute):
    key = (
        f"progress:{name}:{user.pk}:{version(_version_key(user.pk))}:{content_version()}:"
        f"{user.current_level_id}:{user.target_level_id}"
    )
    return get_or_compute(key, compute)
