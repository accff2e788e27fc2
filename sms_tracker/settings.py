"""Settings, every value from the environment with an embedded default for local use.

With no variables set: SQLite, eager Celery tasks, e-mail to the console, DEBUG off.
`make run` sets DEBUG=1. Outside DEBUG, SECRET_KEY and ALLOWED_HOSTS must be given.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import environ
import structlog
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from kernel.filestore import s3_storage_setting

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None


def _secret(name, default=None):
    """Read NAME, or the file named by NAME_FILE (for Docker/Kubernetes secrets)."""
    file_path = env.str(f"{name}_FILE", default="")
    if file_path:
        return Path(file_path).read_text().strip()
    return env.str(name, default=default)


DEBUG = env.bool("DEBUG", default=False)
# Test runs (pytest) get the local defaults for the secret key and hosts.
TESTING = env.bool("SMS_TRACKER_TESTING", default="pytest" in sys.modules)
# Build-time commands that never serve a request may run without production secrets.
BUILD_COMMAND = (
    len(sys.argv) > 1
    and sys.argv[0].endswith("manage.py")
    and sys.argv[1]
    in {
        "makemigrations",
        "collectstatic",
    }
)

SECRET_KEY = _secret("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or TESTING or BUILD_COMMAND:
        SECRET_KEY = "insecure-local-development-key-never-used-in-production"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    if DEBUG or TESTING or BUILD_COMMAND:
        ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    else:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute links (e-mails, calendars) point at the local server by default, on the port `make run
# PORT=...` serves.
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip("/")

INSTALLED_APPS = [
    # Before the admin: its admin classes and the translated columns of the shipped ISO content
    # (clause titles and guidance, questions; docs/i18n.md).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "kernel",
    # reports and notifications first among the apps: their contributions (the management report,
    # task reminders) come first, as when sms_tracker declared them.
    "reports",
    "notifications",
    "sms_tracker",  # the configuration; an app only for its migrations' history
    "identity",
    "projects",
    "gapanalysis",
    "documents",
    "audits",
    "registers",
    "readiness",
    "api",
    "webhooks",
    "transfer",
    "backup",
    "connectors",
    "connectors.evidence",  # tickets as operating evidence (issue 24 §2)
    "django_structlog",  # JSON logs with a request id (block "Logs and metrics" below)
    "django_prometheus",
]

MIDDLEWARE = [
    # First and last: request latency by view and status (django-prometheus; see "Logs and metrics").
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the session: /healthz/, and a 503 when PostgreSQL or the task queue is
    # down (kernel/outages.py).
    "kernel.outages.ServiceUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the cookie set_language leaves, else Accept-Language (after the session,
    # before CommonMiddleware as Django asks); a signed-in user's own choice wins, below.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The language the signed-in user chose (identity/languages.py; no query: the session carries it).
    "identity.languages.UserLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A request id on every log line, carried into the tasks the request queues (after authentication,
    # so the lines carry the user id too).
    "django_structlog.middlewares.RequestMiddleware",
    "kernel.request_ids.request_id_middleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A project that requires MFA sends a member without it to the MFA setup (identity).
    "identity.middleware.MFARequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into its response.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords an account, and
# separately an address, is locked out for AXES_COOLOFF_MINUTES; the site and the admin both log
# in through authenticate(), so both are covered. A locked-out attempt answers 429.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Logs in the users allauth signs in without a password (OpenID Connect, after the MFA step).
    "allauth.account.auth_backends.AuthenticationBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The failure counts are rows in PostgreSQL (not the cache): the lockout holds on every web process
# and while Redis is down; it never fails open.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (0: none, as in
# docker-compose). Without it, behind a proxy every client would share the proxy's address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "kernel.client_ip.client_ip"
# One failure budget per account whatever the spelling: axes counts under the account's username
# (`THR1`, ` thr1` and the account's e-mail address all count as `thr1`; identity/lockout.py).
AXES_USERNAME_CALLABLE = "identity.lockout.axes_username"

ROOT_URLCONF = "sms_tracker.urls"
WSGI_APPLICATION = "sms_tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE, LANGUAGES: picker, <html lang>
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kernel.access.project_context",
                "identity.context.sign_in",
                "identity.context.language_choice",
            ],
            # {% url %} remembers its answers (kernel/templatetags/remembered_urls.py).
            "builtins": [
                "kernel.templatetags.remembered_urls",
                # {{ d|day }}, {{ user|person }}: one way to show dates and people, in every template.
                "kernel.templatetags.dates",
                "kernel.templatetags.people",
                "kernel.templatetags.phases",
                "kernel.templatetags.choices",
            ],
        },
    },
]

# Widgets render through the project's template engine, so templates/django/forms/ can name the
# empty choice of a picker ("— Unassigned —", never "---------").
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Outside DEBUG a worker keeps its connection (opening one costs more than most pages' queries);
# the health check replaces a connection the server dropped before it is used.
# DATABASE_POOL=1 uses psycopg's pool instead (PostgreSQL; worth it with threaded workers).
DATABASE_POOL = env.bool("DATABASE_POOL", default=False)
if DATABASE_POOL and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN", default=2),
        "max_size": env.int("DATABASE_POOL_MAX", default=10),
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG or TESTING else 300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A server that does not answer (a host gone, not a refused port) fails the request in seconds.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
# Form selects iterate their choices with .iterator(); on PostgreSQL that is a server-side cursor
# (DECLARE, FETCH, CLOSE: three round trips for a list of members). One plain query is cheaper.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing cost is irrelevant in tests and dominates their run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "projects:list"
LOGOUT_REDIRECT_URL = "account_login"

# Sign-in (README, "Sign-in: SSO, password and MFA") through django-allauth: the password login,
# OpenID Connect and TOTP with recovery codes in one flow. Accounts come from invitations (and the
# admin): nobody signs up (identity/adapters.py).
# LOCAL_LOGIN_ENABLED=0 leaves only the identity provider: the password form, its POSTs, password
# reset and change and the admin's own login are off.
LOCAL_LOGIN_ENABLED = env.bool("LOCAL_LOGIN_ENABLED", default=True)
ACCOUNT_ADAPTER = "identity.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "identity.adapters.SocialAccountAdapter"
# By username only: django-axes counts failures per username (the credential allauth passes on).
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = True  # as before: the session lasts SESSION_COOKIE_AGE, no checkbox
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Sensitive account pages (TOTP, recovery codes, keys) ask for the password again after this long;
# a fresh sign-in counts as recent (identity/adapters.py).
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Failed password logins are throttled by django-axes (per account and per address, 429 with our
# page); allauth's own counter of failures would answer first with a different page. allauth's
# per-address cap on all sign-in attempts is off too: it counts in the cache, and with Redis down its
# cache lock can never be taken, so every sign-in was refused (429) until Redis came back. The axes
# counts are rows in PostgreSQL: they hold with Redis down. allauth's other limits (password reset
# and change, reauthentication) stay; while Redis is down they refuse (429), they do not fail open.
ACCOUNT_RATE_LIMITS = {"login": None, "login_failed": None}
# OpenID Connect from the environment: no OIDC_PROVIDER_URL, no SSO button.
OIDC_PROVIDER_URL = env.str("OIDC_PROVIDER_URL", default="").rstrip("/")
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="your organisation's sign-in")
# The provider's slug in the callback URL: /accounts/oidc/<OIDC_PROVIDER_ID>/login/callback/.
OIDC_PROVIDER_ID = env.str("OIDC_PROVIDER_ID", default="sso")
# Unknown people who sign in through the provider get an account only with OIDC_AUTO_CREATE=1 (and
# a verified e-mail); they then see only the projects they are invited to.
OIDC_AUTO_CREATE = env.bool("OIDC_AUTO_CREATE", default=False)
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "APPS": (
            [
                {
                    "provider_id": OIDC_PROVIDER_ID,
                    "name": OIDC_PROVIDER_NAME,
                    "client_id": env.str("OIDC_CLIENT_ID", default=""),
                    "secret": _secret("OIDC_CLIENT_SECRET", default=""),
                    "settings": {
                        "server_url": OIDC_PROVIDER_URL,
                        "oauth_pkce_enabled": True,
                        "scope": ["openid", "profile", "email"],
                    },
                }
            ]
            if OIDC_PROVIDER_URL
            else []
        ),
    }
}
# An existing account is signed in by a provider's VERIFIED e-mail address (and linked to it);
# an unverified address links nothing (allauth only looks verified addresses up).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the sign-in page POSTs (CSRF) to start the provider's flow
# MFA for local accounts: TOTP with recovery codes, and security keys / passkeys (WebAuthn) as a
# second factor. WebAuthn needs HTTPS or http://localhost (fido2 accepts both; no insecure-origin
# switch). Passkeys are not a way to sign in without the password (no MFA_PASSKEY_LOGIN_ENABLED):
# django-axes and the identity provider stay the only doors.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# allauth's WebAuthn forms answer some malformed credentials with a 500 (identity/forms.py).
# The code and security-key steps are throttled in PostgreSQL (identity/second_factor.py).
MFA_FORMS = {
    "authenticate": "identity.forms.AuthenticateForm",
    "reauthenticate": "identity.forms.ReauthenticateForm",
    "add_webauthn": "identity.forms.AddWebAuthnForm",
    "authenticate_webauthn": "identity.forms.AuthenticateWebAuthnForm",
    "reauthenticate_webauthn": "identity.forms.ReauthenticateWebAuthnForm",
}
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="SMS Tracker")
MFA_RECOVERY_CODE_COUNT = 10
# allauth asks for a verified address before TOTP can be added; addresses here come from invitations
# (whose set-password link went to them) and the admin, and allauth's own verification is off.
MFA_ALLOW_UNVERIFIED_EMAIL = True

# Security throttles (issue 19 §2.1, §2.9; docs/security.md). Counted as rows in PostgreSQL
# (identity.models.ThrottleEvent), not in the cache: they hold on every web process and while
# Redis is down, and refuse when the count cannot be read. Wrong second-factor codes or security
# keys: this many per account, and per browser session, within the window; then every code is
# refused, the right one included, until the window moves on.
SECOND_FACTOR_FAILURES_PER_USER = env.int("SECOND_FACTOR_FAILURES_PER_USER", default=5)
SECOND_FACTOR_FAILURES_PER_SESSION = env.int("SECOND_FACTOR_FAILURES_PER_SESSION", default=10)
SECOND_FACTOR_WINDOW_MINUTES = env.int("SECOND_FACTOR_WINDOW_MINUTES", default=15)
# Invitations one person may send in an hour, across all projects (then 429, nothing created).
INVITATIONS_PER_HOUR = env.int("INVITATIONS_PER_HOUR", default=20)

# The languages of the interface, e-mails and PDFs (docs/i18n.md). English is the source language and
# the fallback of everything not yet translated, ISO content included.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("zh-hans", "简体中文"),
]
# Languages whose catalogues are complete (no untranslated or fuzzy entries): tests/i18n checks each
# with `msgfmt --statistics`. A language joins the list when its translation is finished.
I18N_COMPLETE_LANGUAGES = ["en", "de", "fr", "es", "zh-hans"]
# A test-only pseudo-locale (`manage.py pseudolocale`): every msgid accented and bracketed, so English
# that was never marked stands out (tests/i18n/test_pseudolocale.py). Not offered to users.
PSEUDO_LANGUAGE = "eo"
# The project's catalogues (`make messages`), then identity's: English sentence case for allauth's
# title-case strings (issue 25 §2.7), ahead of allauth's own catalogue.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "identity" / "locale"]
# Dates, numbers and the first day of the week follow the active language (sms_tracker/formats/:
# English keeps the British conventions the app always had: "6 Nov 2026", weeks from Monday).
FORMAT_MODULE_PATH = ["sms_tracker.formats"]
LANGUAGE_COOKIE_NAME = "sms_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
# modeltranslation: the ISO content's translated columns fall back to English while empty.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "de", "fr", "es", "zh-hans")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# A row made in any language (an imported template) fills the English column too, which every
# language falls back to.
MODELTRANSLATION_AUTO_POPULATE = "default"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# Files browsers ask for at the site root (/favicon.ico), served by WhiteNoise as they are.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"  # uploads are only served through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Storage for uploads per project (evidence and document versions together); 0 = no quota.
UPLOAD_PROJECT_QUOTA_BYTES = env.int("UPLOAD_PROJECT_QUOTA_BYTES", default=2 * 1024 * 1024 * 1024)
# Office/OpenDocument files are zip archives: refuse those that inflate beyond these bounds.
UPLOAD_ZIP_MAX_UNPACKED_BYTES = env.int("UPLOAD_ZIP_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024)
UPLOAD_ZIP_MAX_RATIO = env.int("UPLOAD_ZIP_MAX_RATIO", default=100)
UPLOAD_ZIP_MAX_ENTRIES = env.int("UPLOAD_ZIP_MAX_ENTRIES", default=10000)
# Whole-project archives (transfer/): the largest upload on the import page, and what its
# members may unpack to in all (the uploaded files of a project are bounded by its quota above).
PROJECT_ARCHIVE_MAX_BYTES = env.int("PROJECT_ARCHIVE_MAX_BYTES", default=2 * 1024 * 1024 * 1024)
PROJECT_ARCHIVE_MAX_UNPACKED_BYTES = env.int(
    "PROJECT_ARCHIVE_MAX_UNPACKED_BYTES", default=4 * 1024 * 1024 * 1024
)
PROJECT_ARCHIVE_MAX_MEMBERS = env.int("PROJECT_ARCHIVE_MAX_MEMBERS", default=100_000)
# Imports run in the background (transfer/tasks.py) and read data.json as a stream (README, "Moving a
# project"). Refused before parsing: a data.json larger than a base allowance plus this much per row
# the manifest declares (the padding no real archive has), more rows or people than these. Refused
# while parsing: one value, or a run of blank space, longer than PROJECT_IMPORT_MAX_VALUE_BYTES, and
# one row larger than PROJECT_IMPORT_MAX_ROW_BYTES; memory stays bounded by these, not by the size.
PROJECT_IMPORT_MAX_BYTES_PER_ROW = env.int("PROJECT_IMPORT_MAX_BYTES_PER_ROW", default=32 * 1024)
PROJECT_IMPORT_BASE_BYTES = env.int("PROJECT_IMPORT_BASE_BYTES", default=4 * 1024 * 1024)
PROJECT_IMPORT_MAX_ROWS = env.int("PROJECT_IMPORT_MAX_ROWS", default=2_000_000)
PROJECT_IMPORT_MAX_PEOPLE = env.int("PROJECT_IMPORT_MAX_PEOPLE", default=2000)
PROJECT_IMPORT_MAX_VALUE_BYTES = env.int("PROJECT_IMPORT_MAX_VALUE_BYTES", default=2 * 1024 * 1024)
PROJECT_IMPORT_MAX_ROW_BYTES = env.int("PROJECT_IMPORT_MAX_ROW_BYTES", default=4 * 1024 * 1024)
# Imports per person, counted in PostgreSQL: this many at a time (queued or running) and per hour.
PROJECT_IMPORT_MAX_RUNNING_PER_USER = env.int("PROJECT_IMPORT_MAX_RUNNING_PER_USER", default=1)
PROJECT_IMPORT_MAX_PER_HOUR = env.int("PROJECT_IMPORT_MAX_PER_HOUR", default=5)
# The time an import may take in the worker; a job still "running" after it was lost with its worker.
PROJECT_IMPORT_TIME_LIMIT = env.int("PROJECT_IMPORT_TIME_LIMIT", default=3600)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Files in object storage (issue 22 §1; docs/operations-backup.md) ---
# With AWS_STORAGE_BUCKET_NAME set, every stored file (document versions, evidence, attachments,
# report PDFs, import archives) lives in that S3-compatible bucket through django-storages; without
# it, on local disk under MEDIA_ROOT as before. Downloads are streamed through the app after the
# permission check (no presigned URLs: the bucket need not be reachable by browsers).
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
_s3_storage = s3_storage_setting(os.environ)
if _s3_storage:
    STORAGES["default"] = _s3_storage

# E-mail: console unless EMAIL_URL is given (e.g. smtp+tls://user:pass@host:587).
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SMS Tracker <noreply@sms-tracker.local>")

# Celery: a real broker when REDIS_URL is set, otherwise tasks run in-process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"

# Django's cache (fragments, page parts, API rate counts): Redis through django-redis when CACHE_URL
# or REDIS_URL is set, otherwise memory local to each process. Tests keep to memory unless a test
# asks for Redis (tests/cache/, with a key prefix of its own per run and worker).
# A cache that cannot be reached is a miss, never an error (IGNORE_EXCEPTIONS): pages are drawn
# uncached from PostgreSQL while Redis is down, and short socket timeouts keep each miss to
# milliseconds. The misses are logged, one line at a time (kernel/outages.py).
CACHE_URL = env.str("CACHE_URL", default="" if TESTING else REDIS_URL)


def redis_cache(location: str, key_prefix: str) -> dict:
    """The Redis cache as deployed (tests that use Redis build theirs with this too)."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": key_prefix,
        "TIMEOUT": env.int("CACHE_TIMEOUT", default=86400),
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": env.float("CACHE_CONNECT_TIMEOUT", default=0.25),
            "SOCKET_TIMEOUT": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
        },
    }


