from django.contrib.auth import views as auth_views
from django.urls import path

from hall import health
from hall import views as hall_views

urlpatterns = [
    path("", hall_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", hall_views.favicon, name="favicon"),
    path("login/", hall_views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", hall_views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", hall_views.notification_read, name="notification-read"),
    path("notifications/read-all/", hall_views.notification_read_all, name="notification-read-all"),
]
