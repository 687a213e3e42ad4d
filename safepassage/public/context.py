from django.conf import settings

from .forms import LANGUAGES


def public(request):
    return {"public_languages": LANGUAGES, "quick_exit_url": settings.QUICK_EXIT_URL, "hotline": settings.HOTLINE}
