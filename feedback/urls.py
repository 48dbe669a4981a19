from django.urls import path

from feedback import views

urlpatterns = [
    path("feedback/", views.feedback_list, name="feedback-list"),
    path("feedback/new/", views.feedback_accept, name="feedback-accept"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback-detail"),
    path("feedback/<int:pk>/reply/", views.feedback_reply, name="feedback-reply"),
    path("feedback/<int:pk>/slip/", views.feedback_slip, name="feedback-slip"),
    path("feedback/<slug:hall_code>/", views.feedback_public_form, name="feedback-public-form"),
    path("feedback/<slug:hall_code>/follow/", views.feedback_follow, name="feedback-follow"),
    path("mystery-visits/", views.visit_list, name="mystery-visit-list"),
    path("mystery-visits/new/", views.visit_record, name="mystery-visit-record"),
    path("mystery-visits/<int:pk>/", views.visit_detail, name="mystery-visit-detail"),
    path("mystery-visits/<int:pk>/evidence/<int:evidence_id>/", views.visit_evidence, name="mystery-visit-evidence"),
]
