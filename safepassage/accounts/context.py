from . import navigation


def nav(request):
    """The staff menu entries this user may follow (the views still check, this only hides)."""
    user = getattr(request, "user", None)
    if not request.path.startswith("/staff/") or user is None or not user.is_authenticated:
        return {}
    return {"nav": navigation.menu(user)}
