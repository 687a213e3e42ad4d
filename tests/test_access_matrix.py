"""Need-to-know, as a matrix: every staff URL × every role × member / not a member of the case.

One person per role is a member of the case, another person with the same role is not. Every
page is opened (GET) by each of them; the expected answer is written below per URL, from the
design (DOMAIN.md roles, THREAT_MODEL.md), not computed from the access policy. POST-only URLs
answer 405 to a GET; for them, a POST by each non-member must be refused with 404.

A new staff URL fails test_every_staff_url_has_an_expectation until it is added here."""

import datetime
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from PIL import Image

from safepassage.accounts import actions as account_actions
from safepassage.accounts import roles as R
from safepassage.accounts.models import SealedTOTPDevice
from safepassage.cases.actions import core as case_actions
from safepassage.cases.actions import documents, people, shelters, vetting, work
from safepassage.cases.actions import events as event_actions
from safepassage.cases.actions import pipeline as pipeline_actions
from safepassage.cases.models import Alert, Case
from safepassage.dossiers.actions import disclosures, dossiers, redactions
from safepassage.evidence import vocabularies
from safepassage.evidence.actions import dedup, incidents, shares
from safepassage.evidence.actions import files as evidence_files
from safepassage.evidence.actions import testimonies as evidence_actions
from safepassage.intake import threads as intake_threads
from safepassage.reports import releases

from .conftest import make_org, sign_in

pytestmark = pytest.mark.django_db

ALL = frozenset(R.CODES)


def only(*role_codes):
    return frozenset(role_codes)


# Pages outside a case: roles allowed (200); everyone else 403. `None` = same answer for all.
ORG_PAGES = {
    "staff_home": ALL, "cases:list": ALL, "cases:triage": ALL, "accounts:password": ALL, "accounts:my_key": ALL,
    "cases:new": only(R.COORDINATOR, R.CASEWORKER, R.HOTLINE),
    "accounts:staff_list": only(R.ADMIN), "accounts:staff_new": only(R.ADMIN), "accounts:staff_edit": only(R.ADMIN),
    "accounts:recovery_list": only(R.COORDINATOR), "accounts:recovery_complete": only(R.COORDINATOR),
    "audit:log": only(R.ADMIN, R.DPO, R.COORDINATOR),
    "intake_staff:queue": only(R.COORDINATOR, R.HOTLINE),
    "shelters:list": only(R.SHELTER), "shelters:new": only(R.SHELTER), "shelters:keys": only(R.SHELTER),
    "shelters:detail": only(R.SHELTER), "shelters:edit": only(R.SHELTER),
    "shelters:deactivate": only(R.SHELTER),
    "vocabularies:list": only(R.ADMIN), "vocabularies:new": only(R.ADMIN), "vocabularies:edit": only(R.ADMIN),
}
# The evidence base and its statistics: documentation researchers only, member of a case or not.
EVIDENCE_PAGES = ["home", "sources", "source_new", "source", "source_edit", "file_new", "events", "event_new",
                  "event", "event_edit", "act_new", "act_new_any", "act_edit", "act_delete", "attestation_new",
                  "attestation_remove", "victims", "victim_new", "victim", "victim_edit", "shares", "share",
                  "duplicates", "merge_acts", "merge_victims", "merge_undo", "file", "file_working",
                  "file_download", "file_original", "file_replace", "file_export"]
ORG_PAGES.update({f"evidence:{name}": only(R.RESEARCHER) for name in EVIDENCE_PAGES})
ORG_PAGES.update({f"statistics:{name}": only(R.RESEARCHER)
                  for name in ("overview", "releases", "release_new", "release", "release_file")})
# Sign-in pages: reachable by anyone signed in, with their own answers.
SIGN_IN_PAGES = {"accounts:login": {200}, "accounts:two_factor": {200}, "accounts:enrol": {302}}

