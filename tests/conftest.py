import pytest
from django.core.cache import cache

from roadmap.cache import forget_kept
from roadmap.services import content_release_load
from tests.factories import (
    ItemFactory,
    KPIFactory,
    LevelFactory,
    LevelSkillFactory,
    StageFactory,
    StepFactory,
    UserFactory,
)

pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters and cached content must not leak between tests.
    cache.clear()
    forget_kept()
    yield
    cache.clear()
    forget_kept()


@pytest.fixture
def seeded(db):
    """The real seed content of the four guides."""
    content_release_load()


@pytest.fixture
def ladder(db):
    """A small hand-built ladder: two levels, a stage for each, a few items, skills and KPIs."""
    junior = LevelFactory(order=1, slug="junior", title="Junior", years_min=0, years_max=2)
    mle = LevelFactory(order=2, slug="mle", title="ML Engineer", years_min=2, years_max=5)
    s1 = StageFactory(order=1, slug="foundations", level=junior)
    s2 = StageFactory(order=2, slug="deep-learning", level=mle)
    return {
        "junior": junior,
        "mle": mle,
        "steps1": [StepFactory(stage=s1, order=i, key=f"s1-{i}", title=f"Foundations {i}") for i in range(1, 5)],
        "steps2": [StepFactory(stage=s2, order=i, key=f"s2-{i}", title=f"Deep {i}") for i in range(1, 4)],
        "deliverables": [ItemFactory(level=junior, kind="deliverable", order=i, key=f"d-{i}") for i in range(1, 3)],
        "question": ItemFactory(level=junior, kind="question", order=1, key="q-1"),
        "latency": KPIFactory(level=junior, slug="latency", name="Latency", unit="ms", direction="lower", target=200),
        "accuracy": KPIFactory(
            level=junior, slug="accuracy", name="Accuracy", unit="percent", direction="higher", target=90
        ),
        "junior_skills": [LevelSkillFactory(level=junior, skill__slug=f"js-{i}") for i in range(2)],
        "mle_skills": [
            LevelSkillFactory(level=mle, skill__slug=f"ms-{i}", skill__name=f"MLE skill {i}") for i in range(3)
        ],
    }


@pytest.fixture
def alice(ladder):
    return UserFactory(email="alice@example.com", current_level=ladder["junior"], target_level=ladder["mle"])


@pytest.fixture
def bob(ladder):
    return UserFactory(email="bob@example.com", current_level=ladder["junior"])
