"""What every API endpoint shares: pagination and the error body (documented in core/schema.py)."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, parsers, serializers, throttling
from rest_framework.pagination import PageNumberPagination

# No request body of ours nests deeper than 2; this leaves room and stops a body of 100,000
# brackets long before Python's recursion limit.
MAX_JSON_DEPTH = 20


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing with a 400 what it would pass on to a 500: nesting beyond
    MAX_JSON_DEPTH, and a NUL character (PostgreSQL cannot store one, nor look one up) in what
    the endpoint reads. Members an endpoint does not know are ignored, NUL or not, as the schema
    allows them: an object is checked member by member as it is read (NulCheckedObject)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON nested too deeply.") from None
        # An object's members are checked for NUL as they are read; anything else at once.
        _check(data, depth=0, nul=not isinstance(data, dict))
        return NulCheckedObject(data) if isinstance(data, dict) else data


class NulCheckedObject(dict):
    """A parsed JSON object whose members are checked for NUL characters when read."""

    def __getitem__(self, key):
        value = super().__getitem__(key)
        _check(value, depth=0, nul=True)
        return value

    def get(self, key, default=None):
        value = super().get(key, default)
        _check(value, depth=0, nul=True)
        return value

    def items(self):
        return [(key, self[key]) for key in self]

    def values(self):
        return [self[key] for key in self]

    def copy(self):
        return NulCheckedObject(self)


def _check(value, depth: int, nul: bool) -> None:
    if depth > MAX_JSON_DEPTH:
        raise exceptions.ParseError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels.")
    if isinstance(value, str):
        if nul and "\x00" in value:
            raise exceptions.ParseError("Text may not contain NUL characters.")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, depth + 1, nul)
            _check(item, depth + 1, nul)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1, nul)


def _positive_int_param(request, name: str, maximum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise exceptions.ValidationError({name: [f"“{raw}” is not a whole number of 1 or more."]})
    if maximum is not None and int(raw) > maximum:
        raise exceptions.ValidationError({name: [f"At most {maximum}."]})
    return int(raw)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        # A malformed page or page size is the client's mistake (400), not an empty result;
        # a well-formed page past the end stays a 404.
        _positive_int_param(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters

    def get_paginated_response_schema(self, schema):
        # DRF writes `nullable: true`, which OpenAPI 3.1 dropped for a type list.
        response = super().get_paginated_response_schema(schema)
        for link in ("next", "previous"):
            response["properties"][link].pop("nullable")
            response["properties"][link]["type"] = ["string", "null"]
        return response

    def get_page_size(self, request):
        return _positive_int_param(request, self.page_size_query_param, self.max_page_size) or self.page_size


def exception_handler(exc, context):
    """Every error is `{"detail": str, "code": str}`, and every 400 adds `"errors": {field: [messages]}`.

    Validation errors raised by the services (Django's ValidationError) become 400s here, so
    views call the services without translating their errors.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    # Imported here: rest_framework.views reads the API settings as it loads, and they name this
    # module's classes; importing it at the top made `core.api` import itself half-built.
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": "Invalid input.", "code": "invalid", "errors": errors}
        return response
    detail = response.data.get("detail", exc) if isinstance(response.data, dict) else exc
    response.data = {"detail": str(detail), "code": getattr(detail, "code", None) or exc.default_code}
    if response.status_code == 400:
        # Malformed JSON and the like: the same shape as a validation error.
        response.data["errors"] = {"non_field_errors": [str(detail)]}
    return response


class _PresentChoiceField(django_filters.fields.ChoiceField):
    def clean(self, value):
        # The widget gives None for a parameter left out and "" for one sent empty.
        if value == "":
            raise DjangoValidationError("An empty value is not one of the choices.", code="invalid_choice")
        return super().clean(value)


class ChoiceFilter(django_filters.ChoiceFilter):
    """A choice filter that answers 400 for `?name=` sent empty, as the schema's enum says,
    where django-filter's would read it as no filter at all."""

    field_class = _PresentChoiceField


class FilterSet(django_filters.FilterSet):
    """Every API filter set: a model field with choices listed in Meta.fields gets ChoiceFilter."""

    @classmethod
    def filter_for_lookup(cls, field, lookup_type):
        filter_class, params = super().filter_for_lookup(field, lookup_type)
        return (ChoiceFilter if filter_class is django_filters.ChoiceFilter else filter_class), params


def slug_filter(queryset, label: str, **kwargs) -> django_filters.ModelChoiceFilter:
    """A filter by slug that answers 400 for a slug naming nothing, instead of an empty list."""
    return django_filters.ModelChoiceFilter(queryset=queryset, to_field_name="slug", label=label, **kwargs)


class _RateLimitHeaders:
    """Notes the tightest limit a request met, for the RateLimit-* headers (config.middleware)."""

    def allow_request(self, request, view):
        allowed = super().allow_request(request, view)
        history = getattr(self, "history", None)
        if self.rate is not None and history is not None and getattr(self, "key", None):
            remaining = max(self.num_requests - len(history), 0)
            reset = max(int(self.duration - (self.now - history[-1])), 0) if history else int(self.duration)
            current = getattr(request._request, "ratelimit", None)
            if current is None or remaining < current[1]:
                request._request.ratelimit = (self.num_requests, remaining, reset)
        return allowed


class AnonRateThrottle(_RateLimitHeaders, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_RateLimitHeaders, throttling.UserRateThrottle):
    pass


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only: DRF's BooleanField also takes 0, 1, "yes", "off", ... which the
    schema (type: boolean) promises to refuse."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class _StrictString:
    """A JSON string only: DRF turns 0 or true into "0" or "True", which the schema (type: string)
    promises to refuse."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(_StrictString, serializers.CharField):
    pass


class StrictSlugField(_StrictString, serializers.SlugField):
    pass


class StrictSlugRelatedField(serializers.SlugRelatedField):
    """A slug or null: DRF reads "" as null for a nullable relation, which the schema (a slug or
    null) refuses, so this does too."""

    default_error_messages = {"blank": "Send a slug, or null for none."}

    def run_validation(self, data=serializers.empty):
        if data == "":
            self.fail("blank")
        return super().run_validation(data)


# The largest id a database row can have (a 64-bit primary key).
MAX_ID = 2**63 - 1


class IdListField(serializers.ListField):
    """A list of ids whose error is one message, as the error schema has it (DRF's is per index).
    An id may come as 46.0: JSON Schema (OpenAPI 3.1) counts it an integer, so clients may send it."""

    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    def to_internal_value(self, data):
        if not isinstance(data, list) or not all(_whole(i) and 0 < i <= MAX_ID for i in data):
            raise serializers.ValidationError(f"Send a list of ids (whole numbers from 1 to {MAX_ID}).")
        return super().to_internal_value([int(i) for i in data])


def _whole(value) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and value.is_integer())
