import pytest
from django.core.cache import cache

pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters and cached content must not leak between tests.
    cache.clear()
    yield
    cache.clear()
