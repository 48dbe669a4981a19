"""Request checks that every page shares."""

from django.core.exceptions import BadRequest

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
