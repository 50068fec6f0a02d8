import csv
import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from progress.models import ItemProgress, KPIMeasurement, SkillRating, SkillRatingChange
from tests.factories import (
    PASSWORD,
    ItemFactory,
    ItemProgressFactory,
    KPIMeasurementFactory,
    SkillRatingFactory,
    UserFactory,
)

User = get_user_model()


@pytest.fixture
def alice(db):
    user = UserFactory(email="alice@example.com")
    item = ItemFactory(title="Alice's item")
    ItemProgressFactory(user=user, item=item, note="alice's private note", evidence_url="https://example.com/alice")
    SkillRatingFactory(user=user, rating=3)
    SkillRatingChange.objects.create(user=user, skill=user.skill_ratings.get().skill, rating=3)
    KPIMeasurementFactory(user=user, note="alice's latency")
    return user


@pytest.fixture
def bob(db):
    user = UserFactory(email="bob@example.com")
    ItemProgressFactory(user=user, note="bob's private note")
    SkillRatingFactory(user=user)
    KPIMeasurementFactory(user=user, note="bob's latency")
    return user


def test_json_export_holds_everything_alice_recorded_and_nothing_of_bobs(client, alice, bob):
    client.force_login(alice)
    response = client.get(reverse("progress:export_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ml-career-ladder-data-')
    data = response.json()
    assert data["profile"]["email"] == "alice@example.com"
    assert [i["note"] for i in data["items"]] == ["alice's private note"]
    assert [m["note"] for m in data["kpi_measurements"]] == ["alice's latency"]
    assert len(data["skill_ratings"]) == 1
    assert len(data["skill_rating_history"]) == 1
    assert "bob" not in response.content.decode()


def test_csv_export_has_one_row_per_tracked_item_and_only_alices(client, alice, bob):
    ItemProgressFactory(user=alice, note="=HYPERLINK('http://evil')")
    client.force_login(alice)
    response = client.get(reverse("progress:export_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    assert {r["note"] for r in rows} == {"alice's private note", "'=HYPERLINK('http://evil')"}
    assert "bob" not in response.content.decode()


def test_export_needs_sign_in(client, db):
    assert client.get(reverse("progress:export_json")).status_code == 302
    assert client.get(reverse("progress:export_csv")).status_code == 302


def _owned_counts(user):
    return (
        ItemProgress.objects.filter(user=user).count(),
        SkillRating.objects.filter(user=user).count(),
        SkillRatingChange.objects.filter(user=user).count(),
        KPIMeasurement.objects.filter(user=user).count(),
        EmailAddress.objects.filter(user=user).count(),
    )


def test_deleting_the_account_removes_every_row_alice_owned_and_nothing_of_bobs(client, alice, bob):
    bobs_before = _owned_counts(bob)
    alice_pk = alice.pk
    client.force_login(alice)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=alice_pk).exists()
    assert _owned_counts(alice) == (0, 0, 0, 0, 0)
    assert _owned_counts(bob) == bobs_before
    # Alice is signed out.
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.parametrize(
    "data", [{"password": "wrong", "confirm": "on"}, {"password": PASSWORD}], ids=["wrong-password", "unconfirmed"]
)
def test_deletion_without_confirmation_deletes_nothing(client, alice, data):
    before = _owned_counts(alice)
    client.force_login(alice)
    response = client.post(reverse("accounts:delete"), data)
    assert response.status_code == 200
    assert User.objects.filter(pk=alice.pk).exists()
    assert _owned_counts(alice) == before


def test_sharing_gives_an_unguessable_link_and_turning_it_off_makes_it_404(client, alice):
    client.force_login(alice)
    assert alice.public_slug is None
    client.post(reverse("accounts:sharing"), {"public_sharing": "on"})
    alice.refresh_from_db()
    link = alice.get_public_url()
    assert len(alice.public_slug) >= 20

    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert "alice@example.com" not in page.content.decode()
    assert "alice's private note" not in page.content.decode()

    client.force_login(alice)
    client.post(reverse("accounts:sharing"), {})
    client.logout()
    assert client.get(link).status_code == 404

    client.force_login(alice)
    client.post(reverse("accounts:sharing"), {"public_sharing": "on"})
    alice.refresh_from_db()
    assert alice.get_public_url() != link
    assert client.get(link).status_code == 404


def test_sharing_is_off_by_default(alice, client):
    assert not alice.public_sharing
    assert client.get(reverse("progress:public", args=["guess"])).status_code == 404
