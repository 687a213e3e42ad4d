"""What every page of the evidence base shares: only researchers enter; a researcher who was
not given the key yet sees a page that says so; records of another organisation answer 404."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from safepassage.cases import access

from .. import keys

PAGE_SIZE = 25


def researcher_view(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.can_use_evidence_base(request.user):
            raise PermissionDenied
        if keys.status(request.user) == "not_shared":
            return render(request, "evidence/base/no_key.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def record_or_404(request, model, pk, select=()):
    qs = access.evidence_records(request.user, model)
    # select_related() with no names would follow every relation
    return get_object_or_404(qs.select_related(*select) if select else qs, pk=pk)


def page_of(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
