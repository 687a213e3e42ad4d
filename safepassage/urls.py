"""The whole site in one process: the staff site under /staff/, outside recipients' share links,
and the public site. The one place, with the demo seeder, that composes every app."""

from django.urls import include, path

from safepassage.cases.views import dashboard
from safepassage.public import site_urls as public_site

urlpatterns = [
    path("staff/", dashboard.dashboard, name="staff_home"),
    path("staff/", include("safepassage.accounts.urls")),
    path("staff/cases/", include("safepassage.cases.urls")),
    path("staff/intake/", include("safepassage.intake.urls")),
    path("staff/shelters/", include("safepassage.cases.shelter_urls")),
    path("staff/audit/", include("safepassage.audit.urls")),
    path("staff/vocabularies/", include("safepassage.evidence.vocabulary_urls")),
    path("staff/evidence/", include("safepassage.evidence.base_urls")),
    path("staff/statistics/", include("safepassage.reports.views")),
    path("", include("safepassage.dossiers.link_views")),
]
urlpatterns += public_site.urlpatterns

handler400 = "safepassage.errors.bad_request"
handler404 = "safepassage.errors.not_found"
handler500 = "safepassage.errors.server_error"
