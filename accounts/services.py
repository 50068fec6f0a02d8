import secrets
from collections.abc import Callable

from django.db import transaction

from accounts.models import ApiToken, User

# What an app above this one must settle before an account goes, run in the deletion's transaction:
# each may raise ValidationError to refuse (mentoring: a team's last lead hands over first). A
# registry, so that accounts/ knows nothing of the apps that use it.
BEFORE_DELETE: list[Callable[[User], None]] = []


def user_delete(*, user: User) -> int:
    """Remove the learner and, through the database's cascades, everything they recorded; returns
    how many rows went."""
    with transaction.atomic():
        for settle in BEFORE_DELETE:
            settle(user)
        return User.objects.filter(pk=user.pk).delete()[0]


def calendar_token_set(*, user: User, enabled: bool) -> str | None:
    """A new private calendar address for the learner (enabled), or none at all; either way the
    address they had answers 404 from now on."""
    user.calendar_token = secrets.token_urlsafe(32) if enabled else None
    User.objects.filter(pk=user.pk).update(calendar_token=user.calendar_token)
    return user.calendar_token


def api_token_create(*, user: User, name: str, scope: str = ApiToken.Scope.WRITE) -> tuple[ApiToken, str]:
    """A new personal API token. Only its hash is stored: the returned string is shown once.
    The user's expired tokens go at the same time."""
    ApiToken.objects.filter(user=user).expired().delete()
    return ApiToken.objects.create(user=user, name=name, scope=scope)


def api_tokens_revoke_all(*, user: User) -> int:
    """After a password reset: whoever reset it may be locking someone else out, tokens included."""
    return ApiToken.objects.filter(user=user).delete()[0]
