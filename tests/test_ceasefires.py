"""The ceasefire monitor: agreements as records, their alleged violations and status, the blame matrix.

Every article here is written for these tests in the style of wire copy. Sentence-level behaviour is
checked through the real pipeline stages (clean, annotate, extract); the monitor and the `ceasefires` and
`blame` commands on one store built once from the articles below with ingest_paths.
"""
from __future__ import annotations

import csv
import io
import json

import pytest

from claimwatch import ceasefires, clean
from claimwatch.agreements import extract_agreements
from claimwatch.allegations import EACH_OTHER, extract_allegations
from claimwatch.cli import main
from claimwatch.models import RawArticle
from claimwatch.pipeline import annotate, document_id, extract, ingest_paths
from claimwatch.store import Store
from conftest import write_file

ARTICLES = {
    # two successive truces in one conflict; the first violated within hours, by both sides' account
    "01_truce.txt": """ date 2023-05-21 Sudan's warring sides sign week-long truce in Jeddah • Example Wire

JEDDAH (Example Wire) – Sudan's army and the paramilitary Rapid Support Forces signed a week-long humanitarian ceasefire in Jeddah on Saturday, brokered by Saudi Arabia and the United States.

The truce takes effect at 9:45 p.m. (1945 GMT) on Monday and is meant to allow the delivery of aid and the evacuation of the wounded, the two mediators said in a joint statement.

Previous truces announced since fighting erupted in April have been repeatedly violated.
""",
    "02_violations.txt": """ date 2023-05-23 Sudan truce shaken as both sides trade blame • Example Wire

KHARTOUM (Example Wire) – Sudan's army accused the Rapid Support Forces on Tuesday of violating the ceasefire within hours of it taking effect.

The Rapid Support Forces accused the army of breaching the truce with air strikes on its positions in Omdurman.

A spokesman for the Rapid Support Forces denied that its fighters had violated the truce.

Saudi Arabia said on Tuesday that the Rapid Support Forces had violated the ceasefire in Khartoum.
""",
    "03_new_truce.txt": """ date 2023-06-10 Sudan's warring parties agree new 24-hour truce • Example Wire

JEDDAH (Example Wire) – Sudan's army and the Rapid Support Forces agreed on Friday to a new 24-hour ceasefire starting at 6 a.m. on Saturday, Saudi Arabia and the United States said.

The earlier week-long truce collapsed amid heavy fighting in the capital.
""",
    # a peace deal that holds, with no violation reported
    "04_peace.txt": """ date 2022-11-03 Ethiopia and Tigray forces sign peace deal • Example Wire

PRETORIA (Example Wire) – The government of Ethiopia and the Tigray People's Liberation Front signed a peace agreement in Pretoria on Wednesday, the African Union said.

The deal, brokered by the African Union, provides for the disarmament of Tigrayan fighters and the restoration of services to the region.
""",
    "05_peace_holds.txt": """ date 2022-11-14 Ethiopia peace deal holds as aid resumes • Example Wire

ADDIS ABABA (Example Wire) – The peace agreement between Ethiopia and Tigrayan forces was holding on Monday, with no fighting reported in the region, the African Union said.
""",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("truces")
    for name, text in ARTICLES.items():
        write_file(folder / "in" / name, text)
    path = folder / "monitor.db"
    with Store(path) as store:
        report = ingest_paths(store, [str(folder / "in")])
        assert report.ok and report.stored == len(ARTICLES)
    return path


@pytest.fixture(scope="module")
def agreements(db):
    with Store(db) as store:
        return ceasefires.from_store(store)


def sudan(agreements):
    found = [a for a in agreements if "Rapid Support Forces" in a.parties]
    assert len(found) == 2, [(a.kind, a.agreed_on, a.parties) for a in agreements]
    return sorted(found, key=lambda a: a.agreed_on)


# ---- agreements as records ------------------------------------------------------------------------

def test_each_agreement_is_one_record_with_its_day_parties_brokers_and_terms(agreements):
    assert len(agreements) == 3
    first, second = sudan(agreements)
    assert first.kind == "humanitarian ceasefire"
    assert first.agreed_on == "2023-05-20"  # "on Saturday" in a report of Sunday 21 May
    assert first.effective_from == "2023-05-22" and "9:45 p.m." in first.effective_time
    assert set(first.parties) == {"Sudan", "Rapid Support Forces"}
    assert set(first.brokers) == {"Saudi Arabia", "United States"}
    assert any("delivery of aid" in t for t in first.terms)
    assert {e["source"] for e in first.evidence} >= {"01_truce.txt", "02_violations.txt"}


def test_a_successive_truce_stays_apart_and_supersedes_the_first(agreements):
    first, second = sudan(agreements)
    assert second.agreed_on == "2023-06-09"  # "on Friday" in a report of Saturday 10 June
    assert second.effective_from == "2023-06-10" and second.effective_time == "6 a.m."
    assert first.status == "superseded" and first.superseded_by == second.id
    assert second.id in first.status_reason and "collapsed" in first.status_reason
    assert second.status == "holding" and not second.violations


def test_accusations_by_both_sides_within_hours_with_a_denial_and_an_independent_confirmation(agreements):
    first, _ = sudan(agreements)
    accusations = {(v.accuser, v.accused): v for v in first.violations if v.source == "accusation"}
    assert set(accusations) == {("Sudan", "Rapid Support Forces"), ("Rapid Support Forces", "Sudan")}
    army = accusations[("Sudan", "Rapid Support Forces")]
    assert army.day == "2023-05-23" and army.what == "ceasefire violation"
    assert army.denied_by == ["Rapid Support Forces"]
    assert army.confirmed_by == ["Saudi Arabia"]  # a broker is party to neither side
    assert accusations[("Rapid Support Forces", "Sudan")].denied_by == []
    assert first.days_to_first_violation == 1  # in effect on 22 May, accused on 23 May
    assert all(e["sentence"] for v in first.violations for e in v.evidence)


def test_a_peace_deal_that_holds_has_no_violation(agreements):
    peace = next(a for a in agreements if "Ethiopia" in a.parties)
    assert peace.kind == "peace deal" and peace.agreed_on == "2022-11-02"
    assert set(peace.parties) == {"Ethiopia", "TPLF"} and peace.brokers == ["African Union"]
    assert peace.terms and "disarmament" in peace.terms[0]
    assert peace.violations == [] and peace.status == "holding"
    assert "05_peace_holds.txt" in peace.status_reason


# ---- the blame matrix -----------------------------------------------------------------------------

def test_blame_matrix_counts_accusations_denials_and_independent_confirmations(db):
    with Store(db) as store:
        rows = ceasefires.blame_from_store(store)
    by = {(r["accuser"], r["accused"], r["what"]): r for r in rows}
    army = by[("Sudan", "Rapid Support Forces", "ceasefire violation")]
    assert (army["count"], army["denied"], army["confirmed"]) == (1, 1, 1)
    rsf = by[("Rapid Support Forces", "Sudan", "ceasefire violation")]
    assert (rsf["count"], rsf["denied"], rsf["confirmed"]) == (1, 0, 0)
    # the army accuses the RSF, so it cannot be the independent confirmation of Saudi Arabia's accusation
    assert by[("Saudi Arabia", "Rapid Support Forces", "ceasefire violation")]["confirmed"] == 0


def test_blame_matrix_by_period(db):
    with Store(db) as store:
        assert ceasefires.blame_from_store(store, until="2023-05-01") == []
        assert ceasefires.blame_from_store(store, since="2023-05-23", until="2023-05-23")


# ---- surfaces -------------------------------------------------------------------------------------

def test_ceasefires_json_interface(db, capsys):
    assert main(["--db", str(db), "ceasefires", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 3
    for a in data:
        assert {"id", "agreed_on", "effective_from", "parties", "brokers", "status", "status_reason",
                "violations", "evidence"} <= set(a)
        for v in a["violations"]:
            assert {"day", "accuser", "accused", "denied_by", "evidence"} <= set(v)


def test_ceasefires_text_and_csv(db, capsys):
    assert main(["--db", str(db), "ceasefires"]) == 0
    text = capsys.readouterr().out
    assert "humanitarian ceasefire agreed 2023-05-20" in text
    assert "Sudan accuses Rapid Support Forces of ceasefire violation; denied by Rapid Support Forces" in text
    assert main(["--db", str(db), "ceasefires", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 3 and {r["status"] for r in rows} == {"superseded", "holding"}
    assert main(["--db", str(db), "blame", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert any(r["accuser"] == "Sudan" and r["denied"] == "1" for r in rows)


# ---- what a sentence says of an agreement ---------------------------------------------------------

def parsed(text: str):
    """(annotated article, claims, event mentions) for a sentence reported on Monday 6 March 2023."""
    arts = clean.split_raw(RawArticle(source="t.txt", path="t.txt",
                                      text=" date 2023-03-06 Truce talks • Example Wire\n\n" + text))
    ann = annotate([(document_id(arts[0]), arts[0])])[0]
    claims, _, mentions = extract(ann)
    return ann, claims, mentions


def agreement_mentions(text: str):
    ann, claims, _ = parsed(text)
    return extract_agreements(ann, claims)


@pytest.mark.parametrize("text", [
    "Western powers called for an immediate truce in the region.",
    "Three previous ceasefires have broken down since the war began.",
    "The renewed fighting is the worst since a 1994 ceasefire ended the war.",
    "The two sides could be close to agreeing a new ceasefire, diplomats said.",
    "Mediators are working to help arrange a truce before the holiday.",
])
def test_wished_for_several_or_old_agreements_are_not_mentions(text):
    assert agreement_mentions(text) == []


def test_a_participle_after_the_name_gives_the_day_it_was_agreed():
    [m] = agreement_mentions("Armenia and Azerbaijan accused each other on Monday of violating a ceasefire "
                             "agreed three days ago.")
    assert m.phase == "violated" and m.agreed_on == "2023-03-03" and m.agreed_precision == "day"


def test_collapse_holding_and_reference_phases():
    assert agreement_mentions("As of Monday morning, the truce appeared to be holding.")[0].phase == "holding"
    assert agreement_mentions("The Qatar-brokered truce collapsed on Sunday.")[0].phase == "collapsed"
    [m] = agreement_mentions("Russia, which brokered the ceasefire, urged both sides to respect it.")
    assert m.phase == "reference" and m.brokers == ["Russia"] and m.agreed_on is None


def test_a_negated_violation_is_a_denial_by_the_side_named():
    ann, claims, mentions = parsed("Azeri forces were not violating the truce, the defence ministry spokesman added.")
    [g] = extract_allegations(ann, claims, mentions)
    assert g.stance == "deny" and g.accused == "Azerbaijan" and g.about_agreement


def test_mutual_accusation_without_named_parties_is_marked_each_other():
    ann, claims, mentions = parsed("Both sides accused each other of violating the ceasefire.")
    allegations = extract_allegations(ann, claims, mentions)
    assert allegations and all(g.accused == EACH_OTHER for g in allegations)


# ---- the web pages and their JSON twins -----------------------------------------------------------

@pytest.fixture(scope="module")
def client(db):
    from fastapi.testclient import TestClient

    from claimwatch.web import create_app
    with TestClient(create_app(str(db))) as c:
        yield c


def test_api_ceasefires_and_one_agreement_with_its_timeline_by_side(client):
    data = client.get("/api/ceasefires").json()
    assert data["total"] == 3 and len(data["items"]) == 3
    first = next(a for a in data["items"] if a["agreed_on"] == "2023-05-20")
    one = client.get(f"/api/ceasefires/{first['id']}").json()
    assert one["status"] == "superseded" and one["timeline"]["sides"][:2] == ["Sudan", "Rapid Support Forces"]
    day = next(r for r in one["timeline"]["rows"] if r["day"] == "2023-05-23")
    assert any(v["accused"] == "Rapid Support Forces" and v["denied_by"] for v in day["cells"][0])
    assert client.get("/api/ceasefires/cf-nosuchthing").status_code == 404
    page = client.get(f"/ceasefires/{first['id']}")
    assert page.status_code == 200 and "Alleged violations by side" in page.text and "denied by" in page.text
    listing = client.get("/ceasefires")
    assert listing.status_code == 200 and f'href="/ceasefires/{first["id"]}"' in listing.text


def test_api_blame_filters_downloads_and_bad_values(client):
    data = client.get("/api/blame", params={"since": "", "until": "", "place": ""}).json()
    assert data["total"] == len(data["items"]) >= 3
    assert data["matrix"]["cells"]["Sudan"]["Rapid Support Forces"]["denied"] == 1
    assert client.get("/api/blame", params={"since": "2023-06-01"}).json()["total"] == 0
    bad = client.get("/api/blame", params={"since": "2023-02-30"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["param"] == "since"
    assert client.get("/api/blame", params={"format": "xml"}).status_code == 422
    rows = list(csv.DictReader(io.StringIO(client.get("/api/blame", params={"format": "csv"}).text)))
    assert {r["accuser"] for r in rows} >= {"Sudan", "Rapid Support Forces"}
    agreements = list(csv.DictReader(io.StringIO(client.get("/api/ceasefires?format=csv").text)))
    assert len(agreements) == 3
    page = client.get("/blame", params={"place": "Khartoum"})
    assert page.status_code == 200 and "Blame matrix" in page.text
