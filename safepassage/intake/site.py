"""Which organisation the public site serves."""

from django.conf import settings

from safepassage.accounts.models import Organisation


def public_organisation():
    if settings.PUBLIC_ORGANISATION:
        return Organisation.objects.filter(pk=settings.PUBLIC_ORGANISATION).first()
    orgs = list(Organisation.objects.all()[:2])
    return orgs[0] if len(orgs) == 1 else None
