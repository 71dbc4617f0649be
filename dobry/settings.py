"""Settings, read from the environment (see docs/configuration.md).

DJANGO_ENV selects the profile: `development` (default for manage.py), `test` (pytest)
or `production` (requires DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; `check --deploy` clean).
"""

import sys
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from dobry.env import (
    cache_settings,
    database_settings,
    env_bool,
    env_choice,
    env_file,
    env_int,
    env_ip_networks,
    env_list,
    env_str,
    env_url,
    page_cache_settings,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DOBRY_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite does not make the folder of its file

_running_tests = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")
DJANGO_ENV = env_choice(
    "DJANGO_ENV",
    "test" if _running_tests else "development",
    ("development", "test", "production"),
)
PRODUCTION = DJANGO_ENV == "production"
TESTING = DJANGO_ENV == "test"

DEBUG = env_bool("DJANGO_DEBUG", DJANGO_ENV == "development")
if PRODUCTION:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required in production.")
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-" + "x" * 32)
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: `runserver` leaves static files to WhiteNoise (as in production),
    # whose lookup answers 404 to `/static/../x`; Django's own handler answers 500.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "dobry.core",
    "dobry.accounts",
    "dobry.organizations",
    "dobry.volunteering",
    "dobry.events",
    "dobry.resources",
    "dobry.helprequests",
    "dobry.grants",
    "dobry.opportunities",
    "dobry.charity",
    "dobry.festivals",
    "dobry.civic",
    "dobry.reports",
    "dobry.communications",
    "dobry.api",
    "dobry.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dobry.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "dobry.api.middleware.ApiErrorShapeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dobry.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "dobry.accounts.middleware.StaffMfaRequiredMiddleware",
    "dobry.core.middleware.RequestValuesMiddleware",
    "dobry.core.idempotency.IdempotencyKeyMiddleware",
    "dobry.core.middleware.DevelopmentErrorPagesMiddleware",
]

ROOT_URLCONF = "dobry.site.urls"
WSGI_APPLICATION = "dobry.wsgi.application"

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
                "django.template.context_processors.i18n",
                "dobry.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite by default (WAL, IMMEDIATE transactions); DATABASE_URL selects PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL", "")
