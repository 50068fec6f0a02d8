"""Test-only overrides on top of the one settings module."""

import os

# Tests run the production code path (DEBUG off) over plain HTTP.
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-deploys")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("DJANGO_DEBUG", "0")

from config.settings import *  # noqa: F403

# Hashing with a fast algorithm keeps the suite quick; never used outside tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Threads of the live server would otherwise keep PostgreSQL connections open past the test run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: concurrency tests need threads sharing one database with WAL and
    # IMMEDIATE transactions, as in production on SQLite.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405
# Each test starts from an empty cache without needing the database (conftest clears it); the
# production default, the database cache, is exercised by tests/config/test_processes.py.
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405
# Tasks run at once after the commit, so a test sees the mail its write queued; the queue itself
# (the database backend and its worker) is tested in tests/config/test_mail_queue.py.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
