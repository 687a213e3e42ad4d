"""The evidence base (/staff/evidence/): documentation researchers only."""

from django.urls import path

from .views import base, files, research

app_name = "evidence"
urlpatterns = [
    path("", base.home, name="home"),
    path("key/share/", base.share_key, name="share_key"),
    path("sources/", base.source_list, name="sources"),
    path("sources/new/", base.source_new, name="source_new"),
    path("sources/<uuid:pk>/", base.source_detail, name="source"),
    path("sources/<uuid:pk>/edit/", base.source_edit, name="source_edit"),
    path("sources/<uuid:pk>/files/new/", files.source_file_new, name="file_new"),
    path("events/", base.event_list, name="events"),
    path("events/new/", base.event_new, name="event_new"),
    path("events/<uuid:pk>/", base.event_detail, name="event"),
    path("events/<uuid:pk>/edit/", base.event_edit, name="event_edit"),
    path("events/<uuid:pk>/acts/new/", base.act_new, name="act_new"),
    path("acts/new/", base.act_new, name="act_new_any"),
    path("acts/<uuid:pk>/edit/", base.act_edit, name="act_edit"),
    path("acts/<uuid:pk>/delete/", base.act_delete, name="act_delete"),
    path("acts/<uuid:pk>/sources/new/", base.attestation_new, name="attestation_new"),
    path("attestations/<uuid:pk>/remove/", base.attestation_remove, name="attestation_remove"),
    path("victims/", base.victim_list, name="victims"),
    path("victims/new/", base.victim_new, name="victim_new"),
    path("victims/<uuid:pk>/", base.victim_detail, name="victim"),
    path("victims/<uuid:pk>/edit/", base.victim_edit, name="victim_edit"),
    path("testimonies/", research.share_list, name="shares"),
    path("testimonies/<uuid:pk>/", research.share_detail, name="share"),
    path("testimonies/<uuid:pk>/use/", research.share_use, name="share_use"),
    path("duplicates/", research.duplicates, name="duplicates"),
    path("duplicates/acts/", research.merge_acts, name="merge_acts"),
    path("duplicates/victims/", research.merge_victims, name="merge_victims"),
    path("merges/<uuid:pk>/undo/", research.merge_undo, name="merge_undo"),
    path("files/<uuid:file_pk>/", files.source_file, name="file"),
    path("files/<uuid:file_pk>/working/", files.source_file_working, name="file_working"),
    path("files/<uuid:file_pk>/download/", files.source_file_download, name="file_download"),
    path("files/<uuid:file_pk>/original/", files.source_file_original, name="file_original"),
    path("files/<uuid:file_pk>/replace/", files.source_file_replace, name="file_replace"),
    path("files/<uuid:file_pk>/verify/", files.source_file_verify, name="file_verify"),
    path("files/<uuid:file_pk>/export/", files.source_file_export, name="file_export"),
]
