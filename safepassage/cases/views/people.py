"""Case page section and pages for people: persons in a case, links across cases, blind-index
matches and exposure alerts. Thin: parse, call an action, render."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import access
from ..actions import people as actions
from ..actions import work as work_actions
from ..actions.core import list_my_cases
from ..forms_people import ExposureForm, LinkCaseForm, LinkForm, PersonForm
from ..models import Alert, PersonLink
from ..registry import Section


def _case_or_404(request, pk):
    """Unknown, foreign, erased and non-member cases all answer 404."""
    return get_object_or_404(access.visible_cases(request.user).select_related("data_key"), pk=pk)


def _person_or_404(request, case, person_pk):
    return get_object_or_404(access.persons_of(request.user, case).select_related("case__data_key"), pk=person_pk)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _error(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _saved_message(request, indexed: bool) -> None:
    if indexed:
        messages.success(request, _("Saved. This person was checked against the other cases."))
    else:
        messages.warning(request, _("Saved, but not checked against other cases: the blind-index key has not "
                                    "been shared with you yet. Ask a coordinator."))


def section(request, case):
    """The part of the case page for this domain: a Section, or None to show nothing."""
    if not access.can_edit_people(request.user, case):
        return None
    view = actions.overview(request.user, request.vault_secret, case, audit=False)
    return Section("cases/sections/people.html", {"case": case, "view": view})


def people(request, pk):
    case = _case_or_404(request, pk)
    if not access.can_edit_people(request.user, case):
        raise PermissionDenied
    view = actions.overview(request.user, request.vault_secret, case, audit=True)
    can_share = access.can_share_index_key(request.user)
    return render(request, "cases/people/list.html", {
        "case": case, "view": view, "can_share": can_share,
        "lacking": actions.staff_without_index_key(request.user) if can_share else 0,
    })


def person_new(request, pk):
    case = _case_or_404(request, pk)
    if not access.can_edit_people(request.user, case):
        raise PermissionDenied
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person, indexed = actions.create_person(request.user, request.vault_secret, case, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _saved_message(request, indexed)
            return redirect("cases:person", pk=case.pk, person_pk=person.pk)
    return render(request, "cases/people/form.html", {"case": case, "form": form, "title": _("Add a person")})


def person_detail(request, pk, person_pk):
    case = _case_or_404(request, pk)
    person = _person_or_404(request, case, person_pk)
    page = actions.person_page(request.user, request.vault_secret, person)
    return render(request, "cases/people/detail.html", {
        "case": case, "page": page, "p": page.opened,
        "can_delete": access.can_delete_person(request.user, case),
        "can_see_matches": access.can_see_matches(request.user, case),
    })


def person_edit(request, pk, person_pk):
    case = _case_or_404(request, pk)
    person = _person_or_404(request, case, person_pk)
    if not access.can_edit_people(request.user, case):
        raise PermissionDenied
    if request.method == "POST":
        form = PersonForm(request.POST)
        if form.is_valid():
            try:
                indexed = actions.update_person(request.user, request.vault_secret, person, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                _saved_message(request, indexed)
                return redirect("cases:person", pk=case.pk, person_pk=person.pk)
    else:
        o = actions.open_person(request.user, request.vault_secret, person, audit_as="person.read_for_edit")
        form = PersonForm(initial={"role": person.role, "name": o.name, "phone": o.phone,
                                   "birth_date": o.birth_date, "notes": o.notes})
    return render(request, "cases/people/form.html", {"case": case, "form": form, "person": person,
                                                       "title": _("Edit person")})


def person_delete(request, pk, person_pk):
    """GET asks for confirmation; POST deletes."""
    case = _case_or_404(request, pk)
    person = _person_or_404(request, case, person_pk)
    if not access.can_delete_person(request.user, case):
        raise PermissionDenied
    if request.method != "POST":
        links = PersonLink.objects.filter(a=person).count() + PersonLink.objects.filter(b=person).count()
        return render(request, "cases/people/delete.html", {
            "case": case, "person": person, "links": links,
            "p": actions.open_person(request.user, request.vault_secret, person, audit_as="person.read")})
    actions.delete_person(request.user, person)
    messages.success(request, _("The person was deleted, with their links and exposures."))
    return redirect("cases:people", pk=case.pk)


def person_link(request, pk, person_pk):
    """Two steps without JavaScript: choose the case (GET ?case=), then the person in it."""
    case = _case_or_404(request, pk)
    person = _person_or_404(request, case, person_pk)
    if not access.can_edit_people(request.user, case):
        raise PermissionDenied
    p = actions.open_person(request.user, request.vault_secret, person, audit_as="person.read")
    other_case_pk = request.POST.get("case") or request.GET.get("case")
    if not other_case_pk:
        mine = list_my_cases(request.user, request.vault_secret,
                             access.visible_cases(request.user).select_related("data_key"))
        choices = [(str(o.case.pk), _("This case") if o.case.pk == case.pk else f"{o.pseudonym} · {o.case.short_ref}")
                   for o in sorted(mine, key=lambda o: o.case.pk != case.pk)]
        return render(request, "cases/people/link.html", {
            "case": case, "person": person, "p": p, "step": 1,
            "form": LinkCaseForm(initial={"case": str(case.pk)}, cases=choices)})
    if not _is_uuid(other_case_pk):  # the same answer as an unknown case
        raise Http404
    other_case = _case_or_404(request, other_case_pk)
    candidates = actions.link_candidates(request.user, request.vault_secret, other_case, exclude=person)
    form = LinkForm(request.POST or None, persons=[(str(o.person.pk), f"{o.name} ({o.person.get_role_display()})")
                                                   for o in candidates])
    if request.method == "POST" and form.is_valid():
        other = get_object_or_404(access.persons_of(request.user, other_case).select_related("case"),
                                  pk=form.cleaned_data["other"])
        try:
            actions.link_people(request.user, request.vault_secret, person, other,
                                form.cleaned_data["relation"], form.cleaned_data["exposure"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Linked. An exposure of either person now alerts both cases."))
            return redirect("cases:person", pk=case.pk, person_pk=person.pk)
    return render(request, "cases/people/link.html", {
        "case": case, "person": person, "p": p, "step": 2, "form": form, "other_case": other_case,
        "same_case": other_case.pk == case.pk})


def link_remove(request, pk, person_pk, link_pk):
    """GET asks for confirmation (the link decides which cases an exposure alerts); POST removes."""
    case = _case_or_404(request, pk)
    person = _person_or_404(request, case, person_pk)
    link = get_object_or_404(PersonLink.objects.filter(a=person) | PersonLink.objects.filter(b=person), pk=link_pk)
    if not access.can_unlink(request.user, link):
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "cases/people/unlink.html", {
            "case": case, "person": person, "link": link,
            "p": actions.open_person(request.user, request.vault_secret, person, audit_as="person.read")})
    actions.unlink(request.user, link)
    messages.success(request, _("The link was removed."))
    return redirect("cases:person", pk=case.pk, person_pk=person.pk)


def exposure_new(request, pk, person_pk):
    case = _case_or_404(request, pk)
    person = _person_or_404(request, case, person_pk)
    if not access.can_edit_people(request.user, case):
        raise PermissionDenied
    form = ExposureForm(request.POST or None, initial={"happened_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            _event, alerted = actions.record_exposure(request.user, request.vault_secret, person,
                                                      **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.warning(request, ngettext(
                "Recorded. %(n)d case now shows an alert and is marked “in danger now”.",
                "Recorded. %(n)d cases now show an alert and are marked “in danger now”.",
                len(alerted)) % {"n": len(alerted)})
            return redirect("cases:person", pk=case.pk, person_pk=person.pk)
    return render(request, "cases/people/exposure.html", {
        "case": case, "person": person, "form": form,
        "p": actions.open_person(request.user, request.vault_secret, person, audit_as="person.read"),
        "linked": len(actions.linked_case_ids(person) - {case.pk})})


@require_POST
def alert_resolve(request, pk, alert_pk):
    case = _case_or_404(request, pk)
    alert = get_object_or_404(Alert, pk=alert_pk, case=case, kind="exposure")
    try:
        work_actions.resolve_alert(request.user, case, alert)
    except ValidationError as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, _("Alert resolved. The case's urgency stays as it is until you change it."))
    back = request.POST.get("back", "")
    if back == "people":
        return redirect("cases:people", pk=case.pk)
    person = access.persons_of(request.user, case).filter(pk=back).first() if _is_uuid(back) else None
    if person is not None:
        return redirect("cases:person", pk=case.pk, person_pk=person.pk)
    return redirect("cases:detail", pk=case.pk)


@require_POST
def reindex(request, pk):
    case = _case_or_404(request, pk)
    try:
        n = actions.reindex_case(request.user, request.vault_secret, case)
    except ValidationError as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, ngettext("%(n)d person checked against the other cases.",
                                           "%(n)d people checked against the other cases.", n) % {"n": n})
    return redirect("cases:people", pk=case.pk)


@require_POST
def share_index_key(request, pk):
    case = _case_or_404(request, pk)
    if not access.can_share_index_key(request.user):
        raise PermissionDenied
    try:
        n = actions.share_index_key(request.user, request.vault_secret)
    except ValidationError as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, ngettext("The blind-index key was shared with %(n)d colleague.",
                                           "The blind-index key was shared with %(n)d colleagues.", n) % {"n": n})
    return redirect("cases:people", pk=case.pk)


urlpatterns = [
    path("<uuid:pk>/people/", people, name="people"),
    path("<uuid:pk>/people/new/", person_new, name="person_new"),
    path("<uuid:pk>/people/check/", reindex, name="people_reindex"),
    path("<uuid:pk>/people/share-index-key/", share_index_key, name="people_share_key"),
    path("<uuid:pk>/people/alerts/<uuid:alert_pk>/resolve/", alert_resolve, name="people_alert_resolve"),
    path("<uuid:pk>/people/<uuid:person_pk>/", person_detail, name="person"),
    path("<uuid:pk>/people/<uuid:person_pk>/edit/", person_edit, name="person_edit"),
    path("<uuid:pk>/people/<uuid:person_pk>/delete/", person_delete, name="person_delete"),
    path("<uuid:pk>/people/<uuid:person_pk>/link/", person_link, name="person_link"),
    path("<uuid:pk>/people/<uuid:person_pk>/links/<uuid:link_pk>/remove/", link_remove, name="person_unlink"),
    path("<uuid:pk>/people/<uuid:person_pk>/exposure/", exposure_new, name="person_exposure"),
]
