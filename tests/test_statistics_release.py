"""Public statistics releases, end to end: a researcher prepares a release through the staff
site and downloads its files; a reader of those files (tests/statistics_attacker.py) cannot
work out any small confidential figure, from one release or several, at one granularity or
another, now or after the data changed; and nothing in the files names anyone."""

import io
import json
import zipfile
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safepassage.accounts import roles
from safepassage.evidence import vocabularies
from safepassage.evidence.actions import dedup, incidents, shares
from safepassage.evidence.actions import testimonies as testimony_actions
from safepassage.evidence.models import Act, Attestation, Event, Source, Term
from safepassage.reports import exports, releases
from safepassage.reports.models import Release

from . import statistics_attacker as attacker
from .conftest import sign_in
from .test_shelters_support import make_case

pytestmark = pytest.mark.django_db

TYPES = ["arbitrary_detention", "torture", "extortion"]
MONTHS = [date(2017, 3, 1), date(2017, 4, 1), date(2017, 5, 1), date(2018, 1, 1)]
REGIONS = ["ru-ce", "ru-da", "ru"]


@pytest.fixture
def researcher(org):
    vocabularies.ensure_seeded(org.org)
    return org.add("research", roles.RESEARCHER)


def term(org, vocabulary, code):
    return Term.objects.get(organisation=org, vocabulary=vocabulary, code=code)


class Base:
    """A researcher's evidence base, filled act by act, with the truth kept alongside."""

    def __init__(self, staff):
        self.staff, self.org = staff, staff.user.organisation
        u, s = staff.user, staff.secret
        kind = term(self.org, "source_type", "ngo_report")
        self.public = incidents.create_source(u, s, source_type=kind, title="Public report Qpub", public=True)
        self.private = incidents.create_source(u, s, source_type=kind, title="Confidential note Qconf")
        self.event = incidents.create_event(u, s, title="Wave Qevent", place="Street Qplace", date_precision="unknown")
        self.truth = []

    def add(self, act_type, month, region, count, public):
        incidents.create_act(
            self.staff.user, self.staff.secret, self.event, source=self.public if public else self.private,
            validity="2", act_type=term(self.org, "act_type", act_type),
            perpetrator_type=term(self.org, "perpetrator_type", "police_security"),
            region=term(self.org, "region", region), occurred_on=month, date_precision="month", count=count)
        self.truth.append((act_type, month, region, count, public))

    def acts_in(self, figure_key):
        """The acts of the truth that one published figure counts."""
        wanted = {d: (lv, c) for d, lv, c in figure_key}

        def inside(act_type, month, region):
            values = {"act_type": act_type, "period": month.strftime("%Y-%m"), "region": region}
            for dim, (level, category) in wanted.items():
                v = values[dim]
                if level == "year":
                    v = v[:4]
                elif level == "country":
                    v = v.split("-")[0]
                if v != category:
                    return False
            return True

        return [(n, public) for t, m, r, n, public in self.truth if inside(t, m, r)]

    def value(self, figure_key) -> int:
        return sum(n for n, _public in self.acts_in(figure_key))

    def confidential(self, figure_key) -> int:
        """What only the organisation knows of one published figure."""
        return sum(n for n, public in self.acts_in(figure_key) if not public)


def release_json(client, dims, threshold=5) -> bytes:
    first, *rest = [f"{d}:{lv}" for d, lv in dims]
    response = client.post("/staff/statistics/releases/new/", {
        "first": first, "second": rest[0] if rest else "", "unit": "persons", "threshold": threshold})
    assert response.status_code == 302, response.content.decode()[-2000:]
    data = client.get(response["Location"] + "data.json")
    assert data.status_code == 200
    return data.content


def assert_protected(base, figures, threshold=5):
    loose, tight = attacker.bounds(figures), attacker.bounds(figures, lower_for_hidden=1)
    for figure_key, (status, count) in figures.items():
        secret = base.confidential(figure_key)
        if 0 < secret < threshold:
            assert status in ("hidden", "floor"), (figure_key, status, count, secret)
            low, high = loose[figure_key]
            assert high - low >= threshold - 1e-6, (figure_key, low, high)
            if tight:
                low, high = tight[figure_key]
                assert high - low >= 1 - 1e-6, (figure_key, low, high)
        if status in ("shown", "public"):
            assert count == base.value(figure_key), figure_key
        elif status == "floor":
            assert count == base.value(figure_key) - secret, figure_key


def reset(org):
    Release.objects.filter(organisation=org).delete()
    Attestation.objects.filter(source__organisation=org).delete()
    Act.objects.filter(event__organisation=org).delete()
    Event.objects.filter(organisation=org).delete()
    Source.objects.filter(organisation=org).delete()


