"""The one settings module. Everything that differs between machines comes from the environment.

Helpers fail loudly on a bad value (``PCIPLAN_DEBUG=maybe`` stops start-up with a clear message).
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected true/false")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number")


def env_date(name: str) -> _dt.date | None:
    raw = os.environ.get(name)
    if not raw:
        return None
    try:
        return _dt.date.fromisoformat(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a date YYYY-MM-DD")


DEBUG = env_bool("PCIPLAN_DEBUG", True)
SECRET_KEY = env_str("PCIPLAN_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("PCIPLAN_SECRET_KEY must be set when PCIPLAN_DEBUG is off")
    SECRET_KEY = "pciplan-dev-only-secret-key-do-not-use-in-production-0123456789abcdef"
ALLOWED_HOSTS = [h.strip() for h in env_str("PCIPLAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env_str("PCIPLAN_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

VAR_DIR = Path(env_str("PCIPLAN_VAR_DIR", str(PROJECT_DIR / "var")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "pciplan.audit",
    "pciplan.orgs",
    "pciplan.orgs.security",
    "pciplan.catalog",
    "pciplan.plans",
    "pciplan.reports",
    "pciplan.evaluation",
    "pciplan.surveys",
    "pciplan.simulation",
    "pciplan.api",
    "pciplan.web",
    "pciplan.dashboards",
]

MIDDLEWARE = [
    "pciplan.ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "pciplan.urls"
WSGI_APPLICATION = "pciplan.wsgi.application"

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
                "pciplan.web.context.navigation",
            ],
            "builtins": ["pciplan.web.templatetags.vn"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}"), conn_max_age=env_int("PCIPLAN_DB_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sign-in by account name or e-mail, refused during a lock-out (counted in the database, shared by processes).
AUTHENTICATION_BACKENDS = ["pciplan.orgs.security.backends.LockoutBackend"]
PCIPLAN_LOCKOUT_FAILURES = env_int("PCIPLAN_LOCKOUT_FAILURES", 5)
PCIPLAN_LOCKOUT_WINDOW_SECONDS = env_int("PCIPLAN_LOCKOUT_WINDOW_SECONDS", 15 * 60)
PCIPLAN_LOCKOUT_SECONDS = env_int("PCIPLAN_LOCKOUT_SECONDS", 15 * 60)
PCIPLAN_NUM_PROXIES = env_int("PCIPLAN_NUM_PROXIES", 0)  # reverse proxies in front (nginx: 1) for the client address

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "pciplan.orgs.security.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["pciplan.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
try:  # Bootstrap is served from the installed XStatic package: no CDN.
    import xstatic.pkg.bootstrap as _xbootstrap

    STATICFILES_DIRS.append(("bootstrap", _xbootstrap.BASE_DIR))
except ImportError:  # pragma: no cover - install step missing
    pass
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
if DEBUG:  # whitenoise looks for STATIC_ROOT even when it serves from the finders
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

MEDIA_ROOT = Path(env_str("PCIPLAN_MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads are never served from a public URL (no route answers here): views stream them as attachments.
MEDIA_URL = "/_tep-khong-phuc-vu-truc-tiep/"
# The address people open, for links in e-mails (reminders).
PCIPLAN_BASE_URL = env_str("PCIPLAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Uploads go through a storage backend: the file system (outside the web root) by default, S3-compatible
# object storage when PCIPLAN_S3_BUCKET is set (needs `pip install django-storages[s3]`), so no process
# keeps state on its own disk.
PCIPLAN_S3_BUCKET = env_str("PCIPLAN_S3_BUCKET", "")
if PCIPLAN_S3_BUCKET:
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": PCIPLAN_S3_BUCKET, "endpoint_url": env_str("PCIPLAN_S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("PCIPLAN_S3_REGION", "") or None, "location": env_str("PCIPLAN_S3_PREFIX", "media"),
        "access_key": env_str("PCIPLAN_S3_ACCESS_KEY", "") or None, "secret_key": env_str("PCIPLAN_S3_SECRET_KEY", "") or None,
        "default_acl": "private", "querystring_auth": True, "file_overwrite": False}}
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(MEDIA_ROOT)}}
STORAGES = {"default": _default_storage,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
PCIPLAN_MAX_UPLOAD_BYTES = env_int("PCIPLAN_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)

EMAIL_BACKEND = env_str("PCIPLAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("PCIPLAN_FROM_EMAIL", "pciplan@localhost")

# The demo "today": the reference plan's 2020 is shown as it stood on this day.
PCIPLAN_TODAY = env_date("PCIPLAN_TODAY")
PCIPLAN_REMIND_DAYS_BEFORE = env_int("PCIPLAN_REMIND_DAYS_BEFORE", 3)
PCIPLAN_ESCALATE_DAYS_AFTER = env_int("PCIPLAN_ESCALATE_DAYS_AFTER", 3)

SESSION_COOKIE_AGE = env_int("PCIPLAN_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("PCIPLAN_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("PCIPLAN_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("PCIPLAN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("PCIPLAN_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REDIS_URL = env_str("PCIPLAN_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from Redis, written through to the database: shared by every process, never lost.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Structured logs: PCIPLAN_LOG_FORMAT=json writes one JSON object per line, each with the request id.
PCIPLAN_LOG_FORMAT = env_str("PCIPLAN_LOG_FORMAT", "plain")
if PCIPLAN_LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"PCIPLAN_LOG_FORMAT={PCIPLAN_LOG_FORMAT!r}: expected plain or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "pciplan.ops.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "pciplan.ops.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": PCIPLAN_LOG_FORMAT,
                             "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("PCIPLAN_LOG_LEVEL", "WARNING")},
    "loggers": {"pciplan.request": {"level": env_str("PCIPLAN_ACCESS_LOG_LEVEL", "WARNING")}},
}