CACHES = {
    "default": (
        redis_cache(CACHE_URL, env.str("CACHE_KEY_PREFIX", default="sms"))
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": env.int("CACHE_TIMEOUT", default=86400),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    )
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "sms_tracker.cache"
# Page parts cached until a table they read is written (kernel/pagecache.py). The
# generations must be seen by every process that writes: on with a shared cache (Redis), off with
# memory per process unless asked for (tests: one process; `PAGE_CACHE=1`).
PAGE_CACHE = env.bool("PAGE_CACHE", default=bool(CACHE_URL) or TESTING)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
# Asking for a report must answer quickly when the broker is down: few, short publish retries.
CELERY_BROKER_TRANSPORT_OPTIONS.update(
    socket_connect_timeout=env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=2.0),
    socket_timeout=env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=5.0),
)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.3,
    "interval_max": 1,
}

# --- Queues by kind and the beat lock (docs/operations.md, "Queues and workers") ---
# The routing table is in sms_tracker/celery.py (TASK_KINDS, a router read at publish time); queues are
# named CELERY_QUEUE_PREFIX + kind: reports, email, webhooks, imports, sweeps, and the default queue
# above for the rest.
CELERY_QUEUE_PREFIX = env.str("CELERY_QUEUE_PREFIX", default="")
# Beat keeps its schedule in Redis (celery-redbeat) and holds a Redis lock while it runs: a second beat
# process (a rollout, a pod started twice) waits for the lock instead of scheduling everything again,
# and takes over within CELERY_BEAT_LOCK_TIMEOUT seconds when the first one dies.
if REDIS_URL:
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
CELERY_REDBEAT_REDIS_URL = REDIS_URL or None
CELERY_REDBEAT_KEY_PREFIX = env.str("CELERY_BEAT_KEY_PREFIX", default="sms-tracker:beat:")
CELERY_REDBEAT_LOCK_KEY = CELERY_REDBEAT_KEY_PREFIX + "lock"
CELERY_REDBEAT_LOCK_TIMEOUT = env.int("CELERY_BEAT_LOCK_TIMEOUT", default=300)
# How often beat wakes (and renews its lock); shorter than the lock's lifetime.
CELERY_BEAT_MAX_LOOP_INTERVAL = env.int("CELERY_BEAT_MAX_LOOP_INTERVAL", default=30)

