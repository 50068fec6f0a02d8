import binascii
from datetime import timedelta
from hmac import compare_digest

from django.utils import timezone
from knox import auth
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions, permissions

from accounts.models import ApiToken
from core.statements import InstanceStatement

# "Last used" is for a person checking their tokens: minute precision spares a write per request.
LAST_USED_PRECISION = timedelta(minutes=1)
# Every API request reads its token and user: one statement built once (core.statements).
_TOKENS = InstanceStatement(ApiToken, lambda key: ApiToken._base_manager.filter(token_key=key), str, related="user")
INVALID = "Invalid token."
EXPIRED = "This token has expired. Make a new one on your API tokens page."


class TokenAuthentication(auth.TokenAuthentication):
    """knox's token authentication, reading only the token presented (knox also read and purged
    every other token of the user, a query on each request), telling an expired token from an
    invalid one (`token_expired` / `token_invalid`), and noting when each token was last used.

    "Expired" is said only to whoever holds the whole token: the digest is compared first, so a
    guessed key prefix learns nothing. Expired tokens stay (they authenticate nobody, and say
    so) until the user makes a new token, which purges them (accounts.services)."""

    def authenticate_credentials(self, token):
        token = token.decode("utf-8")
        for auth_token in _TOKENS.instances(token[: CONSTANTS.TOKEN_KEY_LENGTH]):
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(INVALID, code="token_invalid") from None
            if compare_digest(digest, auth_token.digest):
                if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                    raise exceptions.AuthenticationFailed(EXPIRED, code="token_expired")
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(INVALID, code="token_invalid")

    def validate_user(self, auth_token):
        user_and_token = super().validate_user(auth_token)
        now = timezone.now()
        if auth_token.last_used_at is None or now - auth_token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=auth_token.pk).update(last_used_at=now)
        return user_and_token


class TokenScope(permissions.BasePermission):
    """A read-only token reads: any other method is a 403 saying so. A session, or a read-and-write
    token, is not limited here."""

    message = "This token is read-only. Make a read-and-write token on your API tokens page to change data."
    code = "token_read_only"

    def has_permission(self, request, view):
        token = request.auth
        return (
            not isinstance(token, ApiToken)
            or token.scope == ApiToken.Scope.WRITE
            or request.method in permissions.SAFE_METHODS
        )
