"""Case page section and pages for: documents. (To be filled in.)"""

urlpatterns = []


def section(request, case):
    """The part of the case page for this domain: a Section, or None to show nothing."""
    return None
