"""Exports of a store built from hand-written articles: ACLED-style CSV, GeoJSON and the JSONL of FORMAT.md.

The store is built once through ingest_paths from text files and a JSONL file; each format is
written once through `claimwatch export --output` and read back.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from datetime import date

import pandas as pd
import pytest

from claimwatch.cli import main
from claimwatch.pipeline import ingest_paths
from claimwatch.store import Store
from conftest import write_file

ACLED_SUB_EVENT_TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}
ACLED_COLUMNS = ["event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "location",
                 "latitude", "longitude", "geo_precision", "time_precision", "fatalities", "source", "notes"]

YEMEN = [
    {"title": "Coalition jets strike Hodeidah port", "outlet": "Gulf Monitor", "published": "2021-03-09",
     "url": "https://example.org/2021/03/09/hodeidah",
     "text": "Saudi-led coalition air strikes hit the port of Hodeidah on Monday, killing four dock workers, "
             "Houthi officials said.\n\nThe coalition said it had targeted a weapons depot used by the Houthis "
             "and that no civilians had been hurt."},
    {"title": "Protesters rally in Taiz", "outlet": "Gulf Monitor", "published": "2021-03-10",
     "url": "https://example.org/2021/03/10/taiz",
     "text": "Hundreds of people protested in Taiz on Tuesday against the siege of the city, witnesses said."
             "\n\nThe demonstrators demanded that the roads into the city be reopened."},
]

FILES = {
    # published on Monday 2022-09-12: the shelling was on Sunday evening
    "kramatorsk_sep12.txt": """ date 2022-09-12 Shells hit Kramatorsk as Ukraine pushes east • Example Wire

KRAMATORSK, Ukraine (Example Wire) – Russian forces shelled the centre of Kramatorsk on Sunday evening, killing at least three people and wounding eight, the regional governor said.

Ukrainian forces recaptured the town of Izium on Saturday, the general staff said, as Moscow's troops fell back across the Kharkiv region.

Russia's defence ministry said its units were regrouping and denied that Izium had been abandoned.
""",
    # the day after, the same shelling with a higher toll
    "kramatorsk_sep13.txt": """ date 2022-09-13 Kramatorsk counts its dead • Donbas Daily

SLOVIANSK (Donbas Daily) – Russian artillery shelled Kramatorsk on Sunday, killing five civilians, Ukrainian officials said.

The Kremlin denied that its forces had targeted civilians in Kramatorsk.
""",
    "yemen.jsonl": "\n".join(json.dumps(r) for r in YEMEN) + "\n",
    # no date anywhere
    "mariupol_undated.txt": """Ukrainian marines clashed with Russian troops in Mariupol, killing at least ten Russian soldiers, the regiment's commander said.

