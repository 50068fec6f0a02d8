import sys

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.cache import RedisWithDatabaseFallbackCache

RETRY_AFTER_SECONDS = "30"


@require_safe
@never_cache
def healthz(request):
    """Load balancers poll this: 503 only when the database does not answer, since the app can
    serve without Redis (slower); each dependency's state is named either way."""
    state = {"database": "ok", "cache": _cache_state()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", **state, "database": "down"}, status=503)
    return JsonResponse({"status": "ok", **state})


def _cache_state() -> str:
    cache = caches["default"]
    if isinstance(cache, RedisWithDatabaseFallbackCache):
        return "ok" if cache.redis_answers() else "down"
    return "ok"  # the database cache: its state is the database's


def wants_json(request) -> bool:
    """Errors under /api/ answer in the API's JSON error body; elsewhere with a page."""
    return request.path.startswith("/api/")


def error_response(request, status: int, detail: str, code: str):
    """An error in the API's JSON body under /api/, a plain page of the site elsewhere."""
    if wants_json(request):
        body: dict[str, object] = {"detail": detail, "code": code}
        if status == 400:  # every 400 of the API names what was wrong, as core.api does
            body["errors"] = {"non_field_errors": [detail]}
        return JsonResponse(body, status=status)
    return render(request, "error.html", {"status": status, "detail": detail}, status=status)


def not_found(request, exception=None):
    """The site's own 404 (also for any /api/ path no route matches, in every mode)."""
    if wants_json(request):
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    # Django raises these while reading a body past its limits (a chunked body has no
    # Content-Length for HostileInputMiddleware to check first).
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        return error_response(request, 413, f"The request body is too large (over {limit} KiB).", "too_large")
    return error_response(request, 400, "The request could not be understood.", "bad_request")


def csrf_failure(request, reason=""):
    """A form posted without its CSRF token (e.g. a page left open past a sign-out)."""
    return error_response(
        request, 403, "The form expired or came from another site; reload the page and try again.", "csrf_failed"
    )


def unavailable(request):
    """A database that stopped answering: a 503 the client may retry (the request's transaction
    was rolled back, so nothing half-written is left behind). No request context processors: the
    signed-in user they read is in the database."""
    if wants_json(request):
        body = {"detail": "The service is briefly unavailable; try again.", "code": "unavailable"}
        response = JsonResponse(body, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def server_error(request):
    """Every other uncaught error. A database error raised outside a view (a middleware after it
    reading the signed-in user) is still the 503 that DatabaseUnavailableMiddleware gives a view's."""
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        return unavailable(request)
    # No request context processors here: they might be what failed.
    if wants_json(request):
        return JsonResponse({"detail": "Something went wrong on our side.", "code": "server_error"}, status=500)
    return HttpResponseServerError(loader.get_template("500.html").render())
