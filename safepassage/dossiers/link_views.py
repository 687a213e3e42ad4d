"""What an outside recipient sees: /l/<token>/, a page that says what was shared with them and
until when, and the download. No account, no cookie, no script; the token is the only key to
what the link holds, and the server keeps only its SHA-256. An unknown token gets 404; an
expired, used-up or revoked one gets 410 and says so, without saying anything else."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.views.decorators.http import require_GET

from .actions import disclosures


def _gone(request, reason: str):
    return render(request, "dossiers/link/gone.html", {"reason": reason}, status=410)


@require_GET
def landing(request, token):
    with translation.override(translation.get_language_from_request(request) or "fr"):
        try:
            link = disclosures.find(token)
        except disclosures.Gone as gone:
            return _gone(request, str(gone))
        return render(request, "dossiers/link/landing.html", {"link": link, "token": token,
                                                              "left": link.max_downloads - link.downloads})


@require_GET
def download(request, token):
    try:
        link, data = disclosures.download(token)
    except disclosures.Gone as gone:
        return _gone(request, str(gone))
    response = HttpResponse(data, content_type=link.media_type)
    response["Content-Disposition"] = f'attachment; filename="{link.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("l/<str:token>/", landing, name="share_link"),
    path("l/<str:token>/download/", download, name="share_link_download"),
]
