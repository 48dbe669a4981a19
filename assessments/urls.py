from django.urls import path

from assessments import views

urlpatterns = [
    path("assessment/", views.my_assessment, name="my-assessment"),
    path("assessments/", views.hall_assessments, name="hall-assessments"),
    path("assessments/rules/", views.assessment_rules, name="assessment-rules"),
]
