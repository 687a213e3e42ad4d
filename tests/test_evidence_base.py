"""The evidence base (who did what to whom): researchers record sources, events, acts and
victims through the staff site; everything typed is sealed; bad input is refused whole; other
organisations' records answer 404; the key belongs to the researchers."""

from datetime import date, timedelta

import pytest

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.evidence import keys, vocabularies
from safepassage.evidence.actions import incidents, shares
from safepassage.evidence.actions import testimonies as testimony_actions
from safepassage.evidence.models import Act, Attestation, Event, Source, Term, Victim
from safepassage.reports import releases

from .conftest import make_org, sign_in
from .test_shelters_support import make_case, tables_containing

pytestmark = pytest.mark.django_db


@pytest.fixture
def researcher(org):
    vocabularies.ensure_seeded(org.org)
    return org.add("research", roles.RESEARCHER)


def t(org, vocabulary, code):
    return str(Term.objects.get(organisation=org.org, vocabulary=vocabulary, code=code).pk)


def source_form(org, **extra):
    return {"source_type": t(org, "source_type", "media_report"), "title": "Qtitle of the report",
            "publisher": "Qpublisher", "published_on": "2017-04-01", "url": "https://example.org/qurl",
            "public": "on", "reliability": "B", "notes": "Qnotes", **extra}


def event_form(org, **extra):
    return {"title": "Qevent wave", "description": "Qdescription", "place": "Qplace street",
            "region": t(org, "region", "ru-ce"), "occurred_on": "2017-03-15", "date_precision": "month", **extra}


def act_form(org, chosen, **extra):
    return {"source": str(chosen.pk), "validity": "2", "act_type": t(org, "act_type", "arbitrary_detention"),
            "perpetrator_type": t(org, "perpetrator_type", "police_security"), "victim": "", "count": "100",
            "qualifier": "at_least", "unit": "persons", "occurred_on": "", "date_precision": "", "region": "",
            "certainty": "confirmed", "note": "Qnote", **extra}


@pytest.fixture
def recorded(org, researcher):
    """A source, an event and an act, entered through the pages."""
    client = sign_in(researcher)
    assert client.post("/staff/evidence/sources/new/", source_form(org)).status_code == 302
    assert client.post("/staff/evidence/events/new/", event_form(org)).status_code == 302
    source, event = Source.objects.get(), Event.objects.get()
    response = client.post(f"/staff/evidence/events/{event.pk}/acts/new/", act_form(org, source))
    assert response.status_code == 302, response.content.decode()[-1500:]
    return client, source, event, Act.objects.get()


def test_a_researcher_records_a_report_an_event_and_an_act_and_reads_them_back(recorded, researcher):
    client, source, event, act = recorded
    page = client.get(f"/staff/evidence/events/{event.pk}/").content.decode()
    assert "Qevent wave" in page and "Qplace street" in page and "Qtitle of the report" in page
    assert "March 2017" in page and "Arbitrary detention" in page
    assert (act.count, act.qualifier, act.region.code, act.date_precision, act.occurred_on) == (
        100, "at_least", "ru-ce", "month", date(2017, 3, 1))  # the act takes the event's place and date
    assert act.attestations.get().source == source
    assert AuditEvent.objects.filter(action="evidence.event_read", actor=str(researcher.user.uuid),
                                     object_id=str(event.pk)).exists()


def test_nothing_a_researcher_types_is_stored_in_the_clear(recorded):
    for text in ("Qtitle of the report", "Qpublisher", "qurl", "Qnotes", "Qevent wave", "Qdescription",
                 "Qplace street", "Qnote"):
        assert tables_containing(text) == [], text


def test_a_date_is_read_with_its_precision(org, researcher):
    client = sign_in(researcher)
    client.post("/staff/evidence/events/new/", event_form(org, occurred_on="2017-04-20", date_precision="season"))
    event = Event.objects.get()
    assert event.occurred_on == date(2017, 3, 1)
    assert "spring 2017" in client.get(f"/staff/evidence/events/{event.pk}/").content.decode()


