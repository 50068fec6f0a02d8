"""The OpenAPI schema documents the error body of core/api.py on every operation."""

import re

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

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


# Every header an answer can carry, once in components/headers; responses refer to them.
HEADERS = {
    "RateLimit-Limit": ("Requests allowed in the current window.", {"type": "integer", "minimum": 0}),
    "RateLimit-Remaining": ("Requests left in the current window.", {"type": "integer", "minimum": 0}),
    "RateLimit-Reset": ("Seconds until the window starts again.", {"type": "integer", "minimum": 0}),
    "Location": ("The address of what was made.", {"type": "string", "format": "uri"}),
    "ETag": ("Changes whenever the content does.", {"type": "string"}),
    "Retry-After": ("Seconds to wait.", {"type": "integer", "minimum": 0}),
}


def _refs(*names: str) -> dict:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


class AutoSchema(SpectacularAutoSchema):
    """Documents the error responses every operation can give, and the headers every answer
    carries, so the schema tells the truth. A view with `answers_with_etag = True` (the
    content) documents its ETag, If-None-Match and 304."""

    def _conditional(self) -> bool:
        return self.method == "GET" and getattr(self.view, "answers_with_etag", False)

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._conditional():
            parameters = [
                *parameters,
                OpenApiParameter(
                    "If-None-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description="The ETag of a copy you hold: answered 304 with no body while it is current.",
                ),
            ]
        return parameters

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        headers |= _refs("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")
        if status_code == "201":
            headers |= _refs("Location")
        elif status_code in ("200", "304") and self._conditional():
            headers |= _refs("ETag")
        elif status_code == "429":
            headers |= _refs("Retry-After")
        return headers

    def get_auth(self):
        # Public content needs no authentication: no security requirement at all (not "optional"),
        # so that generated clients call it with a plain, unauthenticated client.
        if any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            return []
        return super().get_auth()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        extra = {
            "401": ("Not signed in, or the token is invalid or expired.", ErrorSerializer),
            "403": (
                "Signed in but not allowed: a read-only token asked to change data (`token_read_only`), or a "
                "missing CSRF token with session auth.",
                ErrorSerializer,
            ),
            "404": ("Not found, or not yours.", ErrorSerializer),
            "429": ("Too many requests; retry after the number of seconds in Retry-After.", ErrorSerializer),
            # Any operation: a malformed query string (e.g. a NUL character) is refused before the view.
            "400": ("Invalid input: see `errors` for each field.", ValidationErrorSerializer),
        }
        if self._conditional():
            extra["304"] = ("The copy you hold (If-None-Match) is current.", None)
        if self.method in ("POST", "PUT", "PATCH"):
            extra["413"] = ("The request body is larger than the limit.", ErrorSerializer)
            extra["415"] = ("The body is not JSON (application/json) or form data.", ErrorSerializer)
        if self.method == "POST":
            extra["409"] = (
                "Conflicts with the current state, e.g. an invitation already open or answered.",
                ErrorSerializer,
            )
        for code, (description, serializer) in extra.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=serializer, description=description), code
                )
        return responses


def postprocess(result, generator, request, public):
    """The headers the responses refer to, and three corrections drf-spectacular leaves to us,
    all for generated clients and validators:

    - Every field of a response is always present (DRF renders all declared fields), so response
      components list all their properties as required; request components keep theirs.
    - A query parameter whose choices are those of an enum component (e.g. `status`) refers to
      that component, so a client passes the same enum it reads in the data.
    - A blank-allowed string is never a `oneOf` with "maxLength: 0" that "" matches twice (invalid
      by oneOf): with a pattern that admits "" (a display name) it is that one string schema; a
      URI or free text or "" (an evidence link) is an `anyOf`.
    """
    result.setdefault("components", {})["headers"] = {
        name: {"schema": schema, "description": description} for name, (description, schema) in HEADERS.items()
    }
    schemas = result["components"].get("schemas", {})
    for name, schema in schemas.items():
        if "properties" in schema and not name.endswith("Request"):
            schema["required"] = list(schema["properties"])
        for field, prop in schema.get("properties", {}).items():
            schema["properties"][field] = _blank_string(prop)
    enums = {
        frozenset(schema["enum"]): name
        for name, schema in schemas.items()
        if "enum" in schema and schema.get("type") == "string"
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                values = parameter.get("schema", {}).get("enum")
                name = enums.get(frozenset(values)) if values else None
                if name:
                    parameter["schema"] = {"$ref": f"#/components/schemas/{name}"}
    return result


def _blank_string(prop: dict) -> dict:
    one_of = prop.get("oneOf", [])
    if len(one_of) != 2 or one_of[1] != {"type": "string", "maxLength": 0} or one_of[0].get("type") != "string":
        return prop
    rest = {key: value for key, value in prop.items() if key != "oneOf"}
    pattern = one_of[0].get("pattern")
    if pattern is not None and re.search(pattern, ""):
        return rest | one_of[0]
    if pattern is None and not one_of[0].get("minLength"):
        # `format` is an annotation, not a check, in JSON Schema: "" matches a URI branch too.
        return rest | {"anyOf": one_of}
    return prop
