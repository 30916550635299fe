"""Sportello settings, read from the environment.

SPORTELLO_ENV selects the defaults: ``demo`` (``make run``), ``dev``, ``test`` (the suite) and ``production``.
Production refuses to start with DEBUG on, the default secret key, or a sandbox provider enabled.
"""

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

# pysaml2 still imports a cipher mode that cryptography has moved; nothing Sportello can act on.
warnings.filterwarnings("ignore", message="CFB has been moved", module="saml2")

BASE_DIR = Path(__file__).resolve().parent  # src/sportello
PROJECT_DIR = BASE_DIR.parent.parent

ENV = os.environ.get("SPORTELLO_ENV", "dev")
if ENV not in {"demo", "dev", "test", "production"}:
    raise ImproperlyConfigured(f"SPORTELLO_ENV must be demo, dev, test or production, not {ENV!r}")
# Local state (SQLite database, SAML keys, media, mail): the suite keeps its own under var/test/, so the
# demo and the tests never read what the other left behind.
VAR_DIR = Path(
    os.environ.get(
        "SPORTELLO_VAR_DIR", PROJECT_DIR / "var" / "test" if ENV == "test" else PROJECT_DIR / "var"
    )
)
PRODUCTION = ENV == "production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


INSECURE_SECRET_KEY = "sportello-insecure-development-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_SECRET_KEY)
DEBUG = env_bool("DEBUG", ENV == "dev")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Sandbox providers (demo SAML IdP, pagoPA sandbox, ...) stand in for external systems in the demo and
# the tests. They sit behind the same interfaces as the real providers and are never on in production.
SANDBOX_PROVIDERS = env_list(
    "SPORTELLO_SANDBOX_PROVIDERS",
    [] if PRODUCTION else ["demo_idp", "pagopa_sandbox", "pitre_sandbox", "io_sandbox"],
)

if PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("DEBUG is on")
    if SECRET_KEY == INSECURE_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        problems.append("SECRET_KEY is the default one, shorter than 50 characters or not random")
    if SANDBOX_PROVIDERS:
        problems.append(f"sandbox providers are enabled ({', '.join(SANDBOX_PROVIDERS)})")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems) + ".")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "bootstrap_italia_template",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # domain
    "sportello.core",
    "sportello.municipalities",
    "sportello.accounts",
    "sportello.notifications",
    "sportello.catalog",
    "sportello.applications",
    "sportello.integrations",
    "sportello.scheduling",
    "sportello.payments",
    "sportello.subscriptions",
    "sportello.rooms",
    # interfaces
    "sportello.portal",
    "sportello.backoffice",
    "sportello.demo",
    "sportello.identity",
    "sportello.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "djangosaml2.middleware.SamlSessionMiddleware",
    "sportello.municipalities.middleware.TenantMiddleware",
    "sportello.api.problems.ApiMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sportello.accounts.middleware.PasswordChangeRequiredMiddleware",
    "sportello.portal.middleware.PrivacyConsentMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "sportello.core.middleware.PrivateResponsesMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sportello.urls"
WSGI_APPLICATION = "sportello.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sportello.core.context_processors.sportello",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: SQLite by default (embedded, for the demo and a fresh machine), PostgreSQL via DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sportello.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions: writers take the lock at BEGIN, so concurrent web and worker
    # processes queue instead of failing with "database is locked" half-way through a transaction.
    # Persistent (per thread) outside tests: opening a connection parses the whole schema (about 5 ms here), which
    # would cost a cached public page more than everything else it does (bench/public_pages.py).
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if ENV == "test" else int(os.environ.get("CONN_MAX_AGE", "60"))
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    if ENV == "test":
        # A file (the task worker and the live server open their own connections), one per test process.
        DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-sportello-{os.getpid()}.sqlite3")}

