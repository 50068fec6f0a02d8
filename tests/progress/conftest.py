import pytest

from tests.progress.test_plan import _at


@pytest.fixture
def learner(alice):
    """Alice, who joined 200 days ago: a plan measures her over the whole pace window."""
    alice.date_joined = _at(200)
    alice.save()
    return alice
