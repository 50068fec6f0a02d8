"""Every fact of the four guides on its public page with its source beside it, and nothing of
ours under a guide's badge (issue: content provenance v2). Runs on the real seed content."""

import html
import re

import pytest
from django.urls import reverse

from roadmap.models import KPI, Level, LevelText, Source, Tip

pytestmark = pytest.mark.usefixtures("seeded")

BADGE = {"guide-000": "Interview Kickstart 2025", "guide-001": "Job-Ready Roadmap (data Mar 2026)"}
FACT = re.compile(r'<(li|p) class="[^"]*\bfact\b[^"]*"[^>]*>(.*?)</\1>', re.S)
TOOLTIP = re.compile(r'<span class="tooltip">.*?</span></a>', re.S)


def _facts(client, url: str) -> list[tuple[str, list[str]]]:
    """(text, sources) of every fact on the page: its words without the badges' tooltips, and
    the data-source of each badge in it ("guide-001", "ours")."""
    page = client.get(url)
    assert page.status_code == 200, url
    facts = []
    for _, inner in FACT.findall(page.content.decode()):
        words = html.unescape(re.sub(r"<[^>]+>", "", TOOLTIP.sub("</a>", inner)))
        facts.append((" ".join(words.split()), re.findall(r'data-source="([^"]+)"', inner)))
    return facts


def _sources_of(client, url: str, text: str) -> list[str]:
    """The badges beside `text` on the page (the first fact that holds it)."""
    found = [sources for words, sources in _facts(client, url) if text in words]
    assert found, f"{text!r} is not a fact on {url}"
    return found[0]


def _level(slug: str) -> str:
    return reverse("roadmap:level", args=[slug])


# --- the facts that were missing --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Model Development Train ML models using structured and unstructured data", "guide-001"),
        ("Pipeline Engineering Build robust data & training pipelines", "guide-001"),
        ("Model Deployment Package and ship models to production using the cloud", "guide-001"),
        ("Cross-Functional Collaboration Partner with data scientists and product managers", "guide-001"),
        ("Data Collection and Preparation", "guide-003"),
        ("Data validation", "guide-003"),
        ("Pipeline automation", "guide-003"),
        ("Performance Monitoring", "guide-003"),
        ("Resource utilization", "guide-003"),
        ("System availability", "guide-003"),
        ("Collaboration Strong communication skills are often just as important", "guide-003"),
        ("monitoring deployed models to check for performance drift", "guide-000"),
        ("coding, data analysis, and collaborative meetings with product managers, UX designers", "guide-000"),
        ("Machine Learning Scientist", "guide-000"),
        ("Machine Learning Manager", "guide-000"),
        ("Machine Learning Architect", "guide-000"),
    ],
)
def test_what_ml_engineers_do_shows_each_guides_areas_under_that_guide(client, text, source):
    page = client.get(reverse("roadmap:role")).content.decode()
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    cards = re.findall(r'<div class="card">.*?</ul>\s*</div>', page, re.S)
    holding = [card for card in cards if text in " ".join(html.unescape(re.sub(r"<[^>]+>", " ", card)).split())]
    assert text in words
    assert holding, text
    assert all(f'data-source="{source}"' in card for card in holding), text
    assert all(re.findall(r"<h3[^>]*>.*?</h3>", card, re.S)[0].count("data-source") == 1 for card in holding)


def test_the_architect_role_of_guide_000_is_credited_on_the_architect_level(client):
    assert _sources_of(client, _level("ml-ai-architect"), "Machine Learning Architect") == ["guide-000"]
    role = client.get(reverse("roadmap:role")).content.decode()
    assert f'href="{_level("ml-ai-architect")}"' in role


PLACED_BY_US = {"Optimization techniques", "Convolutional neural networks", "Recurrent neural networks"}


