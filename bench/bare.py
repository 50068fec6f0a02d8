"""The ceiling of the stack: a Django view with no middleware, no database and no template,
served by the same gunicorn flags as the app, so that `bench.run` can say how far each page is
from what Django itself can do on this machine."""

from django.conf import settings

settings.configure(
    DEBUG=False, SECRET_KEY="bench-bare-view-only", ALLOWED_HOSTS=["127.0.0.1"], ROOT_URLCONF=__name__, MIDDLEWARE=[]
)

from django.core.wsgi import get_wsgi_application  # noqa: E402  (after settings.configure)
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402


def bare(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [path("healthz", bare)]
application = get_wsgi_application()
