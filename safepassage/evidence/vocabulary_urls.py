"""The controlled vocabularies (act, perpetrator and source types): /staff/vocabularies/."""

from django.urls import path

from .views import vocabularies as views

app_name = "vocabularies"
urlpatterns = [
    path("", views.vocabulary_list, name="list"),
    path("new/", views.term_new, name="new"),
    path("<uuid:pk>/edit/", views.term_edit, name="edit"),
]
