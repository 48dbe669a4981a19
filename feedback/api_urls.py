from django.urls import path

from feedback import apis

urlpatterns = [
    path("feedback/", apis.FeedbackCollectionApi.as_view(), name="api-feedback"),
    path("feedback/follow/", apis.FeedbackFollowApi.as_view(), name="api-feedback-follow"),
    path("feedback/<int:pk>/", apis.FeedbackDetailApi.as_view(), name="api-feedback-detail"),
    path("feedback/<int:pk>/reply/", apis.FeedbackReplyApi.as_view(), name="api-feedback-reply"),
    path("feedback/<int:pk>/timeline/", apis.FeedbackTimelineApi.as_view(), name="api-feedback-timeline"),
    path("mystery-visits/", apis.MysteryVisitCollectionApi.as_view(), name="api-mystery-visits"),
    path("mystery-visits/<int:pk>/", apis.MysteryVisitDetailApi.as_view(), name="api-mystery-visit"),
]
