from django.urls import path

from patrols import apis, score_apis, template_apis

urlpatterns = [
    path("patrol-templates/", template_apis.TemplateCollectionApi.as_view(), name="api-patrol-templates"),
    path("patrol-templates/<int:pk>/", template_apis.TemplateDetailApi.as_view(), name="api-patrol-template"),
    path("patrols/", apis.PatrolCollectionApi.as_view(), name="api-patrols"),
    path("patrols/scores/", score_apis.PatrolScoresApi.as_view(), name="api-patrol-scores"),
    path("patrols/<int:pk>/", apis.PatrolDetailApi.as_view(), name="api-patrol"),
    path("patrols/<int:pk>/items/<int:item>/", apis.PatrolCheckApi.as_view(), name="api-patrol-check"),
    path("patrols/<int:pk>/finish/", apis.PatrolFinishApi.as_view(), name="api-patrol-finish"),
    path("rectifications/", apis.RectificationListApi.as_view(), name="api-rectifications"),
    path("rectifications/<int:pk>/done/", apis.RectificationDoneApi.as_view(), name="api-rectification-done"),
    path("rectifications/<int:pk>/verify/", apis.RectificationVerifyApi.as_view(), name="api-rectification-verify"),
]
