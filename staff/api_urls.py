from django.urls import path

from staff import apis, handover_apis, leave_apis, shift_apis

urlpatterns = [
    path(
        "staff/<int:pk>/calendar-feed/rotate/",
        shift_apis.StaffCalendarFeedRotateApi.as_view(),
        name="api-staff-calendar-feed-rotate",
    ),
    path("chores/", apis.ChoreCollectionApi.as_view(), name="api-chores"),
    path("chores/<int:pk>/", apis.ChoreDetailApi.as_view(), name="api-chore"),
    path("chores/<int:pk>/assign/", apis.ChoreAssignApi.as_view(), name="api-chore-assign"),
    path("chores/<int:pk>/timeline/", apis.ChoreTimelineApi.as_view(), name="api-chore-timeline"),
    path("duties/", apis.DutyListApi.as_view(), name="api-duties"),
    path("duties/generate/", apis.DutyGenerateApi.as_view(), name="api-duties-generate"),
    path("duties/<int:pk>/", apis.DutyDetailApi.as_view(), name="api-duty"),
    path("duties/<int:pk>/done/", apis.DutyDoneApi.as_view(), name="api-duty-done"),
    path("duties/<int:pk>/timeline/", apis.DutyTimelineApi.as_view(), name="api-duty-timeline"),
    path("leaves/", leave_apis.LeaveCollectionApi.as_view(), name="api-leaves"),
    path("leaves/<int:pk>/", leave_apis.LeaveDetailApi.as_view(), name="api-leave"),
    path("leaves/<int:pk>/approve/", leave_apis.LeaveApproveApi.as_view(), name="api-leave-approve"),
    path("leaves/<int:pk>/reject/", leave_apis.LeaveRejectApi.as_view(), name="api-leave-reject"),
    path("leaves/<int:pk>/cancel/", leave_apis.LeaveCancelApi.as_view(), name="api-leave-cancel"),
    path("leaves/<int:pk>/timeline/", leave_apis.LeaveTimelineApi.as_view(), name="api-leave-timeline"),
    path("shifts/", shift_apis.ShiftCollectionApi.as_view(), name="api-shifts"),
    path("shifts/<int:pk>/", shift_apis.ShiftDetailApi.as_view(), name="api-shift"),
    path("shift-templates/", shift_apis.ShiftTemplateListApi.as_view(), name="api-shift-templates"),
    path("rosters/", shift_apis.RosterApi.as_view(), name="api-rosters"),
    path("rosters/duty-manager/", shift_apis.RosterDutyManagerApi.as_view(), name="api-roster-duty-manager"),
    path(
        "rosters/duty-manager/clear/",
        shift_apis.RosterDutyManagerClearApi.as_view(),
        name="api-roster-duty-manager-clear",
    ),
    path("handovers/", handover_apis.HandoverCollectionApi.as_view(), name="api-handovers"),
    path("handovers/<int:pk>/", handover_apis.HandoverDetailApi.as_view(), name="api-handover"),
    path(
        "handovers/<int:pk>/acknowledge/",
        handover_apis.HandoverAcknowledgeApi.as_view(),
        name="api-handover-acknowledge",
    ),
    path("handovers/<int:pk>/timeline/", handover_apis.HandoverTimelineApi.as_view(), name="api-handover-timeline"),
]
