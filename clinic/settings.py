"""Settings for Clinic Screening, read from environment variables.

With nothing set, the embedded default is a development install: SQLite,
console email, DEBUG on. Production sets DJANGO_DEBUG=false, a real
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL (PostgreSQL).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from clinic.env import env_bool, env_database, env_int, env_list, env_str, env_timezone

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", True)

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "screening.setup.admin_site.SuperuserAdminConfig",  # django.contrib.admin, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Django's form templates, where the TemplatesSetting renderer looks for them: the patient's
    # forms draw their fields and errors with the project's templates (screening/intake/fields.py).
    "django.forms",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "crispy_forms",
    "crispy_bootstrap5",
    # Django's task API (the django-tasks backport of Django 6's django.tasks) with its database
    # backend: emails, reminders and hold expiry run in the worker (`manage.py db_worker`).
    "django_tasks",
    "django_tasks_db",
    # The product, lowest layer first (docs/architecture.md).
    "screening.audit",
    "screening.core",
    "screening.outbox",
    "screening.questionnaire",
    "screening.patients",
    "screening.intake",
    "screening.booking",
    "screening.courses",
    "screening.review",
    "screening.setup",
    "screening.fhir",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The patient's language from their session or intake (never a URL prefix); staff pages stay English.
    "screening.core.language.PatientLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "screening.review.middleware.StaffAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "screening.review.middleware.StaffSessionTimeoutMiddleware",
    "screening.intake.middleware.PatientIdleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

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
                "screening.core.context_processors.clinic",
            ],
        },
    },
]

DATABASES = {
    "default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# PostgreSQL: the role the app runs as, granted its (limited) privileges after each migrate run by the
# owner (screening/core/db_roles.py). Empty: one role does everything, as on SQLite.
DATABASE_APP_ROLE = env_str("DATABASE_APP_ROLE", "")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts, so two requests of the
    # threaded dev server queue up instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff sign in at /staff/login/; /staff/ and /admin/ need it (StaffAccessMiddleware).
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:queue"
LOGOUT_REDIRECT_URL = "staff:login"

# django-axes refuses a sign-in first (AxesStandaloneBackend), then Django checks the password.
# It needs the request: tests sign in by posting to the sign-in page, or with
# force_login; the test client's login() passes no request, which axes refuses.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "screening.review.signin_guard.AccountPauseBackend",
    "screening.review.permission_backend.StaffPermissionBackend",  # Django's, one permissions read
]
# Lock a username *from one address* after repeated failures: an attacker
# guessing from their own address locks only themselves out of that account,
# never its owner at the clinic nor anyone else. Attempts live in the database.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
# ...and a username from *any* address after many (guesses spread over addresses): screening/review/signin_guard.py.
STAFF_ACCOUNT_FAILURE_LIMIT = env_int("STAFF_ACCOUNT_FAILURE_LIMIT", 20, minimum=6)
STAFF_ACCOUNT_WINDOW_MINUTES = env_int("STAFF_ACCOUNT_WINDOW_MINUTES", 15, minimum=1)
AXES_LOCKOUT_TEMPLATE = "review/registration/locked_out.html"
# The same address as the audit trail and the rate limits: the peer, not a header anyone can send
# (unless DJANGO_TRUSTED_PROXY_COUNT says how many proxies in front append to X-Forwarded-For).
AXES_CLIENT_IP_CALLABLE = "screening.core.client_ip.client_ip"
AXES_VERBOSE = False  # no start-up banner on every manage.py command; failures are still logged

# Two-factor sign-in (TOTP, django-otp): clinicians and clinic admins must
# verify a code before any /staff/ or /admin/ page (StaffAccessMiddleware).
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", True)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret

# Staff sessions end after this long without a request, and this long after sign-in at most.
STAFF_IDLE_MINUTES = env_int("STAFF_IDLE_MINUTES", 30, minimum=1)
# A patient's browser session ends after this long without a request (answers are kept; the link brings them back).
PATIENT_IDLE_MINUTES = env_int("PATIENT_IDLE_MINUTES", 30, minimum=1)
STAFF_SESSION_HOURS = env_int("STAFF_SESSION_HOURS", 12, minimum=1)

# Sessions live in the database, so any number of app servers can share them.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12, minimum=60)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "en-gb"  # the clinic's language: staff pages, and answers as staff see them
USE_I18N = True
# The languages a patient can choose (screening/core/language.py); docs/translations.md adds one.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
TIME_ZONE = "UTC"  # stored and processed in UTC; shown in CLINIC_TIME_ZONE
CLINIC_TIME_ZONE = env_timezone("CLINIC_TIME_ZONE", "Europe/London")
CLINIC_NAME = env_str("CLINIC_NAME", "Clinic Screening")
OTP_TOTP_ISSUER = CLINIC_NAME  # the name authenticator apps show beside the code

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The console backend is for DEBUG installs only: `check --deploy` fails on it (screening/outbox/checks.py).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Seconds the worker waits on a mail server before giving up (and trying again later).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Clinic Screening <no-reply@localhost>")
# Text messages (reminders, for patients who agree to them): screening/outbox/sms.py.
SMS_BACKEND = env_str("SMS_BACKEND", "screening.outbox.sms.ConsoleBackend")
SMS_API_URL = env_str("SMS_API_URL", "https://api.twilio.com")
SMS_ACCOUNT_SID = env_str("SMS_ACCOUNT_SID", "")
SMS_AUTH_TOKEN = env_str("SMS_AUTH_TOKEN", "")
SMS_FROM = env_str("SMS_FROM", "")
SMS_TIMEOUT = env_int("SMS_TIMEOUT", 10, minimum=1)

# Background work: one database-backed queue, run by `manage.py db_worker` beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The worker's heartbeat task runs this often; /health/ turns red when it has not run for
# HEALTH_WORKER_MAX_AGE_SECONDS, or a message has waited for the worker HEALTH_OUTBOX_MAX_AGE_SECONDS.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 60, minimum=1)
HEALTH_WORKER_MAX_AGE_SECONDS = env_int("HEALTH_WORKER_MAX_AGE_SECONDS", 180, minimum=1)
HEALTH_OUTBOX_MAX_AGE_SECONDS = env_int("HEALTH_OUTBOX_MAX_AGE_SECONDS", 900, minimum=1)

# Absolute links in emails (resume, manage booking) start with this.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Patient links and booking policy.
INTAKE_LINK_DAYS = env_int("INTAKE_LINK_DAYS", 7, minimum=1)
BOOKING_HOLD_HOURS = env_int("BOOKING_HOLD_HOURS", 48, minimum=1)
BOOKING_INTAKE_MAX_AGE_DAYS = env_int("BOOKING_INTAKE_MAX_AGE_DAYS", 30, minimum=1)

# Patients' public actions: (how many, per seconds) for one address or email.
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
RATE_LIMITS = {
    # Per device (a signed cookie; a client without one counts by address), within a per-address allowance.
    "intake_start": (env_int("RATE_LIMIT_INTAKE_STARTS_PER_HOUR", 20, minimum=1), 3600),
    "intake_start_address": (env_int("RATE_LIMIT_INTAKE_STARTS_PER_ADDRESS_PER_HOUR", 200, minimum=1), 3600),
    "link_request": (env_int("RATE_LIMIT_LINK_REQUESTS_PER_HOUR", 10, minimum=1), 3600),
    "link_request_email": (1, 300),  # one link email per address every 5 minutes, whoever asks
    "link_open": (env_int("RATE_LIMIT_LINK_OPENS_PER_HOUR", 60, minimum=1), 3600),
    "booking": (env_int("RATE_LIMIT_BOOKINGS_PER_HOUR", 30, minimum=1), 3600),
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy, trust its X-Forwarded-Proto header.
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies that append to X-Forwarded-For stand in front of the app (0: none, use
# the socket peer). Rate limits, sign-in lockouts and the audit trail read the client address
# through screening.core.client_ip; a wrong count lets clients choose their address, so set it only to
# the exact number of proxies.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
CSRF_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): our own origin only, no inline script.
# Inline style attributes are allowed because the Django admin uses them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "screening.core.log_filters.RedactTokensFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines carry paths, which can hold a patient link token.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

CSRF_FAILURE_VIEW = "screening.core.csrf.csrf_failure"

