import pytest

from roadmap.services import content_release_load


@pytest.fixture
def seeded(db):
    """The real seed content of the four guides."""
    content_release_load()
