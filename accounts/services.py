from django.db import transaction

from accounts.models import ApiToken, User


def user_delete(*, user: User) -> None:
    """Remove the learner and, through the database's cascades, everything they recorded."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).delete()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal API token. Only its hash is stored: the returned string is shown once.
    The user's expired tokens go at the same time."""
    ApiToken.objects.filter(user=user).expired().delete()
    return ApiToken.objects.create(user=user, name=name)


def api_tokens_revoke_all(*, user: User) -> int:
    """After a password reset: whoever reset it may be locking someone else out, tokens included."""
    return ApiToken.objects.filter(user=user).delete()[0]
