from datetime import timedelta

from django.utils import timezone
from knox import auth

from accounts.models import ApiToken

# "Last used" is for a person checking their tokens: minute precision spares a write per request.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenAuthentication(auth.TokenAuthentication):
    """knox's token authentication, also noting when each token was last used."""

    def validate_user(self, auth_token):
        user_and_token = super().validate_user(auth_token)
        now = timezone.now()
        if auth_token.last_used_at is None or now - auth_token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=auth_token.pk).update(last_used_at=now)
        return user_and_token
