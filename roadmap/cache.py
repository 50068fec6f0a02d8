"""Public content is the same for everyone and changes only when an admin or a release edits it.

Cached copies are keyed by the content version, a database row that every content change
increments in its own transaction: every process and every instance reads the same number, so
an edit is visible everywhere on the next request, whatever the cache backend. A key can only
ever hold data at least as new as its version, so no process can serve a stale copy."""

from django.core.cache import cache
from django.db.models import F

from roadmap.models import ContentVersion

TIMEOUT = 60 * 60 * 24


def get_or_compute(key: str, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def content_version() -> int:
    # A flushed test database has no row: 0 is a version like any other.
    return ContentVersion.objects.values_list("version", flat=True).first() or 0


def bump_content_version(**kwargs) -> None:
    """Signal receiver: any saved or deleted content row makes every cached copy stale."""
    if not ContentVersion.objects.update(version=F("version") + 1):
        ContentVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def cached(key: str, compute):
    """The cached value of `compute()` for this content version."""
    return get_or_compute(f"roadmap:{content_version()}:{key}", compute)
