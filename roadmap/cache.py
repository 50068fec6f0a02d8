"""Public content is the same for everyone and changes only when an admin or a release edits it.

Cached copies are keyed by the content version, a database row that every content change
increments in its own transaction: every process and every instance reads the same number, so
an edit is visible everywhere on the next request, whatever the cache backend. A key can only
ever hold data at least as new as its version, so no process can serve a stale copy."""

import hashlib

from django.db.models import F

from core.cache import get_or_compute
from roadmap.models import ContentVersion


def content_version() -> int:
    # A flushed test database has no row: 0 is a version like any other.
    return ContentVersion.objects.values_list("version", flat=True).first() or 0


def bump_content_version(**kwargs) -> None:
    """Signal receiver: any saved or deleted content row makes every cached copy stale."""
    if not ContentVersion.objects.update(version=F("version") + 1):
        ContentVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def cached(name: str, compute, *parts, request=None):
    """The cached value of `compute()` for this content version: the only place that builds a
    content key. `parts` are what else the value depends on (a page, a filter); pass the request
    when the value holds absolute links, so each scheme and host gets its own."""
    inputs = [name, content_version(), *parts, request.build_absolute_uri("/") if request else ""]
    digest = hashlib.sha256("\x1f".join(map(str, inputs)).encode()).hexdigest()[:40]
    return get_or_compute(f"roadmap:{name}:{digest}", compute)
