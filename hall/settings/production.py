"""Production: PostgreSQL and Redis are required, secrets come from the environment. The hall is served over
TLS, usually behind a reverse proxy that terminates it and says so in X-Forwarded-Proto."""

import os

from django.core.exceptions import ImproperlyConfigured

from hall.settings.base import *  # noqa: F403

if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
    raise ImproperlyConfigured("Production needs DATABASE_URL (PostgreSQL) and REDIS_URL (Redis).")

DEBUG = False
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)  # noqa: F405
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The header the proxy sets to "https" on a TLS request; empty when Django itself is reached only over TLS. The
# proxy must overwrite a client's own copy of it.
_proxy_ssl_header = env_str("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto")  # noqa: F405
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
# Paths answered over plain HTTP too (regular expressions without the leading slash), e.g. a load balancer's probe.
SECURE_REDIRECT_EXEMPT = env_list("SECURE_REDIRECT_EXEMPT")  # noqa: F405
# Browsers then refuse plain HTTP to the hall's host for a year; set 0 while trying TLS out.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)  # noqa: F405
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)  # noqa: F405
