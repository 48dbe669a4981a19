from django.urls import path

from complaints import desk_views, evidence_views, intake_views, public_views, views

urlpatterns = [
    path("complaints/", desk_views.complaint_desk, name="complaint-desk"),
    path("complaints/new/", intake_views.complaint_accept, name="complaint-accept"),
    path("complaints/new/history/", intake_views.complaint_intake_history, name="complaint-intake-history"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint-detail"),
    path("complaints/<int:pk>/incident/", views.complaint_incident, name="complaint-incident"),
    path(
        "complaints/<int:pk>/evidence/<int:evidence_id>/",
        evidence_views.complaint_evidence,
        name="complaint-evidence",
    ),
    path("complaints/<int:pk>/<slug:action>/", views.complaint_action, name="complaint-action"),
    path("complain/<slug:hall_code>/", public_views.complaint_public_form, name="complaint-public-form"),
    path("c/<token:token>/", public_views.complaint_track, name="complaint-track"),
]
