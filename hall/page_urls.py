from django.contrib.auth import views as auth_views
from django.urls import path

from complaints import evidence_views as complaint_evidence_views
from complaints import public_views as complaint_public_views
from complaints import views as complaint_views
from hall import views as hall_views
from staff import roster_views as staff_roster_views
from staff import views as staff_views
from tickets import views as ticket_views

urlpatterns = [
    path("", hall_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="hall/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", hall_views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", hall_views.notification_read, name="notification-read"),
    path("floor/", hall_views.floor, name="floor"),
    path("floor/live/", hall_views.floor_live, name="floor-live"),
    path("kiosk/<slug:hall_code>/", ticket_views.kiosk, name="kiosk"),
    path("kiosk/<slug:hall_code>/counts/", ticket_views.kiosk_counts, name="kiosk-counts"),
    path("board/<slug:hall_code>/", ticket_views.board, name="board"),
    path("t/<token:token>/", ticket_views.ticket_status_page, name="ticket-status-page"),
    path("t/<token:token>/live/", ticket_views.ticket_status_live, name="ticket-status-live"),
    path("t/<token:token>/print/", ticket_views.ticket_print, name="ticket-print"),
    path("t/<token:token>/rate/", ticket_views.ticket_rate_page, name="ticket-rate-page"),
    path("counter/<int:pk>/", ticket_views.counter_console, name="counter-console"),
    path("counter/<int:pk>/waiting/", ticket_views.counter_waiting, name="counter-waiting"),
    path("counter/<int:pk>/<slug:action>/", ticket_views.counter_action, name="counter-action"),
    path("complaints/", complaint_views.complaint_desk, name="complaint-desk"),
    path("complaints/new/", complaint_views.complaint_accept, name="complaint-accept"),
    path("complaints/new/history/", complaint_views.complaint_intake_history, name="complaint-intake-history"),
    path("complaints/<int:pk>/", complaint_views.complaint_detail, name="complaint-detail"),
    path("complaints/<int:pk>/incident/", complaint_views.complaint_incident, name="complaint-incident"),
    path(
        "complaints/<int:pk>/evidence/<int:evidence_id>/",
        complaint_evidence_views.complaint_evidence,
        name="complaint-evidence",
    ),
    path("complaints/<int:pk>/<slug:action>/", complaint_views.complaint_action, name="complaint-action"),
    path("complain/<slug:hall_code>/", complaint_public_views.complaint_public_form, name="complaint-public-form"),
    path("c/<token:token>/", complaint_public_views.complaint_track, name="complaint-track"),
    path("duties/", staff_views.duty_board, name="duty-board"),
    path("duties/<int:pk>/<slug:action>/", staff_views.duty_action, name="duty-action"),
    path("chores/", staff_views.chore_list, name="chore-list"),
    path("chores/<int:pk>/<slug:action>/", staff_views.chore_action, name="chore-action"),
    path("roster/", staff_roster_views.roster_week, name="roster-week"),
    path("roster/<slug:action>/", staff_roster_views.roster_action, name="roster-action"),
    path("leave/", staff_roster_views.leave_list, name="leave-list"),
    path("leave/<int:pk>/<slug:action>/", staff_roster_views.leave_action, name="leave-action"),
    path("handover/", staff_roster_views.handover_list, name="handover-list"),
    path("handover/<int:pk>/<slug:action>/", staff_roster_views.handover_action, name="handover-action"),
    path("calendar/new-address/", staff_roster_views.calendar_rotate, name="calendar-rotate"),
    path("calendar/<token:token>.ics", staff_roster_views.calendar_feed, name="calendar-feed"),
    path("pad/<int:pk>/", ticket_views.rating_pad, name="rating-pad"),
    path("pad/<int:pk>/live/", ticket_views.rating_pad_live, name="rating-pad-live"),
    path("pad/<int:pk>/rate/", ticket_views.rating_pad_rate, name="rating-pad-rate"),
]