# Intake requests: the intake team (coordinators, hotline) holds the key of a waiting request,
# whether or not they are members of any case; everyone else gets 404.
INTAKE_PAGES = {
    "intake_staff:thread": (only(R.COORDINATOR, R.HOTLINE), frozenset()),
    "intake_staff:attachment": (only(R.COORDINATOR, R.HOTLINE), frozenset()),
    # (who may open it, who among those may act: coordinators decide; the hotline gets 403)
    "intake_staff:convert": (only(R.COORDINATOR, R.HOTLINE), only(R.COORDINATOR)),
    "intake_staff:decline": (only(R.COORDINATOR, R.HOTLINE), only(R.COORDINATOR)),
}

TESTIMONY = only(R.CASEWORKER, R.COORDINATOR, R.LEGAL, R.SUPPORT, R.TRANSLATOR)
DOSSIER = only(R.CASEWORKER, R.COORDINATOR, R.LEGAL)

# Pages of the case: non-members always 404; members 200 if their role is listed, else 403.
CASE_PAGES = {
    "cases:detail": ALL, "cases:edit": ALL,
    "cases:members": only(R.COORDINATOR), "cases:member_remove": only(R.COORDINATOR),
    "cases:erase": only(R.COORDINATOR),
    "cases:vetting": ALL,  # every member reads the vetting; editing it is checked on POST
    "cases:vetting_corroboration_remove": only(R.VETTING, R.COORDINATOR),
    "cases:vetting_flag": only(R.VETTING, R.COORDINATOR),
    "cases:people": ALL, "cases:person": ALL, "cases:person_new": ALL, "cases:person_edit": ALL,
    "cases:person_link": ALL, "cases:person_exposure": ALL, "cases:person_unlink": ALL,
    "cases:person_delete": only(R.COORDINATOR),
    "cases:stay_new": only(R.SHELTER), "cases:stay_edit": only(R.SHELTER), "cases:stay_delete": only(R.SHELTER),
    "cases:stay_release": only(R.COORDINATOR),
    "cases:document_new": ALL, "cases:document_edit": ALL, "cases:document_delete": ALL,
    "cases:notes": ALL, "cases:tasks": ALL, "cases:checkins": ALL,
    "cases:checkin_cadence": only(R.COORDINATOR),
    "cases:note_delete": frozenset(),  # only the note's author (not in the matrix) may delete it
    # Testimonies: the roles that take or work on them; consent by caseworkers, coordinators and
    # legal advisers; translations by translators.
    "cases:testimony_list": TESTIMONY, "cases:testimony_new": TESTIMONY, "cases:testimony_detail": TESTIMONY,
    "cases:consent_new": only(R.CASEWORKER, R.COORDINATOR, R.LEGAL),
    "cases:consent_withdraw": only(R.CASEWORKER, R.COORDINATOR, R.LEGAL),
    "cases:translation_new": only(R.TRANSLATOR),
    "cases:testimony_share": only(R.CASEWORKER, R.COORDINATOR, R.LEGAL),
    "cases:share_withdraw": only(R.CASEWORKER, R.COORDINATOR, R.LEGAL),
    # Files with their custody: every member works with the working copy; the original (with its
    # metadata) and exports are for coordinators and legal advisers.
    "cases:file_list": ALL, "cases:file_new": ALL, "cases:file": ALL, "cases:file_working": ALL,
    "cases:file_download": ALL, "cases:file_replace": ALL,
    "cases:file_original": only(R.COORDINATOR, R.LEGAL), "cases:file_export": only(R.COORDINATOR, R.LEGAL),
    # Dossiers and disclosures: made and asked for by those who work on the person's file; the
    # disclosure log is every member's to read; a second coordinator approves (on POST).
    "cases:dossier_new": DOSSIER, "cases:dossier": DOSSIER, "cases:dossier_pdf": DOSSIER,
    "cases:disclosure_new": DOSSIER, "cases:link_revoke": DOSSIER,
    "cases:disclosure": ALL, "cases:disclosure_log": ALL,
    "cases:redaction_new": DOSSIER, "cases:redaction": DOSSIER,
}
# POST-only pages of the case (a GET answers 405 for everyone; non-members' POSTs get 404).
CASE_POST_ONLY = {"cases:change_state", "cases:decide", "cases:withdraw", "cases:event_add", "cases:event_delete",
                  "cases:people_reindex", "cases:people_share_key", "cases:people_alert_resolve", "cases:task_done",
                  "cases:alert_resolve", "cases:stay_hand_over",
                  "cases:translation_machine", "cases:file_verify", "cases:redaction_pdf"}