acts = st.lists(st.tuples(st.sampled_from(TYPES), st.sampled_from(MONTHS), st.sampled_from(REGIONS),
                          st.integers(1, 7), st.booleans()), max_size=12)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=acts)
def test_no_small_figure_can_be_worked_out_from_releases_at_several_granularities(researcher, data):
    reset(researcher.user.organisation)
    base = Base(researcher)
    for row in data:
        base.add(*row)
    client = sign_in(researcher)
    documents = [release_json(client, [("act_type", "code"), ("period", "month")]),
                 release_json(client, [("act_type", "code"), ("period", "year")]),
                 release_json(client, [("region", "region")])]
    for i in range(len(documents)):  # each release alone, then read together with those before it
        assert_protected(base, attacker.read(*documents[: i + 1]))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=acts, added=acts.filter(lambda a: 0 < len(a) <= 3))
def test_a_later_release_does_not_reveal_a_small_change(researcher, before, added):
    reset(researcher.user.organisation)
    base = Base(researcher)
    for row in before:
        base.add(*row)
    client = sign_in(researcher)
    dims = [("act_type", "code"), ("period", "year")]
    first = attacker.read(release_json(client, dims))
    old = {k: base.confidential(k) for k in first}
    for row in added:
        base.add(*row)
    second = attacker.read(release_json(client, dims))
    assert_protected(base, second)
    for k, (status, _count) in second.items():
        if first.get(k, ("hidden",))[0] in ("shown", "public") and status in ("shown", "public"):
            change = abs(base.confidential(k) - old[k])
            assert change == 0 or change >= 5, (k, old[k], base.confidential(k))


def test_a_small_figure_in_a_cited_public_source_is_shown_with_it(researcher):
    base = Base(researcher)
    base.add("extortion", MONTHS[0], "ru-ce", 2, public=True)
    base.add("arbitrary_detention", MONTHS[0], "ru-ce", 100, public=True)
    base.add("arbitrary_detention", MONTHS[0], "ru-ce", 1, public=False)
    document = json.loads(release_json(sign_in(researcher), [("act_type", "code")]))
    by_type = {f["categories"]["act_type"]: f for f in document["figures"]}
    assert (by_type["extortion"]["count"], by_type["extortion"]["status"]) == (2, "public")
    assert by_type["extortion"]["sources"] == ["S1"]
    assert document["sources"]["S1"]["title"] == "Public report Qpub"
    # 100 of the 101 detentions are public: that part is shown, the confidential one is not.
    detention = by_type["arbitrary_detention"]
    assert (detention["status"], detention["count"], detention["qualifier"]) == ("floor", 100, "at_least")


def test_the_same_act_reported_by_two_sources_is_counted_once(researcher):
    u, s = researcher.user, researcher.secret
    base = Base(researcher)
    base.add("arbitrary_detention", MONTHS[0], "ru-ce", 100, public=True)
    base.add("arbitrary_detention", MONTHS[0], "ru-ce", 100, public=True)
    first, second = Act.objects.order_by("created_at")
    assert releases.overview(u).total == 200
    dedup.merge_acts(u, s, first, second)
    document = json.loads(release_json(sign_in(researcher), [("act_type", "code")]))
    assert next(f for f in document["figures"] if f["levels"]["act_type"] == "all")["count"] == 100


def test_the_public_files_name_no_person_place_testimony_or_case(org, researcher):
    caseworker = org.add("worker", roles.CASEWORKER)
    case = make_case(org.coordinator, caseworker, pseudonym="Ruslan Qcasename")
    testimony = testimony_actions.record_testimony(caseworker.user, caseworker.secret, case,
                                                   text="Original Qoriginal", language="ru", taken_on=date(2024, 1, 2))
    testimony_actions.record_consent(caseworker.user, caseworker.secret, case, testimony, purpose="advocacy",
                                     given_on=date(2024, 1, 2))
    share = shares.share(caseworker.user, case, testimony, text="Redacted Qredacted", language="ru")
    base = Base(researcher)
    source, victim = shares.use_as_source(researcher.user, researcher.secret, share)
    incidents.update_victim(researcher.user, researcher.secret, victim, description="Student Qvictim")
    for _i in range(6):
        incidents.create_act(researcher.user, researcher.secret, base.event, source=source, validity="3",
                             victim=victim, note="Note Qnote", act_type=term(base.org, "act_type", "torture"),
                             perpetrator_type=term(base.org, "perpetrator_type", "police_security"))
    client = sign_in(researcher)
    response = client.post("/staff/statistics/releases/new/", {"first": "act_type:code", "second": "region:region",
                                                              "unit": "persons", "threshold": 5})
    bundle = client.get(response["Location"] + "release.zip").content
    text = "".join(zipfile.ZipFile(io.BytesIO(bundle)).read(n).decode() for n in zipfile.ZipFile(
        io.BytesIO(bundle)).namelist())
    for secret in ("Qcasename", "Qoriginal", "Qredacted", "Qvictim", "Qnote", "Qevent", "Qplace", "Qconf",
                   str(case.pk)[:8], share.short_ref, victim.short_ref, "worker", "research"):
        assert secret not in text, secret
    figures = json.loads(zipfile.ZipFile(io.BytesIO(bundle)).read("data.json"))["figures"]
    assert any(f["count"] == 6 and f["categories"]["act_type"] == "torture" for f in figures)


