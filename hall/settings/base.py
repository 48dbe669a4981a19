"""Settings for every environment, read from the environment (see .env.example)."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from hall.settings.env import env_bool, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
RUN_DIR = Path(env_str("RUN_DIR", str(BASE_DIR / ".run")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "insecure-dev-key" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "hall.admin_site.HallAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "hall",
    "tickets",
    "repairs",
    "complaints",
    "staff",
    "reports",
    "patrols",
    "feedback",
    "callbacks",
    "assessments",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "hall.middleware.ApiBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hall.middleware.RefuseNulMiddleware",
    "hall.middleware.PrivacyHeadersMiddleware",
    "hall.middleware.HallNotFoundPageMiddleware",
    "hall.middleware.DatabaseUnavailableMiddleware",
    "hall.middleware.OneTransactionPerWriteMiddleware",
]

# Only the hall's own scripts, styles and requests: no CDN, no inline code but what a page marks with its nonce
# (the API docs' start-up script); pictures may be data: URLs (the favicon, Swagger UI's icons).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The device features a page may use: none but full screen for the board. A repair photo is taken through the
# file picker, which needs no camera permission.
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "display-capture": [],
    "fullscreen": ["self"],
}

ROOT_URLCONF = "hall.urls"
WSGI_APPLICATION = "hall.wsgi.application"
ASGI_APPLICATION = "hall.asgi.application"
AUTH_USER_MODEL = "hall.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# PostgreSQL through psycopg 3 with its connection pool when DATABASE_URL is set; SQLite otherwise.
DATABASE_URL = env_str("DATABASE_URL", "")
DATABASE_POOL_OPTIONS = {
    "min_size": env_int("DATABASE_POOL_MIN", 2),
    "max_size": env_int("DATABASE_POOL_MAX", 10),
    "timeout": env_int("DATABASE_POOL_TIMEOUT", 5),
    # A pool that cannot reconnect starts again from a short wait every 5 seconds (its waits would otherwise
    # double up to minutes), so it is back within a second or two of the database.
    "reconnect_timeout": 5,
}
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        # A database that is down or restarting: connecting gives up within seconds, a request waits at most
        # DATABASE_POOL_TIMEOUT for a pooled connection (then answers 503, hall.middleware), and the pool tests a
        # connection before handing it out (CONN_HEALTH_CHECKS), so the dead ones of a restart are replaced.
        _options.setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 3))
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        if env_bool("DATABASE_POOL", True):
            _options["pool"] = DATABASE_POOL_OPTIONS
        # Statements run through hall.db.planned_cursor are prepared after five runs on a connection; turn it
        # off behind a pooler that cannot keep prepared statements (PgBouncer before 1.21 in transaction mode).
        _options["prepare_threshold"] = 5 if env_bool("DATABASE_PREPARED_STATEMENTS", True) else None
else:
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": RUN_DIR / "servicehall.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# hall.cache reaches REDIS_URL itself for its shared copies and counters; Django's cache shares the same Redis.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Nothing on a request's path uses it (hall.cache does, and falls back when Redis is down); still it
            # gives up quickly rather than hold a request.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(RUN_DIR / "media")))
MEDIA_URL = "media/"
# Repair photos and complaint evidence larger than this are refused.
MAX_EVIDENCE_BYTES = env_int("MAX_EVIDENCE_BYTES", 10 * 1024 * 1024)
# A whole API upload: the six evidence files one request may carry and room for its fields. A JSON or form body
# is held to Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 7 * MAX_EVIDENCE_BYTES)

# The proxies (addresses or networks) whose X-Forwarded-For is believed; from anyone else it is ignored, so that a
# client cannot pick the address it is rate-limited and locked out by (hall.ratelimit.client_address).
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

# Sign-in: LOGIN_FAILURE_LIMIT wrong passwords for one username within LOGIN_FAILURE_MINUTES lock it out for
# LOGIN_LOCKOUT_MINUTES; an address gets more tries, since a hall's desks often share one.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
LOGIN_FAILURE_MINUTES = env_int("LOGIN_FAILURE_MINUTES", 15)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
AUTHENTICATION_BACKENDS = ["hall.logins.LockoutBackend"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "hall.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "hall.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "public": env_str("PUBLIC_THROTTLE_RATE", "60/min"),
    },
}
# The schema and its docs page describe every endpoint: for signed-in staff unless a hall chooses otherwise.
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", False)
SPECTACULAR_SETTINGS = {
    "SERVE_PERMISSIONS": [
        "rest_framework.permissions.AllowAny" if API_DOCS_PUBLIC else "rest_framework.permissions.IsAuthenticated"
    ],
    "TITLE": "Service Hall API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "hall.apis.with_not_found_answers",
    ],
    "ENUM_NAME_OVERRIDES": {
        "TicketChannelEnum": "tickets.models.Channel",
        "NotificationChannelEnum": "hall.models.NotificationChannel",
        "ComplaintChannelEnum": "complaints.models.ComplaintChannel",
        "ComplaintStatusEnum": "complaints.models.ComplaintStatus",
        "RepairStatusEnum": "repairs.models.RepairStatus",
        "LeaveStatusEnum": "staff.models.LeaveStatus",
        "PatrolCategoryEnum": "patrols.models.Category",
        "ComplaintCategoryEnum": "complaints.models.ComplaintCategory",
    },
}

# Celery: Redis when REDIS_URL is set, otherwise a file-system broker that needs no server.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A request that queues a task while Redis is down or hangs gives up at once instead of retrying for seconds:
    # what it asked for waits in PostgreSQL for the sweeps. The worker reconnects by broker_connection_* as before.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 1, "socket_timeout": 5}
else:
    _broker_dir = RUN_DIR / "broker"
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "data_folder_processed": str(_broker_dir / "processed"),
        # The worker's broadcast exchanges, which kombu would otherwise keep in a folder of the working directory.
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Sending waits on outside gateways: it has a queue of its own, so that a worker started with `-Q celery` keeps
# sweeping and rolling up however slow they are. A worker started without -Q takes both queues.
CELERY_TASK_QUEUES = [Queue("celery"), Queue("notifications")]
CELERY_TASK_ROUTES = {"hall.tasks.deliver_pending_notifications": {"queue": "notifications"}}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# /healthz answers 503, and `check --deploy --database default` warns, when the sweep ran longer ago than this.
SLA_SWEEP_STALE_SECONDS = env_int("SLA_SWEEP_STALE_SECONDS", 300)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "deliver-notifications": {
        "task": "hall.tasks.deliver_pending_notifications",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "sla-sweep": {
        "task": "hall.tasks.sla_sweep",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "warn-missing-calendar-years": {
        "task": "hall.tasks.warn_missing_calendar_years",
        "schedule": crontab(hour=8, minute=0),
        "options": {"expires": 3600},
    },
    "generate-duties": {
        "task": "staff.tasks.generate_duties",
        "schedule": crontab(hour=0, minute=10),
        "options": {"expires": 3600},
    },
    "expire-yesterdays-tickets": {
        "task": "tickets.tasks.expire_stale_tickets",
        "schedule": crontab(hour=0, minute=5),
        "options": {"expires": 3600},
    },
    # After the nightly cancel of yesterday's open tickets: its timeline events are yesterday's too.
    "rollup-yesterday": {
        "task": "reports.tasks.rollup_nightly",
        "schedule": crontab(hour=0, minute=20),
        "options": {"expires": 3600},
    },
    "rollup-touched-days": {
        "task": "reports.tasks.rollup_touched",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 840},
    },
    "sample-callbacks": {
        "task": "callbacks.tasks.sample_yesterday",
        "schedule": crontab(hour=0, minute=30),
        "options": {"expires": 3600},
    },
}

NOTIFICATION_BACKENDS = {
    "email": env_str("EMAIL_NOTIFICATION_BACKEND", "hall.notifications.LoggingBackend"),
    "sms": env_str("SMS_NOTIFICATION_BACKEND", "hall.notifications.LoggingBackend"),
}
# A message that cannot be sent is tried again after NOTIFICATION_RETRY_SECONDS, then twice as long after each
# failure; the NOTIFICATION_MAX_ATTEMPTS-th failure marks it failed, for the administrators to see.
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5)
NOTIFICATION_RETRY_SECONDS = env_int("NOTIFICATION_RETRY_SECONDS", 60)
# The SMS gateway of hall.notifications.HttpSmsBackend, and how long one message may wait for its answer.
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 10)

# The board endpoint is polled by every display; its answer is cached until a ticket changes.
BOARD_CACHE_SECONDS = env_int("BOARD_CACHE_SECONDS", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"concise_client_errors": {"()": "hall.log_filters.ConciseClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Django's own console handler (DEBUG only) would print every record a second time through the root's.
        "django": {"handlers": []},
        "django.request": {"filters": ["concise_client_errors"]},
    },
}
