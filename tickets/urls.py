from django.urls import path

from tickets import floor_views, views

urlpatterns = [
    path("floor/", floor_views.floor, name="floor"),
    path("floor/live/", floor_views.floor_live, name="floor-live"),
    path("kiosk/<slug:hall_code>/", views.kiosk, name="kiosk"),
    path("kiosk/<slug:hall_code>/counts/", views.kiosk_counts, name="kiosk-counts"),
    path("board/<slug:hall_code>/", views.board, name="board"),
    path("t/<token:token>/", views.ticket_status_page, name="ticket-status-page"),
    path("t/<token:token>/live/", views.ticket_status_live, name="ticket-status-live"),
    path("t/<token:token>/print/", views.ticket_print, name="ticket-print"),
    path("t/<token:token>/rate/", views.ticket_rate_page, name="ticket-rate-page"),
    path("counter/<int:pk>/", views.counter_console, name="counter-console"),
    path("counter/<int:pk>/waiting/", views.counter_waiting, name="counter-waiting"),
    path("counter/<int:pk>/<slug:action>/", views.counter_action, name="counter-action"),
    path("pad/<int:pk>/", views.rating_pad, name="rating-pad"),
    path("pad/<int:pk>/live/", views.rating_pad_live, name="rating-pad-live"),
    path("pad/<int:pk>/rate/", views.rating_pad_rate, name="rating-pad-rate"),
]