# Background work (README, "Background work"). A report still "running" this long after it started was
# lost with its worker: the recovery task retries it (up to REPORT_MAX_ATTEMPTS) or marks it failed.
REPORT_STALE_AFTER_SECONDS = env.int("REPORT_STALE_AFTER_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60)
REPORT_MAX_ATTEMPTS = env.int("REPORT_MAX_ATTEMPTS", default=2)
# A report still "queued" this long was probably lost by the broker (a message that never reached
# a worker): the recovery task sends it again (up to REPORT_MAX_ATTEMPTS times, then fails it) and
# the Reports page offers "Try again" for it.
REPORT_QUEUED_STALE_AFTER_SECONDS = env.int("REPORT_QUEUED_STALE_AFTER_SECONDS", default=900)
# Reports one person may ask for per hour, across projects (0 = no limit); more answers 429.
REPORT_RATE_LIMIT_PER_HOUR = env.int("REPORT_RATE_LIMIT_PER_HOUR", default=20)
REPORT_DEFAULT_DAY_OF_MONTH = env.int("REPORT_DEFAULT_DAY_OF_MONTH", default=1)
REMINDER_HORIZON_DAYS = env.int("REMINDER_HORIZON_DAYS", default=7)
REMINDER_AUDIT_HORIZON_DAYS = env.int("REMINDER_AUDIT_HORIZON_DAYS", default=14)
REMINDER_ESCALATION_DAYS = env.int("REMINDER_ESCALATION_DAYS", default=7)
# Days an auditee has to answer a finding (correction, root cause, corrective-action plan), per
# grade; certification bodies commonly allow 30 to 90 days, the shorter window for a major NC.
FINDING_RESPONSE_DAYS_MAJOR = env.int("FINDING_RESPONSE_DAYS_MAJOR", default=30)
FINDING_RESPONSE_DAYS_MINOR = env.int("FINDING_RESPONSE_DAYS_MINOR", default=90)
# Surveillance audits due this many days ahead appear in the reminders.
REMINDER_SURVEILLANCE_HORIZON_DAYS = env.int("REMINDER_SURVEILLANCE_HORIZON_DAYS", default=60)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
# Webhooks: attempts per delivery (backoff base * 2^(attempt-1), at most an hour apart), the time a
# receiver has to answer, and whether addresses inside the network (127.0.0.1, 10.x, …) are allowed —
# only in the embedded start by default: elsewhere a webhook must not reach internal services.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_RETRY_BASE_SECONDS = env.int("WEBHOOK_RETRY_BASE_SECONDS", default=30)
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=DEBUG)

