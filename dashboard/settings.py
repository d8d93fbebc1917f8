"""Settings, read from environment variables with defaults that run on one machine.

`DJANGO_ENV=production` turns on the production mode: SECRET_KEY and TOKEN_ENCRYPTION_KEY become
required, DEBUG defaults to off, cookies are secure and HSTS is sent. See the README's configuration table.
"""

from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from huggingface_hub import constants as hf_constants

from dashboard.environment import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    random_secret_key,
    required_or_development_secret,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = env_str("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)

SECRET_KEY = required_or_development_secret(
    "SECRET_KEY", production=PRODUCTION, secret_file=VAR_DIR / "secret_key", make_secret=random_secret_key
)
# One Fernet key, or several separated by commas to rotate (the first encrypts, all decrypt).
TOKEN_ENCRYPTION_KEY = required_or_development_secret(
    "TOKEN_ENCRYPTION_KEY",
    production=PRODUCTION,
    secret_file=VAR_DIR / "token_encryption_key",
    make_secret=lambda: Fernet.generate_key().decode(),
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "servestatic",  # its system checks of the static files settings
    "django_htmx",
    "axes",
    "dashboard",
    "endpoints_app",
    "billing",
    "playground_app",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "servestatic.middleware.ServeStaticMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: under ASGI, one thread trip for the middleware after servestatic's, not one per hook
    "dashboard.middleware.OneThreadForTheChain",
]

ROOT_URLCONF = "dashboard.urls"
ASGI_APPLICATION = "dashboard.asgi.application"
WSGI_APPLICATION = "dashboard.wsgi.application"

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
                "dashboard.context_processors.navigation",
                "dashboard.context_processors.banners",
            ],
        },
    },
    {
        # Only the endpoint list's rows (templates/jinja2/): a hundred of them a page.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "dashboard.jinja2.environment"},
    },
]

# --- Web processes (`manage.py demo`; docker-compose reads the same variables) ----------------------------
# How many uvicorn processes serve the console, and how long a stop waits for open answers to finish.
WEB_CONCURRENCY = env_int("WEB_CONCURRENCY", 2)
WEB_GRACEFUL_SHUTDOWN_SECONDS = env_int("WEB_GRACEFUL_SHUTDOWN_SECONDS", 30)

# --- Database -------------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat write to the same file: WAL lets readers go on while one writes,
    # IMMEDIATE transactions take the write lock up front instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DB_POOL_MAX_SIZE = env_int("DB_POOL_MAX_SIZE", 20)
DB_POOL_TIMEOUT_SECONDS = env_float("DB_POOL_TIMEOUT_SECONDS", 10.0)  # waiting for a free connection


def pooled(database: dict) -> dict:
    """`database` (a DATABASES entry) taking its connections from a pool of at most DB_POOL_MAX_SIZE, when it
    is PostgreSQL's, the pool is on and DB_CONN_MAX_AGE is 0 (Django refuses both).

    Under ASGI every request runs on a thread of its own, so DB_CONN_MAX_AGE keeps nothing for the next one
    and each request paid for a new connection (for a chat answer, a third of its time to first token). A
    pooled connection is checked before it is handed out (CONN_HEALTH_CHECKS): after a database restart, the
    pool replaces it instead of failing a request. docker-compose.yml turns the pool off for the Celery
    worker, which closes it after each task (celery's Django fixup): only threads and a second connection per
    task there."""
    if (
        DB_POOL_MAX_SIZE
        and not database["CONN_MAX_AGE"]
        and database["ENGINE"] == "django.db.backends.postgresql"
    ):
        pool = {"min_size": 1, "max_size": DB_POOL_MAX_SIZE, "timeout": DB_POOL_TIMEOUT_SECONDS}
        database.setdefault("OPTIONS", {})["pool"] = pool
        database["CONN_HEALTH_CHECKS"] = True
    return database