@pytest.mark.parametrize("change, error", [
    ({"title": ""}, "This field is required."),
    ({"occurred_on": ""}, "Enter a date, or choose"),
    ({"occurred_on": (date.today() + timedelta(days=3)).isoformat()}, "This date is in the future."),
    ({"date_precision": "fortnight"}, "Select a valid choice"),
])
def test_a_bad_event_is_refused_whole(org, researcher, change, error):
    page = sign_in(researcher).post("/staff/evidence/events/new/", event_form(org, **change)).content.decode()
    assert error in page
    assert not Event.objects.exists()


def test_an_act_needs_a_source_and_a_victim_counts_exactly_one(recorded, org, researcher):
    client, source, event, _act = recorded
    victim = incidents.create_victim(researcher.user, researcher.secret, description="man, about 25")
    url = f"/staff/evidence/events/{event.pk}/acts/new/"
    page = client.post(url, act_form(org, source, source="")).content.decode()
    assert "This field is required." in page
    page = client.post(url, act_form(org, source, victim=str(victim.pk), count="3")).content.decode()
    assert "counts exactly one person" in page
    assert Act.objects.count() == 1
    response = client.post(url, act_form(org, source, victim=str(victim.pk), count="1", qualifier="exact"))
    assert response.status_code == 302 and Act.objects.filter(victim=victim).count() == 1


def test_a_term_of_another_organisation_is_refused(recorded, org):
    client, source, event, _act = recorded
    other = make_org("Other Org", "othercoord")
    vocabularies.ensure_seeded(other.org)
    foreign = Term.objects.get(organisation=other.org, vocabulary="act_type", code="torture")
    page = client.post(f"/staff/evidence/events/{event.pk}/acts/new/",
                       act_form(org, source, act_type=str(foreign.pk))).content.decode()
    assert "Select a valid choice" in page
    assert Act.objects.count() == 1


def test_another_organisations_researcher_gets_404_for_every_record(recorded):
    _client, source, event, act = recorded
    other = make_org("Other Org", "othercoord")
    vocabularies.ensure_seeded(other.org)
    stranger = sign_in(other.add("theirresearch", roles.RESEARCHER))
    for url in (f"/staff/evidence/sources/{source.pk}/", f"/staff/evidence/events/{event.pk}/",
                f"/staff/evidence/acts/{act.pk}/edit/", f"/staff/evidence/acts/{act.pk}/delete/",
                f"/staff/evidence/attestations/{act.attestations.get().pk}/remove/"):
        assert stranger.get(url).status_code == 404, url
    assert stranger.post(f"/staff/evidence/acts/{act.pk}/delete/").status_code == 404
    assert Act.objects.filter(pk=act.pk).exists()


def test_a_denial_is_on_record_but_neither_counts_nor_is_cited(recorded, org, researcher):
    client, _source, _event, act = recorded
    denial = incidents.create_source(researcher.user, researcher.secret, public=True, title="Qdenial",
                                     source_type=Term.objects.get(pk=t(org, "source_type", "official_statement")))
    client.post(f"/staff/evidence/acts/{act.pk}/sources/new/", {"source": str(denial.pk), "stance": "denies",
                                                               "validity": "5"})
    assert Attestation.objects.get(source=denial).stance == "denies"
    assert "Denied by" in client.get(f"/staff/evidence/events/{act.event_id}/").content.decode()
    Attestation.objects.filter(act=act).exclude(source=denial).delete()  # only the denial is left
    assert releases.overview(researcher.user).total == 0


def test_the_last_source_that_reports_an_act_cannot_be_removed(recorded):
    client, _source, _event, act = recorded
    attestation = act.attestations.get()
    page = client.post(f"/staff/evidence/attestations/{attestation.pk}/remove/").content.decode()
    assert "keeps at least one source" in page
    assert Attestation.objects.filter(pk=attestation.pk).exists()