# A form posted from the case's vetting page; a GET just goes back there (members) or 404.
CASE_REDIRECTS = {"cases:vetting_corroboration_add"}
ORG_POST_ONLY = {"accounts:logout", "accounts:staff_unlock", "accounts:recovery_start", "shelters:reactivate",
                 "intake_staff:share", "evidence:share_key", "evidence:share_use", "evidence:file_verify"}


def staff_routes(patterns=None, prefix="", namespace=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            yield from staff_routes(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and (prefix + str(p.pattern)).startswith("staff/"):
            yield f"{namespace}:{p.name}".strip(":"), prefix + str(p.pattern)


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return SimpleUploadedFile("photo.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def world():
    org = make_org("Matrix Org", "matrixcoord")
    coord = org.coordinator
    members = {r: org.add(f"m-{r}", r) for r in R.CODES}
    outsiders = {r: org.add(f"o-{r}", r) for r in R.CODES}
    case = case_actions.create_case(coord.user, "Matrix Person", "summary", 2)
    for role, staff in members.items():
        if role != R.RESEARCHER:  # a researcher-only account can never be a member (test_case_access.py)
            case_actions.add_member(coord.user, coord.secret, case, staff.user)
    secret = coord.secret
    p1, _ = people.create_person(coord.user, secret, case, role="applicant", name="Ivan Matrix")
    p2, _ = people.create_person(coord.user, secret, case, role="friend", name="Oleg Matrix")
    link = people.link_people(coord.user, secret, p1, p2, "friend", "photo in phone")
    people.record_exposure(coord.user, secret, p2, "detained", datetime.date(2024, 1, 5), "")
    note = work.add_note(coord.user, secret, case, "a note")
    task = work.add_task(coord.user, secret, case, "a task")
    corroboration = vetting.add_corroboration(coord.user, secret, case, "source", "detail", True)
    document = documents.add_document(coord.user, secret, case, kind="visa", status="missing")
    event = event_actions.record_event(coord.user, case, "arrival", datetime.date(2024, 3, 1))
    shelter_staff = members[R.SHELTER]
    shelter = shelters.create_shelter(shelter_staff.user, "Matrix House", "1 Hidden Street", 4)
    stay = shelters.place(shelter_staff.user, case, shelter, datetime.date(2024, 3, 2), None, 1)
    approval = pipeline_actions.request_approval(coord.user, case, "erase")
    testimony = evidence_actions.record_testimony(coord.user, secret, case, text="matrix testimony", language="ru",
                                                  taken_on=datetime.date(2024, 3, 3))
    consent = evidence_actions.record_consent(coord.user, secret, case, testimony, purpose="dossier",
                                              given_on=datetime.date(2024, 3, 3))
    advocacy = evidence_actions.record_consent(coord.user, secret, case, testimony, purpose="advocacy",
                                               given_on=datetime.date(2024, 3, 3))
    share = shares.share(coord.user, case, testimony, text="matrix redacted", language="ru")
    case_file = evidence_files.ingest(coord.user, secret, case=case, upload=png())
    redaction = redactions.confirm(coord.user, secret, case, testimony, chosen=[], words=["matrix"])
    dossier = dossiers.make_redacted(coord.user, secret, case, redaction)
    disclosure = disclosures.request(coord.user, secret, case, recipient="Matrix partner", recipient_kind="partner",
                                     recipient_country="FR", purpose="advocacy", consent=advocacy, dossiers=[dossier])
    pipeline_actions.decide(members[R.COORDINATOR].user, members[R.COORDINATOR].secret, disclosure.approval, True)
    share_link, _token = disclosures.create_link(coord.user, secret, disclosure)
    evidence = evidence_world(org, members[R.RESEARCHER])
    recovery = account_actions.start_recovery(coord.user, members[R.TRANSLATOR].user)
    thread, _receipt = intake_threads.submit(org.org, intake_threads.Request(
        story="matrix story", urgency=1, region="", contact="", referrer="", language="en", files=[png()]))
    params = {
        "pk": case.pk, "person_pk": p1.pk, "link_pk": link.pk, "note_pk": note.pk, "task_pk": task.pk,
        "item_pk": corroboration.pk, "doc_pk": document.pk, "event_pk": event.pk, "stay_pk": stay.pk,
        "approval_pk": approval.pk, "alert_pk": Alert.objects.filter(case=case).first().pk,
        "user_uuid": members[R.CASEWORKER].user.uuid, "uuid": members[R.CASEWORKER].user.uuid,
        "testimony_pk": testimony.pk, "consent_pk": consent.pk, "share_pk": share.pk, "file_pk": case_file.pk,
        "dossier_pk": dossier.pk, "disclosure_pk": disclosure.pk, "share_link_pk": share_link.pk,
        "redaction_pk": redaction.pk,
    }
    vocabularies.ensure_seeded(org.org)
    term = vocabularies.Term.objects.filter(organisation=org.org).first()
    return {"case": case, "thread": thread, "shelter": shelter, "recovery": recovery, "params": params,
            "members": members, "outsiders": outsiders, "term": term, "evidence": {**evidence, "share": share}}


def evidence_world(org, researcher):
    """One of each record of the evidence base, made by a researcher."""
    u, s = researcher.user, researcher.secret
    vocabularies.ensure_seeded(org.org)
    term = lambda v: vocabularies.Term.objects.filter(organisation=org.org, vocabulary=v).first()  # noqa: E731
    source = incidents.create_source(u, s, source_type=term("source_type"), title="Matrix report", public=True)
    event = incidents.create_event(u, s, title="Matrix event", date_precision="unknown")
    act_fields = {"act_type": term("act_type"), "perpetrator_type": term("perpetrator_type"), "count": 3}
    act = incidents.create_act(u, s, event, source=source, validity="2", **act_fields)
    other = incidents.create_act(u, s, event, source=source, validity="2", **act_fields)
    victim = incidents.create_victim(u, s, description="matrix victim")
    second = incidents.create_victim(u, s, description="matrix victim again")
    return {"source": source, "event": event, "act": act, "other": other, "victim": victim, "second": second,
            "attestation": act.attestations.get(), "merge": dedup.merge_acts(u, s, act, other),
            "file": evidence_files.ingest(u, s, source=source, upload=png()),
            "release": releases.make_release(u, s, dims=[("act_type", "code")])}


# The record an evidence-base address names, by the first part of its path.
EVIDENCE_SEGMENTS = {"sources": "source", "events": "event", "acts": "act", "attestations": "attestation",
                     "victims": "victim", "testimonies": "share", "merges": "merge"}


def url_for(name, route, world):
    params = dict(world["params"])
    if name.startswith("intake_staff:"):
        params["pk"] = world["thread"].pk
        params["file_pk"] = world["thread"].attachments.get().pk
    elif name.startswith("shelters:"):
        params["pk"] = world["shelter"].pk
    elif name.startswith("vocabularies:"):
        params["pk"] = world["term"].pk
    elif name == "accounts:recovery_complete":
        params["pk"] = world["recovery"].pk
    elif name.startswith("evidence:"):
        found = world["evidence"]
        segment = route.split("/")[2]
        if segment in EVIDENCE_SEGMENTS:
            params["pk"] = found[EVIDENCE_SEGMENTS[segment]].pk
        params["file_pk"] = found["file"].pk
    elif name.startswith("statistics:"):
        params["pk"] = world["evidence"]["release"].pk
    path = route.replace("<str:name>", "data.csv").replace("<slug:kind>", "visa")
    if name == "evidence:merge_acts":
        path += f"?keep={world['evidence']['act'].pk}&merge={world['evidence']['other'].pk}"
    elif name == "evidence:merge_victims":
        path += f"?keep={world['evidence']['victim'].pk}&merge={world['evidence']['second'].pk}"
    while "<uuid:" in path:
        start = path.index("<uuid:")
        end = path.index(">", start)
        path = path[:start] + str(params[path[start + 6:end]]) + path[end + 1:]
    return "/" + path


def test_every_staff_url_has_an_expectation():
    known = (set(ORG_PAGES) | set(SIGN_IN_PAGES) | set(INTAKE_PAGES) | set(CASE_PAGES) | CASE_POST_ONLY
             | CASE_REDIRECTS | ORG_POST_ONLY)
    missing = sorted(name for name, _route in staff_routes() if name not in known)
    assert not missing, f"add these staff URLs to the access matrix: {missing}"


def expected(name, role, member):
    member = member and role != R.RESEARCHER  # see world()
    if name in SIGN_IN_PAGES:
        return SIGN_IN_PAGES[name]
    if name in CASE_POST_ONLY | ORG_POST_ONLY:
        return {405}
    if name in ORG_PAGES:
        return {200} if role in ORG_PAGES[name] else {403}
    if name in INTAKE_PAGES:
        opens, acts = INTAKE_PAGES[name]
        if role not in opens:
            return {404}
        return {200} if not acts or role in acts else {403}
    if not member:
        return {404}
    if name in CASE_REDIRECTS:
        return {302}
    return {200} if role in CASE_PAGES[name] else {403}


def test_every_page_answers_every_role_member_or_not_as_designed(world):
    routes = sorted(staff_routes())
    wrong = []
    for group, member in (("members", True), ("outsiders", False)):
        for role, staff in world[group].items():
            client = sign_in(staff)
            for name, route in routes:
                if name == "accounts:logout":
                    continue
                status = client.get(url_for(name, route, world)).status_code
                if status not in expected(name, role, member):
                    wrong.append(f"{name} {role} {'member' if member else 'outsider'}: {status}")
    assert not wrong, "\n".join(wrong)


def test_non_members_posting_to_a_case_get_404_and_change_nothing(world):
    case = world["case"]
    before = (Case.objects.get(pk=case.pk).state, Alert.objects.filter(resolved_at__isnull=True).count())
    routes = [(n, r) for n, r in staff_routes() if n in CASE_POST_ONLY | CASE_REDIRECTS | set(CASE_PAGES)]
    for role, staff in world["outsiders"].items():
        client = sign_in(staff)
        for name, route in routes:
            response = client.post(url_for(name, route, world), {"target": "closed", "decision": "approve",
                                                                 "code": "arrival", "happened_on": "2024-01-01"})
            assert response.status_code == 404, (name, role, response.status_code)
    assert (Case.objects.get(pk=case.pk).state, Alert.objects.filter(resolved_at__isnull=True).count()) == before
    assert Case.objects.get(pk=case.pk).erased_at is None


def test_an_unknown_case_id_is_404_for_a_member_too(world):
    client = sign_in(world["members"][R.COORDINATOR])
    for name, route in staff_routes():
        if name in CASE_PAGES and name != "cases:detail":
            url = url_for(name, route, world).replace(str(world["case"].pk), str(uuid.uuid4()))
            assert client.get(url).status_code == 404, name


def test_the_matrix_users_are_really_enrolled(world):
    assert SealedTOTPDevice.objects.filter(user__username__startswith="m-").count() == len(R.CODES)
