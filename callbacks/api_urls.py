from django.urls import path

from callbacks import apis

urlpatterns = [
    path("callbacks/", apis.CallbackListApi.as_view(), name="api-callbacks"),
    path("callbacks/sample/", apis.CallbackSampleApi.as_view(), name="api-callbacks-sample"),
    path("callbacks/<int:pk>/", apis.CallbackAnswerApi.as_view(), name="api-callback-answer"),
    path("callbacks/<int:pk>/reveal/", apis.CallbackRevealApi.as_view(), name="api-callback-reveal"),
]
