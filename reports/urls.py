from django.urls import path

from reports import views

urlpatterns = [
    path("reports/", views.dashboard, name="reports"),
    path("reports/wall/", views.wall, name="reports-wall"),
    path("reports/wall/live/", views.wall_live, name="reports-wall-live"),
    path("reports/halls/", views.halls, name="reports-halls"),
]