The commander said the fighting at the steel plant had gone on for hours.
""",
}
SOURCES = set(FILES)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("exports")
    paths = [str(write_file(root / "in" / name, text)) for name, text in FILES.items()]
    db = root / "exports.db"
    with Store(db) as s:
        report = ingest_paths(s, paths, report_line=lambda line: None)
        assert report.ok and report.stored == 5, report
        texts = {d["id"]: s.document(d["id"])["text"] for d in s.documents()}
    out = {}
    for fmt, name in (("acled-csv", "events.csv"), ("geojson", "events.geojson"), ("jsonl", "export.jsonl")):
        assert main(["--db", str(db), "export", "--format", fmt, "--output", str(root / name)]) == 0
        out[fmt] = root / name
    return {"db": db, "texts": texts, **out}


@pytest.fixture(scope="module")
def records(exported):
    lines = exported["jsonl"].read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def kind(records, k):
    return [r for r in records if r["kind"] == k]


@pytest.fixture(scope="module")
def acled(exported):
    return pd.read_csv(exported["acled-csv"])


@pytest.fixture(scope="module")
def geo(exported):
    return json.loads(exported["geojson"].read_text(encoding="utf-8"))


def row(df, location, sub_event_type=None):
    sel = df[(df["location"] == location)
             & ((df["sub_event_type"] == sub_event_type) if sub_event_type else True)]
    assert len(sel) == 1, f"expected one {sub_event_type or 'event'} row at {location}, got {len(sel)}"
    return sel.iloc[0]


# ---- ACLED CSV --------------------------------------------------------------------------------------

def test_acled_csv_has_acleds_columns_and_one_row_per_event(acled, records):
    assert set(ACLED_COLUMNS) <= set(acled.columns)
    assert len(acled) == len(kind(records, "event")) == 5
    assert acled["event_id_cnty"].is_unique


def test_acled_csv_types_places_and_precisions_are_sensible(acled):
    for _, r in acled.iterrows():
        assert r["sub_event_type"] in ACLED_SUB_EVENT_TYPES[r["event_type"]]
        assert isinstance(r["location"], str) and r["location"]
        assert isinstance(r["country"], str) and r["country"]
        assert -90 <= r["latitude"] <= 90 and -180 <= r["longitude"] <= 180
        assert r["geo_precision"] in (1, 2, 3)
        assert r["fatalities"] >= 0 and float(r["fatalities"]).is_integer()
        assert set(r["source"].split("; ")) <= SOURCES
        assert isinstance(r["notes"], str) and r["notes"]
    dated = acled[acled["event_date"].notna()]
    assert len(dated) == 4
    for d in dated["event_date"]:
        date.fromisoformat(d)
    assert set(dated["time_precision"]) <= {1, 2, 3}
    assert pd.api.types.is_float_dtype(acled["latitude"]) and pd.api.types.is_float_dtype(acled["longitude"])


def test_acled_csv_row_for_the_shelling_reported_by_two_articles(acled):
    r = row(acled, "Kramatorsk")
    assert r["event_date"] == "2022-09-11"  # "Sunday evening" / "on Sunday", not the days of the reports
    assert r["time_precision"] == 1
    assert (r["event_type"], r["sub_event_type"]) == ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert r["country"] == "Ukraine"
    assert r["geo_precision"] == 1  # a city
    assert r["fatalities"] == 3  # "at least three" against "five": the more conservative
    assert set(r["source"].split("; ")) == {"kramatorsk_sep12.txt", "kramatorsk_sep13.txt"}
    assert "shelled the centre of Kramatorsk" in r["notes"]
    assert abs(r["latitude"] - 48.7) < 0.3 and abs(r["longitude"] - 37.6) < 0.3


def test_acled_csv_territory_and_protest_rows(acled):
    izium = row(acled, "Izium")
    assert (izium["event_type"], izium["sub_event_type"]) == ("Battles", "Government regains territory")
    assert izium["actor1"] == "Military Forces of Ukraine"
    assert izium["event_date"] == "2022-09-10"
    taiz = row(acled, "Taiz")
    assert (taiz["event_type"], taiz["sub_event_type"]) == ("Protests", "Peaceful protest")
    assert taiz["event_date"] == "2021-03-09" and taiz["country"] == "Yemen"
    assert taiz["fatalities"] == 0
    assert taiz["source"] == "yemen.jsonl"


def test_acled_csv_event_from_a_jsonl_article(acled):
    r = row(acled, "Hodeidah")
    assert (r["event_type"], r["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert r["event_date"] == "2021-03-08"  # "on Monday" before the published Tuesday
    assert r["fatalities"] == 4
    assert r["source"] == "yemen.jsonl"


def test_acled_csv_undated_event_has_no_made_up_date(acled):
    r = row(acled, "Mariupol")
    assert pd.isna(r["event_date"]) and pd.isna(r["time_precision"])
    assert (r["event_type"], r["sub_event_type"]) == ("Battles", "Armed clash")
    assert r["fatalities"] == 10
    assert r["source"] == "mariupol_undated.txt"


# ---- GeoJSON --------------------------------------------------------------------------------------

def test_geojson_is_a_feature_collection_of_points(geo, records):
    assert geo["type"] == "FeatureCollection"
    assert isinstance(geo["features"], list)
    assert len(geo["features"]) == len(kind(records, "event"))
    for f in geo["features"]:
        assert f["type"] == "Feature"
        assert set(f) >= {"type", "geometry", "properties"}
        g = f["geometry"]
        assert g["type"] == "Point"
        assert isinstance(g["coordinates"], list) and len(g["coordinates"]) == 2
        lon, lat = g["coordinates"]
        assert all(isinstance(v, (int, float)) and math.isfinite(v) for v in (lon, lat))
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert isinstance(f["properties"], dict)


def test_geojson_coordinates_are_lon_lat_of_the_event(geo, records):
    events = {e["id"]: e for e in kind(records, "event")}
    for f in geo["features"]:
        e = events[f["properties"]["id"]]
        assert f["geometry"]["coordinates"] == [e["longitude"], e["latitude"]]
    kram = next(f for f in geo["features"] if f["properties"]["location"] == "Kramatorsk")
    lon, lat = kram["geometry"]["coordinates"]
    assert 37 < lon < 38.5 and 48 < lat < 49.5  # east of Greenwich, north of the equator: not swapped


def test_geojson_properties_are_the_events_fields(geo, records):
    events = {e["id"]: e for e in kind(records, "event")}
    for f in geo["features"]:
        p = f["properties"]
        e = events[p["id"]]
        assert f.get("id", p["id"]) == p["id"]
        for k in ("event_type", "sub_event_type", "date", "location", "country", "actor1", "actor2",
                  "fatalities", "status"):
            assert p[k] == e[k], k
        assert sorted(p["sources"]) == sorted(e["sources"])
        assert sorted(p["documents"]) == sorted(e["documents"])
    hodeidah = next(f["properties"] for f in geo["features"] if f["properties"]["location"] == "Hodeidah")
    assert hodeidah["date"] == "2021-03-08" and hodeidah["country"] == "Yemen" and hodeidah["fatalities"] == 4
    undated = next(f["properties"] for f in geo["features"] if f["properties"]["location"] == "Mariupol")
    assert undated["date"] is None


# ---- JSONL (FORMAT.md) ----------------------------------------------------------------------------

def test_jsonl_documents(records):
    docs = kind(records, "document")
    assert len(docs) == 5
    for d in docs:
        assert {"id", "source", "title", "outlet", "published"} <= set(d)
        assert d["source"] in SOURCES
    by_source = {}
    for d in docs:
        by_source.setdefault(d["source"], []).append(d)
    assert sorted(d["published"] for d in by_source["yemen.jsonl"]) == ["2021-03-09", "2021-03-10"]
    assert by_source["kramatorsk_sep12.txt"][0]["published"] == "2022-09-12"
    assert by_source["mariupol_undated.txt"][0]["published"] is None


def test_jsonl_event_records_have_the_contract_fields(records):
    events = kind(records, "event")
    assert len(events) == 5
    assert len({e["id"] for e in events}) == 5
    for e in events:
        for k in ("id", "event_type", "date", "location", "latitude", "longitude", "country", "status",
                  "claims", "documents", "sources"):
            assert k in e, k
        assert e["sub_event_type"] in ACLED_SUB_EVENT_TYPES[e["event_type"]]
        assert e["date"] is None or date.fromisoformat(e["date"])
        assert e["status"] in ("reported", "disputed", "denied", "confirmed")
        assert isinstance(e["claims"], list) and isinstance(e["documents"], list) and e["documents"]
        assert isinstance(e["sources"], list) and set(e["sources"]) <= SOURCES


def test_jsonl_event_links_point_to_exported_records(records):
    docs = {d["id"]: d for d in kind(records, "document")}
    claims = {c["id"] for c in kind(records, "claim")}
    for e in kind(records, "event"):
        assert set(e["claims"]) <= claims
        assert set(e["documents"]) <= set(docs)
        assert sorted(e["sources"]) == sorted({docs[d]["source"] for d in e["documents"]})
    kram = next(e for e in kind(records, "event") if e["location"] == "Kramatorsk")
    assert sorted(docs[d]["source"] for d in kram["documents"]) == ["kramatorsk_sep12.txt", "kramatorsk_sep13.txt"]
    assert kram["date"] == "2022-09-11" and kram["country"] == "Ukraine" and kram["fatalities"] == 3
    assert len(kram["claims"]) >= 2  # the governor and the Ukrainian officials


def test_jsonl_claim_and_figure_evidence_is_the_document_text_at_their_span(records, exported):
    texts = exported["texts"]
    docs = {d["id"]: d for d in kind(records, "document")}
    claims, figures = kind(records, "claim"), kind(records, "figure")
    assert claims and figures
    for r in claims + figures:
        assert r["doc"] in docs
        assert r["source"] == docs[r["doc"]]["source"]
        assert r["evidence"] == texts[r["doc"]][r["start"]:r["end"]]
    for c in claims:
        assert c["claimant"] and c["stance"] in ("assert", "deny", "accuse", "confirm", "doubt")
    for f in figures:
        assert isinstance(f["value"], (int, float))
        assert f["metric"] in ("killed", "wounded", "displaced", "deployed", "present", "detained",
                               "participants", "other")
    killed = {(f["source"], f["value"]) for f in figures if f["metric"] == "killed"}
    assert {("kramatorsk_sep12.txt", 3), ("kramatorsk_sep13.txt", 5), ("yemen.jsonl", 4),
            ("mariupol_undated.txt", 10)} <= killed


def test_export_to_stdout_is_the_same_as_to_a_file(exported, capsys):
    for fmt in ("jsonl", "acled-csv", "geojson"):
        capsys.readouterr()
        assert main(["--db", str(exported["db"]), "export", "--format", fmt]) == 0
        assert capsys.readouterr().out == exported[fmt].read_text(encoding="utf-8"), fmt


RESOLVE_AND_EXPORT = """
import sys
from claimwatch import export
from claimwatch.resolve import resolve_store
from claimwatch.store import Store
with Store(sys.argv[1]) as s:
    resolve_store(s)
    export.write_acled_csv(s, sys.stdout)
"""


def test_resolving_the_same_store_twice_gives_the_same_acled_export(exported, tmp_path):
    outputs = []
    for seed in ("0", "1"):
        db = tmp_path / f"copy_{seed}.db"
        shutil.copy(exported["db"], db)
        proc = subprocess.run([sys.executable, "-c", RESOLVE_AND_EXPORT, str(db)], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120)
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1]