DATABASES["default"] = pooled(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery -------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")

# A per-process cache: pages must still render when Redis is down, so Redis is not the page cache.
# /readyz: the token a monitor sends (Authorization: Bearer ...; empty: admins only), and how long its checks'
# results are reused.
HEALTH_CHECK_TOKEN = env_str("HEALTH_CHECK_TOKEN", "")
HEALTH_CACHE_SECONDS = env_float("HEALTH_CACHE_SECONDS", 5.0)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task whose broker connection dropped goes back to the queue (tasks are idempotent; Celery 6 default).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# The worker survives the broker going away while it holds unacknowledged messages (see the module).
CELERY_WORKER_CONSUMER = "dashboard.worker_consumer:Consumer"
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180)
CELERY_RESULT_EXPIRES = 3600
# Operations keep their outcome in the database; a task's return value is only kept when asked for.
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# An unacknowledged task goes back to the queue after this long (a worker killed mid-task).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600)}
CELERY_TIMEZONE = "UTC"
# Workers keep the LOGGING below (its filter redacts tokens) instead of Celery's own root handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

SYNC_INTERVAL_SECONDS = env_int("SYNC_INTERVAL_SECONDS", 30)
HARDWARE_REFRESH_SECONDS = env_int("HARDWARE_REFRESH_SECONDS", 24 * 3600)
CATALOG_REFRESH_SECONDS = env_int("CATALOG_REFRESH_SECONDS", 6 * 3600)
RECONCILE_INTERVAL_SECONDS = env_int("RECONCILE_INTERVAL_SECONDS", 60)
# An operation no task has touched for this long is picked up again (longer than any one step can take).
RECONCILE_GRACE_SECONDS = env_int("RECONCILE_GRACE_SECONDS", 300)
POLICY_INTERVAL_SECONDS = env_int("POLICY_INTERVAL_SECONDS", 60)
# The Analytics tab: each running endpoint's open-metrics read once per interval, kept this many days.
METRICS_INTERVAL_SECONDS = env_int("METRICS_INTERVAL_SECONDS", 60)
METRICS_RETENTION_DAYS = env_int("METRICS_RETENTION_DAYS", 30)
# A policy whose action on an endpoint failed leaves that endpoint alone this long before trying again.
POLICY_RETRY_AFTER_FAILURE_SECONDS = env_int("POLICY_RETRY_AFTER_FAILURE_SECONDS", 3600)

# Waiting for an endpoint: a check, then another after a gap growing by 10% each time (so an endpoint is
# seen running at most ~10% of the wait after it is), at most every OPERATION_POLL_MAX_SECONDS, until the
# deadline. Checks of a namespace's waiting operations share one list call (services/listings.py).
OPERATION_TIMEOUT_SECONDS = env_int("OPERATION_TIMEOUT_SECONDS", 30 * 60)
OPERATION_POLL_INITIAL_SECONDS = env_float("OPERATION_POLL_INITIAL_SECONDS", 1.0)
OPERATION_POLL_FACTOR = env_float("OPERATION_POLL_FACTOR", 1.1)
OPERATION_POLL_MAX_SECONDS = env_float("OPERATION_POLL_MAX_SECONDS", 15.0)
# Checks of several waiting operations of a namespace share one list call made at most this long ago.
OPERATION_LISTING_MAX_AGE_SECONDS = env_float("OPERATION_LISTING_MAX_AGE_SECONDS", 0.5)

CELERY_BEAT_SCHEDULE = {
    "sync-endpoints": {"task": "endpoints_app.tasks.sync_all_namespaces", "schedule": SYNC_INTERVAL_SECONDS},
    "refresh-hardware": {
        "task": "endpoints_app.tasks.refresh_hardware",
        "schedule": HARDWARE_REFRESH_SECONDS,
    },
    "refresh-catalog": {
        "task": "endpoints_app.tasks.refresh_catalog",
        "schedule": CATALOG_REFRESH_SECONDS,
    },
    "reconcile-operations": {
        "task": "endpoints_app.tasks.reconcile_operations",
        "schedule": RECONCILE_INTERVAL_SECONDS,
    },
    "collect-metrics": {
        "task": "endpoints_app.tasks.collect_metrics",
        "schedule": METRICS_INTERVAL_SECONDS,
    },
    "enforce-policies": {
        "task": "billing.tasks.enforce_policies",
        "schedule": POLICY_INTERVAL_SECONDS,
    },
    "delete-unused-uploads": {"task": "playground_app.tasks.delete_unused_uploads", "schedule": 3600},
}

