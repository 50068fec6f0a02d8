from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render

from config.views import wants_json

RETRY_AFTER_SECONDS = "30"


class DatabaseUnavailableMiddleware:
    """A database that stops answering mid-request is a 503 the client may retry, not a 500:
    the request's transaction was rolled back, so nothing half-written is left behind."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if wants_json(request):
            response = JsonResponse(
                {"detail": "The service is briefly unavailable; try again.", "code": "unavailable"}, status=503
            )
        else:
            response = render(request, "503.html", status=503)
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response
