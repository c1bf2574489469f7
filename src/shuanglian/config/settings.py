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


def _private_dir(path: Path) -> None:
    """var/ holds keys, the SQLite database, uploads and exports: made so that the app's user alone may enter
    it. An existing var/ keeps its mode (narrow it with `chmod 700 var`; its files are 0600 either way)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def _private_file(path: Path) -> None:
    """Create (or narrow) a file as 0600 before anything writes to it (SQLite gives its -wal and -shm
    files the database file's mode)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _local_secret(name: str, nbytes: int = 48) -> str:
    """Read a secret from var/, generating it on first use; never committed (var/ is ignored)."""
    _private_dir(VAR_DIR)
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
    "shuanglian.petitions",
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
    "csp.middleware.CSPMiddleware",
    "shuanglian.core.middleware.SecurityHeadersMiddleware",
    "shuanglian.core.middleware.RequestContextMiddleware",
    "shuanglian.core.middleware.NoStoreMiddleware",
    "shuanglian.core.middleware.DomainErrorMiddleware",
    # After the request context, so their audit events carry the request's id and address.
    "shuanglian.accounts.middleware.IdleLogoutMiddleware",
    "shuanglian.accounts.middleware.PasswordChangeDueMiddleware",
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
    _private_dir(VAR_DIR)
    if DATABASES["default"]["NAME"] not in ("", ":memory:") and "mode=memory" not in DATABASES["default"]["NAME"]:
        _private_file(Path(DATABASES["default"]["NAME"]))
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": int(os.environ.get("PASSWORD_MIN_LENGTH", "8"))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "shuanglian.accounts.validators.CharacterClassValidator",
     "OPTIONS": {"min_classes": int(os.environ.get("PASSWORD_MIN_CLASSES", "3"))}},
]
# Login protection (accounts.signin): lock an account after this many wrong passwords in a row, for
# this long; a client address may fail this many times an hour before each further try must wait
# (1, 2, 4 ... seconds, at most the maximum).
LOGIN_LOCKOUT_FAILURES = int(os.environ.get("LOGIN_LOCKOUT_FAILURES", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30"))
LOGIN_ADDRESS_FREE_FAILURES = int(os.environ.get("LOGIN_ADDRESS_FREE_FAILURES", "10"))
LOGIN_ADDRESS_MAX_DELAY_SECONDS = int(os.environ.get("LOGIN_ADDRESS_MAX_DELAY_SECONDS", "300"))
# A grant of a role that reveals personal information: "alert" tells the auditors at once (inbox);
# "two_person" holds it until a second administrator approves (accounts: pending grants).
GRANT_APPROVAL = os.environ.get("GRANT_APPROVAL", "alert").strip()
if GRANT_APPROVAL not in ("alert", "two_person"):
    raise ImproperlyConfigured(f"GRANT_APPROVAL={GRANT_APPROVAL!r}: use alert or two_person")
# Password lifecycle (accounts.passwords): a password expires this many days after it was set (0: never);
# a new one may not repeat the last PASSWORD_HISTORY.
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
PASSWORD_HISTORY = int(os.environ.get("PASSWORD_HISTORY", "5"))

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
SESSION_COOKIE_AGE = 8 * 3600  # the absolute limit of a session
# A session also ends after this many minutes without a request (accounts.middleware; 0: never).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Served over HTTPS (SECURE_COOKIES=1): plain HTTP is redirected and browsers are told to use HTTPS only
# for a year (HSTS). Behind a TLS-terminating proxy (TRUSTED_PROXIES) its X-Forwarded-Proto says the scheme.
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if SESSION_COOKIE_SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # other hosts of the domain are not ours to bind
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts only from our own static files, no inline script or
# handler; inline style attributes stay allowed (they cannot run code). No frames, no plug-ins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features no page uses, switched off (core.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                      "microphone=(), payment=(), usb=(), interest-cohort=()")
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
    # JSON too deep or with unpaired surrogates is a 400, not a 500 (core/api.py).
    "DEFAULT_PARSER_CLASSES": [
        "shuanglian.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
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
    # The schema and the docs page describe every endpoint: for signed-in users only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
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
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
                   "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}",
                                     "style": "{"}},
    # Every handler scrubs ID numbers and phones (core.logging), the development server's access log too;
    # core's AppConfig adds the filter to any handler configured without it.
    "filters": {"pii": {"()": "shuanglian.core.logging.PIIScrubFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["pii"]},
                 "django.server": {"class": "logging.StreamHandler", "formatter": "django.server",
                                   "filters": ["pii"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "weasyprint": {"level": "WARNING"},
                "fontTools": {"level": "WARNING"},
                "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False}},
}

# Key for personal information at rest (urlsafe base64 of 32+ random bytes). Keep a copy: without it
# encrypted ID numbers and phones cannot be read back.
PII_KEY = os.environ.get("PII_KEY") or _local_secret("pii_key", 32)

# The CJK font embedded in PDF exports (Debian: fonts-noto-cjk); see docs/operators.md.
EXPORT_CJK_FONT = os.environ.get("EXPORT_CJK_FONT", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

# Key of the audit chain (urlsafe base64 of 32+ random bytes): every event's hash is an HMAC with it, and
# checkpoints of the chain head are signed with it. Never in the database: from AUDIT_KEY, from the file
# AUDIT_KEY_FILE names, or generated into var/audit_key. Keep a copy apart: `audit verify` needs it.
AUDIT_KEY = os.environ.get("AUDIT_KEY") or (
    Path(os.environ["AUDIT_KEY_FILE"]).read_text().strip() if os.environ.get("AUDIT_KEY_FILE")
    else _local_secret("audit_key", 32))
# Signed checkpoints of the chain head (sequence number, hash, time) are appended to this file every
# AUDIT_CHECKPOINT_EVERY seconds by the periodic task core.audit_checkpoint; `audit verify` checks the
# chain against them. Put it outside the database's reach (another disk, a host's append-only mount,
# or a file shipped to a log host); empty turns checkpoints off.
AUDIT_CHECKPOINT_FILE = os.environ.get("AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit-checkpoints.jsonl"))
AUDIT_CHECKPOINT_EVERY = int(os.environ.get("AUDIT_CHECKPOINT_EVERY", "3600"))

# Audit events younger than this are never deleted (Cybersecurity Law Art. 21: at least 6 months).
AUDIT_MIN_RETENTION_DAYS = int(os.environ.get("AUDIT_MIN_RETENTION_DAYS", "183"))

# Each list or search that shows personal information is an audit event (archives.pii_read); past this
# many rows shown to one user within an hour the auditors are told. 0 turns the alert off.
PII_READ_ALERT_ROWS = int(os.environ.get("PII_READ_ALERT_ROWS", "5000"))

# Background tasks (core.tasks): "thread" runs them in the app process (one machine), "worker" queues
# them for `shuanglian worker`, "celery" sends them to Celery (CELERY_BROKER_URL), "inline" runs them
# in the caller (tests, scripts).
SHUANGLIAN_TASKS = os.environ.get("SHUANGLIAN_TASKS", "thread")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0")
CELERY_TASK_ALWAYS_EAGER = _env_bool("CELERY_TASK_ALWAYS_EAGER")

# Limits of an uploaded or imported spreadsheet (.xlsx/.csv), checked before and while it is read
# (core.tabular): the size unpacked (an .xlsx is a zip; a .csv its own size), rows, columns, characters a cell.
TABULAR_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("TABULAR_MAX_UNCOMPRESSED_BYTES", str(400 * 1024 * 1024)))
TABULAR_MAX_ROWS = int(os.environ.get("TABULAR_MAX_ROWS", "1200000"))
TABULAR_MAX_COLUMNS = int(os.environ.get("TABULAR_MAX_COLUMNS", "100"))
TABULAR_MAX_CELL_CHARS = int(os.environ.get("TABULAR_MAX_CELL_CHARS", "2000"))

# Reverse proxies in front of the app (addresses or networks, comma-separated, e.g. 10.0.0.5,10.1.0.0/16):
# only from them are X-Forwarded-For (the client's address, core.http.client_ip) and X-Request-ID believed.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

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
