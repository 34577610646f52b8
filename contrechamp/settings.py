"""Contrechamp settings: one module, configured by environment variables only.

Every variable has a safe default for a local run; production sets them in an
environment file (see docs/deploy.md). A secret can also come from a file: for
``CONTRECHAMP_SECRET_KEY`` set ``CONTRECHAMP_SECRET_KEY_FILE`` to its path.
"""

import json
import os
import sys
import warnings
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CONTRECHAMP_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    """The variable, or the content of the file named by ``<name>_FILE``, or the default."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


TESTING = "pytest" in sys.modules or env_bool("CONTRECHAMP_TESTING", False)
DEBUG = env_bool("CONTRECHAMP_DEBUG", False)
# Behind a TLS-terminating proxy in production; a local run over plain HTTP turns it off.
HTTPS = env_bool("CONTRECHAMP_HTTPS", not DEBUG and not TESTING)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("CONTRECHAMP_SECRET_KEY", _DEV_SECRET_KEY if (DEBUG or TESTING) else "")
if not SECRET_KEY:
    raise RuntimeError(
        "CONTRECHAMP_SECRET_KEY (or CONTRECHAMP_SECRET_KEY_FILE) must be set when DEBUG is off."
    )

ALLOWED_HOSTS = env_list("CONTRECHAMP_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CONTRECHAMP_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("CONTRECHAMP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

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
    "django.contrib.sites",
    "django_htmx",
    "channels",
    # Our apps come before allauth so that their templates override allauth's.
    "contrechamp.core",
    "contrechamp.accounts",
    "contrechamp.networks",
    "contrechamp.notifications",
    "contrechamp.films",
    "contrechamp.lending",
    "contrechamp.venues",
    "contrechamp.events",
    "contrechamp.mentoring",
    "contrechamp.questions",
    "contrechamp.guides",
    "contrechamp.wanted",
    "contrechamp.stories",
    "contrechamp.projects",
    "contrechamp.feedback",
    "contrechamp.live",
    "contrechamp.search",
    "contrechamp.api",
    "contrechamp.demo",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
]
if DEBUG or TESTING:
    INSTALLED_APPS.append("zeal")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "contrechamp.core.middleware.DropNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "contrechamp.notifications.middleware.RememberLanguageMiddleware",
    "contrechamp.core.middleware.DomainErrorMiddleware",
]
if DEBUG and not TESTING:
    MIDDLEWARE.append("zeal.middleware.zeal_middleware")

ROOT_URLCONF = "contrechamp.urls"
WSGI_APPLICATION = "contrechamp.wsgi.application"
ASGI_APPLICATION = "contrechamp.asgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "contrechamp.core.context_processors.site",
            ],
            "builtins": ["django.templatetags.i18n", "django.templatetags.static"],
        },
    }
]

# Databases: SQLite under var/ by default (WAL, IMMEDIATE transactions so that
# writers queue instead of failing), PostgreSQL through DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'contrechamp.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    # Under ASGI, requests do not keep a connection per thread: psycopg's pool lends them.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"min_size": 1, "max_size": int(env_str("CONTRECHAMP_DB_POOL_SIZE", "10"))}
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USING_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")

# Cache and channel layer: Redis when REDIS_URL is set, in-process otherwise.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CONTRECHAMP_CACHE_PREFIX", "contrechamp"),
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Background jobs: Django's tasks API, stored in the database and run by
# `manage.py db_worker`; tests run them immediately.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing strength is not what the suite tests; argon2 stays first in production.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# Accounts (django-allauth): email verification, TOTP two-factor, rate limits.
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "contrechamp.accounts.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Contrechamp] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
ACCOUNT_RATE_LIMITS = {
    "login": "25/5m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/30m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# Rate limits count per client address: behind a reverse proxy (production), the address
# is read from X-Forwarded-For, trusting that many proxies (never from a direct client).
ALLAUTH_TRUSTED_PROXY_COUNT = int(env_str("CONTRECHAMP_TRUSTED_PROXY_COUNT", "1" if HTTPS else "0"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Contrechamp"

# Internationalisation: French first, English shipped.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "contrechamp" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Static files (WhiteNoise serves them from the app process) and uploads.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("CONTRECHAMP_MEDIA_ROOT", str(VAR_DIR / "media")))
# Licences and contracts (core.storage.PrivateStorage): never served under MEDIA_URL.
PRIVATE_MEDIA_ROOT = Path(env_str("CONTRECHAMP_PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# WhiteNoise hands static files to the ASGI handler as a synchronous iterator, which Django
# consumes in a thread and warns about; the files are small and this is the expected path.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators"
)
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024


def mailer_from_url(url: str) -> dict[str, object]:
    """EMAIL_URL: ``console://`` (default), ``locmem://``, ``smtp://user:pass@host:587?tls=1``."""
    parts = urlsplit(url)
    if parts.scheme in {"", "console"}:
        return {"BACKEND": "contrechamp.core.mail.ReadableConsoleBackend"}
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme in {"smtp", "smtps"}:
        query = parse_qs(parts.query)
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname or "localhost",
                "port": parts.port or (465 if parts.scheme == "smtps" else 25),
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_ssl": parts.scheme == "smtps",
                "use_tls": query.get("tls", ["0"])[0] in {"1", "true"},
                "timeout": 20,
            },
        }
    raise RuntimeError(f"Unsupported EMAIL_URL scheme: {parts.scheme!r}")


MAILERS = {"default": mailer_from_url(env_str("EMAIL_URL", "console://"))}
DEFAULT_FROM_EMAIL = env_str("CONTRECHAMP_FROM_EMAIL", "Contrechamp <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Production (HTTPS on) passes `manage.py check --deploy --fail-level WARNING`.
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and env_bool("CONTRECHAMP_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS: list[str] = []

# Live rooms: the STUN/TURN servers browsers use for voice rooms (a JSON list of
# RTCIceServer objects; add a TURN server in production so that people behind strict
# firewalls can talk), and the hosts whose video files a watch party may play.
try:
    LIVE_ICE_SERVERS = json.loads(
        env_str("CONTRECHAMP_ICE_SERVERS", '[{"urls": ["stun:stun.l.google.com:19302"]}]')
    )
except json.JSONDecodeError as error:
    raise ImproperlyConfigured(f"CONTRECHAMP_ICE_SERVERS is not valid JSON: {error}") from error
LIVE_VIDEO_HOSTS = env_list(
    "CONTRECHAMP_VIDEO_HOSTS", ["upload.wikimedia.org", "archive.org", "*.archive.org"]
)

# Content Security Policy without 'unsafe-inline': scripts are files or carry the nonce.
MAP_TILE_URL = env_str("CONTRECHAMP_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
_tile_origin = "{0.scheme}://{0.netloc}".format(
    urlsplit(MAP_TILE_URL.replace("{", "").replace("}", ""))
)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", _tile_origin],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# N+1 queries raise in tests (django-zeal) and are logged in a local debug run.
ZEAL_RAISE = TESTING
ZEAL_NPLUSONE_THRESHOLD = 2

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CONTRECHAMP_LOG_LEVEL", "INFO")},
}
FORM_RENDERER = "contrechamp.core.forms.FormRenderer"
