from django.urls import path

from . import registry
from .views import core as views
from .views import dashboard, deadlines, documents, people, stays, vetting, work
from .views import pipeline as pipeline_views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("triage/", dashboard.triage, name="triage"),
    path("<uuid:pk>/", views.case_detail, name="detail"),
    path("<uuid:pk>/edit/", views.case_edit, name="edit"),
    path("<uuid:pk>/members/", views.case_members, name="members"),
    path("<uuid:pk>/members/<uuid:user_uuid>/remove/", views.case_member_remove, name="member_remove"),
    path("<uuid:pk>/erase/", views.case_erase, name="erase"),
    path("<uuid:pk>/state/", pipeline_views.change_state, name="change_state"),
    path("<uuid:pk>/approvals/<uuid:approval_pk>/decide/", pipeline_views.decide, name="decide"),
    path("<uuid:pk>/approvals/<uuid:approval_pk>/withdraw/", pipeline_views.withdraw, name="withdraw"),
]
urlpatterns += deadlines.urlpatterns
urlpatterns += vetting.urlpatterns + people.urlpatterns + stays.urlpatterns + documents.urlpatterns + work.urlpatterns
# The pages the apps above add to a case (testimonies, files, dossiers...), registered in their ready().
urlpatterns += registry.urls()
