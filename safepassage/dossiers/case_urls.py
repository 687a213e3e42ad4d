"""The dossiers app's pages under /staff/cases/<id>/ (dossiers, redactions, disclosures, links),
in the "cases" URL namespace: registered with cases in DossiersConfig.ready."""

from django.urls import path

from . import views

urlpatterns = [
    path("<uuid:pk>/dossiers/new/<slug:kind>/", views.dossier_new, name="dossier_new"),
    path("<uuid:pk>/dossiers/<uuid:dossier_pk>/", views.dossier_detail, name="dossier"),
    path("<uuid:pk>/dossiers/<uuid:dossier_pk>/pdf/", views.dossier_pdf, name="dossier_pdf"),
    path("<uuid:pk>/testimonies/<uuid:testimony_pk>/redact/", views.redaction_new, name="redaction_new"),
    path("<uuid:pk>/redactions/<uuid:redaction_pk>/", views.redaction_detail, name="redaction"),
    path("<uuid:pk>/redactions/<uuid:redaction_pk>/pdf/", views.redaction_pdf, name="redaction_pdf"),
    path("<uuid:pk>/disclosures/", views.disclosure_log, name="disclosure_log"),
    path("<uuid:pk>/disclosures/new/", views.disclosure_new, name="disclosure_new"),
    path("<uuid:pk>/disclosures/<uuid:disclosure_pk>/", views.disclosure_detail, name="disclosure"),
    path("<uuid:pk>/links/<uuid:share_link_pk>/revoke/", views.link_revoke, name="link_revoke"),
]
