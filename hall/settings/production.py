"""Production: PostgreSQL and Redis are required, secrets come from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from hall.settings.base import *  # noqa: F403

if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
    raise ImproperlyConfigured("Production needs DATABASE_URL (PostgreSQL) and REDIS_URL (Redis).")

DEBUG = False
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)  # noqa: F405
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
