from datetime import timedelta

from django.utils import timezone
from knox import auth

from accounts.models import ApiToken

# "Last used" is for a person checking their tokens: minute precision spares a write per request.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenAuthentication(auth.TokenAuthentication):
    """knox's token authentication, also noting when each token was last used."""

    def _cleanup_token(self, auth_token) -> bool:
        """Whether the token has expired (then deleted). knox also reads and purges every other
        token of the user here, a query on each request; expired tokens authenticate nobody
        anyway, and are purged when the user makes a new one (accounts.services)."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False

    def validate_user(self, auth_token):
        user_and_token = super().validate_user(auth_token)
        now = timezone.now()
        if auth_token.last_used_at is None or now - auth_token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=auth_token.pk).update(last_used_at=now)
        return user_and_token