# PgBouncer in transaction mode (DATABASE_PGBOUNCER=1): a server connection changes under every transaction, so
# no server-side cursors (Django would otherwise use them for .iterator()) and no persistent-connection checks.
if env_bool("DATABASE_PGBOUNCER", False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# An optional read replica for the heavy reads of the API's lists (sportello.core.db_router.replica_reads).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"].get(
        "DISABLE_SERVER_SIDE_CURSORS", False
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["sportello.core.db_router.ReplicaRouter"]

# Cache (API rate-limit counters, ...): per process by default; shared across web nodes with
# CACHE_URL=redis://host:6379/0 or CACHE_URL=db (table created by `manage.py createcachetable`).
_cache_url = os.environ.get("CACHE_URL", "")
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}}
elif _cache_url == "db":
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "sportello_cache"}
    }

# The anonymous public pages' cache (sportello.core.pagecache): in the default cache when it is shared (Redis, db),
# else in a per-process memory cache of its own (invalidation is shared anyway: it goes through the database).
# PAGE_CACHE_SECONDS=0 turns it off.
if "CACHES" not in globals():
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"}}
CACHES["pages"] = (
    {**CACHES["default"], "KEY_PREFIX": "pages"}
    if _cache_url
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_MAX_ENTRIES", "2000"))},
    }
)
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ENV == "test":
    # Hashing is real in every other environment; the suite only needs it fast.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The reverse proxies in front of Sportello (addresses or networks, e.g. "10.0.0.5,10.1.0.0/24"): only from them
# is the client's address read in X-Forwarded-For (sportello.core.clientip). Empty: the connection's address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
TRUSTED_PROXY_HEADER = "HTTP_" + os.environ.get("TRUSTED_PROXY_HEADER", "X-Forwarded-For").upper().replace(
    "-", "_"
)
# Behind a TLS-terminating proxy (the default in production) the scheme comes from X-Forwarded-Proto: trusted
# only with the proxies declared. SPORTELLO_BEHIND_PROXY=false when gunicorn faces the clients itself.
BEHIND_PROXY = env_bool("SPORTELLO_BEHIND_PROXY", PRODUCTION)

# Login throttling (sportello.accounts.throttling): 5 failures for one username from one address lock it out for
# 15 minutes; past 10 failures from one address, across usernames, each attempt waits longer (a progressive delay).
# A browser where the account logged in before is trusted for it: neither applies to it.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sportello.backoffice.views.auth.lockout"
AXES_CLIENT_IP_CALLABLE = "sportello.core.clientip.client_ip"
AXES_WHITELIST_CALLABLE = "sportello.accounts.throttling.known_device"
AXES_VERBOSE = False
LOGIN_ADDRESS_FREE_FAILURES = int(os.environ.get("LOGIN_ADDRESS_FREE_FAILURES", "10"))
LOGIN_ADDRESS_MAX_DELAY_SECONDS = int(os.environ.get("LOGIN_ADDRESS_MAX_DELAY_SECONDS", "300"))

# Content-Security-Policy (django-csp): scripts only from Sportello itself or inline with the response's nonce
# (templates write nonce="{{ CSP_NONCE }}"); no plugins, no framing, no foreign base URL. Styles allow inline ones:
# Bootstrap Italia's scripts create <style> elements at run time (its fonts, some components). No form-action:
# the SAML forms post to the citizens' identity providers.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sessions and cookies: first-party only, nothing for third parties.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION and BEHIND_PROXY:
    if not TRUSTED_PROXIES:
        raise ImproperlyConfigured(
            "Refusing to start in production: behind a reverse proxy (SECURE_PROXY_SSL_HEADER) TRUSTED_PROXIES must "
            "list the proxies' addresses (or set SPORTELLO_BEHIND_PROXY=false when no proxy is in front)."
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PRODUCTION:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    # On by default (manage.py check --deploy is clean); an installation whose subdomains are not all on HTTPS, or
    # that does not want the preload list, turns them off knowingly, and the matching warning is silenced.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SILENCED_SYSTEM_CHECKS = [
        check
        for check, enabled in (
            ("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
            ("security.W021", SECURE_HSTS_PRELOAD),
        )
        if not enabled
    ]
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)

