"""Redis as the shared cache, with the database cache taking over while Redis does not answer.

The cache is an accelerator, never a source of truth (cache keys come from versions stored in
the database), so serving from a second store during an outage cannot serve stale data; what
must stay shared while Redis is down (sign-in rate limits, API throttles) stays shared because
the database cache is shared by every process and instance too.
"""

import hashlib
import logging
import time

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

FALLBACK_ALIAS = "database"
# After a failure, requests go straight to the fallback for this long instead of each paying a
# connection timeout; then Redis is tried again.
RETRY_AFTER_SECONDS = 5.0


class RedisWithDatabaseFallbackCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    def redis_answers(self) -> bool:
        """For /healthz: does Redis itself answer right now (not the fallback)?"""
        try:
            return bool(self._cache.get_client(write=False).ping())
        except RedisError:
            return False

    def _call(self, name: str, *args, **kwargs):
        if time.monotonic() >= self._down_until:
            try:
                result = getattr(RedisCache, name)(self, *args, **kwargs)
            except RedisError as error:
                if not self._down_until:  # log once per outage, not once per request
                    logger.warning("Redis cache unavailable, using the database cache: %s", error)
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            else:
                if self._down_until:
                    logger.warning("Redis cache answers again")
                    self._down_until = 0.0
                return result
        return getattr(caches[FALLBACK_ALIAS], name)(*args, **kwargs)


def _delegating(name: str):
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


# Every operation RedisCache implements itself; BaseCache's others (get_or_set, decr, ...) call these.
_OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)
for _name in _OPERATIONS:
    setattr(RedisWithDatabaseFallbackCache, _name, _delegating(_name))


# Every entry's key names the versions its value was computed from, so an entry is never stale;
# the timeout only returns the memory of entries no key names any more.
TIMEOUT = 60 * 60 * 24


def digest_key(prefix: str, *inputs) -> str:
    """A short cache key naming every input of a value (versions, parameters, the date, the host)."""
    return f"{prefix}:{hashlib.sha256(chr(31).join(map(str, inputs)).encode()).hexdigest()[:40]}"


def get_or_compute(key: str, compute, timeout: int = TIMEOUT):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
