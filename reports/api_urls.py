from django.urls import path

from reports import apis

urlpatterns = [
    path("reports/kpis/", apis.KpisApi.as_view(), name="api-reports-kpis"),
    path("reports/kpis.csv", apis.KpisCsvApi.as_view(), name="api-reports-kpis-csv"),
    path("reports/kpis.xlsx", apis.KpisXlsxApi.as_view(), name="api-reports-kpis-xlsx"),
    path("reports/monthly/", apis.MonthlyApi.as_view(), name="api-reports-monthly"),
    path("reports/monthly/close/", apis.MonthCloseApi.as_view(), name="api-reports-monthly-close"),
    path("reports/monthly.xlsx", apis.MonthlyXlsxApi.as_view(), name="api-reports-monthly-xlsx"),
    path("halls/<int:pk>/dashboard/", apis.DashboardApi.as_view(), name="api-hall-dashboard"),
]
