"""Settings for the Lhasa Employment Recommendation Service Platform.

Everything that differs between a laptop and production comes from the environment
(see docs/configuration.md). Defaults are safe for `make run` on a fresh machine.
"""

from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_str("DJANGO_ENV", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV={ENVIRONMENT!r}: use development, test or production.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("Set SECRET_KEY (or SECRET_KEY_FILE) in production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "django_q",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # Our apps, bottom of the import graph first.
    "core",
    "network",
    "accounts",
    "audit",
    "workcalendar",
    "privacy",
    "occupations",
    "people",
    "households",
    "keygroups",
    "registrations",
    "industries",
    "employers",
    "vacancies",
    "training",
    "notifications",
    "exchange",
    "jobboard",
    "matching",
    "recommendations",
    "policies",
    "ratios",
    "servicerecords",
    "assistance",
    "guidance",
    "worklist",
    "retention",
    "subjectrights",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After OTPMiddleware and messages: sign-in steps still due (second factor, new password).
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.ApiErrorMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite (WAL) is the embedded default; DATABASE_URL=postgres://… switches to PostgreSQL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE transactions take the write lock up front, so concurrent writers
        # queue for `timeout` seconds instead of failing with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 20, minimum=1),
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and login security (SPEC §7) -------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 8, minimum=8)
PASSWORD_MIN_CHARACTER_CLASSES = env_int("PASSWORD_MIN_CHARACTER_CLASSES", 3, minimum=1)
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90, minimum=1)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "accounts.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CHARACTER_CLASSES},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_VERBOSE = False
# Idle timeout: the cookie lives SESSION_IDLE_MINUTES and every request renews it.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Internationalisation ------------------------------------------------------------
# Django ships no Tibetan locale; register it so get_language_info('bo') works.
LANG_INFO["bo"] = {
    "bidi": False,
    "code": "bo",
    "name": "Tibetan",
    "name_local": "བོད་ཡིག",
}
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Chinese")), ("bo", _("Tibetan")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_NAME = "lang"
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production the app serves straight from the source folders, no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Cache and task queue ------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
Q_CLUSTER = {
    "name": "lhasa",
    "workers": env_int("Q_WORKERS", 2, minimum=1),
    "timeout": 600,
    "retry": 900,
    "catch_up": False,
    "label": _("Background jobs"),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# --- API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.IsStaffMember"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["core.api.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Only views that set `throttle_scope` are throttled (the public job board API).
    "DEFAULT_THROTTLE_RATES": {"public": env_str("PUBLIC_API_RATE", "60/min")},
    # How many proxies sit in front: the throttle then takes the client address from the
    # X-Forwarded-For entry they added. 0 trusts only REMOTE_ADDR, so a client cannot
    # escape the public throttle by forging the header.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0, minimum=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lhasa Employment Recommendation Service Platform API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation also documents its error replies in core.api's one shape.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.openapi.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ProficiencyEnum": "people.choices.Proficiency",
        "ContactChannelEnum": "people.choices.ContactChannel",
        "IntakeChannelEnum": "core.channels.IntakeChannel",
        "VacancyStatusEnum": "vacancies.models.Status",
        "RegistrationStatusEnum": "registrations.models.Status",
        "EducationEnum": "people.choices.Education",
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BYTES", 5 * 1024 * 1024, minimum=1024)

# --- The service standard's numbers (SPEC §3) -----------------------------------------
# Read these through django.conf.settings; never repeat the numbers in code.
STANDARD = {
    "CONSULTATION_REPLY_WORKDAYS": env_int("CONSULTATION_REPLY_WORKDAYS", 1, minimum=0),
    "SESSION_MATERIALS_WORKDAYS_BEFORE": env_int("SESSION_MATERIALS_WORKDAYS_BEFORE", 2, minimum=0),
    "FIRST_ASSISTANCE_DAYS": env_int("FIRST_ASSISTANCE_DAYS", 5, minimum=0),
    "FIRST_ASSISTANCE_IN_WORKDAYS": env_bool("FIRST_ASSISTANCE_IN_WORKDAYS", False),
    "COMPLAINT_RESULT_WORKDAYS": env_int("COMPLAINT_RESULT_WORKDAYS", 15, minimum=0),
    "DATA_SUBJECT_REQUEST_DAYS": env_int("DATA_SUBJECT_REQUEST_DAYS", 30, minimum=0),
    "MATCHED_VACANCIES_PER_MONTH": env_int("MATCHED_VACANCIES_PER_MONTH", 5, minimum=0),
    "PUSHED_ITEMS_PER_MONTH": env_int("PUSHED_ITEMS_PER_MONTH", 4, minimum=0),
    "VACANCY_RECONFIRM_DAYS": env_int("VACANCY_RECONFIRM_DAYS", 30, minimum=1),
    "UNREACHABLE_FAILED_CONTACTS": env_int("UNREACHABLE_FAILED_CONTACTS", 3, minimum=1),
    "LONG_TERM_UNEMPLOYED_MONTHS": env_int("LONG_TERM_UNEMPLOYED_MONTHS", 12, minimum=1),
    "COUNSELLOR_MIN_QUALIFICATION_LEVEL": env_int("COUNSELLOR_MIN_QUALIFICATION_LEVEL", 3, minimum=1),
    "NO_CONTACT_CLOSURE_MONTHS": env_int("NO_CONTACT_CLOSURE_MONTHS", 6, minimum=1),
    "GRADUATE_YEARS": env_int("GRADUATE_YEARS", 2, minimum=0),
    "NEAR_RETIREMENT_YEARS": env_int("NEAR_RETIREMENT_YEARS", 10, minimum=0),
    "RETIREMENT_AGE_MALE": env_int("RETIREMENT_AGE_MALE", 60, minimum=40),
    "RETIREMENT_AGE_FEMALE": env_int("RETIREMENT_AGE_FEMALE", 55, minimum=40),
    "WORKING_AGE_FROM": env_int("WORKING_AGE_FROM", 16, minimum=14),
    # Local minimum wage (Tibet, first tier), used by vacancy vetting (§5.3.2); yuan.
    "MINIMUM_WAGE_MONTHLY": env_int("MINIMUM_WAGE_MONTHLY", 2100, minimum=1),
    "MINIMUM_WAGE_HOURLY": env_int("MINIMUM_WAGE_HOURLY", 20, minimum=1),
    # Converts the monthly minimum to a daily one; a decimal string, checked at start-up (vacancies.checks).
    "WORKDAYS_PER_MONTH": env_str("WORKDAYS_PER_MONTH", "21.75"),
}

# --- Matching and recommendation tracking (§5.3, §5.4, §4.4.1) -------------------------
# Weights of the factor scores (matching.engine.FACTORS); they need not sum to 1.
MATCHING = {
    # Vacancy and desired occupation must agree on this many levels (1 major .. 4 occupation).
    "OCCUPATION_DEPTH": env_int("MATCHING_OCCUPATION_DEPTH", 2, minimum=1),
    # The vacancy's highest pay may be this many percent below the seeker's expectation.
    "SALARY_TOLERANCE_PERCENT": env_int("MATCHING_SALARY_TOLERANCE_PERCENT", 10, minimum=0),
    "WEIGHTS": {
        "occupation": 0.30,
        "skills": 0.20,
        "salary": 0.12,
        "distance": 0.12,
        "language": 0.08,
        "experience": 0.08,
        "freshness": 0.05,
        "responsiveness": 0.05,
    },
    "DISTANCE_SCALE_KM": env_int("MATCHING_DISTANCE_SCALE_KM", 30, minimum=1),
    "FRESHNESS_SCALE_DAYS": env_int("MATCHING_FRESHNESS_SCALE_DAYS", 30, minimum=1),
    # One vacancy goes to at most this many seekers per head it hires, in one batch.
    "CAPACITY_MULTIPLE": env_int("MATCHING_CAPACITY_MULTIPLE", 10, minimum=1),
    "WORKERS": env_int("MATCHING_WORKERS", 2, minimum=1),
    # A pair already recommended in this many days is not recommended again.
    "REPEAT_AFTER_DAYS": env_int("MATCHING_REPEAT_AFTER_DAYS", 90, minimum=0),
}
RECOMMENDATION = {
    # Working days a step may wait for an answer before it expires ("no response").
    "SEEKER_ANSWER_WORKDAYS": env_int("RECOMMENDATION_SEEKER_ANSWER_WORKDAYS", 5, minimum=1),
    "EMPLOYER_ANSWER_WORKDAYS": env_int("RECOMMENDATION_EMPLOYER_ANSWER_WORKDAYS", 10, minimum=1),
    "INTERVIEW_OUTCOME_WORKDAYS": env_int("RECOMMENDATION_INTERVIEW_OUTCOME_WORKDAYS", 10, minimum=1),
    # Calendar days after a hire when the counsellor follows up (§5.4.3).
    "HIRE_FOLLOW_UP_DAYS": env_int("RECOMMENDATION_HIRE_FOLLOW_UP_DAYS", 30, minimum=1),
}

# --- Case management (§5.9, §6.1, §5.4.3) ----------------------------------------------
CASE_MANAGEMENT = {
    # Days between reviews of an active employment plan (§6.1 step 5).
    "PLAN_REVIEW_DAYS": env_int("PLAN_REVIEW_DAYS", 30, minimum=1),
    # How long a plan runs before it must be re-analysed (§6.1 step 6), in months.
    "PLAN_VALID_MONTHS": env_int("PLAN_VALID_MONTHS", 3, minimum=1),
    # Working days to draw up the 一人一策 plan once a person crosses the threshold
    # (STANDARD["LONG_TERM_UNEMPLOYED_MONTHS"]).
    "PERSONAL_POLICY_DAYS": env_int("PERSONAL_POLICY_DAYS", 5, minimum=1),
    # Working days a station head has to decide a proposed file closure.
    "CLOSURE_DECISION_WORKDAYS": env_int("CLOSURE_DECISION_WORKDAYS", 3, minimum=1),
    # Follow-up rhythm for a key group that has none of its own (assistance.CategoryAssistance).
    "FOLLOW_UP_DAYS_DEFAULT": env_int("FOLLOW_UP_DAYS_DEFAULT", 30, minimum=1),
    # "Upcoming" on the worklist: due within this many days.
    "UPCOMING_DAYS": env_int("WORKLIST_UPCOMING_DAYS", 7, minimum=1),
    # A reminder goes to the assignee this many days before the due date (0 = on the day).
    "REMINDER_DAYS_BEFORE": env_int("WORKLIST_REMINDER_DAYS_BEFORE", 1, minimum=0),
    # Overdue items escalate to the station head this many days after the due date.
    "ESCALATE_AFTER_DAYS": env_int("WORKLIST_ESCALATE_AFTER_DAYS", 3, minimum=0),
}

# The region whose holiday table applies when a unit has no code of its own.
DEFAULT_CALENDAR_REGION = env_str("DEFAULT_CALENDAR_REGION", "540100")
# From this month on, the dashboard also checks that next year's schedule is entered.
CALENDAR_NEXT_YEAR_WARNING_MONTH = env_int("CALENDAR_NEXT_YEAR_WARNING_MONTH", 11, minimum=1)

# Demo accounts exist only outside production (SPEC §5).
DEMO_PASSWORD = "Lhasa-demo-2026"  # noqa: S105 - published demo password, refused in production

# --- Personal data (SPEC §7) ----------------------------------------------------------
# "k2026=<base64 of 32 random bytes>,k2025=<…>": the first key encrypts, all decrypt.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
FIELD_ENCRYPTION_ALGORITHM = env_str("FIELD_ENCRYPTION_ALGORITHM", "aes-gcm")  # or "sm4-gcm"
BLIND_INDEX_KEY = env_str("BLIND_INDEX_KEY", "")
# Largest spreadsheet a counsellor may upload for import.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 40 * 1024 * 1024, minimum=1024)

# --- Personal-information rights, retention and export approval (GB/T 35273) -----------
PRIVACY = {
    # A file with no activity for this many months is anonymised by the retention job
    # (retention.services), after the notice period below.
    "RETENTION_INACTIVE_MONTHS": env_int("RETENTION_INACTIVE_MONTHS", 60, minimum=6),
    # Days between "marked for anonymisation" and anonymisation; any activity resets it.
    "RETENTION_GRACE_DAYS": env_int("RETENTION_GRACE_DAYS", 30, minimum=0),
    "RETENTION_BATCH_SIZE": env_int("RETENTION_BATCH_SIZE", 500, minimum=1),
    # An export of more than this many persons with full values needs a second person's
    # approval (GB/T 35273 §7.1); an approval can be used within this many hours, once.
    "BULK_EXPORT_APPROVAL_ROWS": env_int("BULK_EXPORT_APPROVAL_ROWS", 50, minimum=1),
    "EXPORT_APPROVAL_VALID_HOURS": env_int("EXPORT_APPROVAL_VALID_HOURS", 24, minimum=1),
}
# The deadline of a data-subject request is STANDARD["DATA_SUBJECT_REQUEST_DAYS"].

# --- Second factor and sign-in limits (SPEC §7, GB/T 22239 level 3) ---------------------
# Roles that must sign in with a TOTP code (or a one-time recovery code).
OTP_REQUIRED_ROLES = env_list(
    "OTP_REQUIRED_ROLES",
    [
        "system_admin",
        "security_admin",
        "audit_admin",
        "station_head",
        "district_supervisor",
        "city_supervisor",
    ],
)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Lhasa Employment Service")
OTP_RECOVERY_CODES = env_int("OTP_RECOVERY_CODES", 10, minimum=1)
# Sign-in attempts per client address (django-ratelimit syntax, e.g. "20/m").
LOGIN_RATE_PER_IP = env_str("LOGIN_RATE_PER_IP", "20/m")
RATELIMIT_VIEW = "core.handlers.rate_limited"

# --- Audit trail (GB/T 22239 level 3: kept at least 6 months) --------------------------
AUDIT_RETENTION_MIN_MONTHS = 6  # GB/T 22239-2019 8.1.4.3: never purged younger than this
AUDIT_RETENTION_MONTHS = env_int("AUDIT_RETENTION_MONTHS", 12, minimum=AUDIT_RETENTION_MIN_MONTHS)
# HMAC key of the audit hash chain (audit.chain). Unset: derived from SECRET_KEY, so set it
# before ever rotating SECRET_KEY, and keep it away from whoever can write the database.
AUDIT_CHAIN_KEY = env_str("AUDIT_CHAIN_KEY", "")
# Public job-board pages per client address (django-ratelimit syntax); the API has PUBLIC_API_RATE.
PUBLIC_PAGE_RATE = env_str("PUBLIC_PAGE_RATE", "120/m")

# --- Notifications (push channel, SPEC §5.4.1) -----------------------------------------
# Channel → backend class. "database" keeps the record only (in-app); "console" writes to
# the log. SMS and WeChat are switched on by adding them here, e.g.
# NOTIFY_BACKENDS="database=notifications.backends.database.DatabaseBackend,
#   sms=notifications.backends.sms.SmsBackend".
NOTIFY_CHANNELS = ("database", "console", "sms", "wechat")
_NOTIFY_DEFAULT_BACKENDS = [
    "database=notifications.backends.database.DatabaseBackend",
    "console=notifications.backends.console.ConsoleBackend",
]


def _notify_backends(entries: list[str]) -> dict[str, str]:
    backends = {}
    for entry in entries:
        channel, sep, path = (part.strip() for part in entry.partition("="))
        if not sep or channel not in NOTIFY_CHANNELS or not path:
            raise ImproperlyConfigured(
                f"NOTIFY_BACKENDS entry {entry!r}: use <channel>=<dotted.path>, "
                f"channel one of {NOTIFY_CHANNELS}."
            )
        backends[channel] = path
    return backends


NOTIFY_BACKENDS = _notify_backends(env_list("NOTIFY_BACKENDS", _NOTIFY_DEFAULT_BACKENDS))
if "database" not in NOTIFY_BACKENDS:
    raise ImproperlyConfigured("NOTIFY_BACKENDS must keep the database channel (the fallback).")
# Sends per push before it is marked failed; the wait doubles from the base each time.
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 5, minimum=1)
NOTIFY_RETRY_BACKOFF_SECONDS = env_int("NOTIFY_RETRY_BACKOFF_SECONDS", 60, minimum=1)
# A push claimed for sending this long ago, with no outcome recorded, may be claimed again.
NOTIFY_SENDING_STALE_SECONDS = env_int("NOTIFY_SENDING_STALE_SECONDS", 600, minimum=60)
NOTIFY_HTTP_TIMEOUT = env_int("NOTIFY_HTTP_TIMEOUT", 10, minimum=1)
# Public address of the site, put in front of links in messages (empty: the path alone).
NOTIFY_SITE_URL = env_str("NOTIFY_SITE_URL", "").rstrip("/")
NOTIFY_SMS_URL = env_str("NOTIFY_SMS_URL", "")
NOTIFY_SMS_KEY = env_str("NOTIFY_SMS_KEY", "")
NOTIFY_SMS_KEY_HEADER = env_str("NOTIFY_SMS_KEY_HEADER", "X-API-Key")
NOTIFY_WECHAT_URL = env_str("NOTIFY_WECHAT_URL", "")
NOTIFY_WECHAT_TEMPLATE_ID = env_str("NOTIFY_WECHAT_TEMPLATE_ID", "")
# Callable person -> openid or None; the register has no openid of its own.
NOTIFY_WECHAT_OPENID_LOOKUP = env_str(
    "NOTIFY_WECHAT_OPENID_LOOKUP", "notifications.backends.wechat.no_openid"
)
if "sms" in NOTIFY_BACKENDS and not NOTIFY_SMS_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("The sms channel needs NOTIFY_SMS_URL (an http(s) address of the gateway).")
if "wechat" in NOTIFY_BACKENDS and not (
    NOTIFY_WECHAT_URL.startswith(("https://", "http://")) and NOTIFY_WECHAT_TEMPLATE_ID
):
    raise ImproperlyConfigured("The wechat channel needs NOTIFY_WECHAT_URL and NOTIFY_WECHAT_TEMPLATE_ID.")

# --- Security headers ----------------------------------------------------------------
# Content-Security-Policy: only this site's own files; no inline script or style, no
# frames. Everything the pages need is vendored (htmx, ECharts, fonts).
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
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if env_bool("BEHIND_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Lockout is per account (SPEC §7). Also locking by IP would shut out a whole township
# station behind one NAT address; login throttling per IP is done by the rate limiter.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
