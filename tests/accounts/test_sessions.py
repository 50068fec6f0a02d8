"""Sessions are read straight from their table (accounts.sessions): signing out, expiry and made-up
cookies must behave exactly as Django's database sessions do."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone


def _copy_of(client) -> Client:
    """Another browser holding the same session cookie (a copied or stolen one)."""
    other = Client()
    other.cookies["sessionid"] = client.cookies["sessionid"].value
    return other


def test_a_session_opens_the_dashboard_until_its_owner_signs_out(client, alice):
    client.force_login(alice)
    copy = _copy_of(client)
    assert copy.get(reverse("progress:dashboard")).status_code == 200
    client.post(reverse("account_logout"))
    assert copy.get(reverse("progress:dashboard")).status_code == 302  # to sign-in: the copy is dead too


def test_an_expired_session_signs_nobody_in(client, alice):
    client.force_login(alice)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("progress:dashboard")).status_code == 302


def test_a_made_up_session_cookie_is_a_visitor(client, alice):
    client.cookies["sessionid"] = "x" * 32
    assert client.get(reverse("progress:dashboard")).status_code == 302
    assert client.get("/").status_code == 200


def test_the_signed_in_user_is_read_afresh_on_every_request(client, alice):
    """The user's query is built once per process (core.statements); the row is read each time."""
    client.force_login(alice)
    assert client.get(reverse("progress:dashboard")).status_code == 200
    get_user_model().objects.filter(pk=alice.pk).update(name="Alice Renamed")
    assert "Alice Renamed" in client.get(reverse("accounts:profile")).content.decode()
    get_user_model().objects.filter(pk=alice.pk).update(is_active=False)
    assert client.get(reverse("progress:dashboard")).status_code == 302  # deactivated: signed out
    get_user_model().objects.filter(pk=alice.pk).update(is_active=True, password="changed elsewhere")
    assert client.get(reverse("progress:dashboard")).status_code == 302  # password changed: signed out


def test_a_user_read_by_id_is_the_one_the_orm_reads(alice):
    User = get_user_model()
    User.objects.filter(pk=alice.pk).update(onboarded_at=timezone.now(), public_sharing=True, public_slug="s" * 20)
    fast, orm = User.objects.get(pk=str(alice.pk)), User._base_manager.get(pk=alice.pk)
    fields = [field.attname for field in User._meta.concrete_fields]
    assert [getattr(fast, f) for f in fields] == [getattr(orm, f) for f in fields]
    assert fast.onboarded_at.tzinfo is not None
    assert fast.public_sharing is True
    assert not fast._state.adding
    assert fast._state.db == "default"
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=alice.pk + 1000)
