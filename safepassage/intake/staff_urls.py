from django.urls import path

from . import staff_views

app_name = "intake_staff"
urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("share/", staff_views.share, name="share"),
    path("<uuid:pk>/", staff_views.thread_detail, name="thread"),
    path("<uuid:pk>/files/<uuid:file_pk>/", staff_views.attachment, name="attachment"),
    path("<uuid:pk>/convert/", staff_views.convert, name="convert"),
    path("<uuid:pk>/decline/", staff_views.decline, name="decline"),
]
