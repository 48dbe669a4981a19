from django.urls import path

from assessments import apis

urlpatterns = [
    path("assessments/", apis.AssessmentListApi.as_view(), name="api-assessments"),
    path("assessments/close/", apis.AssessmentCloseApi.as_view(), name="api-assessments-close"),
    path("assessments/rules/", apis.AssessmentRulesApi.as_view(), name="api-assessments-rules"),
    path("assessments/export.xlsx", apis.AssessmentXlsxApi.as_view(), name="api-assessments-xlsx"),
    path("assessments.xlsx", apis.AssessmentXlsxApi.as_view()),
    path("assessments/<int:pk>/appeal/", apis.AssessmentAppealApi.as_view(), name="api-assessments-appeal"),
    path("assessments/<int:pk>/decide/", apis.AssessmentDecideApi.as_view(), name="api-assessments-decide"),
]
