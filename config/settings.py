"""The one settings module. Every deploy-specific value comes from the environment.

Development defaults make a fresh checkout run (SQLite, the database as the shared cache,
console e-mail). Production (DJANGO_DEBUG=0) refuses to start without a real
secret key. See README "Configuration" for every variable.
"""

import hashlib
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-key-never-use-in-production"
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY
elif SECRET_KEY == _DEV_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is the development key; set a real secret in production.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "rest_framework",
    "knox",
    "django_filters",
    "corsheaders",
    "csp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "core",
    "roadmap",
    "accounts",
    "progress",
    "mentoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers compressed (static files come compressed from WhiteNoise, which
    # answers before this). BREACH: Django pads each compressed body with random bytes ("Heal the
    # Breach") and masks the CSRF token anew on every page.
    "django.middleware.gzip.GZipMiddleware",
    "config.middleware.RateLimitHeadersMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "config.middleware.HostileInputMiddleware",
    "config.middleware.ApiConventionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrivateLearnerDataMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentoring.context_processors.notifications",
                "config.navigation.navigation",
            ],
        },
    },
]

# Widget templates may be overridden in templates/ like any other template.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Opening a PostgreSQL connection per request cost a comparable app 6x
        # throughput; keep connections and check them before reuse.
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside one writer; IMMEDIATE takes the write lock
        # at BEGIN so two writers queue on the busy timeout instead of one
        # failing with "database is locked" halfway through a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- Cache ----------------------------------------------------------------------
def _code_version() -> str:
    """Cached pages embed templates and cached summaries are pickled dataclasses: values cached by
    one release must never reach the next, so every key carries a digest of the code."""
    digest = hashlib.sha256()
    for folder in ("config", "roadmap", "accounts", "progress", "mentoring", "templates"):
        for path in sorted((BASE_DIR / folder).rglob("*")):
            if path.suffix in (".py", ".html"):
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# Shared by every process and instance in every mode: rate limits and throttles live here, and
# `make serve` runs two workers. Without Redis, Django's database cache (its table is created by
# `migrate`); with Redis, the same table takes over while Redis does not answer (core/cache.py).
# Cached values are keyed by versions stored in the database, so no backend can serve them stale.
CODE_VERSION = _code_version()
_DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "django_cache",
    "KEY_PREFIX": CODE_VERSION,
    "OPTIONS": {"MAX_ENTRIES": 20_000},
}
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "core.cache.RedisWithDatabaseFallbackCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": CODE_VERSION,
        # A Redis that hangs must cost a request well under a second, once (see RETRY_AFTER_SECONDS).
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    if REDIS_URL
    else _DATABASE_CACHE,
    "database": _DATABASE_CACHE,
}
# Sessions live in the database only: a copy in Redis would outlive a sign-out made while Redis
# was down and let the session back in when Redis returns.
SESSION_ENGINE = "accounts.sessions"

# --- E-mail ---------------------------------------------------------------------
_email_url = env_str("EMAIL_URL")
if _email_url:
    _email = dj_email_url.parse(_email_url)
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "ML Career Ladder <noreply@localhost>")
# Interview practice: how many questions a learner meets for the first time each day.
PRACTICE_NEW_PER_DAY = env_int("DJANGO_PRACTICE_NEW_PER_DAY", 5)
# Days a review request waits before the learner is offered to ask another mentor.
REVIEW_ANSWER_DAYS = env_int("DJANGO_REVIEW_ANSWER_DAYS", 7)
# Minutes in which the author of a message in a review thread may still change or remove it.
MESSAGE_EDIT_MINUTES = env_int("DJANGO_MESSAGE_EDIT_MINUTES", 15)
# Days a skill rating stays fresh: older ones show as due for a refresh ("still accurate?").
SKILL_FRESH_DAYS = env_int("DJANGO_SKILL_FRESH_DAYS", 180)
# Where links in e-mails sent outside a request (the weekly digest) point.
SITE_URL = env_str("DJANGO_SITE_URL", "http://localhost:8000").rstrip("/")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that hangs costs a worker this long per try, never a request (core.mail).
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 20)
# A failed mail is tried again after this, then twice as long each time (core.mail); a pending
# mail this long overdue lost its task (a worker killed while sending) and is queued again.
MAIL_FIRST_RETRY_SECONDS = env_int("DJANGO_MAIL_FIRST_RETRY_SECONDS", 60)
MAIL_LOST_AFTER_SECONDS = env_int("DJANGO_MAIL_LOST_AFTER_SECONDS", 300)

# --- Background tasks (Django's Tasks API: the django-tasks backport on 5.2) ------------------
# Mail goes through the outbox (core.mail) to this queue. In production the queue is the database
# (django-tasks-db): `manage.py mail_worker` processes it, any number of them on any number of
# machines. Under `make run` (debug) tasks run at once after the commit: no second process.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "DJANGO_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend" if DEBUG else "django_tasks_db.DatabaseBackend",
        )
    }
}

# --- Auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "progress:dashboard"

# --- I18N / static ----------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Lets tests and `make serve` run without a prior collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

