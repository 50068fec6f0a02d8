"""Pages and API answers come compressed to a client that accepts it, and as they are otherwise."""

import gzip
import json

from django.urls import reverse


def test_a_page_is_gzipped_when_the_browser_accepts_it(client, seeded):
    plain = client.get(reverse("roadmap:ladder"))
    packed = client.get(reverse("roadmap:ladder"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert len(packed.content) < len(plain.content) / 3
    page = gzip.decompress(packed.content)
    assert len(page) == len(plain.content)  # the same page (its nonces differ, not their length)
    assert page.lower().startswith(b"<!doctype html>")


def test_an_api_answer_is_gzipped_when_the_client_accepts_it(client, seeded):
    packed = client.get("/api/v1/levels/", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(packed.content))["results"]
