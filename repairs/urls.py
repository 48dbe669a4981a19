from django.urls import path

from repairs import apis, evidence_views, views

urlpatterns = [
    path("repairs/", views.repair_desk, name="repair-desk"),
    path("repairs/new/", views.repair_register, name="repair-register"),
    path("repairs/new/history/", views.repair_intake_history, name="repair-intake-history"),
    path("repairs/mine/", views.repair_mine, name="repair-mine"),
    path("repairs/callbacks/", views.repair_callbacks, name="repair-callbacks"),
    path("repairs/<int:pk>/", views.repair_detail, name="repair-detail"),
    path("repairs/<int:pk>/photos/<int:photo_id>/", evidence_views.repair_photo, name="repair-photo"),
    path("repairs/<int:pk>/<slug:action>/", views.repair_action, name="repair-action"),
    path("r/<token:token>/", views.repair_status_page, name="repair-status-page"),
    path("api/repairs/", apis.RepairCollectionApi.as_view(), name="api-repairs"),
    path("api/repairs/<int:pk>/", apis.RepairDetailApi.as_view(), name="api-repair"),
    path("api/repairs/<int:pk>/timeline/", apis.RepairTimelineApi.as_view(), name="api-repair-timeline"),
    path("api/repairs/<int:pk>/diagnose/", apis.RepairDiagnoseApi.as_view(), name="api-repair-diagnose"),
    path("api/repairs/<int:pk>/dispatch/", apis.RepairDispatchApi.as_view(), name="api-repair-dispatch"),
    path("api/repairs/<int:pk>/arrive/", apis.RepairArriveApi.as_view(), name="api-repair-arrive"),
    path("api/repairs/<int:pk>/complete/", apis.RepairCompleteApi.as_view(), name="api-repair-complete"),
    path("api/repairs/<int:pk>/callback/", apis.RepairCallbackApi.as_view(), name="api-repair-callback"),
    path("api/repairs/<int:pk>/close/", apis.RepairCloseApi.as_view(), name="api-repair-close"),
]
