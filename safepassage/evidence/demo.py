"""The demo's evidence: the founding case's public reports (real, published sources, cited as
DOMAIN.md does), and FICTIONAL testimonies from the demo's fictional cases, shared with the
documentation researcher, with their acts, a duplicate merged and a denial on record."""

from datetime import date

from safepassage.evidence import vocabularies
from safepassage.evidence.actions import dedup, incidents, shares
from safepassage.evidence.actions import testimonies as testimony_actions
from safepassage.evidence.models import Term

PUBLIC_REPORTS = [
    # (key, type, title, publisher, published on, url, reliability)
    ("ng", "media_report", "Murder of honour (Убийство чести)", "Novaya Gazeta", date(2017, 4, 1),
     "https://novayagazeta.ru/", "B"),
    ("hrw", "ngo_report", "\u201cThey Have Long Arms and They Can Find Me\u201d: Anti-Gay Purge by Local Authorities "
     "in Russia\u2019s Chechen Republic", "Human Rights Watch", date(2017, 5, 26), "https://www.hrw.org/", "A"),
    ("denial", "official_statement", "Spokesman of the head of the Chechen Republic denies the reports",
     "Chechen Republic authorities", date(2017, 4, 1), "", "E"),
]
TESTIMONIES = [
    # (case index, text, redacted copy)
    (0, "FICTIONAL DEMO. I was taken at a checkpoint near Example Town in March and held in a basement for "
        "nine days. They beat me and took my phone, and asked for the names of the men in it.",
     "FICTIONAL DEMO. I was taken at a checkpoint in March and held for nine days. They beat me and took my "
     "phone, and asked for the names of the men in it."),
    (1, "FICTIONAL DEMO. My uncle told my father that I am gay. My brothers said they would kill me if I came "
        "back to Example Village.",
     "FICTIONAL DEMO. A relative told my family that I am gay. My brothers said they would kill me if I came "
     "back."),
]


def _term(org, vocabulary, code):
    return Term.objects.get(organisation=org, vocabulary=vocabulary, code=code)


def seed(org, caseworker, caseworker_secret, researcher, researcher_secret, cases) -> None:
    vocabularies.ensure_seeded(org)
    t = lambda vocabulary, code: _term(org, vocabulary, code)  # noqa: E731 - a short local alias
    u, s = researcher, researcher_secret
    sources = {}
    for key, kind, title, publisher, published, url, reliability in PUBLIC_REPORTS:
        sources[key] = incidents.create_source(
            u, s, source_type=t("source_type", kind), title=title, publisher=publisher, url=url,
            published_on=published, public=True, reliability=reliability,
            notes="Demo entry: check the figures against the original before relying on them.")
    purge = incidents.create_event(
        u, s, title="Detentions of men suspected of being gay (spring 2017)", description="", place="",
        region=t("region", "ru-ce"), occurred_on=date(2017, 3, 1), date_precision="season")
    police = t("perpetrator_type", "police_security")
    group = {"unit": "persons", "qualifier": "at_least", "certainty": "confirmed", "region": None,
             "occurred_on": None, "date_precision": ""}
    detention_ng = incidents.create_act(u, s, purge, source=sources["ng"], validity="2", count=100,
                                        act_type=t("act_type", "arbitrary_detention"), perpetrator_type=police,
                                        **group)
    detention_hrw = incidents.create_act(u, s, purge, source=sources["hrw"], validity="1", count=100,
                                         act_type=t("act_type", "arbitrary_detention"), perpetrator_type=police,
                                         **group)
    dedup.merge_acts(u, s, detention_hrw, detention_ng, reason="The same wave of detentions in both reports.")
    incidents.attest(u, detention_hrw, source=sources["denial"], validity="5", stance="denies")
    incidents.create_act(u, s, purge, source=sources["hrw"], validity="2", count=2,
                         act_type=t("act_type", "killing_by_relatives"), perpetrator_type=t("perpetrator_type",
                                                                                             "relatives"), **group)
    incidents.create_act(u, s, purge, source=sources["hrw"], validity="2", count=1, note="Died after torture.",
                         act_type=t("act_type", "killing_by_state_agents"), perpetrator_type=police,
                         **{**group, "qualifier": "exact"})
    # Fictional testimonies from the fictional cases, shared with consent and used as sources.
    shared = []
    for index, text, redacted in TESTIMONIES:
        case = cases[index]
        testimony = testimony_actions.record_testimony(caseworker, caseworker_secret, case, text=text,
                                                       language="en", taken_on=date.today())
        testimony_actions.record_consent(caseworker, caseworker_secret, case, testimony, purpose="advocacy",
                                         given_on=date.today(), note="FICTIONAL demo consent.")
        shared.append(shares.share(caseworker, case, testimony, text=redacted, language="en"))
    alpha_source, alpha = shares.use_as_source(u, s, shared[0])
    one = {"unit": "persons", "qualifier": "exact", "count": 1, "certainty": "probable", "region": None,
           "occurred_on": date(2017, 3, 15), "date_precision": "month"}
    for act_type in ("arbitrary_detention", "torture", "phone_seizure"):
        incidents.create_act(u, s, purge, source=alpha_source, validity="3", victim=alpha, act_type=t(
            "act_type", act_type), perpetrator_type=police, **one)
    threats = incidents.create_event(u, s, title="Threats by relatives (FICTIONAL demo)", description="",
                                     place="", region=t("region", "ru-ce"), occurred_on=date(2017, 5, 1),
                                     date_precision="month")
    bravo_source, bravo = shares.use_as_source(u, s, shared[1])
    incidents.create_act(u, s, threats, source=bravo_source, validity="3", victim=bravo,
                         act_type=t("act_type", "forced_outing"), perpetrator_type=t("perpetrator_type", "relatives"),
                         **{**one, "occurred_on": None, "date_precision": ""})
