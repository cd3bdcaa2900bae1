"""Pingan settings: one file, driven by environment variables.

Every variable is read through a typed helper that stops start-up with a clear message when its value is
bad, so a misconfigured deployment fails loudly instead of running half-right.

Variables: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, HTTPS, REDIS_URL, TIME_ZONE,
PINGAN_LOCKOUT_ATTEMPTS, PINGAN_LOCKOUT_MINUTES, PINGAN_IDLE_MINUTES, PINGAN_PASSWORD_MAX_AGE_DAYS,
PINGAN_FIELD_KEY, PINGAN_TRUSTED_PROXIES, PINGAN_TOKEN_MAX_AGE_DAYS, PINGAN_2FA_REQUIRED_ROLES,
PINGAN_DEMO_PASSWORD (demo only), PINGAN_TEST_DB_NAME (tests only).
"""
from __future__ import annotations

import importlib.util
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"环境变量 {name} 的值“{raw}”无效：只能是 1/0、true/false、yes/no、on/off。")


def env_int(name: str, default: int, minimum: int = 0, maximum: int = 10**9) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name} 的值“{raw}”无效：应为整数。") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"环境变量 {name} 的值 {value} 超出范围 {minimum}–{maximum}。")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"环境变量 {name} 不能为空：请用逗号分隔列出主机名。")
    return items


def env_networks(name: str) -> list[str]:
    """Comma-separated IP addresses or CIDR networks (e.g. reverse proxies); empty by default."""
    import ipaddress

    raw = os.environ.get(name, "")
    networks = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"环境变量 {name} 中的“{item}”无效：应为 IP 地址或网段（如 10.0.0.5 或 10.0.0.0/24），以逗号分隔。"
            ) from None
    return networks


def env_roles(name: str, default: list[str]) -> list[str]:
    """Comma-separated role codes (pingan.accounts.choices.Role); an unknown code stops start-up."""
    from pingan.accounts.choices import Role

    raw = os.environ.get(name)
    if raw is None:
        return default
    roles = [item.strip() for item in raw.split(",") if item.strip()]
    unknown = [role for role in roles if role not in Role.values]
    if unknown or not roles:
        raise ImproperlyConfigured(
            f"环境变量 {name} 的值“{raw}”无效：应为以逗号分隔的角色代码，可选 {', '.join(Role.values)}。"
        )
    return roles


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once into an untracked local file."""
    key = env_str("SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("环境变量 SECRET_KEY 太短：至少 32 个字符。")
        return key
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _field_key() -> str:
    """PINGAN_FIELD_KEY (encryption of personal data) from the environment, else generated once into an
    untracked local file like .secret_key. Back it up with the database: without it nothing decrypts."""
    key = env_str("PINGAN_FIELD_KEY")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("环境变量 PINGAN_FIELD_KEY 太短：至少 32 个字符。")
        return key
    path = BASE_DIR / ".field_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _database() -> dict:
    url = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except Exception as exc:  # dj_database_url raises several types for a bad URL
        raise ImproperlyConfigured(f"环境变量 DATABASE_URL 的值“{url}”无效：{exc}") from None
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the start of a
        # transaction, so two writers queue instead of failing half-way with "database is locked".
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config["CONN_MAX_AGE"] = 0
    elif engine == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})
        # No JIT compilation: our queries are many short aggregates, for which PostgreSQL's cost estimate (an
        # EXISTS over 督办 inflates it) starts a compile that costs more than the query (bench_dashboard: 320 ms
        # added to a 6 ms hazards count at 312k rows).
        config["OPTIONS"].setdefault("options", "-c jit=off")
        config["CONN_HEALTH_CHECKS"] = True
    else:
        raise ImproperlyConfigured(f"DATABASE_URL 只支持 sqlite:// 与 postgres://，收到“{url}”。")
    test_name = env_str("PINGAN_TEST_DB_NAME")
    if test_name:
        config["TEST"] = {"NAME": test_name}
    return config


SECRET_KEY = _secret_key()
PINGAN_FIELD_KEY = _field_key()
DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("HTTPS", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = [
    f"{scheme}://{host}" for host in ALLOWED_HOSTS if host not in ("*",) for scheme in ("http", "https")
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "pingan.core",
    "pingan.geo",
    "pingan.accounts",
    "pingan.notifications",
    "pingan.alerts",
    "pingan.documents",
    "pingan.cases",
    "pingan.ledgers",
    "pingan.registers",
    "pingan.hazards",
    "pingan.events",
    "pingan.people",
    "pingan.security",
    "pingan.crimes",
    "pingan.campaigns",
    "pingan.disputes",
    "pingan.petitions",
    "pingan.hall",
    "pingan.analytics",
    "pingan.reports",
    "django_tasks",
    "django_tasks_db",
    "pingan.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pingan.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pingan.accounts.middleware.AccountPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "pingan.urls"
WSGI_APPLICATION = "pingan.wsgi.application"

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
                "pingan.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["pingan.accounts.backends.PinganBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "pingan.accounts.validators.CharacterClassValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout (等保 8.1.4.1 b): the session expires after this many idle minutes.
SESSION_COOKIE_AGE = env_int("PINGAN_IDLE_MINUTES", 30, 1, 24 * 60) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
PINGAN_LOCKOUT_ATTEMPTS = env_int("PINGAN_LOCKOUT_ATTEMPTS", 5, 1, 100)
PINGAN_LOCKOUT_MINUTES = env_int("PINGAN_LOCKOUT_MINUTES", 15, 1, 24 * 60)
PINGAN_PASSWORD_MAX_AGE_DAYS = env_int("PINGAN_PASSWORD_MAX_AGE_DAYS", 90, 0, 3650)
PINGAN_DEMO_PASSWORD = env_str("PINGAN_DEMO_PASSWORD", "pingan-demo")
PINGAN_AUDIT_RETENTION_DAYS = env_int("PINGAN_AUDIT_RETENTION_DAYS", 3 * 365, 183, 100 * 365)
# Reverse proxies whose X-Forwarded-For and X-Request-ID are believed (IPs or CIDRs). Empty: the client is
# REMOTE_ADDR and forwarded headers are ignored, so nobody can pick the address lockouts and the audit see.
PINGAN_TRUSTED_PROXIES = env_networks("PINGAN_TRUSTED_PROXIES")
# API tokens stop working this many days after they were issued (0: never by age).
PINGAN_TOKEN_MAX_AGE_DAYS = env_int("PINGAN_TOKEN_MAX_AGE_DAYS", 90, 0, 3650)
# Second factor (等保 8.1.4.1 d): roles that must enrol a TOTP authenticator; others may from their profile.
PINGAN_2FA_REQUIRED_ROLES = env_roles("PINGAN_2FA_REQUIRED_ROLES", ["district_admin", "security_admin", "auditor"])
OTP_TOTP_ISSUER = "平安综治"
# Wrong codes count toward the account lockout (accounts.services); django-otp's own growing delay on top
# would silently refuse the next right code after a typo.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
def _package_static(package: str) -> list[Path]:
    """Static folder of an installed package that is not a Django app (django-leaflet's admin needs GDAL,
    so it is not installed as an app; its Leaflet build is served from here)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(list(spec.submodule_search_locations)[0]) / "static"
    return [folder] if folder.is_dir() else []