@pytest.mark.parametrize(
    ("slug", "skill", "sources"),
    [
        ("junior-ml-engineer", "Optimization techniques", ["guide-003"]),
        ("ml-engineer", "Convolutional neural networks", ["guide-003"]),
        ("ml-engineer", "Recurrent neural networks", ["guide-003"]),
        ("junior-ml-engineer", "Python", ["guide-000", "guide-002", "guide-003"]),
        ("ml-engineer", "TensorFlow/PyTorch", ["guide-000", "guide-002", "guide-003"]),
        ("junior-ml-engineer", "Scikit-learn", ["guide-002", "guide-003"]),
    ],
)
def test_skills_are_credited_to_every_guide_naming_them(client, slug, skill, sources):
    row = [
        (w, s)
        for w, s in _facts(client, _level(slug))
        if re.match(rf"(Learn|Master) {re.escape(skill)} (quoted|in our words):? ", w)
    ]
    assert len(row) == 1, skill
    words, found = row[0]
    assert [s for s in found if s != "ours"] == sources
    # A skill a guide names without a level is placed by us, and says so with the ours marker.
    assert ("placed here by us" in words) == ("ours" in found) == (skill in PLACED_BY_US)


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "these numbers often trend higher, especially for engineers with expertise in high-demand subfields",
            "guide-000",
        ),
        ("generative AI, cloud infrastructure, and MLOps frequently command premium salaries", "guide-003"),
        ("Glassdoor (Mar 2026, 700+ submissions)", "guide-001"),
        ("The guides' bands differ because", "ours"),
    ],
)
def test_salary_notes_sit_beside_the_salary_tables_with_their_source(client, text, source):
    for url in (reverse("roadmap:ladder"), _level("senior-ml-engineer")):
        assert _sources_of(client, url, text) == [source]


def test_the_keep_learning_tip_of_guide_003_is_on_the_roadmap(client):
    assert _sources_of(client, reverse("roadmap:roadmap"), "embrace lifelong learning") == ["guide-003"]


def test_ladder_cards_give_years_per_source(client):
    page = client.get(reverse("roadmap:ladder")).content.decode()
    start = page.index('<h3><a href="/levels/ml-ai-architect/">')
    card = page[start : page.index("</li>", start)]
    assert re.search(r"<strong>8\+ years</strong> <a [^>]*data-source=\"guide-002\"", card)
    assert re.search(r"<strong>10\+ years</strong> <a [^>]*data-source=\"guide-003\"", card)


def test_a_level_no_guide_pays_says_so_instead_of_an_empty_table(client):
    page = client.get(_level("director-of-ai-engineering")).content.decode()
    pay = page[page.index('id="pay"') : page.index('id="skills"')]
    assert "No guide gives a salary figure for this level." in pay
    assert "<table" not in pay


# --- every text with its source, nothing of ours under a guide's name ----------------------------


LEVELS = [
    "junior-ml-engineer",
    "ml-engineer",
    "senior-ml-engineer",
    "lead-ml-engineer",
    "ml-ai-architect",
    "director-of-ai-engineering",
]


@pytest.mark.parametrize("slug", LEVELS)
def test_every_text_on_a_level_page_has_a_source_or_the_ours_marker(client, slug):
    facts = _facts(client, _level(slug))
    assert all(sources for _, sources in facts), [words for words, sources in facts if not sources]
    items = re.findall(r'<li class="item" id="item-[^"]+">(.*?)</li>', client.get(_level(slug)).content.decode(), re.S)
    assert items
    assert all('data-source="' in item for item in items)  # every item card names its guide or ours
    level = Level.objects.get(slug=slug)
    shown = [
        *((t.text, t.source) for t in LevelText.objects.filter(level=level).select_related("source")),
        *((k.description, k.description_source) for k in KPI.objects.filter(level=level).exclude(description="")),
        *((t.text, t.source) for t in Tip.objects.filter(level=level)),
        *((t.text, t.source) for t in Tip.objects.filter(topic=Tip.Topic.SALARY) if level.salary_bands.exists()),
    ]
    assert len(shown) > 3
    for text, source in shown:
        assert _sources_of(client, _level(slug), " ".join(text.split())) == [source.key if source else "ours"], text