def test_a_withdrawn_consent_takes_the_testimony_out_of_every_later_release(org, researcher):
    caseworker = org.add("worker", roles.CASEWORKER)
    case = make_case(org.coordinator, caseworker)
    u, s = caseworker.user, caseworker.secret
    testimony = testimony_actions.record_testimony(u, s, case, text="x", language="ru", taken_on=date(2024, 1, 2))
    consent = testimony_actions.record_consent(u, s, case, testimony, purpose="advocacy", given_on=date(2024, 1, 2))
    share = shares.share(u, case, testimony, text="redacted", language="ru")
    base = Base(researcher)
    source, _victim = shares.use_as_source(researcher.user, researcher.secret, share)
    incidents.create_act(researcher.user, researcher.secret, base.event, source=source, validity="3", count=9,
                         act_type=term(base.org, "act_type", "torture"),
                         perpetrator_type=term(base.org, "perpetrator_type", "police_security"))
    client = sign_in(researcher)
    before = json.loads(release_json(client, [("act_type", "code")]))
    earlier = Release.objects.get()
    testimony_actions.withdraw_consent(u, case, consent)
    after = json.loads(release_json(client, [("act_type", "code")]))

    def torture(doc):
        return next(f for f in doc["figures"] if f["categories"]["act_type"] == "torture")

    assert torture(before)["count"] == 9
    assert torture(after)["count"] in (0, None)  # gone, or hidden so the drop is not revealed
    assert releases.overview(researcher.user).total == 0
    again = exports.to_json(releases.open_release(researcher.user, researcher.secret, earlier))
    assert torture(json.loads(again))["count"] == 9  # what was published then stays as it was


def test_a_release_gives_the_same_files_every_time(researcher):
    base = Base(researcher)
    base.add("torture", MONTHS[0], "ru-ce", 12, public=False)
    client = sign_in(researcher)
    response = client.post("/staff/statistics/releases/new/", {"first": "act_type:code", "second": "",
                                                              "unit": "persons", "threshold": 5})
    first, second = (client.get(response["Location"] + "release.zip").content for _ in range(2))
    assert first == second
    assert zipfile.ZipFile(io.BytesIO(first)).namelist() == [
        "README.txt", "data.csv", "data.json", "chart-act_type.svg"]


@pytest.mark.parametrize("form, error", [
    ({"first": "act_type:code", "second": "act_type:code"}, "two different things"),
    ({"first": "act_type:code", "threshold": 1}, "Ensure this value is greater than or equal to 3"),
    ({"first": "nothing:at_all"}, "Select a valid choice"),
])
def test_a_bad_release_form_is_refused_and_saves_nothing(researcher, form, error):
    data = {"second": "", "unit": "persons", "threshold": 5, **form}
    page = sign_in(researcher).post("/staff/statistics/releases/new/", data).content.decode()
    assert error in page
    assert not Release.objects.exists()


def test_the_order_of_the_two_dimensions_does_not_name_other_figures(researcher):
    """Act type by region, then region by act type: the same figures, so a small change between
    the two releases is hidden just the same."""
    base = Base(researcher)
    base.add("torture", MONTHS[0], "ru-ce", 20, public=False)
    client = sign_in(researcher)
    first = attacker.read(release_json(client, [("act_type", "code"), ("region", "region")]))
    base.add("torture", MONTHS[0], "ru-ce", 2, public=False)
    second = attacker.read(release_json(client, [("region", "region"), ("act_type", "code")]))
    cell = (("act_type", "code", "torture"), ("region", "region", "ru-ce"))
    assert first[cell] == ("shown", 20)
    assert second[cell][0] in ("hidden", "floor")


def test_a_release_says_how_many_figures_it_hides_but_never_why(researcher):
    base = Base(researcher)
    base.add("torture", MONTHS[0], "ru-ce", 4, public=False)
    base.add("arbitrary_detention", MONTHS[0], "ru-ce", 4, public=False)
    document = json.loads(release_json(sign_in(researcher), [("act_type", "code")]))
    assert document["hidden"] == {"cells": 2}
    assert not any("below the threshold" in note for note in document["notes"])