# --- Hugging Face ---------------------------------------------------------------------------------------
# huggingface_hub reads HF_ENDPOINT from the environment when it is imported; the Endpoints API and Inference
# Catalog bases are module constants that endpoints_app applies at start-up (see EndpointsAppConfig.ready).
HF_ENDPOINT = env_str("HF_ENDPOINT", "https://huggingface.co").rstrip("/")
HF_ENDPOINTS_API_URL = env_str("HF_ENDPOINTS_API_URL", "https://api.endpoints.huggingface.cloud/v2")
HF_ENDPOINTS_API_URL = HF_ENDPOINTS_API_URL.rstrip("/")
HF_INFERENCE_CATALOG_URL = env_str("HF_INFERENCE_CATALOG_URL", hf_constants.INFERENCE_CATALOG_ENDPOINT)
HF_INFERENCE_CATALOG_URL = HF_INFERENCE_CATALOG_URL.rstrip("/")
HF_API_TIMEOUT_SECONDS = env_float("HF_API_TIMEOUT_SECONDS", 20.0)
# Retries of 429, 5xx and timeouts: exponential backoff with jitter, bounded in attempts and delay.
HF_API_MAX_ATTEMPTS = env_int("HF_API_MAX_ATTEMPTS", 4)
HF_API_RETRY_BASE_SECONDS = env_float("HF_API_RETRY_BASE_SECONDS", 0.5)
HF_API_RETRY_MAX_SECONDS = env_float("HF_API_RETRY_MAX_SECONDS", 8.0)
HF_API_MAX_INLINE_WAIT_SECONDS = env_float("HF_API_MAX_INLINE_WAIT_SECONDS", 10.0)
# The "Hugging Face API degraded" banner: this many failures in a row, the last within the window.
HF_API_DEGRADED_AFTER_FAILURES = env_int("HF_API_DEGRADED_AFTER_FAILURES", 3)
HF_API_DEGRADED_WINDOW_SECONDS = env_int("HF_API_DEGRADED_WINDOW_SECONDS", 600)

