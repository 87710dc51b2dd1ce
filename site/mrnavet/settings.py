"""MR-navet settings, read from the environment (12-factor).

Every variable is documented in README.md and .env.example. Nothing here needs a service:
unset, the platform runs on SQLite, database search, a local-memory cache and console email.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from .envconfig import StrictEnv

SITE_DIR = Path(__file__).resolve().parent.parent  # the repository's site/ folder
BASE_DIR = SITE_DIR.parent  # the repository root

if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

env = StrictEnv()

# --- Core -------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
DEMO_MODE = env.bool("DEMO_MODE", default=False)
_DEV_SECRET_KEY = "dev-only-insecure-key-mrnavet-not-for-production-use-0123456789abcdef"  # nosec B105 # the development key, refused unless DEBUG or TESTING
SECRET_KEY = env.str("SECRET_KEY") or (
    _DEV_SECRET_KEY if DEBUG or env.bool("TESTING", default=False) else None
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Environment variable SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
BASE_URL = env.url("BASE_URL", {"http", "https"}, default="http://localhost:8000")
WAGTAILADMIN_BASE_URL = BASE_URL

INSTALLED_APPS = [
    # Project apps first so their templates and commands win.
    "mrnavet",
    "accounts",
    "cms",
    "cms.conference",
    "forum",
    "search",
    "privacy",
    "security",
    "accessibility",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.MRNavetUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Sign-in
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # Background tasks
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First, so that every response and every log line of the request carries its id.
    "mrnavet.request_logging.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session timeouts; signs out deactivated accounts (needs messages).
    "security.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Before the admin gate, so that its 403 responses get a policy too.
    "mrnavet.middleware.PathAwareCSPMiddleware",
    "accounts.middleware.AdminRequiresMFAMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "mrnavet.urls"
WSGI_APPLICATION = "mrnavet.wsgi.application"
ASGI_APPLICATION = "mrnavet.asgi.application"

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
                "mrnavet.context_processors.site_chrome",
                "forum.context_processors.notifications",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
VAR_DIR = Path(env.str("VAR_DIR") or BASE_DIR / "var")
_DATABASE_URL = env.url(
    "DATABASE_URL",
    {"sqlite", "postgres", "postgresql", "pgsql"},
    default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
)
DATABASES = {"default": env.parsed("DATABASE_URL", environ.Env.db_url_config, _DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0, minimum=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server and the task worker read while one of them writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # SQLite cannot create UNIQUE ... NULLS NOT DISTINCT (conference.FeedbackReceipt); the
    # feedback view serialises those writes by locking the edition row instead.
    SILENCED_SYSTEM_CHECKS = ["models.W047"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------
REDIS_URL = env.url("REDIS_URL", {"redis", "rediss", "unix"})
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mrnavet",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Search -----------------------------------------------------------------------------
ELASTICSEARCH_URL = env.url("ELASTICSEARCH_URL", {"http", "https"})
ELASTICSEARCH_INDEX_PREFIX = env.str("ELASTICSEARCH_INDEX_PREFIX", default="mrnavet")
ELASTICSEARCH_TIMEOUT = env.int("ELASTICSEARCH_TIMEOUT", default=10)
ELASTICSEARCH_VERIFY_CERTS = env.bool("ELASTICSEARCH_VERIFY_CERTS", default=True)
ELASTICSEARCH_CA_CERTS = env.str("ELASTICSEARCH_CA_CERTS", default="") or None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Email ------------------------------------------------------------------------------
_EMAIL_URL = env.url(
    "EMAIL_URL",
    {"smtp", "smtps", "smtp+tls", "smtp+ssl", "consolemail", "filemail", "memorymail", "dummymail"},
    default="consolemail://",
)
_email = env.parsed("EMAIL_URL", environ.Env.email_url_config, _EMAIL_URL)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="MR-navet <mr-navet@malmo.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where reports from the accessibility statement's feedback form are sent.
ACCESSIBILITY_FEEDBACK_EMAIL = env.str("ACCESSIBILITY_FEEDBACK_EMAIL", default="mr-navet@malmo.se")

# --- Background tasks -------------------------------------------------------------------
# Immediate unless TASKS_BACKEND=database; production runs `manage.py db_worker`.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
if TASKS_BACKEND not in {"immediate", "database"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"Environment variable TASKS_BACKEND is invalid: expected immediate or database, "
        f"got {TASKS_BACKEND!r}"
    )
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "ENQUEUE_ON_COMMIT": True,
    }
}

# --- Authentication (django-allauth) ----------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "account_login"

ALLOWED_EMAIL_DOMAINS = [
    domain.lower()
    for domain in env.list(
        "ALLOWED_EMAIL_DOMAINS",
        default=[
            "malmo.se",
            "mkbfastighet.se",
            "boplatssyd.se",
            "malmolive.se",
            "malmostadsteater.se",
            "minc.se",
            "parkeramalmo.se",
            "malmoleasing.se",
        ],
    )
]

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.ProfileSignupForm"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[MR-navet] "
ACCOUNT_RATE_LIMITS_DISABLED = env.bool("ACCOUNT_RATE_LIMITS_DISABLED", default=False)
if ACCOUNT_RATE_LIMITS_DISABLED:
    ACCOUNT_RATE_LIMITS = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if BASE_URL.startswith("https") else "http"
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0, minimum=0)

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "MR-navet"
# allauth refuses this unless DEBUG is on; `make run` sets it so demo admins can pass MFA.
MFA_TOTP_INSECURE_BYPASS_CODE = env.str("MFA_TOTP_INSECURE_BYPASS_CODE") or None

SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # Entra ID has verified the address
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_CLIENT_ID)
SOCIALACCOUNT_PROVIDERS: dict = {}
if OIDC_ENABLED:
    _tenant = env.required_str("OIDC_TENANT_ID")
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "entra",
                "name": env.str("OIDC_PROVIDER_NAME", default="Malmö stads inloggning"),
                "client_id": OIDC_CLIENT_ID,
                "secret": env.required_str("OIDC_CLIENT_SECRET"),
                "settings": {
                    "server_url": env.str(
                        "OIDC_SERVER_URL",
                        default=f"https://login.microsoftonline.com/{_tenant}/v2.0",
                    ),
                },
            }
        ],
    }

# --- Wagtail ----------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "MR-navet"
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"  # private pages send visitors to allauth too
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_USAGE_COUNT_ENABLED = True
WAGTAILDOCS_DOCUMENT_MODEL = "cms.MRDocument"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Uploads are checked by content, not only by extension (security/uploads.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "security.upload_forms.CheckedDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "security.upload_forms.CheckedImageForm"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []  # every document downloads as an attachment
# Email, password and password reset are allauth's (re-authentication, rate limits, MFA);
# Wagtail's own account forms for them would bypass that.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("sv", "Svenska"), ("en", "English")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and not env.bool("TESTING", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
TESTING = env.bool("TESTING", default=False)
# In development and tests whitenoise serves straight from the app folders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security ---------------------------------------------------------------------------
_HTTPS = BASE_URL.startswith("https://")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _HTTPS else None
SECURE_SSL_REDIRECT = _HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe /healthz over plain HTTP inside the network; a redirect would fail them.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SESSION_COOKIE_NAME = "__Host-sessionid" if _HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if _HTTPS else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60, minimum=60)
# SESSION_COOKIE_AGE is the idle timeout, SESSION_ABSOLUTE_AGE the longest a sign-in lasts;
# security.middleware enforces both and writes the last-seen time at most every interval.
SESSION_ABSOLUTE_AGE = env.int("SESSION_ABSOLUTE_AGE", default=12 * 60 * 60, minimum=60)
SESSION_LAST_SEEN_INTERVAL = 5 * 60
SESSION_SAVE_EVERY_REQUEST = False
X_FRAME_OPTIONS = "DENY"

# django-csp 4: a strict nonce policy; the Wagtail admin needs inline styles of its own.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
CSP_ADMIN_PATH_PREFIXES = ("/admin/", "/django-admin/")

# --- Logging ----------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    # logging would reject it later, at django.setup(), without naming the variable.
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"Environment variable LOG_LEVEL is invalid: expected DEBUG, INFO, WARNING, ERROR "
        f"or CRITICAL, got {LOG_LEVEL!r}"
    )
# JSON lines in production (one object per record, for log shipping), text when DEBUG.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"Environment variable LOG_FORMAT is invalid: expected json or text, got {LOG_FORMAT!r}"
    )
# Take the request id from the reverse proxy's X-Request-ID only when a proxy is in front
# (it must overwrite any id a client sends); otherwise every request gets a new one.
REQUEST_ID_FROM_PROXY = env.bool(
    "REQUEST_ID_FROM_PROXY", default=env.int("TRUSTED_PROXY_COUNT", default=0, minimum=0) > 0
)
# Filters on the console handler, applied to every record. Redaction filters (privacy,
# health data) go after "request_context" so they also see the fields it adds.
LOG_FILTERS = ["request_context", "redact_sensitive"]
# Error pages and admin emails hide needs and credentials in POST data and frame variables.
DEFAULT_EXCEPTION_REPORTER_FILTER = "privacy.logging.PrivacyExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "mrnavet.request_logging.RequestContextFilter"},
        # Conference needs (health data) and credentials never reach a log (privacy app).
        "redact_sensitive": {"()": "privacy.logging.RedactSensitiveFilter"},
    },
    "formatters": {
        "json": {"()": "mrnavet.request_logging.JsonFormatter"},
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": LOG_FILTERS,
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
    },
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
