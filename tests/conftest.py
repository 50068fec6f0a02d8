import pytest
from django.core.cache import cache

from roadmap.services import content_release_load

pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters and cached content must not leak between tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded(db):
    """The real seed content of the four guides."""
    content_release_load()