def test_our_stage_mapping_is_marked_ours_not_under_the_guides_badge(client):
    page = client.get(reverse("roadmap:stage", args=["python-math-and-ml-foundations"])).content.decode()
    mapping = re.search(r'<span class="fact" data-testid="stage-mapping">(.*?)</span>\s*</p>', page, re.S).group(1)
    assert "Prepares for" in mapping
    assert re.findall(r'data-source="([^"]+)"', mapping) == ["ours"]
    assert 'data-source="guide-001"' in page[: page.index('data-testid="stage-mapping"')]  # the stage itself


@pytest.mark.parametrize(
    ("url_name", "text"),
    [
        ("roadmap:projects", "For Junior ML Engineer"),
        ("roadmap:projects", "Flag fraudulent transactions from imbalanced data."),
        ("roadmap:certifications", "For ML Engineer"),
        ("roadmap:certifications", "Issued by Google Cloud"),
        ("roadmap:specializations", "Ranking and recommending content or products for each user."),
        ("roadmap:specializations", "Predicting future values from data ordered in time."),
    ],
)
def test_our_placements_descriptions_and_issuers_are_marked_ours(client, url_name, text):
    assert _sources_of(client, reverse(url_name), text) == ["ours"]


def test_texts_of_ours_never_carry_a_guides_badge(client):
    for level in Level.objects.all():
        facts = _facts(client, _level(level.slug))
        for text in LevelText.objects.filter(level=level, source__isnull=True):
            assert _sources_of(client, _level(level.slug), text.text) == ["ours"], text.text
        assert facts


def test_badges_name_publisher_and_year_with_the_full_title_for_screen_readers_and_on_hover(client):
    page = client.get(_level("junior-ml-engineer")).content.decode()
    source = Source.objects.get(key="guide-000")
    assert source.badge == BADGE["guide-000"]
    badge = re.search(
        r'<a class="badge badge-source[^"]*" href="/sources/#guide-000"[^>]*>(.*?)</a>', page, re.S
    ).group(1)
    assert (
        re.sub(r"<[^>]+>", "", badge)
        .strip()
        .startswith(("quoted: Interview Kickstart 2025", "in our words Interview Kickstart 2025"))
    )
    assert source.title in html.unescape(badge)  # the tooltip is part of the link's accessible name
    sources = client.get(reverse("roadmap:sources")).content.decode()
    assert f'id="{source.key}"' in sources
    assert html.escape(source.title) in sources
    assert 'id="ours"' in sources


def test_the_api_returns_each_texts_source(client):
    level = client.get("/api/v1/levels/senior-ml-engineer/").json()
    advance = [t for t in level["texts"] if t["section"] == "advance"]
    assert [(t["source"], t["wording"]) for t in advance] == [("guide-002", "quoted"), (None, "ours")]
    assert advance[0]["text"].startswith("To advance from Senior ML Engineer to ML Architect / Head of AI")
    python = next(
        s for s in client.get("/api/v1/levels/junior-ml-engineer/").json()["skills"] if s["skill"] == "python"
    )
    assert python["named_by"] == ["guide-000", "guide-002", "guide-003"]
    stage = client.get("/api/v1/stages/python-math-and-ml-foundations/").json()
    assert (stage["source"], stage["level_source"]) == ("guide-001", None)
    project = client.get("/api/v1/projects/junior-ml-engineer-project-fraud-detection-system/").json()
    assert (project["source"], project["description_source"], project["level_source"]) == ("guide-003", None, None)
    areas = client.get("/api/v1/role-areas/").json()["results"]
    assert {a["source"] for a in areas} == {"guide-000", "guide-001", "guide-002", "guide-003"}
    assert client.get("/api/v1/sources/guide-000/").json()["badge"] == "Interview Kickstart 2025"
