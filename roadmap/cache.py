"""Public content is the same for everyone and changes only when an admin or a release edits it:
cache it under a version number that every content change bumps, in the shared cache (Redis in
production), so every process sees a change at once."""

from django.core.cache import cache

VERSION_KEY = "roadmap:content-version"
TIMEOUT = 60 * 60 * 24


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return version


def bump_content_version(**kwargs) -> None:
    """Signal receiver: any saved or deleted content row makes every cached copy stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, timeout=None)


def cached(key: str, compute):
    """The cached value of `compute()` for this content version."""
    full_key = f"roadmap:{content_version()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value
