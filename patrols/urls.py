from django.urls import path

from patrols import views

urlpatterns = [
    path("patrol/", views.patrol_home, name="patrol-home"),
    path("patrol/scores/", views.patrol_scores, name="patrol-scores"),
    path("patrol/templates/", views.template_list, name="patrol-templates"),
    path("patrol/templates/new/", views.template_edit, name="patrol-template-new"),
    path("patrol/templates/<int:pk>/", views.template_edit, name="patrol-template"),
    path("patrol/<int:pk>/", views.patrol_detail, name="patrol-detail"),
    path("patrol/<int:pk>/items/<int:item>/", views.patrol_check, name="patrol-check"),
    path("patrol/<int:pk>/finish/", views.patrol_finish, name="patrol-finish"),
    path("patrol/<int:pk>/photos/<int:check>/", views.patrol_photo, name="patrol-photo"),
    path("rectifications/", views.rectification_list, name="rectification-list"),
    path("rectifications/<int:pk>/photo/", views.rectification_photo, name="rectification-photo"),
    path("rectifications/<int:pk>/<slug:action>/", views.rectification_action, name="rectification-action"),
]
