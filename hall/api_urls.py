from django.urls import path

from hall import apis as hall_apis

urlpatterns = [
    path("auth/token/", hall_apis.TokenApi.as_view(), name="api-token"),
    path("me/", hall_apis.MeApi.as_view(), name="api-me"),
    path("halls/", hall_apis.HallListApi.as_view(), name="api-halls"),
    path("halls/<int:pk>/", hall_apis.HallDetailApi.as_view(), name="api-hall"),
    path("staff/", hall_apis.StaffListApi.as_view(), name="api-staff"),
    path("notifications/", hall_apis.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/<int:pk>/read/", hall_apis.NotificationReadApi.as_view(), name="api-notification-read"),
    path("notifications/read-all/", hall_apis.NotificationReadAllApi.as_view(), name="api-notifications-read-all"),
]
