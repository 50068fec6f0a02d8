"""What moving up pays, guide by guide (issue: career insight, salary gap): the difference at
both ends between two bands of one guide, never a figure made of two guides'."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from roadmap.models import Level
from roadmap.pay import salary_gaps
from tests.factories import LevelFactory, SalaryBandFactory, SourceFactory, UserFactory


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").split())


@pytest.mark.django_db
def test_each_guide_is_compared_with_itself_open_ends_and_missing_bands_said():
    lower, upper = LevelFactory(), LevelFactory()
    a, b, c, d, e = SourceFactory.create_batch(5)
    SalaryBandFactory(level=lower, source=a, min_amount=90_000, max_amount=150_000)
    SalaryBandFactory(level=upper, source=a, min_amount=150_000, max_amount=250_000)
    SalaryBandFactory(level=lower, source=b, min_amount=120_000, max_amount=180_000)
    SalaryBandFactory(level=upper, source=b, min_amount=180_000, max_amount=300_000, open_ended=True)
    SalaryBandFactory(level=upper, source=c, min_amount=300_000, max_amount=None, open_ended=True)
    SalaryBandFactory(level=lower, source=d, min_amount=70_000, max_amount=100_000)
    SalaryBandFactory(level=lower, source=e, min_amount=50_000, max_amount=60_000, currency="EUR")
    SalaryBandFactory(level=upper, source=e, min_amount=70_000, max_amount=90_000, currency="USD")
    gaps = salary_gaps(lower, upper)
    assert [gap.source for gap in gaps] == [a, b, c, d, e]
    assert [(gap.low, gap.high) for gap in gaps] == [
        (60_000, 100_000),
        (60_000, None),
        (None, None),
        (None, None),
        (None, None),
    ]
    assert [gap.label for gap in gaps] == [
        "+$60,000 to +$100,000",
        "+$60,000 at the low end (the top is open-ended)",
        "no figure for the lower level",
        "no figure for the higher level",
        "figures in different currencies",
    ]
    assert [gap.comparable for gap in gaps] == [True, True, False, False, False]


@pytest.mark.django_db
def test_a_lower_figure_is_shown_as_a_cut_not_hidden():
    lower, upper = LevelFactory(), LevelFactory()
    source = SourceFactory()
    SalaryBandFactory(level=lower, source=source, min_amount=130_000, max_amount=157_000)
    SalaryBandFactory(level=upper, source=source, min_amount=120_000, max_amount=180_000)
    assert salary_gaps(lower, upper)[0].label == "−$10,000 to +$23,000"


SEEDED_JUNIOR_TO_MLE = {
    "guide-000": "+$60,000 to +$100,000",
    "guide-001": "+$35,000 to +$27,000",
    "guide-002": "+$40,000 to +$60,000",
    "guide-003": "+$40,000 to +$60,000",
}


@pytest.mark.usefixtures("seeded")
def test_the_level_page_shows_what_the_next_level_pays_per_guide(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        page = client.get(reverse("roadmap:level", args=["junior-ml-engineer"])).content.decode()
    table = page[
        page.index('data-testid="salary-gaps-ml-engineer"') : page.index("</table>", page.index("salary-gaps-ml"))
    ]
    for source, label in SEEDED_JUNIOR_TO_MLE.items():
        row = next(r for r in table.split("<tr>") if f'data-source="{source}"' in r)
        assert label in _words(row), source
    assert "“Average Salary Range”" in table  # the guide's own label
    top = client.get(reverse("roadmap:level", args=["director-of-ai-engineering"])).content.decode()
    assert "Moving up to" not in top


@pytest.mark.usefixtures("seeded")
def test_the_dashboard_says_in_one_line_what_moving_up_pays_and_the_api_gives_it(client):
    learner = UserFactory(current_level=Level.objects.get(slug="junior-ml-engineer"))
    learner.target_level = Level.objects.get(slug="senior-ml-engineer")
    learner.save()
    client.force_login(learner)
    page = client.get(reverse("progress:dashboard")).content.decode()
    line = _words(re.search(r'<div class="small pay-rise" data-testid="pay-rise">(.*?)</div>', page, re.S).group(1))
    assert line.startswith("It pays more, by guide")
    for label in SEEDED_JUNIOR_TO_MLE.values():
        assert label in line
    assert 'data-testid="salary-gaps-senior-ml-engineer"' in page  # the target level too

    api = APIClient()
    api.force_authenticate(learner)
    gaps = api.get("/api/v1/me/summary/").json()["salary_gaps"]
    assert [entry["level"] for entry in gaps] == ["ml-engineer", "senior-ml-engineer"]
    first = {row["source"]: row for row in gaps[0]["guides"]}
    assert (first["guide-000"]["low_difference"], first["guide-000"]["high_difference"]) == (60_000, 100_000)
    assert first["guide-000"]["lower"]["min_amount"] == 90_000
    senior = {row["source"]: row for row in gaps[1]["guides"]}
    assert senior["guide-000"]["high_difference"] is None  # "$300,000+": the top is open
    exported = api.get("/api/v1/me/export/").json()["insight"]["salary_gaps"]
    in_export = {(row["level"], row["source"]): row for row in exported}
    assert in_export[("ml-engineer", "guide-000")]["low_difference"] == 60_000  # the same figures
    assert in_export[("senior-ml-engineer", "guide-000")]["high_difference"] is None


@pytest.mark.usefixtures("seeded")
def test_no_line_without_a_next_level(client):
    learner = UserFactory(current_level=Level.objects.get(slug="director-of-ai-engineering"))
    client.force_login(learner)
    assert 'data-testid="pay-rise"' not in client.get(reverse("progress:dashboard")).content.decode()
