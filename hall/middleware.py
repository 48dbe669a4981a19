"""Request checks that every page shares."""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, MiddlewareNotUsed, PermissionDenied, SuspiciousOperation
from django.db import InterfaceError, OperationalError, close_old_connections, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found, server_error

API_PREFIX = "/api/"
# The traceback of a crash answered with the hall's own page under DEBUG; django.request still logs its one line.
logger = logging.getLogger("hall.errors")


def _holds_nul(params) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in params.lists())


class RefuseNulMiddleware:
    """PostgreSQL text cannot hold a NUL character, and a page that reads a parameter itself (a note, a phone
    number to look up) would pass one on: a query string or form that holds one is a bad request. The API
    refuses it field by field, in the shape API.md promises, so it is left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX) and (_holds_nul(request.GET) or _holds_nul(request.POST)):
            raise BadRequest("The query string or form holds a NUL character.")
        return self.get_response(request)


class PrivacyHeadersMiddleware:
    """Every answer the hall's code makes is someone's: a signed-in person's page, a customer's record
    reached by its secret address, or a form holding a CSRF token. None may be kept by a browser or a proxy
    (a hall's shared PC, the back button after sign-out), unless the view chose its own caching. The
    Permissions-Policy switches off the device features no page uses."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cache-Control", "private, no-store")
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


def body_too_large(limit: int) -> JsonResponse:
    """The API's answer to a body over its limit, in the shape of its other refusals."""
    detail = _("The request is too large: at most %(size)s.") % {"size": filesizeformat(limit)}
    return JsonResponse({"detail": detail, "code": "too_large"}, status=413)


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class ApiBodyLimitMiddleware:
    """An API request whose body is over the limit is refused before a byte of it is read: a form or JSON body
    over DATA_UPLOAD_MAX_MEMORY_SIZE, an upload over MAX_UPLOAD_BYTES (its evidence files and its fields)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            upload = request.content_type == "multipart/form-data"
            limit = settings.MAX_UPLOAD_BYTES if upload else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            if _declared_length(request) > limit:
                return body_too_large(limit)
        return self.get_response(request)


class HallNotFoundPageMiddleware:
    """With DEBUG on, Django answers a missing page or a crash with its technical page; `make run` shows the hall's
    own 404 and 500 pages instead, as a deployment does, and a crash's traceback goes to the console where the
    developer runs the server. Refused pages (403) use the hall's page in both already. The API keeps its JSON."""

    def __init__(self, get_response):
        if not settings.DEBUG:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            try:
                resolve(request.path_info)
            except Resolver404 as exc:
                return page_not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path_info.startswith(API_PREFIX):
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied | BadRequest | SuspiciousOperation):
            return None  # Django answers these with the hall's own pages already
        logger.error("Traceback of the server error at %s", request.path, exc_info=exception)
        return server_error(request)


# What PostgreSQL down, restarting or out of pooled connections raises (and a deadlock or a serialization failure,
# which a retry settles too).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def database_unavailable(request, error: Exception) -> HttpResponse:
    """The answer while the database cannot be reached: 503 with Retry-After, the API's JSON shape under /api/,
    else a page that needs no database. The connection that failed is let go, so the next request takes a sound
    one. django.request logs it as one WARNING line (hall.log_filters)."""
    close_old_connections()
    request.database_unavailable = (str(error).strip().splitlines() or [type(error).__name__])[0]
    if request.path_info.startswith(API_PREFIX):
        detail = _("The service is unavailable for a moment. Try again in a few seconds.")
        response = JsonResponse({"detail": detail, "code": "unavailable"}, status=503)
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """A page or an API call that meets the database down answers 503 instead of crashing; handler500 does the same
    for a failure outside a view (hall.views.server_error)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable(request, exception)
        return None


SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class OneTransactionPerWriteMiddleware:
    """A request that may change something is one transaction, to the last byte of its answer: what it wrote is
    saved when it answers 2xx or 3xx, and nothing is when it answers 4xx or 5xx or when the database goes away
    before the commit (503). So a clerk who is told "try again" never finds the first try saved as well. Reads
    keep autocommit. The innermost middleware: sessions and messages are saved after it, on their own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        try:
            with transaction.atomic():
                response = self.get_response(request)
                if response.status_code >= 400:
                    transaction.set_rollback(True)
        except DATABASE_UNAVAILABLE as error:
            return database_unavailable(request, error)
        return response
