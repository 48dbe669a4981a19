from django.contrib.auth import views as auth_views
from django.urls import path

from hall import views as hall_views
from tickets import evidence_views as repair_evidence_views
from tickets import repair_views

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
    path("repairs/", repair_views.repair_desk, name="repair-desk"),
    path("repairs/new/", repair_views.repair_register, name="repair-register"),
    path("repairs/new/history/", repair_views.repair_intake_history, name="repair-intake-history"),
    path("repairs/mine/", repair_views.repair_mine, name="repair-mine"),
    path("repairs/callbacks/", repair_views.repair_callbacks, name="repair-callbacks"),
    path("repairs/<int:pk>/", repair_views.repair_detail, name="repair-detail"),
    path("repairs/<int:pk>/photos/<int:photo_id>/", repair_evidence_views.repair_photo, name="repair-photo"),
    path("repairs/<int:pk>/<slug:action>/", repair_views.repair_action, name="repair-action"),
    path("r/<token:token>/", repair_views.repair_status_page, name="repair-status-page"),
]