# Ticketing connectors (connectors/, docs/connectors.md). Credentials are encrypted with Fernet keys
# from the environment: CONNECTOR_CREDENTIALS_KEYS (or _FILE), comma-separated, the first encrypts and
# every one decrypts (rotation). No key outside DEBUG and tests: credentials cannot be stored (the form
# says so) — there is no default key in production. A key that is not a Fernet key stops the start.
CONNECTOR_CREDENTIALS_KEYS = [
    k.strip() for k in (_secret("CONNECTOR_CREDENTIALS_KEYS", default="") or "").split(",") if k.strip()
]
if not CONNECTOR_CREDENTIALS_KEYS and (DEBUG or TESTING):
    # A fixed local key (urlsafe base64 of 32 bytes): never used outside DEBUG and tests.
    CONNECTOR_CREDENTIALS_KEYS = ["bG9jYWwtZGV2LWtleS1uZXZlci1pbi1wcm9kLTMyYiE="]
try:
    from cryptography.fernet import Fernet as _Fernet

    for _key in CONNECTOR_CREDENTIALS_KEYS:
        _Fernet(_key)
except ValueError:
    raise ImproperlyConfigured(
        "CONNECTOR_CREDENTIALS_KEYS holds a value that is not a Fernet key (urlsafe base64 of 32 bytes)."
    ) from None