def _npm_static(package: str, folder: str) -> list[tuple[str, Path]]:
    """A browser library installed by `make setup` from npm (package.json), served under its package name."""
    path = BASE_DIR / "node_modules" / package / folder
    return [(package, path)] if path.is_dir() else []


STATICFILES_DIRS = [BASE_DIR / "static", *_package_static("leaflet"), *_npm_static("echarts", "dist")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Served from the packages' own static folders when collectstatic has not run (tests, first start).
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background jobs (pingan.jobs, docs/ledgers.md): django-tasks with its database backend, so SQLite and
# PostgreSQL both work and no broker is needed; `make run` starts `manage.py db_worker` beside gunicorn.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Uploaded ledgers and the files jobs produce live here, outside MEDIA_ROOT: only the jobs' download view,
# which checks the owner and audits the download, serves them.
PINGAN_JOBS_ROOT = Path(env_str("PINGAN_JOBS_ROOT", str(BASE_DIR / "var" / "jobs")))
PINGAN_JOBS_KEEP_DAYS = env_int("PINGAN_JOBS_KEEP_DAYS", 7, 1, 365)
# Full personal numbers in an export need a second person's approval (another account that may reveal).
PINGAN_EXPORT_APPROVAL = env_bool("PINGAN_EXPORT_APPROVAL", False)
# What one uploaded ledger may hold (pingan.ledgers.readers): checked before parsing and while streaming.
PINGAN_UPLOAD_MAX_MB = env_int("PINGAN_UPLOAD_MAX_MB", 20, 1, 2048)
PINGAN_LEDGER_MAX_ROWS = env_int("PINGAN_LEDGER_MAX_ROWS", 200_000, 1, 100_000_000)
PINGAN_LEDGER_MAX_COLUMNS = env_int("PINGAN_LEDGER_MAX_COLUMNS", 200, 10, 16_384)
PINGAN_LEDGER_MAX_CELL_CHARS = env_int("PINGAN_LEDGER_MAX_CELL_CHARS", 10_000, 100, 1_000_000)
PINGAN_XLSX_MAX_SHARED_STRINGS_MB = env_int("PINGAN_XLSX_MAX_SHARED_STRINGS_MB", 100, 1, 4096)
PINGAN_XLSX_MAX_SHEET_MB = env_int("PINGAN_XLSX_MAX_SHEET_MB", 512, 1, 16_384)
PINGAN_XLSX_MAX_PART_MB = env_int("PINGAN_XLSX_MAX_PART_MB", 20, 1, 1024)
PINGAN_XLSX_MAX_RATIO = env_int("PINGAN_XLSX_MAX_RATIO", 200, 10, 100_000)

# Notifications (pingan.notifications, docs/notifications.md): the in-app inbox always; SMS through a gateway
# backend (a dotted path; the default only logs). Which kinds go by SMS, how long a digest gathers messages of
# one kind and key into one row, and the quiet hours in which SMS wait (an overdue notice of an urgent case
# does not). Deadline reminders run every PINGAN_REMINDER_INTERVAL_MINUTES on the background worker.
PINGAN_SMS_BACKEND = env_str("PINGAN_SMS_BACKEND", "pingan.notifications.channels.LoggingSMSBackend")
PINGAN_SMS_URL = env_str("PINGAN_SMS_URL")
PINGAN_SMS_TOKEN = env_str("PINGAN_SMS_TOKEN")
PINGAN_SMS_TIMEOUT_SECONDS = env_int("PINGAN_SMS_TIMEOUT_SECONDS", 5, 1, 60)
PINGAN_SMS_KINDS = [k.strip() for k in env_str("PINGAN_SMS_KINDS", "overdue,supervised").split(",") if k.strip()]
PINGAN_NOTIFY_DIGEST_MINUTES = env_int("PINGAN_NOTIFY_DIGEST_MINUTES", 30, 0, 24 * 60)


def _quiet_hours(raw: str) -> tuple[str, str] | None:
    """"21:00-07:30" → ("21:00", "07:30"); empty → None (no quiet hours)."""
    if not raw:
        return None
    import datetime as _dt

    parts = [p.strip() for p in raw.split("-")]
    try:
        if len(parts) != 2:
            raise ValueError
        for part in parts:
            _dt.time.fromisoformat(part)
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 PINGAN_NOTIFY_QUIET_HOURS 的值“{raw}”无效：应为“21:00-07:30”的形式，"
                                   "留空表示不设免打扰时段。") from None
    return parts[0], parts[1]


