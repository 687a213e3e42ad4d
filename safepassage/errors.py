"""Error pages of the whole site: the anonymous site (and share links) must never show the
staff site's look or links, so everything outside /staff/ gets the public site's pages."""

from django.shortcuts import render

from .lib.headers import is_public
from .public import errors as public_errors


def not_found(request, exception=None):
    if is_public(request.path):
        return public_errors.not_found(request, exception)
    return render(request, "404.html", status=404)


def server_error(request):
    """Rendered after something failed: no database access, no case data."""
    if is_public(request.path):
        return public_errors.server_error(request)
    return render(request, "500.html", status=500)


def bad_request(request, exception=None):
    if is_public(request.path):
        return public_errors.bad_request(request, exception)
    return render(request, "500.html", status=400)