CONNECTOR_HTTP_TIMEOUT_SECONDS = env.int("CONNECTOR_HTTP_TIMEOUT_SECONDS", default=30)
CONNECTOR_PAGE_SIZE = env.int("CONNECTOR_PAGE_SIZE", default=100)
CONNECTOR_MAX_RETRIES = env.int("CONNECTOR_MAX_RETRIES", default=5)  # 429/503 answers retried per page
CONNECTOR_MAX_RETRY_AFTER_SECONDS = env.int("CONNECTOR_MAX_RETRY_AFTER_SECONDS", default=120)
CONNECTOR_CLAIM_SECONDS = env.int("CONNECTOR_CLAIM_SECONDS", default=900)  # a sync's hold on its connector
REMINDER_SWEEP_HOUR = env.int("REMINDER_SWEEP_HOUR", default=6)
MONTHLY_REPORT_HOUR = env.int("MONTHLY_REPORT_HOUR", default=5)

# Every periodic task, in one place. Each finds due rows and fans out to per-row tasks.
CELERY_BEAT_SCHEDULE = {
    "reminder-sweep": {
        "task": "notifications.tasks.reminder_sweep",
        "schedule": crontab(hour=REMINDER_SWEEP_HOUR, minute=0),
    },
    "monthly-reports": {
        "task": "reports.tasks.monthly_reports",
        "schedule": crontab(hour=MONTHLY_REPORT_HOUR, minute=30),
    },
    "recover-stale-reports": {"task": "reports.tasks.recover_stale_reports", "schedule": 300.0},
    "recover-stale-register-snapshots": {
        "task": "reports.tasks.recover_stale_register_snapshots",
        "schedule": 300.0,
    },
    "outbox-flush": {"task": "kernel.outbox.outbox_flush", "schedule": 900.0},
    "webhooks-flush": {"task": "kernel.webhooks.webhooks_flush", "schedule": 60.0},
    "webhooks-readiness": {"task": "webhooks.tasks.webhooks_readiness", "schedule": 300.0},
    "api-idempotency-purge": {"task": "api.tasks.purge_idempotency_keys", "schedule": 3600.0},
    # Ticketing connectors due for their scheduled sync (each has its own interval).
    "connectors-sweep": {"task": "connectors.tasks.connectors_sweep", "schedule": 300.0},
    # Closed months of synced tickets frozen as operating evidence (connectors/evidence), daily.
    "ticket-months-freeze": {
        "task": "connectors.evidence.tasks.freeze_sweep",
        "schedule": crontab(hour=2, minute=15),
    },
}