PINGAN_NOTIFY_QUIET_HOURS = _quiet_hours(env_str("PINGAN_NOTIFY_QUIET_HOURS", "21:00-07:30"))
PINGAN_REMINDER_INTERVAL_MINUTES = env_int("PINGAN_REMINDER_INTERVAL_MINUTES", 15, 1, 24 * 60)
PINGAN_ALERT_SCAN_INTERVAL_MINUTES = env_int("PINGAN_ALERT_SCAN_INTERVAL_MINUTES", 60, 1, 24 * 60)  # docs/alerts.md
PINGAN_REMINDER_BEFORE_HOURS = env_int("PINGAN_REMINDER_BEFORE_HOURS", 4, 0, 24 * 10)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an API call without valid credentials answers 401 with WWW-Authenticate.
        "pingan.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Bounded numbers in every FilterSet (pingan/core/filters.py), JSON with a depth limit (core/parsers.py).
    "DEFAULT_FILTER_BACKENDS": ["pingan.core.filters.FilterBackend"],
    "DEFAULT_PARSER_CLASSES": ["pingan.core.parsers.JSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "pingan.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "平安 Pingan API",
    "DESCRIPTION": "综治中心信息平台开放接口。所有数据均按调用者的管辖范围过滤。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Maps: Leaflet from django-leaflet's static files. No internet at run time: base tiles come from an
# intranet tile server when PINGAN_TILE_URL is set (e.g. http://tiles.local/{z}/{x}/{y}.png), else the map
# draws the jurisdiction's own points and outlines on a blank background.
PINGAN_TILE_URL = env_str("PINGAN_TILE_URL")
PINGAN_MAP_CENTER = (37.87, 113.57)


def _tile_source(url: str) -> list[str]:
    """The origin of the intranet tile server, for the img-src of the Content Security Policy: the map's
    tiles are the only images loaded from another host. Leaflet's `{s}` subdomain becomes a wildcard."""
    if not url:
        return []
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(f"PINGAN_TILE_URL must be an http(s) URL, got {url!r}")
    host = parts.netloc.rpartition("@")[2].replace("{s}", "*")
    return [f"{parts.scheme}://{host}"]


# Content Security Policy (django-csp): no inline script or style anywhere, nothing from another host but
# the tile server. Pages pass data to their scripts with json_script or data-* attributes
# (docs/security-csp.md; the ReDoc page relaxes it per view in pingan/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *_tile_source(PINGAN_TILE_URL)],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
