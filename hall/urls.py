"""The project's addresses: each app brings its own pages and API routes; hall's own are home, sign-in,
notifications and the hall and staff lists."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

api_docs = SpectacularSwaggerView.as_view(url_name="api-schema")
if not settings.API_DOCS_PUBLIC:
    api_docs = login_required(api_docs)

handler500 = "hall.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("api/", include("hall.api_urls")),
    path("api/", include("tickets.api_urls")),
    path("api/", include("complaints.api_urls")),
    path("api/", include("staff.api_urls")),
    path("api/", include("reports.api_urls")),
    path("api/", include("feedback.api_urls")),
    path("api/", include("callbacks.api_urls")),
    path("api/", include("assessments.api_urls")),
    path("api/", include("patrols.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("repairs.urls")),
    path("", include("hall.page_urls")),
    path("", include("tickets.urls")),
    path("", include("complaints.urls")),
    path("", include("staff.urls")),
    path("", include("reports.urls")),
    path("", include("feedback.urls")),
    path("", include("callbacks.urls")),
    path("", include("assessments.urls")),
    path("", include("patrols.urls")),
]
