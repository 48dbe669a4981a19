from django.urls import path

from staff import handover_views, roster_views, views

urlpatterns = [
    path("duties/", views.duty_board, name="duty-board"),
    path("duties/<int:pk>/<slug:action>/", views.duty_action, name="duty-action"),
    path("chores/", views.chore_list, name="chore-list"),
    path("chores/<int:pk>/<slug:action>/", views.chore_action, name="chore-action"),
    path("roster/", roster_views.roster_week, name="roster-week"),
    path("roster/<slug:action>/", roster_views.roster_action, name="roster-action"),
    path("leave/", roster_views.leave_list, name="leave-list"),
    path("leave/<int:pk>/<slug:action>/", roster_views.leave_action, name="leave-action"),
    path("handover/", handover_views.handover_list, name="handover-list"),
    path("handover/<int:pk>/<slug:action>/", handover_views.handover_action, name="handover-action"),
    path("calendar/new-address/", roster_views.calendar_rotate, name="calendar-rotate"),
    path("calendar/<token:token>.ics", roster_views.calendar_feed, name="calendar-feed"),
]