def test_an_act_entered_by_mistake_is_deleted_after_confirmation(recorded):
    client, _source, event, act = recorded
    assert "entered by mistake" in client.get(f"/staff/evidence/acts/{act.pk}/delete/").content.decode()
    assert client.post(f"/staff/evidence/acts/{act.pk}/delete/").status_code == 302
    assert not Act.objects.exists() and Event.objects.filter(pk=event.pk).exists()
    assert AuditEvent.objects.filter(action="evidence.act_deleted").exists()


def test_editing_an_act_keeps_an_inactive_term_it_already_uses(recorded, org):
    client, source, _event, act = recorded
    Term.objects.filter(pk=act.act_type_id).update(active=False)
    form = act_form(org, source)
    del form["source"], form["validity"]
    form["count"] = "120"
    assert client.post(f"/staff/evidence/acts/{act.pk}/edit/", form).status_code == 302
    act.refresh_from_db()
    assert (act.count, act.act_type.code) == (120, "arbitrary_detention")


def test_the_evidence_key_belongs_to_the_researchers_only(org, researcher):
    caseworker = org.add("worker", roles.CASEWORKER)
    keys.open_for(researcher.user, researcher.secret)
    assert keys.status(researcher.user) == "held"
    assert keys.status(caseworker.user) == "not_shared"
    assert sign_in(caseworker).get("/staff/evidence/").status_code == 403
    assert AuditEvent.objects.filter(action="evidence_key.created").count() == 1


def test_an_organisation_without_a_researcher_cannot_start_an_evidence_base(org):
    caseworker = org.add("worker", roles.CASEWORKER)
    with pytest.raises(Exception, match="no documentation researcher"):
        keys.box_public_key(caseworker.user)


def test_pages_of_an_empty_evidence_base_say_what_to_do(researcher):
    client = sign_in(researcher)
    for url, text in (("/staff/evidence/sources/", "No source recorded yet"),
                      ("/staff/evidence/events/", "No event recorded yet"),
                      ("/staff/evidence/victims/", "No victim recorded yet"),
                      ("/staff/evidence/testimonies/", "No testimony has been shared yet"),
                      ("/staff/evidence/duplicates/", "No likely duplicate")):
        assert text in client.get(url).content.decode(), url


def test_an_unnamed_victim_needs_a_description_and_keeps_it_sealed(researcher):
    client = sign_in(researcher)
    assert "This field is required." in client.post("/staff/evidence/victims/new/", {"description": ""}
                                                    ).content.decode()
    assert client.post("/staff/evidence/victims/new/", {"description": "Qstudent about 20"}).status_code == 302
    assert Victim.objects.count() == 1 and tables_containing("Qstudent") == []


def test_editing_a_source_reseals_it_and_a_shared_testimony_never_becomes_public(recorded, org, researcher):
    client, source, _event, _act = recorded
    page = client.get(f"/staff/evidence/sources/{source.pk}/edit/").content.decode()
    assert "Qtitle of the report" in page  # the form shows the current, decrypted values
    form = source_form(org, title="Qnew title", public="")
    assert client.post(f"/staff/evidence/sources/{source.pk}/edit/", form).status_code == 302
    source.refresh_from_db()
    assert (incidents.open_source(researcher.user, researcher.secret, source).title, source.public) == (
        "Qnew title", False)
    assert tables_containing("Qnew title") == []
    Source.objects.filter(pk=source.pk).update(share=shared_testimony(org))
    page = client.post(f"/staff/evidence/sources/{source.pk}/edit/", source_form(org)).content.decode()
    assert "never a public source" in page
    source.refresh_from_db()
    assert not source.public


def shared_testimony(org):
    """A testimony shared by a case, for a source to come from."""


    worker = org.add("worker", roles.CASEWORKER)
    case = make_case(org.coordinator, worker)
    testimony = testimony_actions.record_testimony(worker.user, worker.secret, case, text="t", language="ru",
                                                   taken_on=date(2024, 1, 1))
    testimony_actions.record_consent(worker.user, worker.secret, case, testimony, purpose="advocacy",
                                     given_on=date(2024, 1, 1))
    return shares.share(worker.user, case, testimony, text="redacted", language="ru")
