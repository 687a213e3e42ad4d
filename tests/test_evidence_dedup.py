"""Deduplication: the same act or victim reported by several sources is counted once. A merge is
recorded (who, when, a sealed reason) and can be undone; the row stays, marked undone, so what
was counted on any day can be explained. Refusals change nothing; another organisation's
researchers see none of it."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.evidence.actions import dedup, incidents, shares, testimonies
from safepassage.evidence.models import Act, Consent, Merge, Victim
from safepassage.reports import cube, releases

from .conftest import make_org, sign_in
from .test_evidence_shares import share, term
from .test_shelters_support import make_case, tables_containing

pytestmark = pytest.mark.django_db

REASON = "Same wave of detentions Qxwlz, same month and region"
DUPLICATES = "/staff/evidence/duplicates/"


@pytest.fixture
def base(org):
    """A researcher, two public reports (a media and an NGO report) and one event."""
    researcher = org.add("research", roles.RESEARCHER)
    u, s = researcher.user, researcher.secret

    def source(code, title):
        return incidents.create_source(u, s, source_type=term(org.org, "source_type", code), title=title,
                                       public=True, reliability="B", published_on=date(2017, 4, 1))

    event = incidents.create_event(u, s, title="Detentions in March", date_precision="month",
                                   occurred_on=date(2017, 3, 1), region=term(org.org, "region", "ru-ce"))
    return SimpleNamespace(org=org, researcher=researcher, user=u, secret=s, event=event,
                           media=source("media_report", "Raids reported"), ngo=source("ngo_report", "NGO findings"))


def act(base, source, count=100, qualifier="at_least", unit="persons", victim=None):
    extra = {"victim": victim} if victim else {"count": count, "qualifier": qualifier, "unit": unit}
    return incidents.create_act(base.user, base.secret, base.event, source=source, validity="2",
                                act_type=term(base.org.org, "act_type", "arbitrary_detention"),
                                perpetrator_type=term(base.org.org, "perpetrator_type", "police_security"), **extra)


def merge_url(keep, other, what="acts"):
    return f"{DUPLICATES}{what}/?keep={keep.pk}&merge={other.pk}"


def total(base) -> int:
    return releases.overview(base.user).total


def test_two_reports_of_the_same_detentions_are_suggested_and_counted_once_once_merged(base):
    a, b = act(base, base.media), act(base, base.ngo)
    assert total(base) == 200
    client = sign_in(base.researcher)
    assert f"?keep={a.pk}&amp;merge={b.pk}" in client.get(DUPLICATES).content.decode()
    assert client.get(merge_url(a, b)).status_code == 200
    response = client.post(merge_url(a, b), {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == DUPLICATES
    b.refresh_from_db()
    assert b.merged_into == a
    counts = releases.overview(base.user)
    assert (counts.total, counts.merged) == (100, 1)
    merge = Merge.objects.get()
    assert (merge.kind, merge.survivor_act, merge.merged_act, merge.merged_by) == ("act", a, b, base.user)
    assert dedup.merge_reason(base.user, base.secret, merge) == REASON
    assert tables_containing("Qxwlz") == []
    assert f"?keep={a.pk}&amp;merge={b.pk}" not in client.get(DUPLICATES).content.decode()


def test_undoing_a_merge_counts_both_again_and_keeps_the_merge_on_record(base):
    a, b = act(base, base.media), act(base, base.ngo)
    merge = dedup.merge_acts(base.user, base.secret, a, b, reason=REASON)
    client = sign_in(base.researcher)
    assert client.get(f"/staff/evidence/merges/{merge.pk}/undo/").status_code == 200
    assert total(base) == 100  # a GET only asks
    assert client.post(f"/staff/evidence/merges/{merge.pk}/undo/").status_code == 302
    assert total(base) == 200
    merge.refresh_from_db()
    b.refresh_from_db()
    assert b.merged_into is None
    assert merge.undone_at is not None and merge.undone_by == base.user
    assert Merge.objects.count() == 1
    assert "undone by Research" in client.get(DUPLICATES).content.decode()


def test_merging_and_undoing_are_audited_with_ids_only(base):
    a, b = act(base, base.media), act(base, base.ngo)
    merge = dedup.merge_acts(base.user, base.secret, a, b, reason=REASON)
    dedup.undo(base.user, merge)
    assert AuditEvent.objects.get(action="evidence.acts_merged").details == {
        "survivor": str(a.pk), "merged": str(b.pk)}
    assert AuditEvent.objects.get(action="evidence.merge_undone").details == {
        "kind": "act", "survivor": str(a.pk), "merged": str(b.pk)}
    assert all("Qxwlz" not in str(e.details) for e in AuditEvent.objects.all())


def test_a_merged_group_counts_its_highest_figure_with_that_acts_qualifier(base):
    a = act(base, base.media, 100, "at_least")
    b = act(base, base.ngo, 120, "about")
    dedup.merge_acts(base.user, base.secret, a, b)
    (counted,) = cube.counted_acts(base.org.org.pk)
    assert (counted.figure, counted.qualifier) == (120, "about")
    assert counted.public_figure == 120 and counted.citations == {base.ngo.pk}
    cell = dict(releases.overview(base.user).tables["act_type"])["arbitrary_detention"]
    assert (cell.value, cell.qualifier) == (120, "about")


def test_a_group_is_still_counted_when_only_one_of_its_acts_keeps_a_usable_source(base):
    case = make_case(base.org.coordinator)
    row = share(base.org.coordinator, case)
    testimony_source, _victim = shares.use_as_source(base.user, base.secret, row)
    kept = act(base, testimony_source, 150, "exact")
    dedup.merge_acts(base.user, base.secret, kept, act(base, base.media, 100, "at_least"))
    assert total(base) == 150
    testimonies.withdraw_consent(base.org.coordinator.user, case, Consent.objects.get())
    (counted,) = cube.counted_acts(base.org.org.pk)
    assert (counted.figure, counted.qualifier) == (100, "at_least")
    assert releases.overview(base.user).uncounted == 0


def refused(base, keep, other, message):
    """Merging through the page is refused with `message` and nothing changes."""
    before = list(Act.objects.order_by("pk").values_list("pk", "merged_into_id"))
    merges = Merge.objects.count()
    response = sign_in(base.researcher).post(merge_url(keep, other), {"reason": "x"})
    assert response.status_code == 200 and message in response.content.decode()
    assert list(Act.objects.order_by("pk").values_list("pk", "merged_into_id")) == before
    assert Merge.objects.count() == merges


def test_an_act_cannot_be_merged_into_itself(base):
    a = act(base, base.media)
    refused(base, a, a, "A record cannot be merged into itself.")


def test_an_act_already_merged_can_neither_be_merged_again_nor_be_merged_into(base):
    a, b, c = act(base, base.media), act(base, base.ngo), act(base, base.ngo, 90)
    dedup.merge_acts(base.user, base.secret, a, b)
    refused(base, c, b, "This record is already merged into another one.")
    refused(base, b, c, "The record to keep is itself merged into another one: merge into that one.")


def test_acts_that_count_people_and_incidents_cannot_be_merged(base):
    people, raids = act(base, base.media), act(base, base.ngo, 3, "exact", unit="incidents")
    refused(base, people, raids, "These acts count different things (people and incidents)")


def test_a_merge_cannot_be_undone_twice(base):
    a, b = act(base, base.media), act(base, base.ngo)
    merge = dedup.merge_acts(base.user, base.secret, a, b)
    dedup.undo(base.user, merge)
    merge.refresh_from_db()
    undone_at = merge.undone_at
    dedup.merge_acts(base.user, base.secret, a, b)  # merged again, by a new merge
    response = sign_in(base.researcher).post(f"/staff/evidence/merges/{merge.pk}/undo/")
    assert response.status_code == 200 and "This merge was already undone." in response.content.decode()
    merge.refresh_from_db()
    b.refresh_from_db()
    assert merge.undone_at == undone_at and b.merged_into == a
    assert AuditEvent.objects.filter(action="evidence.merge_undone").count() == 1


def two_victims_of_one_case(base):
    """The same person, who gave two testimonies on one case, each shared and used as a source."""
    coordinator = base.org.coordinator
    case = make_case(coordinator)
    used = [shares.use_as_source(base.user, base.secret, share(coordinator, case, text))
            for text in ("Taken from home", "Taken again from work")]
    return [source for source, _v in used], [victim for _s, victim in used]


def test_victims_from_testimonies_shared_by_one_case_are_suggested_merged_and_unmerged(base):
    (first_source, second_source), (first, second) = two_victims_of_one_case(base)
    kept_act, other_act = act(base, first_source, victim=first), act(base, second_source, victim=second)
    client = sign_in(base.researcher)
    assert f"?keep={first.pk}&amp;merge={second.pk}" in client.get(DUPLICATES).content.decode()
    assert client.post(merge_url(first, second, "victims"), {"reason": REASON}).status_code == 302
    second.refresh_from_db()
    other_act.refresh_from_db()
    assert second.merged_into == first
    assert other_act.victim == second  # its acts stay attached to it, and now count as the kept victim's
    assert Merge.objects.get().kind == "victim"
    assert AuditEvent.objects.get(action="evidence.victims_merged").details == {
        "survivor": str(first.pk), "merged": str(second.pk)}
    assert dedup.suggestions(base.user)["acts"] == [(kept_act, other_act)]
    assert dedup.suggestions(base.user)["victims"] == []
    assert client.post(f"/staff/evidence/merges/{Merge.objects.get().pk}/undo/").status_code == 302
    second.refresh_from_db()
    assert second.merged_into is None and dedup.suggestions(base.user)["victims"] == [(first, second)]


def test_using_a_merged_victims_testimony_again_gives_the_kept_victim(base):
    (_source, _other), (first, second) = two_victims_of_one_case(base)
    dedup.merge_victims(base.user, base.secret, first, second)
    _source, victim = shares.use_as_source(base.user, base.secret, second.share)
    assert victim == first and Victim.objects.count() == 2


def test_a_researcher_of_another_organisation_gets_404_for_our_merges_and_records(base):
    a, b = act(base, base.media), act(base, base.ngo)
    c = act(base, base.ngo, 50)
    merge = dedup.merge_acts(base.user, base.secret, a, b, reason=REASON)
    other = make_org("Other Org", "othercoord")
    stranger = sign_in(other.add("spy", roles.RESEARCHER))
    for url in (f"/staff/evidence/merges/{merge.pk}/undo/", merge_url(a, c), f"/staff/evidence/acts/{a.pk}/edit/",
                f"/staff/evidence/events/{base.event.pk}/", f"/staff/evidence/sources/{base.media.pk}/"):
        assert stranger.get(url).status_code == 404, url
        assert stranger.post(url, {"reason": "x"}).status_code == 404, url
    page = stranger.get(DUPLICATES).content.decode()
    assert a.short_ref not in page and b.short_ref not in page and "Nothing merged yet" in page
    merge.refresh_from_db()
    c.refresh_from_db()
    assert merge.undone_at is None and c.merged_into is None and Merge.objects.count() == 1


def test_a_victims_act_that_a_group_count_may_include_is_suggested_and_counted_within_it(base):
    group = act(base, base.media)  # at least 100 detained
    victim = incidents.create_victim(base.user, base.secret, description="man, about 25")
    one = act(base, base.ngo, victim=victim)
    assert total(base) == 101
    assert (group, one) in dedup.suggestions(base.user)["acts"]
    response = sign_in(base.researcher).post(merge_url(group, one), {"reason": "one of the hundred"})
    assert response.status_code == 302
    assert total(base) == 100


def test_an_act_in_a_merge_cannot_change_what_it_counts(base):
    a, b = act(base, base.media), act(base, base.ngo)
    dedup.merge_acts(base.user, base.secret, a, b)
    with pytest.raises(ValidationError, match="cannot change"):
        incidents.update_act(base.user, base.secret, a, act_type=a.act_type, perpetrator_type=a.perpetrator_type,
                             count=3, unit="incidents", qualifier="exact")
    a.refresh_from_db()
    assert a.unit == "persons"
