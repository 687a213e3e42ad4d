"""Error pages: the anonymous site must never show the staff site's look or links."""

from django.shortcuts import render

from .headers import is_public


def not_found(request, exception=None):
    template = "intake/404.html" if is_public(request.path) else "404.html"
    return render(request, template, status=404)
