"""Settings shared by every environment. Configuration comes from environment variables only;
a value that cannot be parsed stops start-up with ImproperlyConfigured and says which one."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()


def _read(name, cast, default):
    try:
        return cast(name, default=default)
    except (ValueError, TypeError, environ.ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"Miljøvariabelen {name} har en ugyldig verdi: {exc}") from exc


_TRUE, _FALSE = {"1", "true", "yes", "on", "ja"}, {"0", "false", "no", "off", "nei", ""}


def _bool(name, default):
    """A yes/no setting; anything else stops start-up (django-environ reads "kanskje" as False)."""
    value = env.str(name, default=str(default)).strip().lower()
    if value not in _TRUE | _FALSE:
        raise ImproperlyConfigured(
            f"Miljøvariabelen {name} må være true eller false, ikke «{value}»."
        )
    return value in _TRUE


def _database(default):
    try:
        config = env.db("DATABASE_URL", default=default)
    except Exception as exc:  # django-environ raises several kinds for a bad URL
        raise ImproperlyConfigured(f"DATABASE_URL er ikke en gyldig database-URL: {exc}") from exc
    if not config.get("ENGINE"):
        raise ImproperlyConfigured("DATABASE_URL peker ikke på en database Django kjenner.")
    return config


SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = _bool("DEBUG", False)
ALLOWED_HOSTS = _read("ALLOWED_HOSTS", env.list, ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = _read("CSRF_TRUSTED_ORIGINS", env.list, [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "django_htmx",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "core",
    "accounts",
    "notifications",
    "projects",
    "milestones",
    "roles",
    "consultations",
    "reports",
    "demo",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login except those marked @login_not_required (the login page).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.HtmxLoginRedirectMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reorg.urls"
WSGI_APPLICATION = "reorg.wsgi.application"
ASGI_APPLICATION = "reorg.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reports.context_processors.tasks",
            ],
        },
    },
]

DATABASES = {"default": _database(f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", _read("CONN_MAX_AGE", env.int, 60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Passwords; with OIDC_ONLY only the break-glass superuser's (accounts.backends).
    "accounts.backends.PasswordBackend",
    # OpenID Connect, with the organisation from a claim (projects.sign_in).
    "projects.sign_in.OIDCBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A password-reset link works for a day (the outbox tries a mail for as long).
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60

# Sign-in with OpenID Connect (Entra ID, Keycloak, ...), on when OIDC_CLIENT_ID is set. The
# provider's endpoints come from its discovery document (OIDC_DISCOVERY_URL, or the issuer's
# /.well-known/openid-configuration), read at the first sign-in and cached, never here; an
# endpoint set explicitly wins. accounts.oidc holds the client, mozilla-django-oidc the protocol.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").rstrip("/")
OIDC_DISCOVERY_URL = env.str("OIDC_DISCOVERY_URL", default="") or (
    f"{OIDC_ISSUER}/.well-known/openid-configuration" if OIDC_ISSUER else ""
)
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_ENDPOINTS = {
    "authorization_endpoint": env.str("OIDC_AUTHORIZATION_ENDPOINT", default=""),
    "token_endpoint": env.str("OIDC_TOKEN_ENDPOINT", default=""),
    "userinfo_endpoint": env.str("OIDC_USERINFO_ENDPOINT", default=""),
    "jwks_uri": env.str("OIDC_JWKS_URI", default=""),
    "end_session_endpoint": env.str("OIDC_END_SESSION_ENDPOINT", default=""),
}
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED and not (OIDC_ISSUER or OIDC_DISCOVERY_URL):
    raise ImproperlyConfigured(
        "OIDC_CLIENT_ID er satt, men ikke OIDC_ISSUER eller OIDC_DISCOVERY_URL."
    )
if OIDC_ENABLED and not OIDC_RP_CLIENT_SECRET:
    raise ImproperlyConfigured("OIDC_CLIENT_ID er satt, men ikke OIDC_CLIENT_SECRET.")
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid profile email")
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGORITHM", default="RS256")
# The claim that names a person for good: "sub", or "oid" for Entra ID (the same in every app
# of the tenant). Never the e-mail address, which can change hands.
OIDC_SUBJECT_CLAIM = env.str("OIDC_SUBJECT_CLAIM", default="sub")
OIDC_USERNAME_CLAIM = env.str("OIDC_USERNAME_CLAIM", default="preferred_username")
OIDC_EMAIL_CLAIM = env.str("OIDC_EMAIL_CLAIM", default="email")
OIDC_GIVEN_NAME_CLAIM = env.str("OIDC_GIVEN_NAME_CLAIM", default="given_name")
OIDC_FAMILY_NAME_CLAIM = env.str("OIDC_FAMILY_NAME_CLAIM", default="family_name")
# A claim (a value or a list, such as "groups" or Entra's "tid") whose values say which
# organisation(s) a person belongs to: each value is an organisation number, or is translated to
# one by OIDC_ORGANISATIONS ("value=organisation number,value=organisation number").
OIDC_ORGANISATION_CLAIM = env.str("OIDC_ORGANISATION_CLAIM", default="")
OIDC_ORGANISATIONS = _read("OIDC_ORGANISATIONS", env.dict, {})
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="jobbkontoen")
# Only OpenID Connect: passwords (and their reset) for the break-glass superuser only.
OIDC_ONLY = _bool("OIDC_ONLY", False)
if OIDC_ONLY and not OIDC_ENABLED:
    raise ImproperlyConfigured("OIDC_ONLY=true krever at OIDC_CLIENT_ID er satt.")
# mozilla-django-oidc: code flow with PKCE (S256), state and nonce; the ID token kept in the
# session for the provider's logout; a provider that does not answer in 10 s is down.
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_TIMEOUT = 10
OIDC_CALLBACK_CLASS = "accounts.oidc.CallbackView"
OIDC_AUTHENTICATE_CLASS = "accounts.oidc.AuthenticateView"
LOGIN_REDIRECT_URL_FAILURE = "login"

# Sessions end after 30 minutes without a request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True

# django-axes: five wrong passwords for a user name from one address lock that pair for 30
# minutes; a stranger elsewhere cannot lock the user out. LOGIN_ADDRESS_FAILURE_LIMIT wrong
# passwords from one address, across any user names (spraying), lock the address
# (accounts.lockout); it is high because a whole town hall shares one address behind its NAT.
AXES_HANDLER = "accounts.lockout.LoginLockout"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
# Behind reverse proxies the address is the proxy's unless we read X-Forwarded-For, and then only
# as many hops as there are proxies we run (a client can write the header too).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_VERBOSE = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# django-guardian: no anonymous user row; we never grant anything to anonymous visitors.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_USER_OBJ_PERMS_MODEL = "guardian.UserObjectPermission"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Attachments (consultations.Attachment: PDF, Word and Excel files on a project, a meeting or
# an agenda item) are stored through the "attachments" storage, never under MEDIA_ROOT, and
# served only by the download view that checks the project and the meeting. The file system by
# default (ATTACHMENT_ROOT); an S3-compatible store by configuration (README.md, "Vedlegg"):
# ATTACHMENT_STORAGE_BACKEND=storages.backends.s3.S3Storage and ATTACHMENT_STORAGE_OPTIONS as
# JSON ({"bucket_name": ..., "endpoint_url": ..., "querystring_auth": true}).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
ATTACHMENT_ROOT = Path(env.str("ATTACHMENT_ROOT", default=str(BASE_DIR / "attachments")))
ATTACHMENT_STORAGE = {
    "BACKEND": env.str(
        "ATTACHMENT_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
    ),
    "OPTIONS": env.json(
        "ATTACHMENT_STORAGE_OPTIONS", default={"location": str(ATTACHMENT_ROOT), "base_url": None}
    ),
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "attachments": ATTACHMENT_STORAGE,
}

OIDC_FORM_ACTION = sorted(
    {
        f"{parts.scheme}://{parts.netloc}"
        for url in (OIDC_DISCOVERY_URL, OIDC_ENDPOINTS["end_session_endpoint"])
        if url and (parts := urlsplit(url)).netloc
    }
)

# Content Security Policy (Django 6's own): everything from our origin, nothing inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    # Signing out goes on to the provider's end-session endpoint (a redirect of the form).
    "form-action": [CSP.SELF, *OIDC_FORM_ACTION],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# E-mail, as Django 6.1's MAILERS. SMTP by default; EMAIL_BACKEND names another backend.
EMAIL_BACKEND_PATH = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")


def _mailer(backend: str) -> dict:
    if not backend.endswith("smtp.EmailBackend"):
        return {"BACKEND": backend}
    return {
        "BACKEND": backend,
        "OPTIONS": {
            "host": env.str("EMAIL_HOST", default="localhost"),
            "port": _read("EMAIL_PORT", env.int, 25),
            "username": env.str("EMAIL_HOST_USER", default=""),
            "password": env.str("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": _bool("EMAIL_USE_TLS", False),
            "timeout": 30,
        },
    }


MAILERS = {"default": _mailer(EMAIL_BACKEND_PATH)}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="reorg <reorg@localhost>")
# The address the site is reached at, without a trailing slash: links in e-mail are built from it
# (a task that sends e-mail has no request to take the host from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Celery: Redis when REDIS_URL is set; without it tasks run in the calling process.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("REDIS_URL må begynne med redis://, rediss:// eller unix://.")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# The cache keeps rendered drafts (core.pdf.cached_pdf): in Redis when REDIS_URL is set, so that
# every web process shares it; otherwise in the process's memory.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
DOCUMENT_CACHE_SECONDS = 24 * 60 * 60
# Documents are rendered in a child process of a single-threaded worker, so that WeasyPrint's
# memory goes back to the system after each one (core.pdf.in_child_process).
PDF_IN_CHILD_PROCESS = _bool("PDF_IN_CHILD_PROCESS", True)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TIMEZONE = TIME_ZONE
# A closed project's personal data is anonymised this many months after it closed (roles.privacy).
PERSONAL_DATA_RETENTION_MONTHS = env.int("PERSONAL_DATA_RETENTION_MONTHS", default=12)

# The outbox (notifications): beat sends what is due this often, and a mail the server cannot
# take now is tried again after up to 1, 2, 4, … × OUTBOX_RETRY_SECONDS (at most an hour apart),
# for a day.
OUTBOX_SWEEP_SECONDS = env.int("OUTBOX_SWEEP_SECONDS", default=60)
OUTBOX_RETRY_SECONDS = env.float("OUTBOX_RETRY_SECONDS", default=60)
CELERY_BEAT_SCHEDULE: dict = {
    "outbox": {
        "task": "notifications.tasks.sweep_outbox",
        "schedule": OUTBOX_SWEEP_SECONDS,
    },
    # 07:00, before the milestone reminders are queued: the digests of the day before.
    "daily-digests": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every morning, Oslo time (CELERY_TIMEZONE): milestones overdue or due within a week.
    "milestone-reminders": {
        "task": "milestones.tasks.dispatch_milestone_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every morning: benefit owners whose planned measurement is due (also after the close).
    "benefit-reminders": {
        "task": "projects.tasks.dispatch_benefit_reminders",
        "schedule": crontab(hour=7, minute=5),
    },
    # Every night: closed projects' personal data anonymised when its time is up (warned 30 days
    # before), and grants of insight that have ended withdrawn.
    "personal-data": {
        "task": "roles.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=30),
    },
    # Every five minutes: the PDFs of documents frozen since (decided, approved, published).
    "documents": {
        "task": "reports.tasks.store_frozen_documents",
        "schedule": 300,
    },
    # Every hour: the drafts of reporting periods that have ended, and the leader's reminder.
    "status-reports": {
        "task": "reports.tasks.dispatch_due_reports",
        "schedule": crontab(minute=5),
    },
}

# The API (api/): tokens only, no sessions; errors as problem details; a cursor over 50 rows.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScopes"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.handle",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "reorg API",
    "DESCRIPTION": "Omstillingsprosjekter i kommunen: prosjekter, framdrift, statusrapporter, "
    "organisasjon og bemanning. Samme tilgang som på sidene, innenfor nøkkelens tilganger.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for each choice set that several fields share, and for each "status".
    "ENUM_NAME_OVERRIDES": {
        "LightEnum": "reports.models.Light",
        "RiskScaleEnum": "projects.models.Risk.SCALE",
        "RiskStatusEnum": "projects.models.Risk.Status",
        "ProjectStatusEnum": "projects.models.Project.Status",
        "WorkstreamStatusEnum": "projects.models.Workstream.Status",
        "MilestoneStatusEnum": "milestones.models.Milestone.Status",
        "ActivityStatusEnum": "milestones.models.Activity.Status",
        "MeetingStatusEnum": "consultations.models.Meeting.Status",
        "PlacementStatusEnum": "roles.models.Placement.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_problem_responses",
    ],
}
# Requests per token (n/second, minute, hour or day), counted in the shared cache.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="1200/minute")
# The longest a personal or service token may be valid.
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint and fontTools narrate every font subset at INFO/DEBUG.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
