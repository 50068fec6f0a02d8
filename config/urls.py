from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.views import bad_request, healthz, not_found, server_error

# Admin sign-in goes through allauth: the same rate limits and two-factor sign-in apply.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]  # allauth's documented way
admin.site.site_header = "ML Career Ladder admin"
admin.site.site_title = "ML Career Ladder admin"
admin.site.index_title = "Content, learners and outgoing mail"
admin.site.site_url = "/"

urlpatterns = [
    path("", include("roadmap.urls")),
    path("", include("progress.urls")),
    path("", include("mentoring.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    # The schema and the docs page are not the API: they do not count against its rate limits.
    path("api/schema/", SpectacularAPIView.as_view(throttle_classes=[]), name="api-schema"),
    # The split view serves Swagger UI's start-up code as a file, so the CSP needs no inline script.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", throttle_classes=[]),
        name="api-docs",
    ),
    path("healthz", healthz, name="healthz"),
    # Any other /api/ address: the API's JSON 404 in every mode (with DEBUG on, Django's own
    # 404 page would answer a path that no route matches).
    # No CSRF check: it changes nothing, and a token-signed POST must get this 404, not a 403.
    re_path(r"^api/", csrf_exempt(not_found)),
]

handler400 = bad_request
handler404 = not_found
handler500 = server_error
