"""The project's addresses: each app brings its own pages and API routes; hall's own are home, sign-in,
notifications and the hall and staff lists."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("hall.api_urls")),
    path("api/", include("tickets.api_urls")),
    path("api/", include("complaints.api_urls")),
    path("api/", include("staff.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("repairs.urls")),
    path("", include("hall.page_urls")),
    path("", include("tickets.urls")),
    path("", include("complaints.urls")),
    path("", include("staff.urls")),
]
