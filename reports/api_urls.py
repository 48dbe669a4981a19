from django.urls import path

from reports import apis

urlpatterns = [
    path("reports/kpis/", apis.KpisApi.as_view(), name="api-reports-kpis"),
]
