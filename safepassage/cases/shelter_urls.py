"""The shelter registry (separate from cases): /staff/shelters/."""

from django.urls import path

from .views import shelters as views

app_name = "shelters"
urlpatterns = [
    path("", views.shelter_list, name="list"),
    path("new/", views.shelter_new, name="new"),
    path("keys/", views.share_keys, name="keys"),
    path("<uuid:pk>/", views.shelter_detail, name="detail"),
    path("<uuid:pk>/edit/", views.shelter_edit, name="edit"),
    path("<uuid:pk>/deactivate/", views.shelter_deactivate, name="deactivate"),
    path("<uuid:pk>/reactivate/", views.shelter_reactivate, name="reactivate"),
]
