"""Public content is the same for everyone and changes only when an admin or a release edits it:
cache it under a version number that every content change bumps, in the shared cache (Redis in
production), so every process sees a change at once. The version helpers serve learner caches too."""

from django.core.cache import cache

VERSION_KEY = "roadmap:content-version"
TIMEOUT = 60 * 60 * 24


def version(key: str) -> int:
    return cache.get_or_set(key, 1, timeout=None)


def bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # evicted or never read: any value other than the old one will do
        cache.add(key, 2, timeout=None)


def get_or_compute(key: str, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def content_version() -> int:
    return version(VERSION_KEY)


def bump_content_version(**kwargs) -> None:
    """Signal receiver: any saved or deleted content row makes every cached copy stale."""
    bump(VERSION_KEY)


def cached(key: str, compute):
    """The cached value of `compute()` for this content version."""
    return get_or_compute(f"roadmap:{content_version()}:{key}", compute)
