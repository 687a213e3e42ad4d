from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("request/", views.request_help, name="request"),
    path("request/sent/<str:token>/", views.request_sent, name="request_sent"),
    path("follow-up/", views.follow_up, name="follow_up"),
    path("follow-up/<str:token>/", views.conversation, name="conversation"),
    path("follow-up/<str:token>/close/", views.close, name="close"),
]
