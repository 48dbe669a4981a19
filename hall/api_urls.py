from django.urls import path

from complaints import apis as complaint_apis
from hall import apis as hall_apis
from staff import apis as staff_apis
from staff import shift_apis
from tickets import apis as ticket_apis

urlpatterns = [
    path("auth/token/", hall_apis.TokenApi.as_view(), name="api-token"),
    path("me/", hall_apis.MeApi.as_view(), name="api-me"),
    path("halls/", hall_apis.HallListApi.as_view(), name="api-halls"),
    path("halls/<int:pk>/", hall_apis.HallDetailApi.as_view(), name="api-hall"),
    path("halls/<int:pk>/board/", ticket_apis.HallBoardApi.as_view(), name="api-hall-board"),
    path("staff/", hall_apis.StaffListApi.as_view(), name="api-staff"),
    path(
        "staff/<int:pk>/calendar-feed/rotate/",
        shift_apis.StaffCalendarFeedRotateApi.as_view(),
        name="api-staff-calendar-feed-rotate",
    ),
    path("business-types/", hall_apis.BusinessTypeListApi.as_view(), name="api-business-types"),
    path("counters/", hall_apis.CounterListApi.as_view(), name="api-counters"),
    path("counters/<int:pk>/open/", ticket_apis.CounterOpenApi.as_view(), name="api-counter-open"),
    path("counters/<int:pk>/pause/", ticket_apis.CounterPauseApi.as_view(), name="api-counter-pause"),
    path("counters/<int:pk>/close/", ticket_apis.CounterCloseApi.as_view(), name="api-counter-close"),
    path("counters/<int:pk>/call-next/", ticket_apis.CounterCallNextApi.as_view(), name="api-counter-call-next"),
    path("tickets/", ticket_apis.TicketCollectionApi.as_view(), name="api-tickets"),
    path("tickets/status/<token:token>/", ticket_apis.TicketStatusApi.as_view(), name="api-ticket-status"),
    path("tickets/rate/<token:token>/", ticket_apis.TicketRateApi.as_view(), name="api-ticket-rate"),
    path("tickets/<int:pk>/", ticket_apis.TicketDetailApi.as_view(), name="api-ticket"),
    path("tickets/<int:pk>/timeline/", ticket_apis.TicketTimelineApi.as_view(), name="api-ticket-timeline"),
    path("tickets/<int:pk>/recall/", ticket_apis.TicketRecallApi.as_view(), name="api-ticket-recall"),
    path("tickets/<int:pk>/start/", ticket_apis.TicketStartApi.as_view(), name="api-ticket-start"),
    path("tickets/<int:pk>/finish/", ticket_apis.TicketFinishApi.as_view(), name="api-ticket-finish"),
    path("tickets/<int:pk>/no-show/", ticket_apis.TicketNoShowApi.as_view(), name="api-ticket-no-show"),
    path("tickets/<int:pk>/reactivate/", ticket_apis.TicketReactivateApi.as_view(), name="api-ticket-reactivate"),
    path("tickets/<int:pk>/cancel/", ticket_apis.TicketCancelApi.as_view(), name="api-ticket-cancel"),
    path("tickets/<int:pk>/transfer/", ticket_apis.TicketTransferApi.as_view(), name="api-ticket-transfer"),
    path("complaints/", complaint_apis.ComplaintCollectionApi.as_view(), name="api-complaints"),
    path("complaints/<int:pk>/", complaint_apis.ComplaintDetailApi.as_view(), name="api-complaint"),
    path("complaints/<int:pk>/timeline/", complaint_apis.ComplaintTimelineApi.as_view(), name="api-complaint-timeline"),
    path("complaints/<int:pk>/members/", complaint_apis.ComplaintMembersApi.as_view(), name="api-complaint-members"),
    path(
        "complaints/<int:pk>/investigate/",
        complaint_apis.ComplaintInvestigateApi.as_view(),
        name="api-complaint-investigate",
    ),
    path("complaints/<int:pk>/progress/", complaint_apis.ComplaintProgressApi.as_view(), name="api-complaint-progress"),
    path("complaints/<int:pk>/resolve/", complaint_apis.ComplaintResolveApi.as_view(), name="api-complaint-resolve"),
    path(
        "complaints/<int:pk>/follow-up/", complaint_apis.ComplaintFollowUpApi.as_view(), name="api-complaint-follow-up"
    ),
    path("complaints/<int:pk>/catch-up/", complaint_apis.ComplaintCatchUpApi.as_view(), name="api-complaint-catch-up"),
    path("complaints/<int:pk>/close/", complaint_apis.ComplaintCloseApi.as_view(), name="api-complaint-close"),
    path("complaints/<int:pk>/reopen/", complaint_apis.ComplaintReopenApi.as_view(), name="api-complaint-reopen"),
    path(
        "complaints/<int:pk>/hand-over/", complaint_apis.ComplaintHandOverApi.as_view(), name="api-complaint-hand-over"
    ),
    path("chores/", staff_apis.ChoreCollectionApi.as_view(), name="api-chores"),
    path("chores/<int:pk>/", staff_apis.ChoreDetailApi.as_view(), name="api-chore"),
    path("chores/<int:pk>/assign/", staff_apis.ChoreAssignApi.as_view(), name="api-chore-assign"),
    path("chores/<int:pk>/timeline/", staff_apis.ChoreTimelineApi.as_view(), name="api-chore-timeline"),
    path("duties/", staff_apis.DutyListApi.as_view(), name="api-duties"),
    path("duties/generate/", staff_apis.DutyGenerateApi.as_view(), name="api-duties-generate"),
    path("duties/<int:pk>/", staff_apis.DutyDetailApi.as_view(), name="api-duty"),
    path("duties/<int:pk>/done/", staff_apis.DutyDoneApi.as_view(), name="api-duty-done"),
    path("duties/<int:pk>/timeline/", staff_apis.DutyTimelineApi.as_view(), name="api-duty-timeline"),
    path("leaves/", staff_apis.LeaveCollectionApi.as_view(), name="api-leaves"),
    path("leaves/<int:pk>/", staff_apis.LeaveDetailApi.as_view(), name="api-leave"),
    path("leaves/<int:pk>/approve/", staff_apis.LeaveApproveApi.as_view(), name="api-leave-approve"),
    path("leaves/<int:pk>/reject/", staff_apis.LeaveRejectApi.as_view(), name="api-leave-reject"),
    path("leaves/<int:pk>/cancel/", staff_apis.LeaveCancelApi.as_view(), name="api-leave-cancel"),
    path("leaves/<int:pk>/timeline/", staff_apis.LeaveTimelineApi.as_view(), name="api-leave-timeline"),
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
    path("handovers/", shift_apis.HandoverCollectionApi.as_view(), name="api-handovers"),
    path("handovers/<int:pk>/", shift_apis.HandoverDetailApi.as_view(), name="api-handover"),
    path(
        "handovers/<int:pk>/acknowledge/",
        shift_apis.HandoverAcknowledgeApi.as_view(),
        name="api-handover-acknowledge",
    ),
    path("handovers/<int:pk>/timeline/", shift_apis.HandoverTimelineApi.as_view(), name="api-handover-timeline"),
    path("notifications/", hall_apis.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/<int:pk>/read/", hall_apis.NotificationReadApi.as_view(), name="api-notification-read"),
]
