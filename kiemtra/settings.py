"""Settings for Kiểm tra số.

Everything comes from environment variables; the defaults are the embedded
set-up (SQLite, local files, in-process tasks) so that one machine runs the
whole product with no configuration. ``KIEMTRA_PRODUCTION=1`` switches on the
transport-security settings that need HTTPS in front of the app.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF

from kiemtra.core.keys import load_or_create_keys

# Lets classes such as ModelAdmin[Model] be subscripted at run time, as the type hints need.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KIEMTRA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("KIEMTRA_PRODUCTION")
DEBUG = env_bool("KIEMTRA_DEBUG")

# Keys live outside the database: in the environment in production (a missing one
# stops the start-up: no fallback secret here), in var/keys.json (created on first
# start, mode 0600) in the embedded set-up.
KEYS = load_or_create_keys(VAR_DIR / "keys.json", production=PRODUCTION)
SECRET_KEY = KEYS["SECRET_KEY"]
FIELD_ENCRYPTION_KEY = KEYS["FIELD_ENCRYPTION_KEY"]
AUDIT_HMAC_KEY = KEYS["AUDIT_HMAC_KEY"]
BACKUP_KEY = KEYS["BACKUP_KEY"]

ALLOWED_HOSTS = env_list("KIEMTRA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("KIEMTRA_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "kiemtra.core",
    "kiemtra.orgs",
    "kiemtra.accounts",
    "kiemtra.audit",
    "kiemtra.backups",
    "kiemtra.stats",
    "kiemtra.discipline",
    "kiemtra.workdays",
    "kiemtra.letters",
    "kiemtra.cases",
    "kiemtra.help",
    "kiemtra.notifications",
    "kiemtra.shell",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kiemtra.core.middleware.VietnameseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kiemtra.core.middleware.DomainErrorMiddleware",
    "kiemtra.core.middleware.RefuseNulCharactersMiddleware",
    "kiemtra.accounts.middleware.PasswordChangeRequiredMiddleware",
    "kiemtra.accounts.middleware.CurrentUnitMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kiemtra.urls"
WSGI_APPLICATION = "kiemtra.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kiemtra" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kiemtra.shell.context_processors.shell",
                "kiemtra.notifications.context_processors.bell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kiemtra.sqlite3'}"),
        # Reused connections spare each request a PostgreSQL fork; health checks drop dead ones.
        conn_max_age=int(os.environ.get("KIEMTRA_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Django's rules with Vietnamese messages, and a similarity check that folds Vietnamese names.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "kiemtra.accounts.password_validation.VietnameseSimilarityValidator"},
    {"NAME": "kiemtra.accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "kiemtra.accounts.password_validation.CommonPasswordValidator"},
    {"NAME": "kiemtra.accounts.password_validation.NumericPasswordValidator"},
]
# Two-factor sign-in (TOTP) is mandatory for these roles: every admin, approver, discipline
# editor and letter account (issue 8.10). A comma-separated list of role codes in
# KIEMTRA_TWO_FACTOR_ROLES replaces it; an account marked exempt (the demo's) skips it.
TWO_FACTOR_REQUIRED_ROLES = env_list(
    "KIEMTRA_TWO_FACTOR_ROLES",
    "system_admin,admin,admin_approver,admin_statistician,approver,national_admin,user_manager,user,"
    "discipline_admin,discipline_editor",
)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out after repeated failures (django-axes): per account, so one user's
# mistakes do not lock a whole office behind a shared NAT.
AXES_FAILURE_LIMIT = int(os.environ.get("KIEMTRA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("KIEMTRA_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kiemtra.accounts.views.locked_out"
AXES_VERBOSE = False
# Per-account lock-out is deliberate (see above); rotating addresses still hits the account limit.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions end after inactivity and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("KIEMTRA_SESSION_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Transport security: on behind HTTPS in production, off on the loopback demo.
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("KIEMTRA_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = int(os.environ.get("KIEMTRA_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: every script and style is served by us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, *env_list("KIEMTRA_CSP_FORM_ACTION", "")],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "kiemtra" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Dates are dd/mm/yyyy and times 24-hour in Vietnam time in every language (kiemtra/core/formats).
FORMAT_MODULE_PATH = ["kiemtra.core.formats"]
DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end libraries come from the npm registry (package.json), never copied in; only
# the files the pages load are collected (kiemtra.core.staticfinders.VendorFinder):
# (URL prefix under /static/, folder in node_modules, the files used there).
NODE_MODULES = BASE_DIR / "node_modules"
VENDOR_STATIC = [
    (
        "vendor/bootstrap",
        NODE_MODULES / "bootstrap" / "dist",
        # the .map files are named inside the minified files: the manifest storage needs them
        [
            "css/bootstrap.min.css",
            "css/bootstrap.min.css.map",
            "js/bootstrap.bundle.min.js",
            "js/bootstrap.bundle.min.js.map",
        ],
    ),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font", ["bootstrap-icons.min.css", "fonts/*.woff*"]),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist", ["htmx.min.js"]),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist", ["echarts.min.js"]),
]
STATICFILES_FINDERS = [
    "kiemtra.core.staticfinders.AppStaticFinder",
    "kiemtra.core.staticfinders.VendorFinder",
]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if os.environ.get("KIEMTRA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["KIEMTRA_S3_BUCKET"],
            "endpoint_url": os.environ.get("KIEMTRA_S3_ENDPOINT_URL"),
        },
    }
# A batch of scanned decisions may hold up to kiemtra.discipline.services.ingest.MAX_BATCH_FILES files.
DATA_UPLOAD_MAX_NUMBER_FILES = 2000
MEDIA_ROOT = Path(os.environ.get("KIEMTRA_MEDIA_ROOT", VAR_DIR / "files"))
MEDIA_URL = "/files/"

# Background work: in-process by default, Celery on Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TIMEZONE = TIME_ZONE
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

# Notifications: always in the app; by e-mail too when KIEMTRA_NOTIFICATIONS_EMAIL=1 (Django's
# e-mail backend: the console by default, SMTP through KIEMTRA_EMAIL_BACKEND / EMAIL_* at scale).
NOTIFICATIONS_EMAIL = env_bool("KIEMTRA_NOTIFICATIONS_EMAIL")
NOTIFICATIONS_SITE_URL = os.environ.get("KIEMTRA_SITE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = os.environ.get("KIEMTRA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("KIEMTRA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("KIEMTRA_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("KIEMTRA_EMAIL_FROM", "kiemtra@localhost")

# Backups: the regulation asks for at least one a week (Quy định 06, Art. 9.3).
BACKUP_DIR = Path(os.environ.get("KIEMTRA_BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_INTERVAL_HOURS = int(os.environ.get("KIEMTRA_BACKUP_INTERVAL_HOURS", str(7 * 24)))
BACKUP_KEEP = int(os.environ.get("KIEMTRA_BACKUP_KEEP", "8"))
# Checkpoints of the audit chain's head, outside the database: an append-only file beside the
# backups, written every few minutes and at every backup (issue 8.5).
AUDIT_CHECKPOINT_FILE = Path(os.environ.get("KIEMTRA_AUDIT_CHECKPOINT_FILE", BACKUP_DIR / "audit-checkpoints.log"))
# SQLite refuses DELETE on the audit table; only the test suite's flush may (test_settings).
AUDIT_ALLOW_DELETE_FOR_TEST_FLUSH = False

# VNeID sign-in (OpenID Connect). Empty issuer = the button is hidden.
VNEID_ISSUER = os.environ.get("VNEID_ISSUER", "")
VNEID_CLIENT_ID = os.environ.get("VNEID_CLIENT_ID", "")
VNEID_CLIENT_SECRET = os.environ.get("VNEID_CLIENT_SECRET", "")
VNEID_SCOPES = os.environ.get("VNEID_SCOPES", "openid profile")
VNEID_CITIZEN_ID_CLAIM = os.environ.get("VNEID_CITIZEN_ID_CLAIM", "citizen_id")
# The callback URL registered with VNeID; empty = derived from the request (fine on one host).
VNEID_REDIRECT_URI = os.environ.get("VNEID_REDIRECT_URI", "")

# The password of every demo account (``kiemtra demo``), printed for demo visitors on purpose.
DEMO_PASSWORD = os.environ.get("KIEMTRA_DEMO_PASSWORD", "KiemTra-demo-2025")

# The common default password of the letter module (Quy định 06, Art. 2.8),
# always followed by a forced change at first sign-in: a secret of the installation,
# kept with the keys (KIEMTRA_LETTERS_DEFAULT_PASSWORD).
LETTERS_DEFAULT_PASSWORD = KEYS["LETTERS_DEFAULT_PASSWORD"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KIEMTRA_LOG_LEVEL", "WARNING")},
}
