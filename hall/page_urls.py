from django.urls import path

from tickets import views as ticket_views

urlpatterns = [
    path("t/<str:token>/", ticket_views.ticket_status_page, name="ticket-status-page"),
]
