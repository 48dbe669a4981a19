"""Request checks that every page shares."""

from django.conf import settings
from django.core.exceptions import BadRequest, MiddlewareNotUsed
from django.http import Http404
from django.urls import Resolver404, resolve
from django.views.defaults import page_not_found

API_PREFIX = "/api/"


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


class HallNotFoundPageMiddleware:
    """With DEBUG on, Django answers a missing page with its technical page; `make run` shows the hall's own 404
    page instead, as a deployment does. Refused pages (403) use the hall's page in both already; a crash (500)
    keeps Django's debugging page, which is what a developer running the server needs. The API keeps its JSON."""

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
        if isinstance(exception, Http404) and not request.path_info.startswith(API_PREFIX):
            return page_not_found(request, exception)
        return None
