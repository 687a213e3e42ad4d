from safepassage.cases import access


def nav(request):
    """Which staff menu entries this user may follow (the views still check, this only hides)."""
    user = getattr(request, "user", None)
    if not request.path.startswith("/staff/") or user is None or not user.is_authenticated:
        return {}
    return {"nav": {
        "intake": access.can_work_intake(user),
        "shelters": access.can_manage_shelters(user),
        "audit": access.can_read_audit(user),
        "staff": access.can_manage_staff(user),
        "vocabularies": access.can_edit_vocabularies(user),
        "evidence": access.can_use_evidence_base(user),
        "recovery": access.can_use_recovery(user),
    }}
