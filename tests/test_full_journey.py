"""The whole way out, through the staff and public sites as people use them: a request for help
becomes a case, is vetted, accepted by two coordinators, sheltered, gets a visa, travels, arrives
and lodges an asylum claim, with the deadlines shown at each legal step."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from safepassage.accounts import roles
from safepassage.cases.models import Approval, Case, Stay
from safepassage.intake.models import Thread

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def step(client, case, target, **extra):
    response = client.post(f"/staff/cases/{case.pk}/state/", {"target": target, **extra})
    assert response.status_code == 302
    return Case.objects.get(pk=case.pk)


def approve_pending(client, case):
    approval = Approval.objects.get(case=case, status="pending")
    client.post(f"/staff/cases/{case.pk}/approvals/{approval.pk}/decide/", {"decision": "approve"})


def test_from_a_request_for_help_to_an_asylum_claim(org, team):
    shelter_staff = org.add("shelter1", roles.SHELTER)
    legal = org.add("lawyer1", roles.LEGAL)
    applicant = Client(HTTP_ACCEPT_LANGUAGE="ru")
    sent = applicant.post("/ru/request/", {"story": "Меня ищут после облавы", "urgency": 1, "region": "RU-CE",
                                           "contact": "", "referrer": "", "language": "ru"}, follow=True)
    receipt = sent.context["receipt"]

    # Intake: the first coordinator reads it, replies, and accepts it as a case.
    coord = sign_in(team["coordinator"])
    thread = Thread.objects.get()
    assert "Меня ищут" in coord.get(f"/staff/intake/{thread.pk}/").content.decode()
    coord.post(f"/staff/intake/{thread.pk}/", {"body": "Мы здесь. Вы в безопасности сейчас?"})
    case_url = coord.post(f"/staff/intake/{thread.pk}/convert/", {"pseudonym": "Journey Person"})["Location"]
    case = Case.objects.get(pk=case_url.rstrip("/").split("/")[-1])
    for member in (team["coordinator2"], shelter_staff, legal):
        coord.post(f"/staff/cases/{case.pk}/members/", {"member": str(member.user.uuid)})

    # Screening and vetting; acceptance waits for the checklist, then for a second coordinator.
    case = step(coord, case, "screening")
    case = step(coord, case, "vetting")
    assert step(coord, case, "accepted").state == "vetting"  # refused: checklist incomplete
    coord.post(f"/staff/cases/{case.pk}/vetting/", {
        "vetting-referrer": "", "vetting-referrer_trust": "medium", "vetting-identity_checked": "on",
        "vetting-referrer_checked": "on", "vetting-story_corroborated": "on", "vetting-duplicates_checked": "on",
        "vetting-notes": ""})
    case = step(coord, case, "accepted")
    assert case.state == "vetting"  # asked, not done
    approve_pending(sign_in(team["coordinator2"]), case)
    case = Case.objects.get(pk=case.pk)
    assert case.state == "accepted"

    # Shelter: placed by the shelter coordinator; the address reaches members after two coordinators.
    shelter_client = sign_in(shelter_staff)
    shelter_client.post("/staff/shelters/new/", {"name": "Flat J", "address": "7 Quiet Court", "capacity": 3})
    from safepassage.cases.models import Shelter

    shelter = Shelter.objects.get()
    today = timezone.localdate()
    shelter_client.post(f"/staff/cases/{case.pk}/stays/new/", {"shelter": str(shelter.pk),
                                                              "starts_on": today.isoformat(), "people": 1})
    stay = Stay.objects.get(case=case)
    assert "7 Quiet Court" not in sign_in(legal).get(f"/staff/cases/{case.pk}/").content.decode()
    coord.post(f"/staff/cases/{case.pk}/stays/{stay.pk}/release/")
    approve_pending(sign_in(team["coordinator2"]), case)
    if not Stay.objects.get(pk=stay.pk).released_at:  # the approver held no shelter key: hand-over
        shelter_client.post(f"/staff/cases/{case.pk}/stays/{stay.pk}/hand-over/")
    assert "7 Quiet Court" in sign_in(legal).get(f"/staff/cases/{case.pk}/").content.decode()
    case = step(shelter_client, case, "sheltered")

    # The legal road: documents, visa, travel, arrival, registration, lodging — with deadlines.
    lawyer = sign_in(legal)
    for target in ("documents", "visa_submitted", "visa_granted"):
        case = step(lawyer, case, target)
    case = step(coord, case, "travel")
    case = step(coord, case, "arrived")
    lawyer.post(f"/staff/cases/{case.pk}/events/", {"code": "arrival",
                                                    "happened_on": (today - timedelta(days=2)).isoformat()})
    case = step(lawyer, case, "asylum_registered")
    lawyer.post(f"/staff/cases/{case.pk}/events/", {"code": "guda_registration", "happened_on": today.isoformat()})
    page = lawyer.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "OFPRA" in page and "R.531-2" in page  # the 21-day OFPRA deadline, with its source
    case = step(lawyer, case, "asylum_lodged")
    assert case.state == "asylum_lodged"

    # The applicant reads the team's reply with the receipt, and learns no staff name.
    conversation = applicant.post("/ru/follow-up/", {"receipt": receipt}, follow=True).content.decode()
    assert "Мы здесь" in conversation and "Coordinator One" not in conversation


def test_a_suspected_infiltration_stops_replies_to_the_applicant(team):
    Client().post("/en/request/", {"story": "help", "urgency": 2, "region": "", "contact": "", "referrer": "",
                                   "language": "en"})
    coord = sign_in(team["coordinator"])
    thread = Thread.objects.get()
    coord.post(f"/staff/intake/{thread.pk}/convert/", {"pseudonym": "Suspect Person"})
    case = Case.objects.get()
    coord.post(f"/staff/cases/{case.pk}/state/", {"target": "suspected_infiltration"})
    page = coord.post(f"/staff/intake/{thread.pk}/", {"body": "where are you staying?"}).content.decode()
    assert "Infiltration is suspected" in page
    assert not thread.messages.exists()
