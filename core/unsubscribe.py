"""One-click unsubscribe links (RFC 8058) for the mails the app sends on its own: a signed token
names the person, what they unsubscribe from, and the address the mail went to. A new address, or
time, revokes every link sent before; nothing is stored."""

import datetime
import hashlib

from django.contrib.auth import get_user_model
from django.core import signing

# A link unsubscribes for this long (a year of weekly digests).
MAX_AGE = datetime.timedelta(days=365)


def _address_tag(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def make_token(user, salt: str, what: str = "") -> str:
    return signing.dumps([user.pk, _address_tag(user.email), what], salt=salt)


def read_token(token: str, salt: str) -> tuple[object, str] | None:
    """(the person, what) the token was made for, or None for a token not made by us, too old,
    or sent to an address the person no longer has."""
    try:
        pk, tag, *rest = signing.loads(token, salt=salt, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None or _address_tag(user.email) != tag:
        return None
    return user, (rest[0] if rest else "")


def headers(url: str) -> dict[str, str]:
    """The headers that let a mail client offer unsubscribing in one click."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
