"""Settings for Partnership Register.

Every value that differs between a laptop and production comes from the
environment. The defaults are safe for local use: no debug pages, SQLite in the
project folder, and only loopback hosts allowed.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no setting. A value that is neither (`ture`) is an error, never silently false."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in _TRUE | _FALSE:
        raise ImproperlyConfigured(
            f"{name} is {os.environ[name]!r}: set it to true or false (1/0, yes/no and on/off also work)."
        )
    return value in _TRUE


def env_int(name: str, default: int, minimum: int = 0) -> int:
    """A whole-number setting of at least `minimum`; anything else is an error naming the variable."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(f"{name} is {value!r}: set it to a whole number, {minimum} or more.")
    return number


def env_choice(name: str, default: str, choices: list[str]) -> str:
    value = os.environ.get(name, "").strip().upper()
    if not value:
        return default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} is {os.environ[name]!r}: set it to one of {', '.join(choices)}.")
    return value


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", default=False)
# The fallback key is published in this repository, so it is only for a laptop
# with debug pages on (`make run`). Anything else must set its own key: the
# tests set one in pytest.ini and the Makefile, `make bench` for its children.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG or env_bool("DJANGO_SECURE_HTTPS"):
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (a long random string, e.g. from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`): "
            "only a local run with DJANGO_DEBUG=true may go without one."
        )
    SECRET_KEY = "django-insecure-local-only-set-DJANGO_SECRET_KEY"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # The Django admin, for superusers only (config/admin_site.py).
    "config.apps.OperatorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "axes",
    "csp",
    # Object rules (register/rules.py), found by the package's autodiscovery.
    "rules.apps.AutodiscoverRulesConfig",
    "common",
    "accounts",
    "partnerships",
    "checklists",
    "register",
    "administration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Ends idle sessions and keeps signed-in pages out of caches (accounts/middleware.py).
    "accounts.middleware.SessionIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Your own changes show at once in the navigation's Your-work count (register/work.py).
    "register.middleware.forget_waiting_count_on_change",
    # Lets django-simple-history record who made each change to the register.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A locked or unreachable database is a 503 "try again" page (config/errors.py).
    "config.errors.ServiceBusyMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.session_timeout",
                "register.context_processors.waiting",
            ],
        },
    },
]

# --- Cache ---------------------------------------------------------------------
# Each process keeps a few things for a minute in its own memory (the register's choice
# lists, keyed by what they depend on: register/filters.py). Nothing kept here must be
# shared between processes to be right, so no cache server is needed.
# PDFs made for downloads are kept as files, shared by the processes on one machine, under
# a digest of everything they show (common.pdf.kept_pdf): past DJANGO_PDF_KEPT_LIMIT (1,000)
# a third of them, picked at random, are deleted, and none is served after a week.
# DJANGO_PDF_KEEP=false keeps none (make bench times WeasyPrint's layout, not a kept copy).
PDF_KEPT_DIR = Path(os.environ.get("DJANGO_PDF_KEPT_DIR") or BASE_DIR / "var" / "pdfs")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "partnership-register",
    },
    "pdfs": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": PDF_KEPT_DIR,
        "TIMEOUT": 7 * 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_PDF_KEPT_LIMIT", 1000, minimum=1), "CULL_FREQUENCY": 3},
    } if env_bool("DJANGO_PDF_KEEP", True) else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}

# --- Database ---------------------------------------------------------------
# SQLite when DATABASE_URL is unset; PostgreSQL (psycopg2) in production,
# e.g. DATABASE_URL=postgres://register:secret@db.example/register
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Choice lists iterate querysets; server-side cursors would cost extra
    # round trips for a few rows, and break behind transaction-pooling proxies.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web server and the background worker write to one file: wait for the
    # other's lock rather than fail, and take write locks up front.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "register:work"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A link to set a password (a reset, or a new person's first) lasts this long and works
# once: Django's token holds the password, so setting one ends every link sent before.
# The emails say how long it lasts (accounts/emails.py).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
# At most one reset email to an account in this many seconds, however often the
# form is sent (accounts/throttling.py).
PASSWORD_RESET_EMAIL_INTERVAL = 5 * 60

# --- Email --------------------------------------------------------------------
# Sent for password resets and to people an administrator adds (accounts/emails.py).
# On a laptop emails are printed to the console; set DJANGO_EMAIL_HOST to send them
# through that SMTP server (STARTTLS on 587 unless told otherwise). Tests use Django's
# in-memory outbox whatever is set here.
_EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "").strip()
EMAIL_HOST = _EMAIL_HOST or "localhost"
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "").strip() or (
    "django.core.mail.backends.smtp.EmailBackend" if _EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", default=False)
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=not EMAIL_USE_SSL)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured(
        "DJANGO_EMAIL_USE_TLS and DJANGO_EMAIL_USE_SSL are both true: set one of them "
        "(TLS is STARTTLS, usually port 587; SSL is implicit TLS, usually port 465)."
    )
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 465 if EMAIL_USE_SSL else 587, minimum=1)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = (os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "").strip()
                      or "Partnership Register <noreply@localhost>")

# --- Sign-in throttling (django-axes) ---------------------------------------
# Failed sign-ins are counted in the database (so across gunicorn workers) per
# username and address together: after AXES_FAILURE_LIMIT failures that
# username is locked from that address for AXES_COOLOFF_TIME, and every try
# while locked starts the period again. An administrator of the person's councils
# lifts it early on the Manage pages (administration/).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out sign-ins
    "django.contrib.auth.backends.ModelBackend",
    "rules.permissions.ObjectPermissionBackend",  # user.has_perm(name, obj): register/rules.py
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_USERNAME_CALLABLE = "accounts.throttling.attempted_username"
# Only the address the request came from (gunicorn behind a proxy sees the proxy's).
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

# --- Sessions ---------------------------------------------------------------
# A session ends after DJANGO_SESSION_IDLE_MINUTES without a request (not 14
# days); pages warn SESSION_TIMEOUT_WARNING seconds before and offer to stay
# signed in (accounts/middleware.py, static/js/session-timeout.js).
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_TIMEOUT_WARNING = 120

# --- Security (production values switch on with DEBUG off behind HTTPS) ------
SECURE_HTTPS = env_bool("DJANGO_SECURE_HTTPS", default=False)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_HTTPS else None
SECURE_HSTS_SECONDS = 31536000 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
# Preloading (security.W021) is the decision of whoever owns the parent domain
# (a council's, or gov.uk), made on that domain: this service cannot opt in for it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Content Security Policy (django-csp) -----------------------------------
# Our own files only: no inline script or style anywhere, no other origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    },
}

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------
# GOV.UK Frontend arrives from npm (node_modules) and our compiled stylesheet
# from `npm run build:css` (static_build); neither is committed. In production
# set DJANGO_MANIFEST_STATIC=true after `collectstatic` for hashed, compressed
# files served by WhiteNoise.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    BASE_DIR / "static_build",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
STORAGES = {
    # Uploaded and generated files (scrutiny packs): see "Uploaded and generated files" below.
    "default": {
        "BACKEND": "common.storage.PrivateFileSystemStorage",
        "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_MANIFEST_STATIC", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Uploaded and generated files -----------------------------------------
# Finished scrutiny packs are files in the default storage, under MEDIA_ROOT. The web
# server and the worker must share this folder, and it is backed up with the database.
# Nothing serves it directly: downloads go through the pack's permission-checked view.
# Its files are private to the service's user (0600 in 0700 folders), and each appears
# whole or not at all (common/storage.py), so a full disk leaves no empty pack behind.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "media/"

# --- Forms ------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.9.0"

# --- History ----------------------------------------------------------------
# django-simple-history records changes to the register; reverting from the
# administration site would bypass the register's rules, so it is off.
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Register ---------------------------------------------------------------
REGISTER_PAGE_SIZE = 50
# Exports (CSV, XLSX) read the register this many partnerships at a time, each chunk's
# councils, partners and latest assessments in a few queries of its own.
EXPORT_CHUNK_SIZE = 2000
# The most partnerships one scrutiny pack may hold (a pack of 500 runs to thousands of pages).
SCRUTINY_PACK_LIMIT = 500
# How many packs one person may have waiting (queued or being built) at once; the
# worker builds one at a time, so more only holds up everyone else's.
SCRUTINY_PACK_QUEUE_LIMIT = 3

# Background work (scrutiny packs) is queued in the database and run by
# `manage.py run_worker`, which `make run` starts beside the web server.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# `manage.py run_worker` (register/worker.py) wraps db_worker: a worker silent for this
# many seconds is taken as dead and its task failed; after a database error it waits
# longer each time, up to WORKER_RETRY_MAX seconds, then tries again.
WORKER_LOST_AFTER = 60
WORKER_RETRY_MAX = 30

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusal_in_one_line": {"()": "config.errors.RefusalInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"],
             "level": env_choice("DJANGO_LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"])},
    "loggers": {
        # Django's own records go to the root's handler alone: its default console handler
        # (with debug on) would print each of them a second time.
        "django": {"handlers": [], "propagate": True},
        # WeasyPrint reports every layout step at INFO; its warnings (a refused fetch, say) still show.
        "weasyprint.progress": {"level": "WARNING"},
        # django-axes announces itself at start-up; its sign-in failures still show.
        "axes.apps": {"level": "WARNING"},
        # A 403 is the permission rules at work: one line (method, path, user), no traceback.
        "django.request": {"filters": ["refusal_in_one_line"]},
    },
}
