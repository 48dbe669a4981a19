"""Request checks that every page shares."""

from django.conf import settings
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