# Languages: Italian first; English and German complete. The language sits after the municipality's
# slug in every URL (/<slug>/<lang>/...), so it is activated by the tenant middleware, not LocaleMiddleware.
LANGUAGE_CODE = "it"
# Each language named in itself (the language switcher); forms name them in the page's language.
LANGUAGES = [("it", "Italiano"), ("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Rome"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Attachments on local disk (MEDIA_ROOT) by default; on S3-compatible storage (MinIO, AWS, Ceph...) with
# AWS_STORAGE_BUCKET_NAME (+ AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), never public.
_bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
_default_storage = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if _bucket
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        # The demo serves as production does: fingerprinted, compressed files (after collectstatic).
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if ENV in {"production", "demo"}
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail: EMAIL_URL (smtp://user:pass@host:587/?tls=True). Outside production the default writes each
# message to the console and to a file under var/mail/ (SPORTELLO_MAIL_DIR), so the demo shows them.
EMAIL_FILE_PATH = Path(os.environ.get("SPORTELLO_MAIL_DIR", VAR_DIR / "mail"))
_email_url = os.environ.get("EMAIL_URL")
if _email_url:
    _email = dj_email_url.parse(_email_url)
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
    if _email.get("EMAIL_FILE_PATH"):
        EMAIL_FILE_PATH = Path(_email["EMAIL_FILE_PATH"])
elif PRODUCTION:
    raise ImproperlyConfigured("Refusing to start in production: EMAIL_URL is not set.")
else:
    EMAIL_BACKEND = "sportello.notifications.backends.ConsoleAndFileBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sportello <noreply@sportello.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Django's task API with the database backend. Enqueueing writes a row in the
# caller's transaction, so a task exists if and only if the business write that asked for it committed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Periodic jobs run by `manage.py scheduler` (core/scheduler.py): name -> (dotted path of a task that takes no
# arguments, interval in seconds). Each tick is enqueued once across all machines (a unique row per job and tick).
PERIODIC_TASKS: dict[str, tuple[str, int]] = {
    "core.stale_tasks_requeue": ("sportello.core.tasks.stale_tasks_requeue", 300),
    "core.periodic_ticks_prune": ("sportello.core.tasks.periodic_ticks_prune", 86400),
    "notifications.io_messages_reconcile": ("sportello.notifications.tasks.io_messages_reconcile", 300),
    "applications.anonymous_drafts_purge": ("sportello.applications.tasks.anonymous_drafts_purge", 3600),
    "applications.statistics_refresh": ("sportello.applications.tasks.statistics_refresh_all", 300),
    "scheduling.holds_release": ("sportello.scheduling.tasks.holds_release_expired", 60),
    "scheduling.reminders": ("sportello.scheduling.tasks.reminders_send", 300),
    "subscriptions.reminders_due": ("sportello.subscriptions.tasks.reminders_due_send", 3600),
    "rooms.holds_release": ("sportello.rooms.tasks.room_holds_release_expired", 60),
    "rooms.reminders": ("sportello.rooms.tasks.room_reminders_send", 300),
    "integrations.idempotency_keys_purge": ("sportello.integrations.tasks.idempotency_keys_purge", 3600),
}
# Subscription services: an item without a due date falls due this many days after enrolment; reminders go
# this many days before a due date.
SUBSCRIPTION_DUE_DAYS = 15
SUBSCRIPTION_REMINDER_DAYS = 5

# App IO (sportello.notifications): the API's base URL; each service's keys are in its IOBinding.
IO_API_BASE_URL = os.environ.get("SPORTELLO_IO_API_BASE_URL", "https://api.io.pagopa.it/api/v1").rstrip("/")
# REST API (/api/v1/, sportello.api): tokens or staff sessions, JSON only, errors as problem+json.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sportello.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["sportello.api.throttling.ApiRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "sportello.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per token (or per address without one) and window: "<n>/<second|minute|hour|day>".
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "100000/minute" if ENV == "test" else "600/minute")
API_CONTACT_EMAIL = os.environ.get("API_CONTACT_EMAIL", "api@sportello.example.org")
API_TERMS_URL = os.environ.get("API_TERMS_URL", "https://sportello.example.org/termini-api")
SPECTACULAR_SETTINGS = {
    "TITLE": "Sportello API",
    "DESCRIPTION": "API REST di Sportello per le integrazioni dei comuni (contabilità, protocollo, sito "
    "istituzionale, eliminacode). Autenticazione con token dell'ente; errori application/problem+json.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStateEnum": "sportello.applications.states.State",
        "ServiceKindEnum": "sportello.catalog.constants.Kind",
        "AttachmentKindEnum": "sportello.applications.models.Attachment.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sportello.api.schema.postprocess",
    ],
    "payments.poll": ("sportello.payments.tasks.payments_poll", 60),
    # Hourly: the task writes and e-mails yesterday's export once per municipality and day (the first run).
    "payments.accounting_export": ("sportello.payments.tasks.accounting_export_daily", 3600),
}

# Anonymous applications (services with anonymous access, used without logging in), per address and service:
# new drafts and submissions (each takes an official protocol number) per hour; drafts left untouched this many
# hours are purged by the periodic task above.
ANONYMOUS_DRAFTS_PER_HOUR = int(os.environ.get("SPORTELLO_ANONYMOUS_DRAFTS_PER_HOUR", "20"))
ANONYMOUS_SUBMISSIONS_PER_HOUR = int(os.environ.get("SPORTELLO_ANONYMOUS_SUBMISSIONS_PER_HOUR", "5"))
ANONYMOUS_DRAFT_MAX_AGE_HOURS = int(os.environ.get("SPORTELLO_ANONYMOUS_DRAFT_MAX_AGE_HOURS", "24"))

# Seconds to wait for P.I.Tre. before an answer counts as lost (the entry is then searched before any retry).
PITRE_TIMEOUT = float(os.environ.get("SPORTELLO_PITRE_TIMEOUT", "30"))

# Webhooks never go to internal addresses (loopback, private, link-local, ...: integrations/addresses.py) except
# these networks, comma-separated: the demo's, the tests' and the multi-node proof's receivers on 127.0.0.1.
WEBHOOK_ALLOWED_NETWORKS = [
    network.strip()
    for network in os.environ.get(
        "SPORTELLO_WEBHOOK_ALLOWED_NETWORKS", "" if PRODUCTION else "127.0.0.0/8,::1/128"
    ).split(",")
    if network.strip()
]

# The public base URL, for links in e-mails sent by the worker (no request there).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
PLATFORM_NAME = os.environ.get("SPORTELLO_PLATFORM_NAME", "Sportello")
# The help desk of the consortium running the installation, on the staff's "Aiuto -> Supporto" page (set by the
# platform staff; an empty value is left out).
SUPPORT = {
    "name": os.environ.get("SPORTELLO_SUPPORT_NAME", f"Assistenza {PLATFORM_NAME}"),
    "email": os.environ.get("SPORTELLO_SUPPORT_EMAIL", ""),
    "phone": os.environ.get("SPORTELLO_SUPPORT_PHONE", ""),
    "hours": os.environ.get("SPORTELLO_SUPPORT_HOURS", ""),
    "url": os.environ.get("SPORTELLO_SUPPORT_URL", ""),
}
if ENV == "demo":
    SUPPORT = {
        "name": SUPPORT["name"],
        "email": SUPPORT["email"] or "assistenza@sportello.example.org",
        "phone": SUPPORT["phone"] or "0461 000000",
        "hours": SUPPORT["hours"] or "dal lunedì al venerdì, 8:30-17:00",
        "url": SUPPORT["url"],
    }

# SPID and CIE (sportello.identity): one SAML 2.0 service provider for the whole installation.
# The key and certificate are generated under var/saml/ outside production; production supplies them.
SPID_SP_BASE_URL = os.environ.get("SPID_SP_BASE_URL", SITE_URL).rstrip("/")
SPID_SP_ENTITY_ID = os.environ.get("SPID_SP_ENTITY_ID", f"{SPID_SP_BASE_URL}/spid/metadata/")
SPID_SP_KEY_PATH = Path(os.environ.get("SPID_SP_KEY_PATH", VAR_DIR / "saml" / "sp.key"))
SPID_SP_CERT_PATH = Path(os.environ.get("SPID_SP_CERT_PATH", VAR_DIR / "saml" / "sp.crt"))
SPID_SP_ORGANIZATION_NAME = os.environ.get("SPID_SP_ORGANIZATION_NAME", PLATFORM_NAME)
SPID_SP_ORGANIZATION_DISPLAY_NAME = os.environ.get(
    "SPID_SP_ORGANIZATION_DISPLAY_NAME", SPID_SP_ORGANIZATION_NAME
)
SPID_SP_ORGANIZATION_URL = os.environ.get("SPID_SP_ORGANIZATION_URL", SITE_URL)
SPID_SP_IPA_CODE = os.environ.get("SPID_SP_IPA_CODE", "" if PRODUCTION else "sportello_demo")
SPID_SP_CONTACT_EMAIL = os.environ.get(
    "SPID_SP_CONTACT_EMAIL", "" if PRODUCTION else "spid@sportello.example.org"
)
SPID_SP_CONTACT_PHONE = os.environ.get("SPID_SP_CONTACT_PHONE", "" if PRODUCTION else "+390000000000")
SPID_SP_LOCALITY = os.environ.get("SPID_SP_LOCALITY", "Roma")
# Identity providers: a folder of SPID IdP metadata files (the AgID registry) and the CIE IdP metadata.
SPID_IDP_METADATA_DIR = os.environ.get("SPID_IDP_METADATA_DIR", "")
CIE_IDP_METADATA = env_list("CIE_IDP_METADATA", [])
# Extra IdP metadata files for conformance tests (e.g. spid-sp-test's fake IdP); never in production.
SPID_EXTRA_IDP_METADATA = env_list("SPID_EXTRA_IDP_METADATA", [])
# Tolerated clock difference with the IdPs when checking SAML validity windows (at most 5 minutes).
SPID_CLOCK_SKEW_SECONDS = int(os.environ.get("SPID_CLOCK_SKEW_SECONDS", "60"))
if not 0 <= SPID_CLOCK_SKEW_SECONDS <= 300:
    raise ImproperlyConfigured("SPID_CLOCK_SKEW_SECONDS must be between 0 and 300.")
if PRODUCTION:
    _spid_problems = [name for name in ("SPID_SP_IPA_CODE", "SPID_SP_CONTACT_EMAIL") if not globals()[name]]
    if SPID_EXTRA_IDP_METADATA:
        _spid_problems.append("SPID_EXTRA_IDP_METADATA is set (test identity providers)")
    if _spid_problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(_spid_problems) + ".")
# djangosaml2 keeps the SAML exchange state (outstanding requests, IdP sessions) in its own cookie: the
# IdP posts back cross-site, where only a SameSite=None (hence Secure, in production) cookie is sent.
SAML_CONFIG_LOADER = "sportello.identity.saml_config.config_loader"
SAML_SESSION_COOKIE_NAME = "sportello_saml"
SAML_SESSION_COOKIE_SAMESITE = "None" if PRODUCTION else "Lax"
# Version of the privacy terms a citizen accepts at first access (portal.middleware), before using any service.
PRIVACY_TERMS_VERSION = os.environ.get("SPORTELLO_PRIVACY_TERMS_VERSION", "2026-01")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "sportello.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            **(
                {"formatter": "json"}
                if os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text") == "json"
                else {}
            ),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "xmlschema": {"level": "WARNING"}},
}
