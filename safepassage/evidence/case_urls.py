"""The evidence app's pages under /staff/cases/<id>/ (testimonies and the case's files), in the
"cases" URL namespace: registered with cases in EvidenceConfig.ready."""

from django.urls import path

from .views import files, testimonies

urlpatterns = [
    path("<uuid:pk>/testimonies/", testimonies.testimony_list, name="testimony_list"),
    path("<uuid:pk>/testimonies/new/", testimonies.testimony_new, name="testimony_new"),
    path("<uuid:pk>/testimonies/<uuid:testimony_pk>/", testimonies.testimony_detail, name="testimony_detail"),
    path("<uuid:pk>/testimonies/<uuid:testimony_pk>/consents/new/", testimonies.consent_new, name="consent_new"),
    path("<uuid:pk>/testimonies/<uuid:testimony_pk>/consents/<uuid:consent_pk>/withdraw/", testimonies.consent_withdraw,
         name="consent_withdraw"),
    path("<uuid:pk>/testimonies/<uuid:testimony_pk>/translations/new/", testimonies.translation_new,
         name="translation_new"),
    path("<uuid:pk>/testimonies/<uuid:testimony_pk>/translations/machine/", testimonies.translation_machine,
         name="translation_machine"),
    path("<uuid:pk>/testimonies/<uuid:testimony_pk>/share/", testimonies.testimony_share, name="testimony_share"),
    path("<uuid:pk>/testimonies/<uuid:testimony_pk>/shares/<uuid:share_pk>/withdraw/", testimonies.share_withdraw,
         name="share_withdraw"),
    path("<uuid:pk>/files/", files.case_file_list, name="file_list"),
    path("<uuid:pk>/files/new/", files.case_file_new, name="file_new"),
    path("<uuid:pk>/files/<uuid:file_pk>/", files.case_file, name="file"),
    path("<uuid:pk>/files/<uuid:file_pk>/working/", files.case_file_working, name="file_working"),
    path("<uuid:pk>/files/<uuid:file_pk>/download/", files.case_file_download, name="file_download"),
    path("<uuid:pk>/files/<uuid:file_pk>/original/", files.case_file_original, name="file_original"),
    path("<uuid:pk>/files/<uuid:file_pk>/replace/", files.case_file_replace, name="file_replace"),
    path("<uuid:pk>/files/<uuid:file_pk>/verify/", files.case_file_verify, name="file_verify"),
    path("<uuid:pk>/files/<uuid:file_pk>/export/", files.case_file_export, name="file_export"),
]
