from django.urls import path

from complaints import apis

urlpatterns = [
    path("complaints/", apis.ComplaintCollectionApi.as_view(), name="api-complaints"),
    path("complaints/<int:pk>/", apis.ComplaintDetailApi.as_view(), name="api-complaint"),
    path("complaints/<int:pk>/timeline/", apis.ComplaintTimelineApi.as_view(), name="api-complaint-timeline"),
    path("complaints/<int:pk>/members/", apis.ComplaintMembersApi.as_view(), name="api-complaint-members"),
    path(
        "complaints/<int:pk>/investigate/",
        apis.ComplaintInvestigateApi.as_view(),
        name="api-complaint-investigate",
    ),
    path("complaints/<int:pk>/progress/", apis.ComplaintProgressApi.as_view(), name="api-complaint-progress"),
    path("complaints/<int:pk>/resolve/", apis.ComplaintResolveApi.as_view(), name="api-complaint-resolve"),
    path("complaints/<int:pk>/follow-up/", apis.ComplaintFollowUpApi.as_view(), name="api-complaint-follow-up"),
    path("complaints/<int:pk>/catch-up/", apis.ComplaintCatchUpApi.as_view(), name="api-complaint-catch-up"),
    path("complaints/<int:pk>/close/", apis.ComplaintCloseApi.as_view(), name="api-complaint-close"),
    path("complaints/<int:pk>/reopen/", apis.ComplaintReopenApi.as_view(), name="api-complaint-reopen"),
    path("complaints/<int:pk>/hand-over/", apis.ComplaintHandOverApi.as_view(), name="api-complaint-hand-over"),
]
