"""The evidence base: its home page, sources, events with their acts, and victims. Only
documentation researchers come here (views/common.py)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from safepassage.cases import access
from safepassage.lib.webforms import save

from .. import keys, vocabularies
from ..actions import files as file_actions
from ..actions import incidents as actions
from ..actions import shares
from ..forms_incidents import ActForm, AttestationForm, ConfirmForm, EventForm, NewActForm, SourceForm, VictimForm
from ..models import Act, Attestation, Event, Merge, Source, Victim
from .common import page_of, record_or_404, researcher_view


@researcher_view
def home(request):
    user = request.user
    keys.open_for(user, request.vault_secret)  # made on the first visit
    vocabularies.ensure_seeded(user.organisation)
    shares.wipe_derived(user, request.vault_secret)
    counts = {
        "sources": access.evidence_records(user, Source).count(),
        "events": access.evidence_records(user, Event).count(),
        "acts": access.evidence_records(user, Act).filter(merged_into__isnull=True).count(),
        "victims": access.evidence_records(user, Victim).filter(merged_into__isnull=True).count(),
        "shares": shares.visible(user).count(),
        "merges": access.evidence_records(user, Merge).filter(undone_at__isnull=True).count(),
    }
    return render(request, "evidence/base/home.html", {"counts": counts, "lacking": keys.lacking(user)})


@require_POST
@researcher_view
def share_key(request):
    n = keys.share(request.user, request.vault_secret)
    messages.success(request, ngettext("The evidence base key was given to %(n)s researcher.",
                                       "The evidence base key was given to %(n)s researchers.", n) % {"n": n})
    return redirect("evidence:home")


def _new(request, form, create, done: str, detail: str, title, back: str):
    """A page that records something new, then opens it."""
    bound = form(request.POST or None)
    saved = []
    if request.method == "POST" and save(bound, lambda **d: saved.append(create(**d))):
        messages.success(request, done)
        return redirect(detail, pk=saved[0].pk)
    return render(request, "evidence/base/form.html", {"form": bound, "title": title, "back": back})


def _edit(request, form, do, initial, title, back):
    """An edit page: GET shows the record's values (an audited read), POST saves them."""
    if request.method == "POST":
        bound = form(request.POST)
        if save(bound, do):
            messages.success(request, _("Saved."))
            return redirect(back)
    else:
        bound = form(None, initial=initial())
    return render(request, "evidence/base/form.html", {"form": bound, "title": title, "back": back})


# Sources

@researcher_view
def source_list(request):
    page = page_of(request, access.evidence_records(request.user, Source).select_related("source_type"))
    return render(request, "evidence/base/source_list.html", {
        "page": page, "rows": actions.list_sources(request.user, request.vault_secret, page.object_list)})


@researcher_view
def source_new(request):
    user, secret = request.user, request.vault_secret
    return _new(request, lambda data: SourceForm(data, organisation=user.organisation),
                lambda **d: actions.create_source(user, secret, **d), _("Source recorded."), "evidence:source",
                _("New source"), reverse("evidence:sources"))


@researcher_view
def source_detail(request, pk):
    source = record_or_404(request, Source, pk)
    opened = actions.open_source(request.user, request.vault_secret, source)
    attested = Attestation.objects.filter(source=source).select_related(
        "act__act_type", "act__perpetrator_type", "act__event")
    files = file_actions.files_of(request.user, source=source)
    return render(request, "evidence/base/source_detail.html", {
        "s": opened, "attested": attested, "files": files,
        "names": file_actions.names_of(request.user, request.vault_secret, files)})


@researcher_view
def source_edit(request, pk):
    source = record_or_404(request, Source, pk)
    user, secret = request.user, request.vault_secret

    def initial():
        o = actions.open_source(user, secret, source)
        return {"source_type": source.source_type, "title": o.title, "publisher": o.publisher, "url": o.url,
                "notes": o.notes, "published_on": source.published_on, "public": source.public,
                "reliability": source.reliability}

    return _edit(request, lambda data, **kw: SourceForm(data, organisation=user.organisation,
                                                        current=source.source_type, **kw),
                 lambda **d: actions.update_source(user, secret, source, **d), initial, _("Edit source"),
                 reverse("evidence:source", args=[source.pk]))


# Events and acts

@researcher_view
def event_list(request):
    page = page_of(request, access.evidence_records(request.user, Event).select_related("region"))
    return render(request, "evidence/base/event_list.html", {
        "page": page, "rows": actions.list_events(request.user, request.vault_secret, page.object_list)})


@researcher_view
def event_new(request):
    user, secret = request.user, request.vault_secret
    return _new(request, lambda data: EventForm(data, organisation=user.organisation),
                lambda **d: actions.create_event(user, secret, **d),
                _("Event recorded. Now add what was done, to whom, from which source."), "evidence:event",
                _("New event"), reverse("evidence:events"))


@researcher_view
def event_detail(request, pk):
    event = record_or_404(request, Event, pk)
    return render(request, "evidence/base/event_detail.html", {
        "e": actions.open_event(request.user, request.vault_secret, event)})


@researcher_view
def event_edit(request, pk):
    event = record_or_404(request, Event, pk)
    user, secret = request.user, request.vault_secret

    def initial():
        o = actions.open_event(user, secret, event)
        return {"title": o.title, "description": o.description, "place": o.place, "region": event.region,
                "occurred_on": event.occurred_on, "date_precision": event.date_precision}

    return _edit(request, lambda data, **kw: EventForm(data, organisation=user.organisation, current=event.region,
                                                       **kw),
                 lambda **d: actions.update_event(user, secret, event, **d), initial, _("Edit event"),
                 reverse("evidence:event", args=[event.pk]))


