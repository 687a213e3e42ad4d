from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("staff/", RedirectView.as_view(pattern_name="cases:list"), name="staff_home"),
    path("staff/", include("safepassage.accounts.urls")),
    path("staff/cases/", include("safepassage.cases.urls")),
    path("staff/audit/", include("safepassage.audit.urls")),
]