# --- Security -----------------------------------------------------------------------
# Behind TLS in production. DJANGO_HTTPS=0 is for a plain-HTTP local run of the
# production settings (`make serve`, the benchmark), never for a public deploy.
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    # Only trust this header when a proxy that sets it is really in front.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front append to X-Forwarded-For: the client is the entry that many from the
# end (a client cannot forge its way into another bucket). allauth's sign-in limits and the API's
# throttles read the address the same way; 0 = no proxy, the socket's address, the header ignored.
# DJANGO_NUM_PROXIES is its earlier name.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", env_int("DJANGO_NUM_PROXIES", 1 if BEHIND_PROXY else 0))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp 4): scripts only from this site (htmx is a static file,
# Swagger UI's start-up script is served as a file too), no plugins, never framed. Inline
# style attributes stay allowed for the Django admin and allauth's QR code; no inline script is.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}

# --- django-allauth -------------------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Mandatory everywhere: in development the console backend prints the link.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_ALLOW_SIGNUP = env_bool("DJANGO_ALLOW_SIGNUP", default=True)
# The product asks for a plain "already registered" error on sign-up; this gives up allauth's
# protection against probing which addresses have accounts (see README "Accounts").
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ML Career Ladder] "
# allauth's rate limits stay on with its defaults (5 failed sign-ins per address per 5 minutes,
# 10 per minute per IP; sign-up 20/min per IP; password reset 5/min per address); stricter:
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "10/m/ip",
    "reset_password": "10/m/ip,3/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ML Career Ladder"

# Social sign-in appears only for providers whose id and secret are both set.
SOCIALACCOUNT_PROVIDERS: dict = {}
for _provider, _scope in [("github", ["user:email"]), ("google", ["profile", "email"])]:
    _client_id = env_str(f"{_provider.upper()}_CLIENT_ID")
    _secret = env_str(f"{_provider.upper()}_CLIENT_SECRET")
    if bool(_client_id) != bool(_secret):
        raise ImproperlyConfigured(
            f"Set both {_provider.upper()}_CLIENT_ID and {_provider.upper()}_CLIENT_SECRET, or neither."
        )
    if _client_id:
        INSTALLED_APPS.append(f"allauth.socialaccount.providers.{_provider}")
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APPS": [{"client_id": _client_id, "secret": _secret}],
            "SCOPE": _scope,
        }
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False

# Production deployments may move the admin off its well-known path.
ADMIN_PATH = env_str("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

# --- REST API (DRF) --------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes "not signed in" a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: a view that serves the public says so itself.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "accounts.api.auth.TokenScope"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.AnonRateThrottle",
        "core.api.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("DJANGO_API_THROTTLE_ANON", "120/minute"),
        "user": env_str("DJANGO_API_THROTTLE_USER", "1200/minute"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Decimal values (KPI targets and values) are JSON numbers everywhere, never strings.
    "COERCE_DECIMAL_TO_STRING": False,
    # JSON only: one body format to document, validate and generate clients for.
    "DEFAULT_PARSER_CLASSES": ["core.api.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# Our token model replaces knox's; knox's own migrations would still create its unused table.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=365),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_PREFIX": "mlcl_",
}
# Cross-origin reads (README "CORS"): the public content and its schema, from any origin, without
# credentials, so a page elsewhere can show the ladder. A learner's own data (me/*) gets no CORS
# headers: a browser on another origin cannot read it, whatever token it holds.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/(schema/|v1/(?!me/).*)$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-none-match"]
CORS_EXPOSE_HEADERS = ["ETag", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After"]
CORS_PREFLIGHT_MAX_AGE = 86400

SPECTACULAR_SETTINGS = {
    "TITLE": "ML Career Ladder API",
    "DESCRIPTION": "Career content (read-only, public) and the signed-in learner's own progress. "
    "Authenticate with a personal token: `Authorization: Token <token>`.",
    "VERSION": "4.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "ItemStatusEnum": "progress.models.Status",
        "WordingEnum": "roadmap.models.Wording",
        "ItemKindEnum": "roadmap.models.Item.Kind",
        "SkillKindEnum": "roadmap.models.Skill.Kind",
        "UnitEnum": "roadmap.models.KPI.Unit",
        "DirectionEnum": "roadmap.models.KPI.Direction",
        "ExpectationEnum": "roadmap.models.LevelSkill.Expectation",
        "VerdictEnum": "progress.models.Verdict",
        "ReviewStateEnum": "progress.reads.rules.ReviewState",
        "InvitationStatusEnum": "mentoring.models.Invitation.State",
        "TeamRoleEnum": "mentoring.models.Membership.Role",
        "InvitationKindEnum": "mentoring.models.Invitation.Kind",
        "DeliveryEnum": "mentoring.models.Delivery",
        "MentorshipRoleEnum": "mentoring.api.serializers.MentorshipRole",
        "PlanForecastStatusEnum": "progress.reads.plan.PLAN_STATUSES",  # its name since 2.x
        "ForecastBandEnum": "progress.reads.plan.FORECAST_BANDS",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.schema.postprocess"],
}
