from django.urls import path

from . import views

app_name = "intake_staff"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("share/", views.share, name="share"),
    path("<uuid:pk>/", views.thread_detail, name="thread"),
    path("<uuid:pk>/files/<uuid:file_pk>/", views.attachment, name="attachment"),
    path("<uuid:pk>/convert/", views.convert, name="convert"),
    path("<uuid:pk>/decline/", views.decline, name="decline"),
]