def _act_form_kwargs(request, current=None):
    return {"organisation": request.user.organisation, "current": current,
            "victims": actions.victim_choices(request.user, request.vault_secret)}


@researcher_view
def act_new(request, pk=None):
    """An act of an event; without one in the address (from a shared testimony), the form asks
    for the event too."""
    event = record_or_404(request, Event, pk) if pk else None
    sources = actions.source_titles(request.user, request.vault_secret)
    events = None if event else actions.event_titles(request.user, request.vault_secret)
    initial = {k: request.GET[k] for k in ("source", "victim") if request.GET.get(k)}
    form = NewActForm(request.POST or None, initial=initial, sources=sources, events=events,
                      **_act_form_kwargs(request))
    done = []
    if request.method == "POST" and save(form, lambda event=event, **d: done.append(actions.create_act(
            request.user, request.vault_secret, event, **d))):
        messages.success(request, _("Act recorded."))
        return redirect("evidence:event", pk=done[0].event_id)
    back = reverse("evidence:event", args=[event.pk]) if event else reverse("evidence:shares")
    return render(request, "evidence/base/form.html", {
        "form": form, "title": _("New act"), "back": back, "no_sources": not sources,
        "no_events": events is not None and not events})


@researcher_view
def act_edit(request, pk):
    act = record_or_404(request, Act, pk, select=["event", "act_type", "perpetrator_type", "region"])
    user, secret = request.user, request.vault_secret

    def initial():
        o = actions.open_act(user, secret, act)
        return {"act_type": act.act_type, "perpetrator_type": act.perpetrator_type, "victim": act.victim_id or "",
                "count": act.count, "qualifier": act.qualifier, "unit": act.unit, "region": act.region,
                "occurred_on": act.occurred_on, "date_precision": act.date_precision, "certainty": act.certainty,
                "note": o.note}

    return _edit(request, lambda data, **kw: ActForm(data, **_act_form_kwargs(request, act), **kw),
                 lambda **d: actions.update_act(user, secret, act, **d), initial, _("Edit act"),
                 reverse("evidence:event", args=[act.event_id]))


@researcher_view
def act_delete(request, pk):
    act = record_or_404(request, Act, pk, select=["event", "act_type"])
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and save(form, lambda: actions.delete_act(request.user, act)):
        messages.success(request, _("Act deleted."))
        return redirect("evidence:event", pk=act.event_id)
    return render(request, "evidence/base/confirm.html", {
        "form": form, "title": _("Delete this act?"), "button": _("Delete"), "danger": True,
        "text": _("Delete it only if it was entered by mistake. A duplicate should be merged instead, so that "
                  "the record of what was counted stays whole."),
        "back": reverse("evidence:event", args=[act.event_id])})


@researcher_view
def attestation_new(request, pk):
    act = record_or_404(request, Act, pk, select=["event"])
    form = AttestationForm(request.POST or None, organisation=request.user.organisation,
                           sources=actions.source_titles(request.user, request.vault_secret))
    if request.method == "POST" and save(form, lambda **d: actions.attest(request.user, act, **d)):
        messages.success(request, _("Source added to the act."))
        return redirect("evidence:event", pk=act.event_id)
    return render(request, "evidence/base/form.html", {"form": form, "title": _("Another source for this act"),
                                                       "back": reverse("evidence:event", args=[act.event_id])})


@researcher_view
def attestation_remove(request, pk):
    att = _attestation_or_404(request, pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and save(form, lambda: actions.remove_attestation(request.user, att)):
        messages.success(request, _("Source removed from the act."))
        return redirect("evidence:event", pk=att.act.event_id)
    return render(request, "evidence/base/confirm.html", {
        "form": form, "title": _("Remove this source from the act?"), "button": _("Remove"), "danger": True,
        "text": _("The source itself stays in the evidence base."),
        "back": reverse("evidence:event", args=[att.act.event_id])})


def _attestation_or_404(request, pk):
    return get_object_or_404(Attestation.objects.select_related("act__event").filter(
        act__in=access.evidence_records(request.user, Act)), pk=pk)


# Victims

@researcher_view
def victim_list(request):
    page = page_of(request, access.evidence_records(request.user, Victim).filter(merged_into__isnull=True))
    return render(request, "evidence/base/victim_list.html", {
        "page": page, "rows": actions.list_victims(request.user, request.vault_secret, page.object_list)})


@researcher_view
def victim_new(request):
    user, secret = request.user, request.vault_secret
    return _new(request, VictimForm, lambda **d: actions.create_victim(user, secret, **d), _("Victim recorded."),
                "evidence:victim", _("New victim"), reverse("evidence:victims"))


@researcher_view
def victim_detail(request, pk):
    victim = record_or_404(request, Victim, pk, select=["merged_into", "share"])
    opened, acts = actions.open_victim(request.user, request.vault_secret, victim)
    return render(request, "evidence/base/victim_detail.html", {"v": opened, "acts": acts})


@researcher_view
def victim_edit(request, pk):
    victim = record_or_404(request, Victim, pk)
    user, secret = request.user, request.vault_secret

    def initial():
        opened, _acts = actions.open_victim(user, secret, victim)
        return {"description": opened.description}

    return _edit(request, lambda data, **kw: VictimForm(data, **kw),
                 lambda **d: actions.update_victim(user, secret, victim, **d), initial, _("Edit victim"),
                 reverse("evidence:victim", args=[victim.pk]))