# REST API (api): tokens first, so a request without credentials gets 401 with
# `WWW-Authenticate: Bearer`; the session serves Swagger UI and keeps DRF's CSRF check.
API_TOKEN_RATE = env.str("API_TOKEN_RATE", default="600/minute")
API_SESSION_RATE = env.str("API_SESSION_RATE", default="1200/minute")
# A token's last use is written at most this often (not on every request).
API_TOKEN_TOUCH_SECONDS = env.int("API_TOKEN_TOUCH_SECONDS", default=60)
API_IDEMPOTENCY_TTL_HOURS = env.int("API_IDEMPOTENCY_TTL_HOURS", default=24)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.tokens.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.TokenRateThrottle",
        "api.throttling.SessionUserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"token": API_TOKEN_RATE, "session": API_SESSION_RATE},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    # Documents the problem+json errors, Idempotency-Key, ETag and If-Match of every operation.
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SMS Tracker API",
    "DESCRIPTION": "Read and update an ISO/IEC 20000-1:2018 implementation project. Authenticate with "
    "`Authorization: Bearer <personal access token>` (created on your account page).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our static files: no CDN, the CSP stays 'self'
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # PATCH bodies keep their required fields (`version`): no all-optional "Patched…" copies.
    "COMPONENT_SPLIT_PATCH": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Ids in API URLs (api/converters.py): positive and within PostgreSQL's bigint.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}},
    "ENUM_NAME_OVERRIDES": {
        "TaskStatusEnum": "projects.models.TaskStatus",
        "PhaseStatusEnum": "projects.models.PhaseStatus",
        "AssessmentStatusEnum": "gapanalysis.models.AssessmentStatus",
        "DocumentStatusEnum": "documents.models.DocumentStatus",
        "VersionStatusEnum": "documents.models.VersionStatus",
        "AuditStatusEnum": "audits.models.AuditStatus",
        "FindingStatusEnum": "audits.models.FindingStatus",
        "ActionStatusEnum": "audits.models.ActionStatus",
        "ReportStatusEnum": "reports.models.ReportStatus",
        "AssessmentKindEnum": "gapanalysis.models.AssessmentKind",
        "EvidenceSourceEnum": "api.serializers.operation.SOURCE_KINDS",
        "OperatingStateEnum": "api.serializers.operation.OPERATING_STATES",
        # the registers (api/views/registers.py): several choice sets share a field name or their values
        "IssueKindEnum": "registers.models.IssueKind",
        "SupplierKindEnum": "registers.models.SupplierKind",
        "RiskKindEnum": "registers.models.RiskKind",
        "ScoreScaleEnum": "registers.models.SCALE",
        "PriorityEnum": "projects.models.Priority",
        "ServiceStatusEnum": "registers.models.ServiceStatus",
        "RiskStatusEnum": "registers.models.RiskStatus",
        "ObjectiveStatusEnum": "registers.models.ObjectiveStatus",
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo-pass-2018")

# Security defaults; secure cookies and HSTS outside DEBUG.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG and not TESTING)
SESSION_COOKIE_HTTPONLY = True
# Sessions live in PostgreSQL alone: signing in and staying signed in never depend on Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Plain HTTP is redirected to HTTPS outside DEBUG; a deployment that terminates TLS in a proxy sets
# SECURE_PROXY_SSL_HEADER so the redirect sees the original scheme. The health check stays on HTTP
# for container probes.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG and not TESTING)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^metrics/$"]  # probes and the in-cluster scraper
# One year of HSTS outside DEBUG (check --deploy asks for at least that), subdomains included;
# preload is a decision for the operator, so it stays off unless asked for.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Preloading is hard to undo and binds every subdomain of the operator's domain: their decision,
# so check --deploy's reminder about it (W021) is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# X-Forwarded-Proto is only believed behind a proxy that sets it: docker-compose exposes gunicorn
# directly, where any client could send the header and pass as HTTPS.
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no
# inline code, nothing framed, forms post only to us. SVG charts and images are inline markup or data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logs and metrics (docs/operations.md, "Logs" and "Metrics") ---
# Every line is one JSON object (LOG_FORMAT=json, the default outside DEBUG) with the time, level,
# logger, event and the context bound to it: the request id, user id and client address of the web
# request (django-structlog), and in a worker the task id and the request id of the request that
# queued the task. LOG_FORMAT=plain prints the same as readable text (the default under DEBUG).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
DJANGO_STRUCTLOG_CELERY_ENABLED = True
# The address is bound by kernel/request_ids.py, the way the sign-in throttle reads it.
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
# An id set by the proxy in front (ingress-nginx sets X-Request-ID) is kept, so its access log and ours
# meet; it only ever names log lines.
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = env.bool("TRUST_UPSTREAM_REQUEST_ID", default=True)
# Celery must not replace the logging configured here with its own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
_LOG_PRE_CHAIN = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.stdlib.ExtraAdder(),
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]
structlog.configure(
    processors=[
        structlog.stdlib.filter_by_level,
        *_LOG_PRE_CHAIN,
        structlog.stdlib.PositionalArgumentsFormatter(),
        structlog.processors.StackInfoRenderer(),
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    cache_logger_on_first_use=True,
)
_LOG_RENDERER = (
    structlog.processors.JSONRenderer()
    if LOG_FORMAT == "json"
    else structlog.dev.ConsoleRenderer(colors=False)
)
# Metrics (kernel/metrics.py) at METRICS_PATH, never public: a staff user, a bearer token
# (METRICS_TOKEN / METRICS_TOKEN_FILE), or a client address in METRICS_ALLOWED_NETWORKS (CIDRs, e.g.
# the cluster's pod network). Anyone else gets 404.
METRICS_PATH = env.str("METRICS_PATH", default="metrics/").strip("/") + "/"
METRICS_TOKEN = _secret("METRICS_TOKEN") or ""
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                _LOG_RENDERER,
            ],
            "foreign_pre_chain": _LOG_PRE_CHAIN,
        },
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "filters": {
        "cache_outage": {"()": "kernel.outages.CacheOutageLogFilter"},
        # An outage answered 503 is logged once, in one line, by kernel/outages.py: the records that
        # would repeat it with a traceback (Django's, django-structlog's) are left out.
        "outage_traceback": {"()": "kernel.outages.OutageTracebackFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "structured",
            "filters": ["outage_traceback"],
        },
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every login at INFO; failures and lockouts still come through as warnings.
    "loggers": {
        "axes": {"level": env.str("AXES_LOG_LEVEL", default="WARNING")},
        # Calls django-redis answered as misses because Redis was down: one line every few seconds.
        "sms_tracker.cache": {"filters": ["cache_outage"]},
        # Django's default config gives "django" a console handler of its own (DEBUG only) and lets
        # it propagate to our root handler too: every warning ("Not Found: ...") printed twice under
        # `make run`. Its records go through the root handler alone.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # Configuring "django" resets its children: runserver's request lines keep Django's format.
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
