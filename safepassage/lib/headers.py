"""Response headers for both sites.

Every page (public and staff) is `no-store`: a seized phone or laptop must hold no copy of a page
in its cache. Both sites need no script at all, so the Content-Security-Policy allows none.
The public site additionally sends no referrer and never sets a cookie."""

from django.conf import settings

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")


def is_public(path: str) -> bool:
    return not path.startswith(("/staff/", settings.STATIC_URL))


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        response["Cache-Control"] = "no-store"
        response["Content-Security-Policy"] = CSP
        if is_public(request.path):
            response["Referrer-Policy"] = "no-referrer"
            # The anonymous site never leaves a cookie behind, whatever a component tried to set.
            response.cookies.clear()
        return response
