from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from safepassage.cases.views import dashboard
from safepassage.intake import views as public_views

urlpatterns = [
    path("staff/", dashboard.dashboard, name="staff_home"),
    path("staff/", include("safepassage.accounts.urls")),
    path("staff/cases/", include("safepassage.cases.urls")),
    path("staff/intake/", include("safepassage.intake.staff_urls")),
    path("staff/shelters/", include("safepassage.cases.shelter_urls")),
    path("staff/audit/", include("safepassage.audit.urls")),
    path("staff/vocabularies/", include("safepassage.evidence.vocabulary_urls")),
    path("staff/evidence/", include("safepassage.evidence.base_urls")),
    path("staff/statistics/", include("safepassage.reports.views")),
    path("p.css", public_views.stylesheet, name="public_css"),
    path("", include("safepassage.dossiers.link_views")),
]
# The public site: /ru/, /en/, /fr/. A visit to / is redirected by the language the browser
# asks for (Accept-Language); switching is a link to another prefix, so no cookie is needed.
urlpatterns += i18n_patterns(path("", include("safepassage.intake.urls")))

handler400 = "safepassage.errors.bad_request"
handler404 = "safepassage.errors.not_found"
handler500 = "safepassage.errors.server_error"
