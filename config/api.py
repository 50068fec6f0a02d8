"""What every API endpoint shares: pagination and the error body (documented in config/schema.py)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc, context):
    """Every error is `{"detail": str, "code": str}`, and every 400 adds `"errors": {field: [messages]}`.

    Validation errors raised by the services (Django's ValidationError) become 400s here, so
    views call the services without translating their errors.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
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