# A psycopg connection pool in each process (PostgreSQL; docs/deployment.md «Scale-out»):
# off by default — with gunicorn's one-request-at-a-time workers the persistent connection
# is already a pool of one, and the pool measured no faster (docs/benchmarks.md).
DOBRY_DB_POOL = env_bool("DOBRY_DB_POOL", False)
DOBRY_DB_POOL_SIZE = env_int("DOBRY_DB_POOL_SIZE", 4, minimum=1, maximum=100)
if DATABASE_URL:
    # Tests open connections from many threads (live server, concurrency tests): close them
    # at once there, so they never pile up past the server's limit.
    DATABASES = {
        "default": database_settings(
            DATABASE_URL,
            conn_max_age=0 if TESTING else 60,
            pool_size=DOBRY_DB_POOL_SIZE if DOBRY_DB_POOL else 0,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "dobry.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
            # A file, not memory: concurrency tests need real separate connections.
            "TEST": {"NAME": str(VAR_DIR / "test-dobry.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule for the password: Django's hook for «the password was changed» (every path:
    # change, reset, admin, changepassword) revokes the person's API tokens.
    {"NAME": "dobry.accounts.passwords.RevokeApiTokensOnPasswordChange"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email login with mandatory verification, rate limits, TOTP for staff.
ACCOUNT_ADAPTER = "dobry.communications.account_adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "dobry.accounts.forms.SignupForm"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
# Failed logins (allauth's `login_failed`) are limited per client address — high enough that
# an office behind one NAT address is not locked out by a few colleagues' typos — and per
# account (the email typed), over five minutes and over an hour, so that one account cannot
# be tried from many addresses (issue 11). `login` counts every attempt from an address.
DOBRY_LOGIN_FAILURES_PER_IP = env_int("DOBRY_LOGIN_FAILURES_PER_IP", 30, minimum=1, maximum=1000)
ACCOUNT_RATE_LIMITS = {
    "login": f"{2 * DOBRY_LOGIN_FAILURES_PER_IP}/m/ip",
    "login_failed": f"{DOBRY_LOGIN_FAILURES_PER_IP}/m/ip,5/5m/key,20/h/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "dobry.accounts.mfa_adapter.MFAAdapter"
DOBRY_REQUIRE_STAFF_MFA = env_bool("DOBRY_REQUIRE_STAFF_MFA", PRODUCTION)
# How long a transaction waits for a row lock (capacity, rooms) before answering «try again».
DOBRY_LOCK_TIMEOUT_MS = env_int("DOBRY_LOCK_TIMEOUT_MS", 5000, minimum=1)
# Personal API tokens stop working this many days after they are created.
DOBRY_API_TOKEN_DAYS = env_int("DOBRY_API_TOKEN_DAYS", 90, minimum=1, maximum=366)
# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR blocks); a request
# from anywhere else is the client itself. See dobry/core/client_ip.py.
DOBRY_TRUSTED_PROXIES = env_ip_networks("DOBRY_TRUSTED_PROXIES", [])

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("DOBRY_TIME_ZONE", "Asia/Krasnoyarsk")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DOBRY_MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads that are not public (application attachments, protocols, consultation files, the
# library): outside MEDIA_ROOT, served only by core's access-checked view (dobry/core/files.py).
DOBRY_PRIVATE_MEDIA_ROOT = Path(env_str("DOBRY_PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
# Set (e.g. "/_private/") when nginx serves DOBRY_PRIVATE_MEDIA_ROOT from an `internal`
# location: the view then answers with X-Accel-Redirect instead of streaming the file.
DOBRY_PRIVATE_MEDIA_ACCEL_PREFIX = env_str("DOBRY_PRIVATE_MEDIA_ACCEL_PREFIX", "")
STORAGES = {
    "default": {"BACKEND": "dobry.core.files.PublicStorage"},
    "private": {"BACKEND": "dobry.core.files.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# One cache per machine (files) unless DOBRY_CACHE_URL names a shared one (Redis): with several
# web machines the page cache's forgetting, the reports' figures and the login rate limits
# must be seen by all (docs/deployment.md «Scale-out»).
# DOBRY_CACHE=off keeps nothing (Django's dummy cache): what `bench/pages.py` measures a page
# without its cache with (issue 17: the figures without the cache must meet the targets too).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if TESTING
        else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        if env_choice("DOBRY_CACHE", "on", ("on", "off")) == "off"
        else cache_settings(env_str("DOBRY_CACHE_URL", ""), default_folder=VAR_DIR / "cache")
    )
}
# The kept public pages (`dobry.core.page_cache`) in a store of their own: anyone can make
# pages to keep (`?x=1`, `?x=2`…), and culling them must never evict the rate limits above.
CACHES["pages"] = page_cache_settings(
    CACHES["default"], entries=env_int("DOBRY_PAGE_CACHE_ENTRIES", 5000, minimum=100)
)

# Background work: django.tasks API executed by django-tasks-db's db_worker.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.backend.DatabaseBackend"
        )
    }
}

# Email: SMTP configured by the environment in production; in development each email is a
# file in EMAIL_FILE_PATH (var/mail), so a run's hundreds of demo emails never bury the
# site's address in the terminal (issue 11 §6) and a confirmation link or code is found there.
# A bare address is sent named with DOBRY_SITE_NAME (communications.tasks.sender).
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = Path(env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail")))
ADMINS = [("Admin", a) for a in env_list("DJANGO_ADMINS", [])]

# Security. Production defaults are strict; every one can be turned by the environment.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # a load balancer asks the instances themselves over plain HTTP
    SECURE_REDIRECT_EXEMPT = [r"^health/"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Log lines: one JSON object a line (production's default: a collector or `journalctl -o
# cat | jq` reads fields — time in UTC, level, logger, message, the traceback as
# `exc_info`, and what a record carries, e.g. a request's `status_code`), or plain text.
DOBRY_LOG_FORMAT = env_choice(
    "DOBRY_LOG_FORMAT", "json" if PRODUCTION else "text", ("json", "text")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
            "json_ensure_ascii": False,
        },
        "text": {"format": "%(message)s"},  # as before: the message alone
    },
    "filters": {
        "task_level": {"()": "dobry.core.logging.TaskLogLevelFilter"},
        "client_errors": {"()": "dobry.core.logging.ClientErrorFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["task_level"],
            "formatter": DOBRY_LOG_FORMAT,
        },
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own default gives `django` a console handler of its own while DEBUG is on:
        # with the root's, every 403/404 was printed twice in `make run`. Its records reach
        # the root's console once; errors still mail ADMINS in production.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        # 4xx at INFO without a traceback; 5xx stay errors with theirs
        "django.request": {"filters": ["client_errors"]},
        "django.db.backends": {"level": "INFO"},
        "django_tasks": {"level": "WARNING" if TESTING else "INFO"},
    },
}

# The background worker logs a line per task and the scheduler one per job at INFO; `make
# run` sets WARNING so the site address stays on screen (dobry.core.logging.TaskLogLevelFilter).
DOBRY_TASK_LOG_LEVEL = env_choice(
    "DOBRY_TASK_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
)

# The city. Nothing in the code is specific to one municipality: these are settings.
DOBRY_SITE_NAME = env_str("DOBRY_SITE_NAME", "Добрый Железногорск")
DOBRY_CITY_NAME = env_str("DOBRY_CITY_NAME", "ЗАТО г. Железногорск")
# The personal-data operator every consent names (152-ФЗ art. 9 part 4: name and address).
# The demo values describe the first installation; a production site must state its own.
DOBRY_OPERATOR_NAME = (
    env_str("DOBRY_OPERATOR_NAME")
    if PRODUCTION
    else env_str(
        "DOBRY_OPERATOR_NAME",
        "Красноярская региональная общественная организация «АРГО» "
        "(городской ресурсный центр поддержки социальных инициатив)",
    )
)
DOBRY_OPERATOR_ADDRESS = (
    env_str("DOBRY_OPERATOR_ADDRESS")
    if PRODUCTION
    else env_str(
        "DOBRY_OPERATOR_ADDRESS",
        "662971, Красноярский край, ЗАТО г. Железногорск, ул. Ленина, д. 1",
    )
)
DOBRY_POPULATION = env_int("DOBRY_POPULATION", 85000, minimum=1)
DOBRY_BENCH_HELLO = env_bool("DOBRY_BENCH_HELLO", False)
# /health/ (dobry.core.health): the oldest due task may wait this long (seconds), and the
# scheduler may be silent this long, before the check fails.
DOBRY_HEALTH_QUEUE_AGE = env_int("DOBRY_HEALTH_QUEUE_AGE", 300, minimum=1)
DOBRY_HEALTH_SILENCE = env_int("DOBRY_HEALTH_SILENCE", 600, minimum=60)
# Task leases (dobry.core.task_leases): a worker (`manage.py run_worker`) shows it is alive
# every DOBRY_WORKER_BEAT seconds; a running task whose worker was silent for
# DOBRY_TASK_LEASE seconds is given to another worker, at most DOBRY_TASK_TAKEOVERS times.
DOBRY_WORKER_BEAT = env_int("DOBRY_WORKER_BEAT", 15, minimum=1)
DOBRY_TASK_LEASE = env_int("DOBRY_TASK_LEASE", 120, minimum=30)
DOBRY_TASK_TAKEOVERS = env_int("DOBRY_TASK_TAKEOVERS", 3, minimum=1)
DOBRY_INVITATION_DAYS = env_int("DOBRY_INVITATION_DAYS", 14, minimum=1)
DOBRY_LOGO_MAX_BYTES = env_int("DOBRY_LOGO_MAX_BYTES", 2 * 1024 * 1024, minimum=1024)
# The largest picture accepted, in pixels (width × height), read from the file's header
# before decoding: 17 KB of PNG may declare 12000×12000 (576 MB in every browser).
DOBRY_IMAGE_MAX_PIXELS = env_int("DOBRY_IMAGE_MAX_PIXELS", 50_000_000, minimum=1_000_000)
# Field-level encryption of special-category data (health, disability) of help recipients:
# the key is derived from DJANGO_SECRET_KEY and this salt, both from the environment.
SALT_KEY = (
    env_str("DOBRY_ENCRYPTION_SALT")
    if PRODUCTION
    else env_str("DOBRY_ENCRYPTION_SALT", "dev-only-salt")
)
# Absolute links in emails and calendar feeds (dobry.core.site). In development it follows
# the port the server runs on (`make run PORT=8123`).
DOBRY_SITE_URL = env_url("DOBRY_SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000, minimum=1)}")
# The domain on the right of calendar UIDs and feed item ids. Empty: the host of
# DOBRY_SITE_URL at the first `migrate`, stored then and kept (core.Installation), so the ids
# never change with the site's address or port (docs/configuration.md).
DOBRY_UID_DOMAIN = env_str("DOBRY_UID_DOMAIN", "")
DOBRY_WAITLIST_OFFER_HOURS = env_int("DOBRY_WAITLIST_OFFER_HOURS", 12, minimum=1)
# A residents' vote with officers (paper ballots from polling points) is closed by the
# scheduler this many hours after its closing moment, for the boxes to be entered; a vote
# without officers is closed at its closing moment (docs/civic.md).
DOBRY_VOTE_PAPER_HOURS = env_int("DOBRY_VOTE_PAPER_HOURS", 24, minimum=0, maximum=24 * 14)
# Check-in/check-out are accepted from this long before a shift starts to this long after
# it ends (issue 11 §5: never hours for a shift that has not happened).
DOBRY_CHECK_IN_OPENS_HOURS = env_int("DOBRY_CHECK_IN_OPENS_HOURS", 2, minimum=0)
DOBRY_CHECK_IN_CLOSES_HOURS = env_int("DOBRY_CHECK_IN_CLOSES_HOURS", 12, minimum=0)
# Room bookings start no further ahead than this many of the city's days (a booking years
# ahead holds a room nobody can plan for), and last at least this many minutes.
DOBRY_ROOM_BOOKING_DAYS_AHEAD = env_int("DOBRY_ROOM_BOOKING_DAYS_AHEAD", 180, minimum=1)
DOBRY_ROOM_BOOKING_MIN_MINUTES = env_int(
    "DOBRY_ROOM_BOOKING_MIN_MINUTES", 30, minimum=1, maximum=12 * 60
)
DOBRY_DOCUMENT_MAX_BYTES = env_int("DOBRY_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
DOBRY_HELP_OFFER_HOURS = env_int("DOBRY_HELP_OFFER_HOURS", 6, minimum=1)
DOBRY_HELP_RETENTION_DAYS = env_int("DOBRY_HELP_RETENTION_DAYS", 365, minimum=1)
# Written consent by simple electronic signature: a code by email (63-ФЗ art. 6 part 2).
DOBRY_CONSENT_CODE_MINUTES = env_int("DOBRY_CONSENT_CODE_MINUTES", 15, minimum=1)
DOBRY_CONSENT_CODE_ATTEMPTS = env_int("DOBRY_CONSENT_CODE_ATTEMPTS", 5, minimum=1)
DOBRY_CONSENT_CODES_PER_HOUR = env_int("DOBRY_CONSENT_CODES_PER_HOUR", 3, minimum=1)
# The same person sending the same request again within this many hours is flagged as a
# possible duplicate (a double submit, a second device, a retry after a lost answer).
DOBRY_HELP_DUPLICATE_HOURS = env_int("DOBRY_HELP_DUPLICATE_HOURS", 24, minimum=1)
# New help requests one account may send in 24 hours (coordinators registering calls are not
# limited): a new account sending ten a minute floods the coordinators.
DOBRY_HELP_REQUESTS_PER_DAY = env_int("DOBRY_HELP_REQUESTS_PER_DAY", 5, minimum=1)
# Invitations an organisation may send in 24 hours: a verified one, and one still waiting
# for the resource centre's check (its name goes into every letter, unchecked).
DOBRY_INVITATIONS_PER_DAY = env_int("DOBRY_INVITATIONS_PER_DAY", 30, minimum=1)
DOBRY_UNVERIFIED_INVITATIONS_PER_DAY = env_int("DOBRY_UNVERIFIED_INVITATIONS_PER_DAY", 5, minimum=1)
DOBRY_CONSULTATIONS_PER_DAY = env_int("DOBRY_CONSULTATIONS_PER_DAY", 10, minimum=1)
# A programme's monthly record counts at most this many people (and never more than the
# city's population, DOBRY_POPULATION): a typo or a forged number cannot swamp the KPI.
DOBRY_PROGRAMME_RECORD_MAX_PEOPLE = env_int("DOBRY_PROGRAMME_RECORD_MAX_PEOPLE", 5000, minimum=1)
# How long the API keeps an answer for its Idempotency-Key (a retry within it is replayed).
DOBRY_IDEMPOTENCY_HOURS = env_int("DOBRY_IDEMPOTENCY_HOURS", 24, minimum=1)
# The ILO replacement-cost method: a volunteer hour is worth what paid work would cost.
DOBRY_VOLUNTEER_HOUR_RATE = env_int("DOBRY_VOLUNTEER_HOUR_RATE", 350, minimum=1)
DOBRY_ACTIVE_VOLUNTEER_HOURS = env_int("DOBRY_ACTIVE_VOLUNTEER_HOURS", 10, minimum=1)
# Grant agreements (issue 15, docs/grants.md «После итогов»): how far a budget line may move
# from its amount in the agreement (percent of that amount) before it needs more than an
# amendment; reports due in working days of the production calendar after their period
# (the final one after the project's end); the first tranche's share and how many working
# days after the agreement (or the interim report) a tranche is planned; a project longer
# than DOBRY_GRANT_INTERIM_AFTER_DAYS has an interim report at its middle.
DOBRY_GRANT_BUDGET_SHIFT_PERCENT = env_int(
    "DOBRY_GRANT_BUDGET_SHIFT_PERCENT", 10, minimum=0, maximum=100
)
DOBRY_GRANT_FINAL_REPORT_WORKING_DAYS = env_int(
    "DOBRY_GRANT_FINAL_REPORT_WORKING_DAYS", 15, minimum=1, maximum=120
)
DOBRY_GRANT_INTERIM_REPORT_WORKING_DAYS = env_int(
    "DOBRY_GRANT_INTERIM_REPORT_WORKING_DAYS", 10, minimum=1, maximum=120
)
DOBRY_GRANT_INTERIM_AFTER_DAYS = env_int("DOBRY_GRANT_INTERIM_AFTER_DAYS", 120, minimum=1)
# City initiatives: the supports at which the resource centre is told of an initiative, and
# the days it has to answer publicly (docs/configuration.md).
DOBRY_INITIATIVE_SUPPORT_THRESHOLD = env_int(
    "DOBRY_INITIATIVE_SUPPORT_THRESHOLD", 50, minimum=1, maximum=100_000
)
DOBRY_INITIATIVE_RESPONSE_DAYS = env_int(
    "DOBRY_INITIATIVE_RESPONSE_DAYS", 14, minimum=1, maximum=365
)
# Residents' votes: the SMS provider that sends confirmation codes (a dotted path to a
# class with `send(phone, text)`; empty — residents are confirmed by coordinators only),
# how long a code lives, the wrong attempts it allows and the codes a person or a phone
# may be sent an hour (docs/civic.md).
DOBRY_SMS_PROVIDER = env_str("DOBRY_SMS_PROVIDER", "")
DOBRY_SMS_CODE_MINUTES = env_int("DOBRY_SMS_CODE_MINUTES", 10, minimum=1, maximum=60)
DOBRY_SMS_CODE_ATTEMPTS = env_int("DOBRY_SMS_CODE_ATTEMPTS", 5, minimum=1, maximum=20)
DOBRY_SMS_CODES_PER_HOUR = env_int("DOBRY_SMS_CODES_PER_HOUR", 3, minimum=1, maximum=20)
DOBRY_GRANT_FIRST_TRANCHE_PERCENT = env_int(
    "DOBRY_GRANT_FIRST_TRANCHE_PERCENT", 70, minimum=1, maximum=100
)
DOBRY_GRANT_TRANCHE_WORKING_DAYS = env_int(
    "DOBRY_GRANT_TRANCHE_WORKING_DAYS", 10, minimum=1, maximum=120
)
# The administration's own DOCX template of an agreement (placeholders: docs/grants.md);
# empty: the platform's template. A path that is not a readable DOCX stops the start.
DOBRY_GRANT_AGREEMENT_TEMPLATE = env_file("DOBRY_GRANT_AGREEMENT_TEMPLATE")
# How long a computed part of the reports is reused (staff edits clear it at once).
DOBRY_REPORTS_CACHE_SECONDS = env_int("DOBRY_REPORTS_CACHE_SECONDS", 600, minimum=0)
# Anonymous public pages kept whole until the next write (`dobry.core.page_cache`); 0: off.
# Off in the test suite, where tests change rows with bulk updates between two requests.
DOBRY_PAGE_CACHE_SECONDS = env_int("DOBRY_PAGE_CACHE_SECONDS", 0 if TESTING else 300, minimum=0)
# Mailings (issue 13, docs/communications.md «Рассылки»): messages per second over all the
# workers of one mailing (0: no throttle), how many of them send it side by side, how many
# rows a worker claims at once and for how long (the lease; a worker that died leaves its
# rows to another after it), and the retries of a transient SMTP error (backoff doubles
# from the first delay, then the delivery is failed).
DOBRY_MAILING_RATE = env_int("DOBRY_MAILING_RATE", 10, minimum=0)
DOBRY_MAILING_WORKERS = env_int("DOBRY_MAILING_WORKERS", 2, minimum=1, maximum=32)
DOBRY_MAILING_BATCH = env_int("DOBRY_MAILING_BATCH", 100, minimum=1, maximum=5000)
# SMTP connections one worker sends over at once (a thread each, PostgreSQL only): a killed
# worker duplicates at most one message per connection (docs/communications.md).
DOBRY_MAILING_CONNECTIONS = env_int("DOBRY_MAILING_CONNECTIONS", 4, minimum=1, maximum=16)
DOBRY_MAILING_LEASE_SECONDS = env_int("DOBRY_MAILING_LEASE_SECONDS", 120, minimum=1)
DOBRY_MAILING_MAX_ATTEMPTS = env_int("DOBRY_MAILING_MAX_ATTEMPTS", 5, minimum=1, maximum=20)
DOBRY_MAILING_RETRY_SECONDS = env_int("DOBRY_MAILING_RETRY_SECONDS", 60, minimum=1)
# The mail provider's limit for the whole platform: messages a minute over every worker of
# every mailing, counted in the database (or in the cache when it is shared between
# machines: Redis, Memcached or the database cache). 0: no limit.
DOBRY_MAILING_PLATFORM_PER_MINUTE = env_int("DOBRY_MAILING_PLATFORM_PER_MINUTE", 0, minimum=0)
# Mailing hygiene (issue 13, docs/communications.md). One-click unsubscribe links carry a
# mailto alternative to this mailbox (default: the address of DEFAULT_FROM_EMAIL).
DOBRY_UNSUBSCRIBE_EMAIL = env_str("DOBRY_UNSUBSCRIBE_EMAIL", "")
# DKIM: outgoing email is signed when all three are set (the key file is PEM, RSA or Ed25519).
DOBRY_DKIM_SELECTOR = env_str("DOBRY_DKIM_SELECTOR", "")
DOBRY_DKIM_DOMAIN = env_str("DOBRY_DKIM_DOMAIN", "")
DOBRY_DKIM_PRIVATE_KEY_FILE = env_str("DOBRY_DKIM_PRIVATE_KEY_FILE", "")
# Bounces, scored like Mailman: hard 1.0, soft 0.5, once a day per address; the address is
# suppressed at the threshold; the score starts again after this many days without bounces.
DOBRY_BOUNCE_THRESHOLD = env_int("DOBRY_BOUNCE_THRESHOLD", 5, minimum=1)
DOBRY_BOUNCE_STALE_DAYS = env_int("DOBRY_BOUNCE_STALE_DAYS", 7, minimum=1)
# The mail provider's bounce webhook sends this in `X-Dobry-Bounce-Secret` (empty: refused).
DOBRY_BOUNCE_WEBHOOK_SECRET = env_str("DOBRY_BOUNCE_WEBHOOK_SECRET", "")
# The bounce mailbox the periodic job `read_bounces` empties every ten minutes (no host: the
# job does nothing). TLS unless DOBRY_BOUNCE_MAILBOX_SSL is false; port 0: the protocol's own.
DOBRY_BOUNCE_MAILBOX_PROTOCOL = env_choice(
    "DOBRY_BOUNCE_MAILBOX_PROTOCOL", "imap", ("imap", "pop3")
)
DOBRY_BOUNCE_MAILBOX_HOST = env_str("DOBRY_BOUNCE_MAILBOX_HOST", "")
DOBRY_BOUNCE_MAILBOX_PORT = env_int("DOBRY_BOUNCE_MAILBOX_PORT", 0, minimum=0, maximum=65535)
DOBRY_BOUNCE_MAILBOX_USER = env_str("DOBRY_BOUNCE_MAILBOX_USER", "")
DOBRY_BOUNCE_MAILBOX_PASSWORD = env_str("DOBRY_BOUNCE_MAILBOX_PASSWORD", "")
DOBRY_BOUNCE_MAILBOX_SSL = env_bool("DOBRY_BOUNCE_MAILBOX_SSL", True)

# Telegram (docs/communications.md): the city's bot writes personal notifications to the
# people who linked it; with no token nothing is sent and the profile page says so. The
# webhook refuses an update without the secret in X-Telegram-Bot-Api-Secret-Token.
DOBRY_TELEGRAM_BOT_TOKEN = env_str("DOBRY_TELEGRAM_BOT_TOKEN", "")
DOBRY_TELEGRAM_BOT_USERNAME = env_str("DOBRY_TELEGRAM_BOT_USERNAME", "").lstrip("@")
DOBRY_TELEGRAM_WEBHOOK_SECRET = env_str("DOBRY_TELEGRAM_WEBHOOK_SECRET", "")
DOBRY_TELEGRAM_API_URL = env_url("DOBRY_TELEGRAM_API_URL", "https://api.telegram.org")
# How long a deep link's one-time code lives.
DOBRY_TELEGRAM_LINK_MINUTES = env_int("DOBRY_TELEGRAM_LINK_MINUTES", 15, minimum=1, maximum=1440)
# The city's channels (news posted after a coordinator approves): the Telegram channel
# («@dobry_city» or its numeric id) by the same bot, and the VK community by its token.
DOBRY_TELEGRAM_CHANNEL = env_str("DOBRY_TELEGRAM_CHANNEL", "")
DOBRY_VK_TOKEN = env_str("DOBRY_VK_TOKEN", "")
DOBRY_VK_GROUP_ID = env_int("DOBRY_VK_GROUP_ID", 0, minimum=0)
DOBRY_VK_API_URL = env_url("DOBRY_VK_API_URL", "https://api.vk.com")
DOBRY_VK_API_VERSION = env_str("DOBRY_VK_API_VERSION", "5.199")
# Posts a minute per channel (Telegram allows about 20 to a channel).
DOBRY_CHANNEL_POSTS_PER_MINUTE = env_int(
    "DOBRY_CHANNEL_POSTS_PER_MINUTE", 20, minimum=1, maximum=600
)
