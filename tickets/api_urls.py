from django.urls import path

from tickets import apis, list_apis

urlpatterns = [
    path("halls/<int:pk>/board/", apis.HallBoardApi.as_view(), name="api-hall-board"),
    path("business-types/", list_apis.BusinessTypeListApi.as_view(), name="api-business-types"),
    path("counters/", list_apis.CounterListApi.as_view(), name="api-counters"),
    path("counters/<int:pk>/open/", apis.CounterOpenApi.as_view(), name="api-counter-open"),
    path("counters/<int:pk>/pause/", apis.CounterPauseApi.as_view(), name="api-counter-pause"),
    path("counters/<int:pk>/close/", apis.CounterCloseApi.as_view(), name="api-counter-close"),
    path("counters/<int:pk>/call-next/", apis.CounterCallNextApi.as_view(), name="api-counter-call-next"),
    path("tickets/", apis.TicketCollectionApi.as_view(), name="api-tickets"),
    path("tickets/status/<token:token>/", apis.TicketStatusApi.as_view(), name="api-ticket-status"),
    path("tickets/rate/<token:token>/", apis.TicketRateApi.as_view(), name="api-ticket-rate"),
    path("tickets/<int:pk>/", apis.TicketDetailApi.as_view(), name="api-ticket"),
    path("tickets/<int:pk>/timeline/", apis.TicketTimelineApi.as_view(), name="api-ticket-timeline"),
    path("tickets/<int:pk>/recall/", apis.TicketRecallApi.as_view(), name="api-ticket-recall"),
    path("tickets/<int:pk>/start/", apis.TicketStartApi.as_view(), name="api-ticket-start"),
    path("tickets/<int:pk>/finish/", apis.TicketFinishApi.as_view(), name="api-ticket-finish"),
    path("tickets/<int:pk>/no-show/", apis.TicketNoShowApi.as_view(), name="api-ticket-no-show"),
    path("tickets/<int:pk>/reactivate/", apis.TicketReactivateApi.as_view(), name="api-ticket-reactivate"),
    path("tickets/<int:pk>/cancel/", apis.TicketCancelApi.as_view(), name="api-ticket-cancel"),
    path("tickets/<int:pk>/transfer/", apis.TicketTransferApi.as_view(), name="api-ticket-transfer"),
]
