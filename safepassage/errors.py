"""Error pages: the anonymous site must never show the staff site's look or links."""

from django.shortcuts import render

from .lib.headers import is_public


def not_found(request, exception=None):
    template = "intake/404.html" if is_public(request.path) else "404.html"
    return render(request, template, status=404)


def server_error(request):
    """Rendered after something failed: no database access, no case data, and on the public site
    the public look with its neutral title and quick exit."""
    template = "intake/500.html" if is_public(request.path) else "500.html"
    return render(request, template, status=500)


def bad_request(request, exception=None):
    template = "intake/400.html" if is_public(request.path) else "500.html"
    return render(request, template, status=400)
