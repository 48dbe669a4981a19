from django.urls import path

from hall import apis as hall_apis
from tickets import repair_apis

urlpatterns = [
    path("auth/token/", hall_apis.TokenApi.as_view(), name="api-token"),
    path("me/", hall_apis.MeApi.as_view(), name="api-me"),
    path("halls/", hall_apis.HallListApi.as_view(), name="api-halls"),
    path("halls/<int:pk>/", hall_apis.HallDetailApi.as_view(), name="api-hall"),
    path("staff/", hall_apis.StaffListApi.as_view(), name="api-staff"),
    path("repairs/", repair_apis.RepairCollectionApi.as_view(), name="api-repairs"),
    path("repairs/<int:pk>/", repair_apis.RepairDetailApi.as_view(), name="api-repair"),
    path("repairs/<int:pk>/timeline/", repair_apis.RepairTimelineApi.as_view(), name="api-repair-timeline"),
    path("repairs/<int:pk>/diagnose/", repair_apis.RepairDiagnoseApi.as_view(), name="api-repair-diagnose"),
    path("repairs/<int:pk>/dispatch/", repair_apis.RepairDispatchApi.as_view(), name="api-repair-dispatch"),
    path("repairs/<int:pk>/arrive/", repair_apis.RepairArriveApi.as_view(), name="api-repair-arrive"),
    path("repairs/<int:pk>/complete/", repair_apis.RepairCompleteApi.as_view(), name="api-repair-complete"),
    path("repairs/<int:pk>/callback/", repair_apis.RepairCallbackApi.as_view(), name="api-repair-callback"),
    path("repairs/<int:pk>/close/", repair_apis.RepairCloseApi.as_view(), name="api-repair-close"),
    path("notifications/", hall_apis.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/<int:pk>/read/", hall_apis.NotificationReadApi.as_view(), name="api-notification-read"),
]
