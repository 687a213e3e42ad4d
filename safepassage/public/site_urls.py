"""The public site's own URL configuration: what the public process (public/settings.py) serves,
and what the whole site mounts at its root. No staff address resolves here."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from . import views

# The stylesheet comes from the site itself, at a fixed address, as every page's only resource.
urlpatterns = [path("p.css", views.stylesheet, name="public_css")]
# /ru/, /en/, /fr/. A visit to / is redirected by the language the browser asks for
# (Accept-Language); switching is a link to another prefix, so no cookie is needed.
urlpatterns += i18n_patterns(path("", include("safepassage.public.urls")))

handler400 = "safepassage.public.errors.bad_request"
handler404 = "safepassage.public.errors.not_found"
handler500 = "safepassage.public.errors.server_error"
