from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.urls import resolve
from django.utils.cache import add_never_cache_headers
from rest_framework.request import Request

from config.views import error_response, not_found, unavailable
from core.api import AnonRateThrottle

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Form bodies are checked as sent; JSON bodies are checked once parsed (core.api.JSONParser),
# where an escaped "\u0000" can be told from a literal backslash.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MAX_URI_LENGTH = 8192


class HostileInputMiddleware:
    """Refuse, before any view or database sees them, what no page of ours can use: a NUL
    character (PostgreSQL cannot store one and answers with an error), an address longer than
    any of ours with its query, and an oversized body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.get_full_path()) > MAX_URI_LENGTH:
            return error_response(request, 414, f"The address is longer than {MAX_URI_LENGTH} characters.", "too_long")
        if "\x00" in request.path:
            return error_response(request, 404, "Not found.", "not_found")
        if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.META.get("QUERY_STRING", ""):
            return error_response(request, 400, "The query string contains a NUL character.", "invalid")
        if request.method in BODY_METHODS:
            refused = self._refuse_body(request)
            if refused:
                return refused
        return self.get_response(request)

    @staticmethod
    def _refuse_body(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(request, 400, "Content-Length is not a number.", "invalid")
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
            return error_response(request, 413, f"The request body is larger than {limit} KiB.", "too_large")
        if request.content_type in FORM_TYPES and length and (b"%00" in request.body or b"\x00" in request.body):
            return error_response(request, 400, "The form contains a NUL character.", "invalid")
        return None


class RateLimitHeadersMiddleware:
    """Every /api/v1/ answer tells the rate limit its request counted against in RateLimit-Limit,
    -Remaining and -Reset. A request refused before any throttle ran (a bad token's 401, an
    unmatched route's 404, an oversized body's 413) counts against the anonymous limit, so
    guessing tokens or addresses is limited too. Outermost, to see those refusals."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith("/api/v1/"):
            return response
        if getattr(request, "ratelimit", None) is None:
            AnonRateThrottle().allow_request(Request(request), None)
        limit = getattr(request, "ratelimit", None)
        if limit:
            response["RateLimit-Limit"], response["RateLimit-Remaining"], response["RateLimit-Reset"] = map(str, limit)
        return response


class ApiConventionsMiddleware:
    """A path under /api/ without its trailing slash reaches the same endpoint (a write is not
    redirected, which would drop its body)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/") and not request.path_info.endswith("/"):
            with_slash = request.path_info + "/"
            if resolve(with_slash).func is not not_found:
                request.path_info = with_slash
        return self.get_response(request)


class PrivateLearnerDataMiddleware:
    """A page or answer made for a signed-in learner must not be kept by a shared cache or the
    browser's history: everything under /api/v1/me/ and every response to a signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/v1/me/") or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class DatabaseUnavailableMiddleware:
    """A database that stops answering mid-request is a 503 the client may retry, not a 500:
    the request's transaction was rolled back, so nothing half-written is left behind."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return unavailable(request) if isinstance(exception, OperationalError | InterfaceError) else None
