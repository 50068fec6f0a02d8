"""The OpenAPI schema documents the error body of core/api.py on every operation."""

import re

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
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


class AutoSchema(SpectacularAutoSchema):
    """Documents the error responses every operation can give, so the schema tells the truth."""

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
            "403": ("Signed in but not allowed (e.g. a missing CSRF token with session auth).", ErrorSerializer),
            "404": ("Not found, or not yours.", ErrorSerializer),
            "429": ("Too many requests; retry after the number of seconds in Retry-After.", ErrorSerializer),
            # Any operation: a malformed query string (e.g. a NUL character) is refused before the view.
            "400": ("Invalid input: see `errors` for each field.", ValidationErrorSerializer),
        }
        if self.method in ("POST", "PUT", "PATCH"):
            extra["413"] = ("The request body is larger than the limit.", ErrorSerializer)
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
    """Three corrections drf-spectacular leaves to us, all for generated clients and validators:

    - Every field of a response is always present (DRF renders all declared fields), so response
      components list all their properties as required; request components keep theirs.
    - A query parameter whose choices are those of an enum component (e.g. `status`) refers to
      that component, so a client passes the same enum it reads in the data.
    - A blank-allowed string with a pattern that admits "" (a display name) is that one string
      schema, not a `oneOf` with "maxLength: 0" that "" would match twice (invalid by oneOf).
    """
    schemas = result.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        if "properties" in schema and not name.endswith("Request"):
            schema["required"] = list(schema["properties"])
        for field, prop in schema.get("properties", {}).items():
            schema["properties"][field] = _blank_in_pattern(prop)
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


def _blank_in_pattern(prop: dict) -> dict:
    one_of = prop.get("oneOf", [])
    if len(one_of) != 2 or one_of[1] != {"type": "string", "maxLength": 0}:
        return prop
    pattern = one_of[0].get("pattern")
    if one_of[0].get("type") != "string" or pattern is None or not re.search(pattern, ""):
        return prop
    return {key: value for key, value in prop.items() if key != "oneOf"} | one_of[0]
