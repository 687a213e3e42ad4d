"""Error pages of the anonymous site: its own look, neutral title and quick exit, never the
staff site's. Rendered after something failed: no database access, nothing typed."""

from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "public/404.html", status=404)


def server_error(request):
    return render(request, "public/500.html", status=500)


def bad_request(request, exception=None):
    return render(request, "public/400.html", status=400)
