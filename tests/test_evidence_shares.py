"""Testimonies shared with the documentation researchers: a redacted copy sealed to the evidence
base's drop box, given by a case member while the person consents to public advocacy. The
researchers read it and never learn the case; the sharer cannot read it back; withdrawing the
consent or the copy, or erasing the case, takes it out of every later page and statistic."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from safepassage.accounts import roles
from safepassage.cases.actions import core as case_actions
from safepassage.cases.models import Case
from safepassage.evidence import keys
from safepassage.evidence import models as evidence
from safepassage.evidence.actions import incidents, shares, testimonies
from safepassage.evidence.models import Consent, Source, Term, Victim
from safepassage.evidence.vocabularies import ensure_seeded
from safepassage.reports import releases

from .conftest import erase_with_two_coordinators, sign_in
from .test_shelters_support import make_case, tables_containing

pytestmark = pytest.mark.django_db

PSEUDONYM = "Ruslan Qzvet"
STORY = "Ruslan Qzvet was held nine days at the Zqvorsk station by major Tuvlak"
REDACTED = "I was held nine days at a police station Wyxqo"


def term(org, vocabulary, code):
    ensure_seeded(org)
    return Term.objects.get(organisation=org, vocabulary=vocabulary, code=code)


def give_testimony(staff, case, text=STORY, *, consent=True):
    """A testimony on the case, with a consent to public advocacy unless told otherwise."""
    testimony = testimonies.record_testimony(staff.user, staff.secret, case, text=text, language="ru",
                                             taken_on=date(2024, 4, 2))
    if consent:
        testimonies.record_consent(staff.user, staff.secret, case, testimony, purpose="advocacy",
                                   given_on=date(2024, 4, 2))
    return testimony


def share(staff, case, text=REDACTED):
    """A consented testimony, shared through the actions."""
    return shares.share(staff.user, case, give_testimony(staff, case), text=text, language="ru")


def share_url(case, testimony, rest="share/"):
    return f"/staff/cases/{case.pk}/testimonies/{testimony.pk}/{rest}"


@pytest.fixture
def people(org):
    researcher = org.add("research", roles.RESEARCHER)  # first, so that the evidence key is sealed to them
    caseworker = org.add("worker", roles.CASEWORKER)
    case = make_case(org.coordinator, caseworker, pseudonym=PSEUDONYM)
    return researcher, caseworker, case


def test_a_shared_copy_shows_the_researcher_the_redacted_text_and_nothing_of_the_case(people):
    researcher, caseworker, case = people
    testimony = give_testimony(caseworker, case)
    response = sign_in(caseworker).post(share_url(case, testimony), {"text": REDACTED, "language": "ru"})
    assert response.status_code == 302
    row = evidence.TestimonyShare.objects.get()
    assert (row.testimony, row.case, row.shared_by, row.withdrawn_at) == (testimony, case, caseworker.user, None)
    client = sign_in(researcher)
    listing = client.get("/staff/evidence/testimonies/").content.decode()
    assert row.short_ref in listing
    page = client.get(f"/staff/evidence/testimonies/{row.pk}/").content.decode()
    assert REDACTED in page
    for secret in (STORY, "Zqvorsk", "Tuvlak", PSEUDONYM, case.short_ref, str(case.pk)):
        assert secret not in page and secret not in listing, secret


def test_the_sharer_cannot_read_the_copy_back(people):
    researcher, caseworker, case = people
    row = share(caseworker, case)
    assert keys.status(caseworker.user) == "not_shared"
    with pytest.raises(PermissionDenied):
        keys.open_for(caseworker.user, caseworker.secret)
    with pytest.raises(Http404):  # not a researcher: no copy is visible to them at all
        shares.open_share(caseworker.user, caseworker.secret, row)
    client = sign_in(caseworker)
    assert client.get(f"/staff/evidence/testimonies/{row.pk}/").status_code == 403
    assert REDACTED not in client.get(share_url(case, row.testimony, "")).content.decode()
    assert shares.open_share(researcher.user, researcher.secret, row) == REDACTED


def test_sharing_without_a_consent_to_advocacy_is_refused_and_stores_nothing(people):
    _researcher, caseworker, case = people
    testimony = give_testimony(caseworker, case, consent=False)
    testimonies.record_consent(caseworker.user, caseworker.secret, case, testimony, purpose="dossier",
                               given_on=date(2024, 4, 2))
    response = sign_in(caseworker).post(share_url(case, testimony), {"text": REDACTED, "language": "ru"})
    assert response.status_code == 200
    assert "has not consented to public advocacy" in response.content.decode()
    assert evidence.TestimonyShare.objects.count() == 0


def test_sharing_after_the_consent_was_withdrawn_is_refused(people):
    _researcher, caseworker, case = people
    testimony = give_testimony(caseworker, case)
    testimonies.withdraw_consent(caseworker.user, case, Consent.objects.get())
    with pytest.raises(ValidationError, match="has not consented to public advocacy"):
        shares.share(caseworker.user, case, testimony, text=REDACTED, language="ru")
    assert evidence.TestimonyShare.objects.count() == 0


def test_sharing_is_refused_while_the_case_is_suspected_of_infiltration(people):
    _researcher, caseworker, case = people
    testimony = give_testimony(caseworker, case)
    Case.objects.filter(pk=case.pk).update(state="suspected_infiltration")
    response = sign_in(caseworker).post(share_url(case, testimony), {"text": REDACTED, "language": "ru"})
    assert response.status_code == 200
    assert "Disclosure is frozen while this case is suspected of infiltration" in response.content.decode()
    assert evidence.TestimonyShare.objects.count() == 0


def test_the_copy_is_never_stored_in_the_clear(people):
    _researcher, caseworker, case = people
    share(caseworker, case)
    assert tables_containing("Wyxqo") == []
    assert tables_containing("Zqvorsk") == []


def test_withdrawing_the_consent_hides_the_copy_from_the_researchers(people):
    researcher, caseworker, case = people
    row = share(caseworker, case)
    client = sign_in(researcher)
    assert client.get(f"/staff/evidence/testimonies/{row.pk}/").status_code == 200
    testimonies.withdraw_consent(caseworker.user, case, Consent.objects.get())
    assert client.get(f"/staff/evidence/testimonies/{row.pk}/").status_code == 404
    assert row.short_ref not in client.get("/staff/evidence/testimonies/").content.decode()
    assert client.post(f"/staff/evidence/testimonies/{row.pk}/use/").status_code == 404
    assert not Source.objects.filter(share=row).exists()


def record_detentions(researcher, source, count=40):
    """An act without a victim, reported only by `source`."""
    u, s, org = researcher.user, researcher.secret, researcher.user.organisation
    event = incidents.create_event(u, s, title="Raid", date_precision="month", occurred_on=date(2024, 3, 1),
                                   region=term(org, "region", "ru-ce"))
    return incidents.create_act(u, s, event, source=source, validity="2", count=count, qualifier="at_least",
                                act_type=term(org, "act_type", "arbitrary_detention"),
                                perpetrator_type=term(org, "perpetrator_type", "police_security"))


def total_of(payload) -> int | None:
    (cell,) = [c for c in payload["cells"] if set(c["categories"].values()) == {"*"}]
    return cell["value"]


def test_acts_only_a_withdrawn_testimony_reports_are_left_out_of_later_statistics(people):
    researcher, caseworker, case = people
    row = share(caseworker, case)
    source, _victim = shares.use_as_source(researcher.user, researcher.secret, row)
    record_detentions(researcher, source)
    u, s = researcher.user, researcher.secret
    assert releases.overview(u).total == 40
    before = releases.make_release(u, s, dims=[("act_type", "code")])
    assert total_of(releases.open_release(u, s, before)) == 40
    testimonies.withdraw_consent(caseworker.user, case, Consent.objects.get())
    counts = releases.overview(u)
    assert (counts.total, counts.uncounted) == (0, 1)
    after = releases.make_release(u, s, dims=[("act_type", "code")])
    assert total_of(releases.open_release(u, s, after)) == 0
    assert total_of(releases.open_release(u, s, before)) == 40  # what was published stays as it was


def test_withdrawing_the_copy_from_the_case_deletes_its_text(people):
    researcher, caseworker, case = people
    row = share(caseworker, case)
    client = sign_in(caseworker)
    url = share_url(case, row.testimony, f"shares/{row.pk}/withdraw/")
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    row.refresh_from_db()
    assert row.withdrawn_at is not None and row.withdrawn_by == caseworker.user
    assert bytes(row.text_boxed) == b""
    assert sign_in(researcher).get(f"/staff/evidence/testimonies/{row.pk}/").status_code == 404


def test_using_a_copy_as_a_source_makes_one_source_and_one_victim_however_often(people):
    researcher, caseworker, case = people
    row = share(caseworker, case)
    client = sign_in(researcher)
    for _ in range(2):
        assert client.post(f"/staff/evidence/testimonies/{row.pk}/use/").status_code == 302
    source = Source.objects.get()
    assert (source.share, source.public, source.source_type.code) == (row, False, "testimony")
    assert Victim.objects.get().share == row
    assert "as a source" in client.get("/staff/evidence/testimonies/").content.decode()


def test_erasing_the_case_withdraws_its_copies_and_forgets_the_case(people, org):
    researcher, caseworker, case = people
    second = org.add("coord2", roles.COORDINATOR)
    case_actions.add_member(org.coordinator.user, org.coordinator.secret, case, second.user)
    row = share(caseworker, case)
    erase_with_two_coordinators(sign_in(org.coordinator), sign_in(second), case)
    row.refresh_from_db()
    assert row.withdrawn_at is not None and bytes(row.text_boxed) == b""
    assert (row.case, row.testimony) == (None, None)
    assert sign_in(researcher).get(f"/staff/evidence/testimonies/{row.pk}/").status_code == 404


def test_a_researcher_who_joined_later_waits_until_a_holder_shares_the_key(people, org):
    researcher, _caseworker, _case = people
    first = sign_in(researcher)
    assert first.get("/staff/evidence/").status_code == 200  # the key is made on the first visit
    newcomer = org.add("research2", roles.RESEARCHER)
    late = sign_in(newcomer)
    refused = late.get("/staff/evidence/")
    assert refused.status_code == 403 and "Its key has not been given to you" in refused.content.decode()
    assert keys.status(newcomer.user) == "not_shared"
    assert first.post("/staff/evidence/key/share/").status_code == 302
    assert keys.status(newcomer.user) == "held"
    assert late.get("/staff/evidence/").status_code == 200
    keys.open_for(newcomer.user, newcomer.secret)


def test_the_share_form_can_start_from_automatic_redaction_proposals(people):
    _researcher, caseworker, case = people
    testimony = give_testimony(caseworker, case, text="Звоните мне: +7 928 123 45 67, пишите qzv@mail.ru")
    page = sign_in(caseworker).get(share_url(case, testimony) + "?propose=1").content.decode()
    assert "+7 928 123 45 67" not in page and "qzv@mail.ru" not in page
    assert "[Номер телефона]" in page  # the label, in the text's language
    assert not evidence.TestimonyShare.objects.exists()  # a proposal shares nothing by itself


def test_withdrawing_the_consent_deletes_the_copy_and_a_new_consent_does_not_bring_it_back(people):
    researcher, caseworker, case = people
    row = share(caseworker, case)
    consent = row.testimony.consents.get(purpose="advocacy")
    testimonies.withdraw_consent(caseworker.user, case, consent)
    row.refresh_from_db()
    assert row.withdrawn_at is not None and bytes(row.text_boxed) == b""
    testimonies.record_consent(caseworker.user, caseworker.secret, case, row.testimony, purpose="advocacy",
                               given_on=date(2024, 5, 1))
    assert sign_in(researcher).get(f"/staff/evidence/testimonies/{row.pk}/").status_code == 404


def test_what_researchers_typed_from_a_withdrawn_copy_is_wiped_at_their_next_visit(people, org):
    researcher, caseworker, case = people
    row = share(caseworker, case)
    u, s = researcher.user, researcher.secret
    source, victim = shares.use_as_source(u, s, row)
    incidents.update_victim(u, s, victim, description="Qstudent from the copy")
    event = incidents.create_event(u, s, title="Wave", date_precision="unknown")
    act = incidents.create_act(u, s, event, source=source, validity="3", victim=victim, note="Qnote from the copy",
                               act_type=term(org.org, "act_type", "torture"),
                               perpetrator_type=term(org.org, "perpetrator_type", "police_security"))
    testimonies.withdraw_consent(caseworker.user, case, row.testimony.consents.get(purpose="advocacy"))
    assert sign_in(researcher).get("/staff/evidence/").status_code == 200
    victim.refresh_from_db()
    act.refresh_from_db()
    opened, acts = incidents.open_victim(u, s, victim)
    assert (opened.description, acts[0].note) == ("", "")
    assert act.act_type.code == "torture"  # the codes stay; statistics no longer count the act
    row.refresh_from_db()
    assert row.derived_wiped_at is not None
