"""A learner's whole flow through a typed client generated from the live schema.

`mlcl_client` does not exist in the repository: tests/config/test_api_client.py generates it with
openapi-python-client, type-checks this module against it with mypy, then runs `learner_flow`.
"""

import datetime

from mlcl_client import AuthenticatedClient
from mlcl_client.api.me import (
    me_export_retrieve,
    me_kpi_measurements_create,
    me_kpi_measurements_destroy,
    me_kpi_measurements_partial_update,
    me_kpi_measurements_retrieve,
    me_kpi_measurements_update,
    me_profile_partial_update,
    me_progress_list,
    me_progress_retrieve,
    me_progress_update,
    me_skills_update,
    me_summary_retrieve,
)
from mlcl_client.models import (
    Export,
    ItemProgress,
    ItemProgressInputRequest,
    ItemStatusEnum,
    KPIMeasurement,
    KPIMeasurementRequest,
    KPIMeasurementUpdateRequest,
    PaginatedItemProgressList,
    PatchedKPIMeasurementUpdateRequest,
    PatchedProfileRequest,
    Profile,
    SkillRating,
    SkillRatingInputRequest,
    Summary,
    ValidationError,
)


def learner_flow(base_url: str, token: str, *, level: str, steps: list[str], skills: list[str], kpi: str) -> None:
    client = AuthenticatedClient(base_url=base_url, token=token, prefix="Token")

    profile = me_profile_partial_update.sync(client=client, body=PatchedProfileRequest(current_level=level))
    assert isinstance(profile, Profile), profile
    assert profile.current_level == level

    for key in steps[:3]:
        done = me_progress_update.sync(key, client=client, body=ItemProgressInputRequest(status=ItemStatusEnum.DONE))
        assert isinstance(done, ItemProgress), done
        assert done.status == ItemStatusEnum.DONE
    skipped = me_progress_update.sync(
        steps[3],
        client=client,
        body=ItemProgressInputRequest(
            status=ItemStatusEnum.SKIPPED, note="Covered at university", evidence_url="https://example.org/transcript"
        ),
    )
    assert isinstance(skipped, ItemProgress), skipped
    assert (skipped.note, skipped.evidence_url) == ("Covered at university", "https://example.org/transcript")
    untouched = me_progress_retrieve.sync(steps[4], client=client)
    assert isinstance(untouched, ItemProgress), untouched
    assert untouched.status == ItemStatusEnum.NOT_STARTED

    for slug, rating in zip(skills[:2], (3, 2), strict=True):
        rated = me_skills_update.sync(slug, client=client, body=SkillRatingInputRequest(rating=rating))
        assert isinstance(rated, SkillRating), rated
        assert rated.rating == rating

    created = me_kpi_measurements_create.sync(
        client=client,
        body=KPIMeasurementRequest(kpi=kpi, value=210.5, measured_on=datetime.date.today(), note="nightly eval"),
    )
    assert isinstance(created, KPIMeasurement), created
    patched = me_kpi_measurements_partial_update.sync(
        created.id, client=client, body=PatchedKPIMeasurementUpdateRequest(value=190.0)
    )
    assert isinstance(patched, KPIMeasurement), patched
    assert (patched.value, patched.note) == (190.0, "nightly eval")  # PATCH keeps the note
    replaced = me_kpi_measurements_update.sync(
        created.id,
        client=client,
        body=KPIMeasurementUpdateRequest(value=185.0, measured_on=datetime.date.today()),
    )
    assert isinstance(replaced, KPIMeasurement), replaced
    assert (replaced.value, replaced.note) == (185.0, "")  # PUT replaces: the note left out is cleared
    kept = me_kpi_measurements_create.sync(
        client=client, body=KPIMeasurementRequest(kpi=kpi, value=180, measured_on=datetime.date.today())
    )
    assert isinstance(kept, KPIMeasurement), kept
    assert me_kpi_measurements_destroy.sync_detailed(created.id, client=client).status_code == 204
    assert me_kpi_measurements_retrieve.sync_detailed(created.id, client=client).status_code == 404

    summary = me_summary_retrieve.sync(client=client)
    progress = me_progress_list.sync(client=client, page_size=200)
    assert isinstance(summary, Summary)
    assert isinstance(progress, PaginatedItemProgressList)
    done_keys = {p.item for p in progress.results if p.status == ItemStatusEnum.DONE}
    assert done_keys == set(steps[:3])
    assert summary.progress is not None
    assert summary.progress.overall.done == len(done_keys)
    assert summary.progress.overall.skipped == 1
    assert summary.progress.by_kind.steps.done == 3
    latency = next(status for status in summary.kpis if status.kpi == kpi)
    assert latency.latest is not None
    assert latency.latest.value == 180.0

    export = me_export_retrieve.sync(client=client)
    assert isinstance(export, Export), export
    assert {item.item for item in export.items} == set(steps[:4])
    assert [m.value for m in export.kpi_measurements] == [180.0]

    refused = me_kpi_measurements_create.sync(
        client=client, body=KPIMeasurementRequest(kpi=kpi, value=-5, measured_on=datetime.date.today())
    )
    assert isinstance(refused, ValidationError), refused
    assert "value" in refused.errors.additional_properties
