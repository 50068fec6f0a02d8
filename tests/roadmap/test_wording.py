"""Whose words every text is in (issue: content fidelity v3). Quoted: a guide's own words, under
its badge; summarised: our words for what a guide says, "in our words, from <guide>"; ours: no
guide says it. The seed fixture is checked against the guides' own text (fixtures/guides/), and
every public page and content endpoint is crawled for a text without a mark."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from roadmap.models import Level, Stage, Wording
from tests.roadmap.conftest import CONTENT_ENDPOINTS

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "roadmap.json"
GUIDES = Path(settings.BASE_DIR) / "fixtures" / "guides"


def normalised(text: str) -> str:
    """Words only, lower case: a quote may drop a guide's list bullets, a trailing colon or its
    typography (’ and ', & and "and"), never change or add a word. Words run together in the
    guides' tables ("System8–12") are parted first."""
    text = re.sub(r"([a-z])([A-Z0-9])", r"\1 \2", text).lower().replace("’", "'").replace("&", " and ")
    return " " + " ".join(re.findall(r"[a-z0-9]+", text)) + " "


GUIDE_TEXT = {f"guide-{path.stem[-3:]}": normalised(path.read_text()) for path in sorted(GUIDES.glob("guide-*.txt"))}
ROWS = json.loads(FIXTURE.read_text())

# (model, text field, wording field, source field): every piece of prose in the seed content.
PROSE = [
    ("leveltext", "text", "wording", "source"),
    ("tip", "text", "wording", "source"),
    ("rolearea", "description", "wording", "source"),
    ("stage", "summary", "summary_wording", "source"),
    ("item", "description", "description_wording", "description_source"),
    ("skill", "description", "description_wording", "description_source"),
    ("specialization", "description", "description_wording", "description_source"),
    ("kpi", "description", "description_wording", "description_source"),
]


def _rows(model: str) -> list[dict]:
    return [row["fields"] for row in ROWS if row["model"] == f"roadmap.{model}"]


def _key(value) -> str | None:
    return value[0] if value else None


def test_the_guides_text_is_in_the_repository():
    assert set(GUIDE_TEXT) == {"guide-000", "guide-001", "guide-002", "guide-003"}
    assert all(len(text) > 4000 for text in GUIDE_TEXT.values())
    assert {row["key"] for row in _rows("source")} == set(GUIDE_TEXT)


@pytest.mark.parametrize(("model", "text", "wording", "source"), PROSE)
def test_every_text_row_has_one_wording_and_a_source_unless_ours(model, text, wording, source):
    rows = [row for row in _rows(model) if row[text]]
    assert rows
    for row in rows:
        assert row[wording] in Wording.values, row
        assert (row[wording] == Wording.OURS) == (_key(row[source]) is None), row[text]


@pytest.mark.parametrize(("model", "text", "wording", "source"), PROSE)
def test_a_quoted_text_has_no_word_its_guide_does_not(model, text, wording, source):
    quoted = [row for row in _rows(model) if row[text] and row[wording] == Wording.QUOTED]
    for row in quoted:
        assert normalised(row[text]) in GUIDE_TEXT[_key(row[source])], f"{_key(row[source])} does not say: {row[text]}"


def test_names_and_titles_shown_as_a_guides_are_its_words():
    """Badges without "in our words" (item titles, KPI names, track modules, role areas' titles and
    entries, salary labels, quoted skill and specialization names) say the guide wrote them."""
    stage_source = {row["slug"]: _key(row["source"]) for row in _rows("stage")}
    track_stage = {(row["stage"][0], row["letter"]): row["stage"][0] for row in _rows("track")}
    shown = [
        *((_key(row["source"]), row["title"]) for row in _rows("item")),
        *((_key(row["source"]), row["name"]) for row in _rows("kpi")),
        *((stage_source[track_stage[tuple(row["track"][:2])]], row["title"]) for row in _rows("trackmodule")),
        *(
            (_key(row["source"]), line)
            for row in _rows("rolearea")
            for line in [row["title"], *row["entries"].splitlines()]
        ),
        *((row["key"], row["salary_label"]) for row in _rows("source")),
        *(
            (source[0], row["name"])
            for model in ("skill", "specialization")
            for row in _rows(model)
            if row["name_wording"] == Wording.QUOTED
            for source in row["sources"]
        ),
    ]
    checked = [(source, words) for source, words in shown if source and words.strip()]
    assert len(checked) > 150
    for source, words in checked:
        assert normalised(words) in GUIDE_TEXT[source], f"{source} does not say: {words}"


def test_a_name_several_guides_give_is_credited_to_each_and_merged_spellings_are_ours():
    for model in ("skill", "specialization"):
        for row in _rows(model):
            sources = [source[0] for source in row["sources"]]
            says = [normalised(row["name"]) in GUIDE_TEXT[source] for source in sources]
            expected = Wording.OURS if not sources else Wording.QUOTED if all(says) else Wording.SUMMARISED
            assert row["name_wording"] == expected, row["name"]


@pytest.mark.parametrize(
    ("slug", "sources"),
    [
        ("linear-algebra-statistics", ["guide-002", "guide-003"]),
        ("supervised-and-unsupervised-learning", ["guide-001", "guide-003"]),
        ("reinforcement-learning", ["guide-000", "guide-003"]),
        ("feature-engineering", ["guide-002", "guide-003"]),
        ("model-evaluation-and-metrics", ["guide-001", "guide-003"]),
        ("hyperparameter-tuning", ["guide-001", "guide-003"]),
        ("neural-networks", ["guide-003"]),
        ("transformers", ["guide-003"]),
        ("large-language-models", ["guide-000", "guide-003"]),
        ("model-monitoring-tools", ["guide-003"]),
        ("model-monitoring-and-drift-detection", ["guide-001"]),
    ],
)
def test_skills_are_credited_to_every_guide_that_names_them(slug, sources):
    row = next(row for row in _rows("skill") if row["slug"] == slug)
    assert [source[0] for source in row["sources"]] == sources


def test_counts_per_guide_match_the_readme():
    """The README's table of texts per guide and wording is this fixture's."""
    counts: dict[tuple[str, str], int] = {}
    for model, text, wording, source in PROSE:
        for row in _rows(model):
            if row[text]:
                key = (_key(row[source]) or "ours", row[wording])
                counts[key] = counts.get(key, 0) + 1
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    table = readme[readme.index("| Texts by guide") :].split("\n\n")[0]
    for guide in (*GUIDE_TEXT, "ours"):
        line = next(line for line in table.splitlines() if line.startswith(f"| {guide} "))
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert cells[1:4] == [str(counts.get((guide, w), 0)) for w in Wording.values], line


# --- every public page and content endpoint, crawled ----------------------------------------------


class _Tree(HTMLParser):
    """The page as nested elements: enough to ask where a piece of text sits."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "path", "circle", "rect"}

    def __init__(self):
        super().__init__()
        self.root = {"tag": "root", "attrs": {}, "children": [], "parent": None}
        self.node = self.root

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "children": [], "parent": self.node}
        self.node["children"].append(element)
        if tag not in self.VOID:
            self.node = element

    def handle_startendtag(self, tag, attrs):
        self.node["children"].append({"tag": tag, "attrs": dict(attrs), "children": [], "parent": self.node})

    def handle_endtag(self, tag):
        node = self.node
        while node is not self.root and node["tag"] != tag:
            node = node["parent"]
        if node is not self.root:
            self.node = node["parent"]

    def handle_data(self, data):
        if data.strip():
            self.node["children"].append(data)


# Where text is navigation, a label or the interface, not content: headings and links name what
# they lead to; `ui-note` marks a sentence about the page itself ("No guide says...").
NOT_CONTENT = {
    "nav",
    "form",
    "button",
    "script",
    "style",
    "svg",
    "h1",
    "h2",
    "h3",
    "h4",
    "summary",
    "a",
    "th",
    "dt",
    "label",
    "header",
    "footer",
}
BLOCKS = {"p", "li", "dd", "td", "blockquote", "caption", "figcaption"}


def _classes(node) -> set[str]:
    return set((node["attrs"].get("class") or "").split())


def _has_mark(node) -> bool:
    return any(
        isinstance(child, dict)
        and (("badge" in _classes(child) and child["attrs"].get("data-wording")) or _has_mark(child))
        for child in node["children"]
    )


def _unmarked(html: str) -> list[str]:
    tree = _Tree()
    tree.feed(html)
    main = _find(tree.root, "main")
    assert main, "no <main>"
    found: list[str] = []

    def walk(node, block, covered):
        for child in node["children"]:
            if isinstance(child, str):
                if block is not None and not covered and not _has_mark(block):
                    found.append(" ".join(child.split()))
                continue
            classes = _classes(child)
            if child["tag"] in NOT_CONTENT or classes & {"ui-note", "visually-hidden", "tooltip", "badge"}:
                continue
            walk(
                child,
                child if child["tag"] in BLOCKS else block,
                covered or bool(child["attrs"].get("data-wording")),
            )

    walk(main, None, False)
    return found


def _find(node, tag):
    for child in node["children"]:
        if isinstance(child, dict):
            if child["tag"] == tag:
                return child
            found = _find(child, tag)
            if found:
                return found
    return None


def _public_pages() -> list[str]:
    return [
        reverse("roadmap:ladder"),
        *(reverse("roadmap:level", args=[level.slug]) for level in Level.objects.all()),
        reverse("roadmap:roadmap"),
        *(reverse("roadmap:stage", args=[stage.slug]) for stage in Stage.objects.all()),
        *(reverse(f"roadmap:{name}") for name in ("projects", "certifications", "specializations", "role", "sources")),
    ]


@pytest.mark.usefixtures("seeded")
def test_no_text_on_a_public_page_is_without_a_provenance_mark(client):
    pages = _public_pages()
    assert len(pages) == 18
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _unmarked(response.content.decode()) == [], url


def test_the_crawler_finds_a_text_without_a_mark():
    page = "<main><p>Ours, unmarked.</p><p class='fact'>Marked <a class='badge' data-wording='ours'>ours</a></p></main>"
    assert _unmarked(page) == ["Ours, unmarked."]


# Prose keys and, for each, where its wording and source are: `<key>_wording` or `wording`,
# `<key>_source` or `source` (a source's own `note` is our record of the guide itself).
PROSE_KEYS = {"text", "summary", "description"}


def _unsourced(value, path="") -> list[str]:
    found = []
    if isinstance(value, list):
        for i, child in enumerate(value):
            found += _unsourced(child, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, child in value.items():
            if key in PROSE_KEYS and isinstance(child, str) and child:
                wording = value.get(f"{key}_wording", value.get("wording"))
                source = value.get(f"{key}_source", value.get("source"))
                if wording not in Wording.values or (wording != Wording.OURS) != (source is not None):
                    found.append(f"{path}.{key}")
            for list_key in ("entries", "modules"):
                if value.get(list_key) and "source" not in value:
                    found.append(f"{path}.{list_key}")
            found += _unsourced(child, f"{path}.{key}")
    return found


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("endpoint", CONTENT_ENDPOINTS)
def test_every_text_the_content_api_returns_carries_its_wording_and_source(client, endpoint):
    body = client.get(f"/api/v1/{endpoint}/?page_size=200").json()
    assert body["results"]
    assert _unsourced(body["results"]) == []
    if endpoint == "levels":
        assert {level["years_wording"] for level in body["results"]} == {"ours"}
        assert not {"summary", "focus", "how_to_advance"} & set(body["results"][0])


@pytest.mark.usefixtures("seeded")
def test_salary_notes_and_tips_are_in_the_api_with_their_guide(client):
    tips = client.get("/api/v1/tips/?topic=salary").json()["results"]
    by_key = {tip["key"]: tip for tip in tips}
    assert by_key["largest-tech-companies-pay-more"]["source"] == "guide-000"
    assert (
        "FAANG companies (Facebook, Amazon, Apple, Netflix, Google)"
        in by_key["largest-tech-companies-pay-more"]["text"]
    )
    assert (by_key["why-salary-bands-differ"]["source"], by_key["why-salary-bands-differ"]["wording"]) == (None, "ours")
    stage = client.get("/api/v1/tips/?stage=mlops-deployment-and-monitoring").json()["results"]
    assert {tip["source"] for tip in stage} == {"guide-001", "guide-003"}


# --- what was missing, where a reader looks for it -----------------------------------------------


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    ("url_name", "text", "source"),
    [
        ("roadmap:role", "designs, builds, and deploys AI systems that adapt and improve from data", "guide-000"),
        ("roadmap:role", "turn data into intelligence at scale", "guide-001"),
        ("roadmap:role", "Build AI/ML systems that learn from data and make predictions at scale.", "guide-002"),
        ("roadmap:role", "is a specialized software engineer who designs, develops, trains, tests", "guide-003"),
        ("roadmap:role", "Think of data scientists as insight creators and MLEs as solution implementers", "guide-000"),
        ("roadmap:role", "You build models in notebooks and want to ship them", "guide-001"),
        ("roadmap:role", "Voice assistants", "guide-003"),
        ("roadmap:certifications", "combine certifications with practical projects", "guide-003"),
        ("roadmap:projects", "Employers value practical experience more than certificates alone.", "guide-003"),
        ("roadmap:ladder", "Career progression depends on technical expertise, leadership abilities", "guide-003"),
        ("roadmap:ladder", "Compensation grows as you progress", "guide-001"),
        (
            "roadmap:roadmap",
            "Engineers must balance theoretical understanding with practical implementation.",
            "guide-003",
        ),
        ("roadmap:roadmap", "Competition for top positions can be intense", "guide-003"),
    ],
)
def test_the_missing_facts_are_on_the_page_a_reader_looks_at_under_their_guide(client, url_name, text, source):
    html = client.get(reverse(url_name)).content.decode()
    assert text in html.replace("&#x27;", "'")
    tree = _Tree()
    tree.feed(html)
    holders = []

    def walk(node, marks):
        for child in node["children"]:
            if isinstance(child, str):
                if text in child:
                    holders.append(marks)
            else:
                here = child["attrs"].get("data-source")
                own = [
                    grand["attrs"].get("data-source")
                    for grand in child["children"]
                    if isinstance(grand, dict) and "badge" in _classes(grand)
                ]
                walk(child, [*marks, *([here] if here else []), *own])

    walk(tree.root, [])
    assert holders, text
    assert all(source in marks for marks in holders), (text, holders)


@pytest.mark.usefixtures("seeded")
def test_a_summary_says_in_our_words_and_a_quote_does_not(client):
    page = client.get(reverse("roadmap:level", args=["lead-ml-engineer"])).content.decode()
    summarised = re.search(
        r'<a class="badge badge-source badge-summarised"[^>]*data-source="guide-003"[^>]*>(.*?)</a>', page, re.S
    )
    assert summarised
    assert "in our words" in summarised.group(1)
    junior = client.get(reverse("roadmap:level", args=["junior-ml-engineer"])).content.decode()
    quote = re.search(
        r"Train basic models, clean datasets, learn ML fundamentals\. "
        r'<a class="badge badge-source badge-quoted"[^>]*data-source="guide-002"[^>]*>(.*?)</a>',
        junior,
        re.S,
    )
    assert quote
    assert "in our words" not in quote.group(1)
    assert "quoted" in quote.group(1)
