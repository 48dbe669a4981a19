from django.urls import path

from complaints import apis as complaint_apis
from hall import apis as hall_apis
from tickets import apis as ticket_apis
from tickets import repair_apis

urlpatterns = [
    path("auth/token/", hall_apis.TokenApi.as_view(), name="api-token"),
    path("me/", hall_apis.MeApi.as_view(), name="api-me"),
    path("halls/", hall_apis.HallListApi.as_view(), name="api-halls"),
    path("halls/<int:pk>/", hall_apis.HallDetailApi.as_view(), name="api-hall"),
    path("halls/<int:pk>/board/", ticket_apis.HallBoardApi.as_view(), name="api-hall-board"),
    path("staff/", hall_apis.StaffListApi.as_view(), name="api-staff"),
    path("business-types/", hall_apis.BusinessTypeListApi.as_view(), name="api-business-types"),
    path("counters/", hall_apis.CounterListApi.as_view(), name="api-counters"),
    path("counters/<int:pk>/open/", ticket_apis.CounterOpenApi.as_view(), name="api-counter-open"),
    path("counters/<int:pk>/pause/", ticket_apis.CounterPauseApi.as_view(), name="api-counter-pause"),
    path("counters/<int:pk>/close/", ticket_apis.CounterCloseApi.as_view(), name="api-counter-close"),
    path("counters/<int:pk>/call-next/", ticket_apis.CounterCallNextApi.as_view(), name="api-counter-call-next"),
    path("tickets/", ticket_apis.TicketCollectionApi.as_view(), name="api-tickets"),
    path("tickets/status/<str:token>/", ticket_apis.TicketStatusApi.as_view(), name="api-ticket-status"),
    path("tickets/rate/<str:token>/", ticket_apis.TicketRateApi.as_view(), name="api-ticket-rate"),
    path("tickets/<int:pk>/", ticket_apis.TicketDetailApi.as_view(), name="api-ticket"),
    path("tickets/<int:pk>/timeline/", ticket_apis.TicketTimelineApi.as_view(), name="api-ticket-timeline"),
    path("tickets/<int:pk>/recall/", ticket_apis.TicketRecallApi.as_view(), name="api-ticket-recall"),
    path("tickets/<int:pk>/start/", ticket_apis.TicketStartApi.as_view(), name="api-ticket-start"),
    path("tickets/<int:pk>/finish/", ticket_apis.TicketFinishApi.as_view(), name="api-ticket-finish"),
    path("tickets/<int:pk>/no-show/", ticket_apis.TicketNoShowApi.as_view(), name="api-ticket-no-show"),
    path("tickets/<int:pk>/reactivate/", ticket_apis.TicketReactivateApi.as_view(), name="api-ticket-reactivate"),
    path("tickets/<int:pk>/cancel/", ticket_apis.TicketCancelApi.as_view(), name="api-ticket-cancel"),
    path("tickets/<int:pk>/transfer/", ticket_apis.TicketTransferApi.as_view(), name="api-ticket-transfer"),
    path("repairs/", repair_apis.RepairCollectionApi.as_view(), name="api-repairs"),
    path("repairs/<int:pk>/", repair_apis.RepairDetailApi.as_view(), name="api-repair"),
    path("repairs/<int:pk>/timeline/", repair_apis.RepairTimelineApi.as_view(), name="api-repair-timeline"),
    path("repairs/<int:pk>/diagnose/", repair_apis.RepairDiagnoseApi.as_view(), name="api-repair-diagnose"),
    path("repairs/<int:pk>/dispatch/", repair_apis.RepairDispatchApi.as_view(), name="api-repair-dispatch"),
    path("repairs/<int:pk>/arrive/", repair_apis.RepairArriveApi.as_view(), name="api-repair-arrive"),
    path("repairs/<int:pk>/complete/", repair_apis.RepairCompleteApi.as_view(), name="api-repair-complete"),
    path("repairs/<int:pk>/callback/", repair_apis.RepairCallbackApi.as_view(), name="api-repair-callback"),
    path("repairs/<int:pk>/close/", repair_apis.RepairCloseApi.as_view(), name="api-repair-close"),
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
    path("complaints/<int:pk>/close/", complaint_apis.ComplaintCloseApi.as_view(), name="api-complaint-close"),
    path("complaints/<int:pk>/reopen/", complaint_apis.ComplaintReopenApi.as_view(), name="api-complaint-reopen"),
    path(
        "complaints/<int:pk>/hand-over/", complaint_apis.ComplaintHandOverApi.as_view(), name="api-complaint-hand-over"
    ),
    path("notifications/", hall_apis.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/<int:pk>/read/", hall_apis.NotificationReadApi.as_view(), name="api-notification-read"),
]
