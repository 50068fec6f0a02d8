from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request):
    """Load balancers poll this: it must say "down" when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok"})


def wants_json(request) -> bool:
    """Errors under /api/ answer in the API's JSON error body; elsewhere with a page."""
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    """The site's own 404: JSON with the API's error body under /api/, a page elsewhere."""
    if wants_json(request):
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context processors here: they might be what failed.
    if wants_json(request):
        return JsonResponse({"detail": "Something went wrong on our side.", "code": "server_error"}, status=500)
    return HttpResponseServerError(loader.get_template("500.html").render())
