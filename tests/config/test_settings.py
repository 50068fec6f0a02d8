import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env: str) -> subprocess.CompletedProcess:
    """Import the settings module in a fresh interpreter with exactly this environment."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "GITHUB_", "GOOGLE_"))
    }
    clean.update(env)
    code = (
        "import django.conf, config.settings as s;"
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.ALLOWED_HOSTS)"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_malformed_debug_value_refuses_to_start():
    result = _load_settings(DJANGO_DEBUG="maybe", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a boolean" in result.stderr


def test_production_without_secret_key_refuses_to_start():
    result = _load_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_with_the_development_key_refuses_to_start():
    result = _load_settings(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="django-insecure-development-key-never-use-in-production"
    )
    assert result.returncode != 0
    assert "development key" in result.stderr


def test_development_defaults_are_sqlite_and_a_cache_every_process_shares():
    result = _load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:3] == [
        "True",
        "django.db.backends.sqlite3",
        "django.core.cache.backends.db.DatabaseCache",
    ]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test"}, "django.db.backends.postgresql"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, "core.cache.RedisWithDatabaseFallbackCache"),
        ({"DJANGO_ALLOWED_HOSTS": "example.org, www.example.org"}, "['example.org', 'www.example.org']"),
    ],
)
def test_environment_switches_services(env, expected):
    result = _load_settings(DJANGO_DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout


def test_production_settings_pass_the_deploy_check():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="a-long-random-production-secret-" * 3, DJANGO_ALLOWED_HOSTS="example.org"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_social_provider_with_only_half_its_credentials_refuses_to_start():
    result = _load_settings(DJANGO_DEBUG="1", GITHUB_CLIENT_ID="abc")
    assert result.returncode != 0
    assert "Set both GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET" in result.stderr


def test_social_provider_is_enabled_only_when_its_credentials_are_set():
    code = "import config.settings as s; print(sorted(s.SOCIALACCOUNT_PROVIDERS))"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GITHUB_", "GOOGLE_"))}
    env.update(DJANGO_DEBUG="1", GOOGLE_CLIENT_ID="id", GOOGLE_CLIENT_SECRET="secret")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "['google']", result.stderr


@pytest.mark.parametrize(
    ("env", "count"),
    [
        ({}, "0 0"),
        ({"DJANGO_BEHIND_PROXY": "1"}, "1 1"),
        ({"DJANGO_BEHIND_PROXY": "1", "DJANGO_TRUSTED_PROXY_COUNT": "2"}, "2 2"),
    ],
)
def test_one_proxy_setting_names_the_client_for_sign_in_limits_and_api_throttles_alike(env, count):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    clean.update(DJANGO_DEBUG="1", **env)
    code = "import config.settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.REST_FRAMEWORK['NUM_PROXIES'])"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)
    assert result.stdout.strip() == count, result.stderr
