"""Settings, read from environment variables with safe development defaults.

Nothing set: SQLite in ``db.sqlite3``, Celery tasks run eagerly, DEBUG on.
Production sets at least ``DEBUG=False``, ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``DATABASE_URL`` (PostgreSQL) and ``CELERY_BROKER_URL`` or ``REDIS_URL`` (Redis).
The README lists every variable.
"""

import logging
from datetime import date, timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from mentoring.log_config import default_log_format, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; a missing file is fine

DEBUG = env.bool("DEBUG", default=True)

# Outside development SECRET_KEY is required: a missing one stops the start-up.
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production") if DEBUG else env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "simple_history",
    "django_ratelimit",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "knox",
    "programmes",
    "duos",
    "matching",
    "reporting",
    "accounts",
    "imports",
    "audit",
    "privacy",
    "followups",
    "reminders",
    "api",
]

MIDDLEWARE = [
    "mentoring.request_log.RequestLogMiddleware",  # first: one log line per request, its duration
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionIdleTimeoutMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mentoring.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "programmes.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "mentoring.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# PostgreSQL's planner settings for this application's connections.
# POSTGRES_RANDOM_PAGE_COST: PostgreSQL's default (4) prices a random read as on
# a spinning disk, so for a quarter's duos it hashes every outcome of every
# year rather than look up the quarter's by index; on SSDs or a database held
# in memory, 1.1 is the usual advice, and it halves the dashboard at 1,000,000
# duos (benchmarks/RESULTS.md). POSTGRES_JIT: the figures' correlated subqueries
# inflate the cost estimates, so the JIT compiler spends longer compiling them
# than they take to run (607 ms with JIT, 106 ms without, on 100,000 duos).
POSTGRES_RANDOM_PAGE_COST = env.float("POSTGRES_RANDOM_PAGE_COST", default=1.1)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _planner = [f"-c random_page_cost={POSTGRES_RANDOM_PAGE_COST}"]
    if not env.bool("POSTGRES_JIT", default=False):
        _planner.append("-c jit=off")
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(_planner)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Deployment: database timeout and the reporting replica -------------------
# A database that does not answer fails a request (and /healthz) within
# DATABASE_CONNECT_TIMEOUT seconds instead of holding a web worker.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int("DATABASE_CONNECT_TIMEOUT", default=5)
# With DATABASE_REPLICA_URL, the dashboard's figures and the report-building
# task read from this replica (mentoring/database_routing.py); all writes and
# every other read stay on "default". Under tests the alias mirrors the test
# database (TEST MIRROR), as a replica would.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    if DATABASES["replica"]["ENGINE"] == DATABASES["default"]["ENGINE"]:
        # The primary's session options (JIT off, connect timeout) apply to the replica too.
        DATABASES["replica"]["OPTIONS"] = {
            **DATABASES["default"].get("OPTIONS", {}),
            **DATABASES["replica"].get("OPTIONS", {}),
        }
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
REPORTING_READ_ALIAS = "replica" if DATABASE_REPLICA_URL else "default"
DATABASE_ROUTERS = ["mentoring.database_routing.ReportingReplicaRouter"]

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    # Accounts that read every partner's records (staff, managers, administrators,
    # the data-protection officer) need longer passwords.
    {
        "NAME": "accounts.password_validation.PrivilegedMinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH_PRIVILEGED", default=12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one
# username from one address, that pair is locked out for the cool-off time.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Behind reverse proxies the client's address is read from X-Forwarded-For, but
# only through this many proxies that we run (each appends the address it saw);
# with 0, X-Forwarded-For is ignored. See accounts/client_ip.py.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip_address"

# Two-factor sign-in (django-otp, TOTP with recovery codes): always required for
# staff, managers, the data-protection officer and administrators; optional for
# coordinators unless this is set.
TWO_FACTOR_REQUIRED_FOR_ALL = env.bool("TWO_FACTOR_REQUIRED_FOR_ALL", default=False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Actiris Mentoring")
TWO_FACTOR_RECOVERY_CODES = 10

# Sessions end after this long without a request (accounts.middleware), and
# when the browser closes (the cookie has no expiry date).
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
# The last-activity time is written at most once a minute, not on every request;
# the stored session outlives the idle limit by that minute.
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60 + 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Password reset requests: at most this many per client address and per e-mail
# address (django-ratelimit, "count/period" with period s, m, h or d).
PASSWORD_RESET_RATE = env("PASSWORD_RESET_RATE", default="5/h")
RATELIMIT_VIEW = "accounts.views.rate_limited"
RATELIMIT_IP_META_KEY = "accounts.client_ip.client_ip_address"  # the same client address as axes
# django-ratelimit counts in the cache. Without REDIS_URL (development, one
# process) the local-memory cache is enough; Django's own Redis cache
# increments atomically, which is what the library needs.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + ([] if REDIS_URL else ["django_ratelimit.E003"])

LANGUAGE_CODE = env("LANGUAGE_CODE", default="fr")
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["mentoring.formats"]  # English dates day-first, as in Belgium
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: a broker URL selects a real Redis broker; without one tasks run eagerly.
# How background work survives a broker outage or a lost worker is explained in
# the README ("Background work"); ``mentoring/background.py`` has the mechanism.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# A message is acknowledged when its task has finished, not when a worker takes
# it: a worker that dies mid-task leaves the message to another worker.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# Time limits per task, in seconds: (soft, hard). At the soft limit the task
# stops and records why (a report is marked failed with a reason its requester
# reads); the hard limit kills the worker process if it did not stop.
REPORT_BUILD_TIME_LIMIT = env.int("REPORT_BUILD_TIME_LIMIT", default=120)
IMPORT_RUN_TIME_LIMIT = env.int("IMPORT_RUN_TIME_LIMIT", default=300)
TASK_TIME_LIMITS = {
    "reporting.tasks.build_report": (REPORT_BUILD_TIME_LIMIT, REPORT_BUILD_TIME_LIMIT + 30),
    "reporting.tasks.delete_expired_report_files": (60, 90),
    "reporting.tasks.requeue_waiting_reports": (60, 90),
    "accounts.tasks.password_reset_send": (30, 60),
    "reminders.tasks.plan_digests": (60, 90),
    "reminders.tasks.send_digest": (60, 90),
    "reminders.tasks.requeue_waiting_digests": (60, 90),
    "imports.tasks.run_import": (IMPORT_RUN_TIME_LIMIT, IMPORT_RUN_TIME_LIMIT + 30),
    "imports.tasks.requeue_waiting_imports": (60, 90),
    "imports.tasks.delete_expired_import_files": (60, 90),
}
CELERY_TASK_ANNOTATIONS = {
    name: {"soft_time_limit": soft, "time_limit": hard} for name, (soft, hard) in TASK_TIME_LIMITS.items()
}
# Redis hands a message that was taken but not acknowledged to another worker
# after the visibility timeout. It must stay above the longest hard time limit
# (else a task still running is started a second time) and be short enough
# that the work of a killed worker resumes within minutes (Redis' default is
# one hour). Abandoned messages are looked for every 10 seconds.
CELERY_VISIBILITY_TIMEOUT = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=max(hard for _soft, hard in TASK_TIME_LIMITS.values()) + 30
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
}
# A web request that queues work answers at once when the broker is down: the
# request is a row first, and a periodic task queues it again later.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# Work that has waited this long without being done is queued again (or, when
# a build has outlived its time limits, marked failed with its reason).
BACKGROUND_REQUEUE_AFTER_SECONDS = env.int("BACKGROUND_REQUEUE_AFTER_SECONDS", default=300)
CELERY_BEAT_SCHEDULE = {  # periodic tasks, run by `celery -A mentoring beat`
    "reporting-delete-expired-report-files": {
        "task": "reporting.tasks.delete_expired_report_files",
        "schedule": timedelta(hours=1),
    },
    "reporting-requeue-waiting-reports": {
        "task": "reporting.tasks.requeue_waiting_reports",
        "schedule": timedelta(minutes=1),
    },
    # Plans the day's digests once REMINDER_DIGEST_HOUR has come (idempotent per
    # user and day, so a beat or worker restart neither skips nor repeats a day).
    "reminders-plan-digests": {
        "task": "reminders.tasks.plan_digests",
        "schedule": timedelta(minutes=15),
    },
    "reminders-requeue-waiting-digests": {
        "task": "reminders.tasks.requeue_waiting_digests",
        "schedule": timedelta(minutes=1),
    },
    "imports-requeue-waiting-imports": {
        "task": "imports.tasks.requeue_waiting_imports",
        "schedule": timedelta(minutes=1),
    },
    "imports-delete-expired-import-files": {
        "task": "imports.tasks.delete_expired_import_files",
        "schedule": timedelta(hours=1),
    },
}
CELERY_BEAT_SCHEDULE["privacy-apply-retention"] = {
    "task": "privacy.tasks.apply_retention",
    "schedule": crontab(hour=2, minute=30),  # nightly
}
# People whose last duo closed more than this many years ago are pseudonymised
# (privacy.services.retention_apply; `manage.py apply_retention --dry-run` lists them).
RETENTION_YEARS = env.int("RETENTION_YEARS", default=5)
# Follow-ups after a duo closes (offsets are programme data): a follow-up stays
# on the coordinator's to-do list this many days after it falls due, and may be
# recorded from this many days before.
FOLLOW_UP_WINDOW_DAYS = env.int("FOLLOW_UP_WINDOW_DAYS", default=60)
FOLLOW_UP_EARLY_DAYS = env.int("FOLLOW_UP_EARLY_DAYS", default=30)

# Reminder digests (reminders app): daily to coordinators and weekly to Actiris
# staff unless each chooses otherwise, sent from this local hour; the weekly one
# on this ISO weekday (1 = Monday); a duo is "without a meeting" after this
# many days. Links in e-mails start with SITE_URL.
REMINDER_DIGEST_HOUR = env.int("REMINDER_DIGEST_HOUR", default=7)
REMINDER_WEEKLY_DAY = env.int("REMINDER_WEEKLY_DAY", default=1)
REMINDER_NO_MEETING_DAYS = env.int("REMINDER_NO_MEETING_DAYS", default=30)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Report files (reporting.ReportRequest) are deleted this long after they are built.
REPORT_FILE_TTL_HOURS = env.int("REPORT_FILE_TTL_HOURS", default=72)
# Whose money the budget figures count unless the user picks another funder (reporting.selectors).
REPORTING_DEFAULT_FUNDER = env("REPORTING_DEFAULT_FUNDER", default="Actiris")

# Spreadsheet imports (the imports app): the largest file taken (a workbook may
# also unpack to at most IMPORT_MAX_UNPACKED_MB), the most rows, the files up to
# IMPORT_SYNC_MAX_ROWS rows previewed and imported within the web request (larger
# ones by a Celery task, with a progress bar), how many rows to create or update
# the preview lists per sheet (all errors are listed), and how long an uploaded
# file that was neither imported nor discarded is kept.
IMPORT_MAX_FILE_SIZE_MB = env.int("IMPORT_MAX_FILE_SIZE_MB", default=10)
IMPORT_MAX_UNPACKED_MB = env.int("IMPORT_MAX_UNPACKED_MB", default=200)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20000)
IMPORT_SYNC_MAX_ROWS = env.int("IMPORT_SYNC_MAX_ROWS", default=300)
IMPORT_PREVIEW_ROWS = env.int("IMPORT_PREVIEW_ROWS", default=200)
IMPORT_FILE_TTL_HOURS = env.int("IMPORT_FILE_TTL_HOURS", default=24)

# Dates accepted anywhere in the product (records, periods, reports, import, API):
# see mentoring/bounds.py. Birth dates have their own bounds (ages).
DATES_ALLOWED_FROM = date.fromisoformat(env("DATES_ALLOWED_FROM", default="2000-01-01"))
DATES_ALLOWED_TO = date.fromisoformat(env("DATES_ALLOWED_TO", default="2099-12-31"))

# Bounds of the records that are settings (the others are in duos/bounds.py):
# how many days ahead a duo may start (a later start is refused), and the Actiris
# job-seeker number's format: a regular expression the whole number matches, and
# its description in the form's message (empty: the built-in, translated
# description of the default pattern).
DUO_START_MAX_DAYS_AHEAD = env.int("DUO_START_MAX_DAYS_AHEAD", default=31)
JOBSEEKER_NUMBER_PATTERN = env("JOBSEEKER_NUMBER_PATTERN", default=r"[0-9]{5,12}")
JOBSEEKER_NUMBER_FORMAT = env("JOBSEEKER_NUMBER_FORMAT", default="")

# Email (reminder digests, password resets); console in development.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="mentoring@localhost")
# --- Deployment: the SMTP server ----------------------------------------------
# Used with EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10  # seconds: a mail server that does not answer fails the sending, not the worker

# Security: strict by default outside DEBUG; each can be set from the environment.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts and styles only from our own
# static files, no inline script, no inline style, nothing from elsewhere.
# Bootstrap's CSS draws some icons as data: SVG images.
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
    },
}
# Permissions-Policy (django-permissions-policy): the app uses none of these.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# --- Deployment: logging and the health check ----------------------------------
# LOG_FORMAT "json" (the default outside DEBUG): one JSON object per line, one
# line per request (mentoring/request_log.py); "text" (the default in DEBUG):
# human-readable. Celery's worker keeps this configuration instead of its own.
LOG_FORMAT = env("LOG_FORMAT", default=default_log_format(debug=DEBUG))
LOGGING = logging_config(log_format=LOG_FORMAT, level=env("LOG_LEVEL", default="INFO"))
logging.captureWarnings(True)  # Python warnings become records too (logger "py.warnings")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Load balancers probe /healthz over plain HTTP, behind the TLS proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- The REST API (api/, /api/v1/) ---------------------------------------------
# Django REST framework with personal tokens (django-rest-knox, stored as
# SHA-512 digests in api.ApiToken) and, for the browsable API and the docs, the
# session of a signed-in user who passed the second factor. Requests are
# throttled per token (or per signed-in user), and wrong tokens per client
# address (api/throttling.py); rates are "count/period" with period second,
# minute, hour or day.
API_RATE_PER_TOKEN = env("API_RATE_PER_TOKEN", default="2000/hour")
API_RATE_INVALID_TOKEN = env("API_RATE_INVALID_TOKEN", default="30/minute")
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=200)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.NewestFirstCursorPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
}
KNOX_TOKEN_MODEL = "api.ApiToken"
# knox's own migrations would create its AuthToken table even though
# api.ApiToken replaces it (they do not mark the model swappable); without
# them, Django creates no table for the swapped-out model.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": None,  # each token's expiry is chosen when it is created (api.services.api_token_create)
    "TOKEN_PREFIX": "mtk_",  # recognisable in logs and by secret scanners
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mentoring programme manager API",
    "DESCRIPTION": (
        "Mentors, mentees, duos, meetings, outcomes and follow-ups of the partners you may see, "
        "their programmes and funding conventions, and the figures of a period. "
        "Authenticate with a personal token (`Authorization: Token mtk_...`) made on your profile page."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set shared by several fields.
    "ENUM_NAME_OVERRIDES": {
        "DuoStatusEnum": "duos.models.DuoStatus",
        "MeetingStatusEnum": "duos.models.MeetingStatus",
        "ClosureReasonEnum": "duos.models.ClosureReason",
        "OutcomeTypeEnum": "duos.models.OutcomeType",
        "ContractTypeEnum": "duos.models.ContractType",
        "OutcomeSourceEnum": "duos.models.OutcomeSource",
        "MeetingPlaceEnum": "duos.models.MeetingPlace",
        "GenderEnum": "duos.models.Gender",
        "EducationLevelEnum": "duos.models.EducationLevel",
    },
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}