# --- Playground -----------------------------------------------------------------------------------------
# Answers: how long to wait for an endpoint to connect, and between two streamed chunks (time to first token).
PLAYGROUND_CONNECT_TIMEOUT_SECONDS = env_float("PLAYGROUND_CONNECT_TIMEOUT_SECONDS", 10.0)
PLAYGROUND_READ_TIMEOUT_SECONDS = env_float("PLAYGROUND_READ_TIMEOUT_SECONDS", 120.0)
# A scaled-to-zero endpoint answers 503 while it wakes up: retry, asking it to hold each request this long
# (X-Scale-Up-Timeout), pausing between attempts, and give up after the wake-up timeout.
PLAYGROUND_SCALE_UP_WAIT_SECONDS = env_float("PLAYGROUND_SCALE_UP_WAIT_SECONDS", 30.0)
PLAYGROUND_WAKE_RETRY_SECONDS = env_float("PLAYGROUND_WAKE_RETRY_SECONDS", 2.0)
PLAYGROUND_WAKE_TIMEOUT_SECONDS = env_float("PLAYGROUND_WAKE_TIMEOUT_SECONDS", 600.0)
# An answer is saved as it arrives, every this many seconds (at least every ten times that, even when no new
# text came); one whose saves stopped for the cut-off time is shown as cut off (its web process died).
PLAYGROUND_ANSWER_SAVE_SECONDS = env_float("PLAYGROUND_ANSWER_SAVE_SECONDS", 1.0)
PLAYGROUND_ANSWER_CUT_OFF_SECONDS = env_float(
    "PLAYGROUND_ANSWER_CUT_OFF_SECONDS", 30 * PLAYGROUND_ANSWER_SAVE_SECONDS
)
PLAYGROUND_UPLOAD_MAX_BYTES = env_int("PLAYGROUND_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
# The largest request body on any other route (dashboard/body_limit.py): forms and questions are small.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 1024 * 1024)
# What an endpoint's answer may weigh (an image, embeddings), and how many pixels an image it makes may have.
PLAYGROUND_ANSWER_MAX_BYTES = env_int("PLAYGROUND_ANSWER_MAX_BYTES", 32 * 1024 * 1024)
PLAYGROUND_IMAGE_MAX_PIXELS = env_int("PLAYGROUND_IMAGE_MAX_PIXELS", 4096 * 4096)
# Uploads no message refers to are deleted after this long (playground_app.tasks.delete_unused_uploads).
PLAYGROUND_UPLOAD_UNUSED_HOURS = env_int("PLAYGROUND_UPLOAD_UNUSED_HOURS", 24)
PLAYGROUND_PAGE_SIZE = env_int("PLAYGROUND_PAGE_SIZE", 24)

# --- Billing (the billing app) --------------------------------------------------------------------------
# Optional: automatic actions and budget alerts are also posted as JSON ({"text": ...}) to this URL.
BILLING_WEBHOOK_URL = env_str("BILLING_WEBHOOK_URL", "")
BILLING_WEBHOOK_TIMEOUT_SECONDS = env_float("BILLING_WEBHOOK_TIMEOUT_SECONDS", 5.0)
# Reading an endpoint's /metrics (request counts, for idle detection) gives up after this long.
BILLING_METRICS_TIMEOUT_SECONDS = env_float("BILLING_METRICS_TIMEOUT_SECONDS", 3.0)
# The Overview lists running endpoints unused for longer than this as forgotten.
BILLING_FORGOTTEN_AFTER_HOURS = env_float("BILLING_FORGOTTEN_AFTER_HOURS", 4.0)
# Where people open the console: the start of the links that emails and webhook posts carry (a pause
# warning's "keep running" link).
CONSOLE_URL = env_str("CONSOLE_URL", "http://localhost:8000").rstrip("/")

# --- Authentication -------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "endpoints_app.roles.OneQueryPermissionsBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "overview"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: after AXES_FAILURE_LIMIT failures for one username (from any addresses: a guess spread
# over many machines) or from one address (over any usernames: a password tried on everyone), wait
# AXES_COOLOFF_TIME. The price: failures made on purpose lock a person out for the cool-off.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_float("LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Per-user limits (requests per minute): endpoint actions, and playground sends.
# Registries (or registry/path prefixes) whose images operators may deploy besides the engines' published ones
# (endpoints_app/image_policy.py); admins may deploy any image.
OPERATOR_IMAGE_REGISTRIES = env_list("OPERATOR_IMAGE_REGISTRIES", [])
RATE_LIMIT_ACTIONS_PER_MINUTE = env_int("RATE_LIMIT_ACTIONS_PER_MINUTE", 30)
RATE_LIMIT_PLAYGROUND_PER_MINUTE = env_int("RATE_LIMIT_PLAYGROUND_PER_MINUTE", 30)
RATE_LIMIT_UPLOADS_PER_MINUTE = env_int("RATE_LIMIT_UPLOADS_PER_MINUTE", 10)

# --- Internationalisation, static files -----------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "servestatic.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production, static files are served straight from the app folders: no collectstatic needed.
SERVESTATIC_USE_FINDERS = not PRODUCTION
SERVESTATIC_AUTOREFRESH = DEBUG

# --- Email ----------------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "console@localhost")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)  # seconds: a mail server that hangs must not hold a worker

# --- Security -------------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list is a decision for the domain's owner, not a default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline scripts or styles anywhere: every script and stylesheet is a file served by the app.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging --------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "dashboard.log_filters.RedactTokensFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_tokens"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpx2": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        "httpcore2": {"level": "WARNING"},
    },
}
