"""Public content is the same for everyone and changes only when an admin or a release edits it.

Cached copies are keyed by the content version, a database row that every content change
increments in its own transaction: every process and every instance reads the same number, so
an edit is visible everywhere on the next request, whatever the cache backend. A key can only
ever hold data at least as new as its version, so no process can serve a stale copy."""

import pickle

from asgiref.local import Local
from django.db.models import F

from core.cache import digest_key, get_or_compute
from core.statements import Statement
from roadmap.models import ContentVersion, Item

# A page builds several keys (its body, the practice count...): the version is read once per
# request. It is kept only while a request runs (request_started and request_finished clear it),
# so nothing carries it from one request to the next, and a content write in the request drops it.
_this_request = Local()
_VERSION = Statement(lambda: ContentVersion.objects.order_by("pk").values_list("version")[:1])


def content_version() -> int:
    remembered = getattr(_this_request, "version", None)
    if remembered is not None:
        return remembered
    # A flushed test database has no row: 0 is a version like any other.
    version = next((row[0] for row in _VERSION.rows()), 0)
    if getattr(_this_request, "running", False):
        _this_request.version = version
    return version


def request_started(**kwargs) -> None:
    _this_request.running, _this_request.version = True, None


def request_finished(**kwargs) -> None:
    _this_request.running, _this_request.version = False, None


def bump_content_version(**kwargs) -> None:
    """Signal receiver: any saved or deleted content row makes every cached copy stale."""
    _this_request.version = None
    if not ContentVersion.objects.update(version=F("version") + 1):
        ContentVersion.objects.get_or_create(pk=1, defaults={"version": 1})


# Content values are also kept in this process, pickled. Their keys name the content version this
# request read from the database, so a copy kept here is exactly as fresh as the shared cache's, and a
# content page or a status change skips a round trip to Redis. Kept as bytes, each caller gets its own
# copy to change; past KEPT_BYTES the whole lot is dropped (what is in use comes back on first use).
KEPT_BYTES = 32 * 1024 * 1024


class _Kept:
    """Pickled values by key, with their total size, so that a miss need not add them all up."""

    def __init__(self):
        self.values: dict[str, bytes] = {}
        self.size = 0

    def put(self, key: str, value: bytes) -> None:
        if len(value) > KEPT_BYTES:
            return  # bigger than the whole allowance: the shared cache alone keeps it
        if self.size + len(value) > KEPT_BYTES:
            self.clear()
        self.values[key] = value
        self.size += len(value)

    def clear(self) -> None:
        self.values.clear()
        self.size = 0


_kept = _Kept()


def cached(name: str, compute, *parts, request=None):
    """The cached value of `compute()` for this content version: the only place that builds a
    content key. `parts` are what else the value depends on (a page, a filter); pass the request
    when the value holds absolute links, so each scheme and host gets its own."""
    host = request.build_absolute_uri("/") if request else ""
    key = digest_key(f"roadmap:{name}", content_version(), *parts, host)
    kept = _kept.values.get(key)
    if kept is None:
        kept = pickle.dumps(get_or_compute(key, compute), pickle.HIGHEST_PROTOCOL)
        _kept.put(key, kept)
    return pickle.loads(kept)


def forget_kept() -> None:
    """Drop this process's copies (tests, whose databases reuse content version numbers)."""
    _kept.clear()


def item_by_key(key: str):
    """An item with its level and its stage's (the ladder level either way), or None: from the
    content cache, since a status change, the busiest write, names its item by key on every post."""
    return cached("item", lambda: Item.objects.select_related("level", "stage__level").filter(key=key).first(), key)
