"""Sessions are read straight from their table (accounts.sessions): signing out, expiry and made-up
cookies must behave exactly as Django's database sessions do."""

import datetime

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
