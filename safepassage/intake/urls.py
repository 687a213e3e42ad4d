from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("request/", views.request_help, name="request"),
    path("follow-up/", views.follow_up, name="follow_up"),
]
