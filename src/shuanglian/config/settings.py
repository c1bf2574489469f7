"""Settings come from the environment; a local install keeps its generated secrets under var/."""
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
_source_root = PACKAGE_DIR.parent.parent
# A source checkout keeps var/ beside pyproject.toml; an installed package uses the working directory.
PROJECT_DIR = _source_root if (_source_root / "pyproject.toml").exists() else Path.cwd()
VAR_DIR = Path(os.environ.get("SHUANGLIAN_VAR_DIR", PROJECT_DIR / "var"))


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _local_secret(name: str, nbytes: int = 48) -> str:
    """Read a secret from var/, generating it on first use; never committed (var/ is ignored)."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / name
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(nbytes))
    return path.read_text().strip()


DEBUG = _env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret("secret_key")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    # Before django.contrib.auth so our createsuperuser (which audits) takes precedence.
    "shuanglian.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    # The second factor: TOTP devices (RFC 6238); recovery codes are our own, stored hashed (accounts).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_filters",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "shuanglian.core",
    "shuanglian.divisions",
    "shuanglian.access",
    "shuanglian.organizations",
    "shuanglian.archives",
    "shuanglian.notifications",
    "shuanglian.matters",
    "shuanglian.mediation",
    "shuanglian.outreach",
    "shuanglian.teams",
    "shuanglian.associations",
    "shuanglian.applications",
    "shuanglian.village_affairs",
    "shuanglian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "shuanglian.accounts.middleware.MFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "shuanglian.core.middleware.RequestContextMiddleware",
    "shuanglian.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "shuanglian.config.urls"
WSGI_APPLICATION = "shuanglian.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shuanglian.accounts.context_processors.grants",
                "shuanglian.accounts.context_processors.mfa_banner",
                "shuanglian.notifications.context_processors.inbox",
                "shuanglian.applications.context_processors.service_nav",
            ],
        },
    }
]

_default_db = f"sqlite:///{VAR_DIR / 'shuanglian.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the writer; IMMEDIATE takes the write lock up front so
        # two writers queue on busy_timeout instead of failing mid-transaction.
        # A 64 MB page cache keeps bulk imports' index pages in memory.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                        "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "shuanglian.accounts.validators.CharacterClassValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"  # uploads (matter attachments); never served at a public URL, only by scoped views
# The app serves its own assets (government intranets are often offline; no CDN).
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# API tokens expire this many days after they are issued (a client asks for a new one).
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "30"))
# API requests per signed-in user, e.g. "1200/hour" (also /second, /minute, /day), and per client address
# for anonymous calls (off by default: behind a proxy every citizen using the public lookup shares one
# address, and that lookup limits wrong guesses itself); empty turns a limit off. Over it the API answers
# 429 `throttled` with Retry-After.
API_THROTTLE_USER = os.environ.get("API_THROTTLE_USER", "1200/hour")
API_THROTTLE_ANON = os.environ.get("API_THROTTLE_ANON", "")
# A second factor (TOTP or a recovery code) at sign-in and token issue for administrators, auditors and
# every role that may reveal personal information. MFA_REQUIRED=0 is for a local trial only: every page
# then says so in a banner.
MFA_REQUIRED = _env_bool("MFA_REQUIRED", True)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Shuanglian")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "shuanglian.accounts.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "shuanglian.core.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["shuanglian.core.throttling.UserThrottle", "shuanglian.core.throttling.AnonThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "shuanglian.core.api.exception_handler",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shuanglian API",
    "DESCRIPTION": "双连 grid-based governance platform, API v1",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Choice sets used by several fields get one name each in the schema.
    "ENUM_NAME_OVERRIDES": {
        "DivisionLevelEnum": "shuanglian.divisions.choices.Level",
        "MatterLevelEnum": "shuanglian.matters.choices.Level",
        "MatterStatusEnum": "shuanglian.matters.choices.Status",
        "CardEnum": "shuanglian.matters.choices.Card",
        "TeamMemberCategoryEnum": "shuanglian.teams.choices.Category",
        "VillageMeetingKindEnum": "shuanglian.village_affairs.choices.MeetingKind",
        "DisclosureKindEnum": "shuanglian.village_affairs.choices.DisclosureKind",
        "PledgeKindEnum": "shuanglian.village_affairs.choices.PledgeKind",
        "VillageDecisionCategoryEnum": "shuanglian.village_affairs.choices.DecisionCategory",
        "ReviewOpinionEnum": "shuanglian.village_affairs.choices.ReviewOpinion",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"pii": {"()": "shuanglian.core.logging.PIIScrubFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["pii"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "weasyprint": {"level": "WARNING"},
                "fontTools": {"level": "WARNING"}},
}

# Key for personal information at rest (urlsafe base64 of 32+ random bytes). Keep a copy: without it
# encrypted ID numbers and phones cannot be read back.
PII_KEY = os.environ.get("PII_KEY") or _local_secret("pii_key", 32)

# The CJK font embedded in PDF exports (Debian: fonts-noto-cjk); see docs/operators.md.
EXPORT_CJK_FONT = os.environ.get("EXPORT_CJK_FONT", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

# Audit events younger than this are never deleted (Cybersecurity Law Art. 21: at least 6 months).
AUDIT_MIN_RETENTION_DAYS = int(os.environ.get("AUDIT_MIN_RETENTION_DAYS", "183"))

# Background tasks (core.tasks): "thread" runs them in the app process (one machine), "worker" queues
# them for `shuanglian worker`, "celery" sends them to Celery (CELERY_BROKER_URL), "inline" runs them
# in the caller (tests, scripts).
SHUANGLIAN_TASKS = os.environ.get("SHUANGLIAN_TASKS", "thread")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0")
CELERY_TASK_ALWAYS_EAGER = _env_bool("CELERY_TASK_ALWAYS_EAGER")

# The cache holds short-lived counters (the public status lookup's wrong guesses). The default is per
# process; with several app processes or servers they must share one, or each counts on its own:
# CACHE_URL=redis://host:6379/1, or CACHE_URL=db (a table in the database: run `shuanglian createcachetable`).
def _caches(url: str) -> dict:
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url == "db":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "shuanglian_cache"}
    if url in ("", "locmem"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(f"CACHE_URL={url!r}: use redis://host:port/db, db, or locmem")


CACHES = {"default": _caches(os.environ.get("CACHE_URL", "").strip())}

# Text messages: the default backend writes each message to the log (no external service); a real
# gateway is a class with send(phone, text) named here.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "shuanglian.notifications.sms.LogBackend")
