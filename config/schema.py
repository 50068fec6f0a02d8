"""The OpenAPI schema documents the error body of config/api.py on every operation."""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    "Error",
    {"detail": serializers.CharField(), "code": serializers.CharField()},
)
ValidationErrorSerializer = inline_serializer(
    "ValidationError",
    {
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    },
)


class ApiTokenScheme(KnoxTokenScheme):
    """Our token authentication is knox's, documented the same way."""

    target_class = "accounts.api.auth.TokenAuthentication"


class AutoSchema(SpectacularAutoSchema):
    """Documents the error responses every operation can give, so the schema tells the truth."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        extra = {
            "401": ("Not signed in, or the token is invalid or expired.", ErrorSerializer),
            "403": ("Signed in but not allowed (e.g. a missing CSRF token with session auth).", ErrorSerializer),
            "404": ("Not found, or not yours.", ErrorSerializer),
            "429": ("Too many requests; retry after the number of seconds in Retry-After.", ErrorSerializer),
            # Any operation: a malformed query string (e.g. a NUL character) is refused before the view.
            "400": ("Invalid input: see `errors` for each field.", ValidationErrorSerializer),
        }
        if self.method in ("POST", "PUT", "PATCH"):
            extra["413"] = ("The request body is larger than the limit.", ErrorSerializer)
        for code, (description, serializer) in extra.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=serializer, description=description), code
                )
        return responses
