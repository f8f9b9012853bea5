"""Settings come from the environment: production refuses to start without a key,
a misspelt value is an error naming the variable, and docs/operations.md's production
environment passes `manage.py check --deploy` without a warning.

Each case starts `manage.py` in its own process with only the environment given."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
KEY = secrets.token_urlsafe(50)

# The "Running it in production" environment of docs/operations.md.
PRODUCTION = {
    "DJANGO_SECRET_KEY": KEY,
    "DATABASE_URL": "postgres://register:secret@db-host:5432/register",
    "DJANGO_ALLOWED_HOSTS": "register.example.gov.uk",
    "DJANGO_SECURE_HTTPS": "true",
    "DJANGO_MANIFEST_STATIC": "true",
}


def manage(*args, **env):
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_the_readme_production_environment_passes_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_debug_off_without_a_key_refuses_to_start():
    result = manage("check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_https_without_a_key_refuses_to_start_even_with_debug_on():
    result = manage("check", DJANGO_DEBUG="true", DJANGO_SECURE_HTTPS="true")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_a_local_run_with_debug_on_needs_no_key():
    result = manage("check", DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name, value, accepted", [
    ("DJANGO_DEBUG", "ture", "set it to true or false"),
    ("DJANGO_SECURE_HTTPS", "yes please", "set it to true or false"),
    ("DJANGO_MANIFEST_STATIC", "2", "set it to true or false"),
    ("DATABASE_CONN_MAX_AGE", "a minute", "set it to a whole number, 0 or more"),
    ("DJANGO_SESSION_IDLE_MINUTES", "0", "set it to a whole number, 1 or more"),
    ("DJANGO_SESSION_IDLE_MINUTES", "half an hour", "set it to a whole number, 1 or more"),
    ("DJANGO_LOG_LEVEL", "LOUD", "set it to one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ("DJANGO_PDF_KEEP", "sometimes", "set it to true or false"),
    ("DJANGO_PDF_KEPT_LIMIT", "0", "set it to a whole number, 1 or more"),
    ("DJANGO_EMAIL_PORT", "smtp", "set it to a whole number, 1 or more"),
    ("DJANGO_EMAIL_TIMEOUT", "0", "set it to a whole number, 1 or more"),
    ("DJANGO_EMAIL_USE_TLS", "maybe", "set it to true or false"),
    ("DJANGO_EMAIL_USE_SSL", "ture", "set it to true or false"),
])
def test_an_invalid_value_is_an_error_naming_the_variable_and_what_it_accepts(name, value, accepted):
    result = manage("check", **{"DJANGO_SECRET_KEY": KEY, name: value})
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name} is {value!r}: {accepted}" in result.stderr


@pytest.mark.parametrize("value, debug", [("true", True), ("TRUE", True), ("1", True), ("on", True),
                                          ("false", False), ("0", False), ("no", False), ("", False)])
def test_yes_and_no_are_read_in_their_usual_spellings(monkeypatch, value, debug):
    from config.settings import env_bool

    monkeypatch.setenv("DJANGO_DEBUG", value)
    assert env_bool("DJANGO_DEBUG") is debug


def test_the_idle_minutes_come_from_the_environment():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)",
                    DJANGO_SECRET_KEY=KEY, DJANGO_SESSION_IDLE_MINUTES="45")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(45 * 60)


@pytest.mark.parametrize("keep, backend", [("", "FileBasedCache"), ("true", "FileBasedCache"), ("false", "DummyCache")])
def test_pdfs_are_kept_unless_told_not_to(keep, backend):
    result = manage("shell", "-c", "from django.core.cache import caches; print(type(caches['pdfs']).__name__)",
                    DJANGO_SECRET_KEY=KEY, DJANGO_PDF_KEEP=keep, DJANGO_PDF_KEPT_DIR="/tmp/kept-pdfs-test")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == backend


EMAIL_SETTINGS = ("from django.conf import settings as s; print(s.EMAIL_BACKEND.rsplit('.', 2)[1], s.EMAIL_HOST, "
                  "s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_TIMEOUT, s.DEFAULT_FROM_EMAIL)")


@pytest.mark.parametrize("env, expected", [
    ({}, "console localhost 587 True False 10 Partnership Register <noreply@localhost>"),
    ({"DJANGO_EMAIL_HOST": "smtp.example.gov.uk"}, "smtp smtp.example.gov.uk 587 True False 10"),
    ({"DJANGO_EMAIL_HOST": "smtp.example.gov.uk", "DJANGO_EMAIL_USE_SSL": "true"},
     "smtp smtp.example.gov.uk 465 False True 10"),
    ({"DJANGO_EMAIL_HOST": "smtp.example.gov.uk", "DJANGO_EMAIL_PORT": "25", "DJANGO_EMAIL_USE_TLS": "false",
      "DJANGO_EMAIL_TIMEOUT": "30", "DJANGO_DEFAULT_FROM_EMAIL": "Register <register@example.gov.uk>"},
     "smtp smtp.example.gov.uk 25 False False 30 Register <register@example.gov.uk>"),
    ({"DJANGO_EMAIL_HOST": "smtp.example.gov.uk", "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
     "console smtp.example.gov.uk 587 True False 10"),
])
def test_email_is_printed_unless_a_server_is_given(env, expected):
    result = manage("shell", "-c", EMAIL_SETTINGS, DJANGO_SECRET_KEY=KEY, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith(expected)


def test_tls_and_ssl_together_is_an_error_naming_both():
    result = manage("check", DJANGO_SECRET_KEY=KEY, DJANGO_EMAIL_USE_TLS="true", DJANGO_EMAIL_USE_SSL="true")
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_EMAIL_USE_TLS and DJANGO_EMAIL_USE_SSL are both true" in result.stderr
