from django.urls import path

from callbacks import views

urlpatterns = [
    path("callbacks/", views.callback_list, name="callbacks"),
    path("callbacks/sample/", views.callback_sample, name="callbacks-sample"),
    path("callbacks/<int:pk>/reveal/", views.callback_reveal, name="callback-reveal"),
    path("callbacks/<int:pk>/answer/", views.callback_answer, name="callback-answer"),
    path("callbacks/do-not-call/", views.do_not_call_list, name="do-not-call-list"),
    path("callbacks/do-not-call/<int:pk>/remove/", views.do_not_call_remove, name="do-not-call-remove"),
]
