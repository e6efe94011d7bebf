"""Merging event mentions into events: the "are these one event" predicates, and a cross-outlet
merge (two outlets, two tolls, one denial) through the real pipeline and store."""
from __future__ import annotations

import pytest

from claimwatch import resolve
from claimwatch.gazetteer import Gazetteer
from claimwatch.models import EventMention
from claimwatch.pipeline import ingest_paths
from claimwatch.store import Store
from conftest import write_file


def mention(location, date="2024-03-04", precision="day", doc="a", event_type="Explosions/Remote violence",
            sub="Air/drone strike", actor1=None, actor2=None, fatalities=None) -> EventMention:
    gaz = Gazetteer.default()
    place = gaz.lookup(location, ["Syria", "Palestine", "Ukraine"]) if location else None
    return EventMention(
        doc=doc, start=0, end=10, evidence="...", event_type=event_type, sub_event_type=sub, date=date,
        date_precision=precision, date_reason="", location=place.name if place else location,
        latitude=place.latitude if place else None, longitude=place.longitude if place else None,
        country=place.country if place else None, admin_level=place.admin_level if place else None,
        actor1=actor1, actor2=actor2, fatalities=fatalities)


# --------------------------------------------------------------------------- the predicates


def test_same_place_includes_a_place_inside_the_other():
    saraqib, idlib_province = mention("Saraqib"), mention("Idlib province")
    assert resolve.same_place(saraqib, idlib_province) and resolve.same_place(idlib_province, saraqib)
    assert resolve.same_place(saraqib, mention("Saraqib"))
    assert not resolve.same_place(saraqib, mention("Aleppo province"))
    assert not resolve.same_place(saraqib, mention("Ariha"))  # two towns of one province


def test_days_fit_within_a_window_but_two_fixed_days_are_two_events():
    monday = mention("Saraqib", "2024-03-04", "day")
    assert resolve.days_fit(monday, mention("Saraqib", "2024-03-05", "report"))
    assert resolve.days_fit(monday, mention("Saraqib", "2024-03-07", "report"))  # a later report refers back
    assert not resolve.days_fit(monday, mention("Saraqib", "2024-03-05", "day"))
    assert not resolve.days_fit(monday, mention("Saraqib", "2024-03-09", "report"))
    assert not resolve.days_fit(monday, mention("Saraqib", None, "unknown"))
    assert resolve.days_fit(mention("Saraqib", None, "unknown"), mention("Saraqib", None, "unknown"))
    assert not resolve.days_fit(mention("Saraqib", None, "unknown", doc="a"),
                                mention("Saraqib", None, "unknown", doc="b"))


def test_actors_compatible():
    israel = mention("Khan Younis", actor1="Military Forces of Israel")
    assert resolve.actors_compatible(israel, mention("Khan Younis", actor1="Israel"))
    assert resolve.actors_compatible(israel, mention("Khan Younis"))  # the other report names no attacker
    assert not resolve.actors_compatible(israel, mention("Khan Younis", actor1="Hamas"))
    # a battle: each report names one side
    a = mention("Bakhmut", event_type="Battles", sub="Armed clash", actor1="Russia")
    b = mention("Bakhmut", event_type="Battles", sub="Armed clash", actor1="Ukraine")
    assert resolve.actors_compatible(a, b)
    c = mention("Bakhmut", event_type="Battles", sub="Armed clash", actor1="Russia", actor2="Ukraine")
    d = mention("Bakhmut", event_type="Battles", sub="Armed clash", actor1="Ukraine", actor2="Russia")
    e = mention("Bakhmut", event_type="Battles", sub="Armed clash", actor1="Wagner Group", actor2="Ukraine")
    assert resolve.actors_compatible(c, d) and not resolve.actors_compatible(c, e)


def test_same_kind_merges_territory_whoever_took_it():
    taken = mention("Bakhmut", event_type="Battles", sub="Non-state actor overtakes territory")
    retaken = mention("Bakhmut", event_type="Battles", sub="Government regains territory")
    assert resolve.same_kind(taken, retaken)
    assert not resolve.same_kind(mention("Bakhmut"), mention("Bakhmut", sub="Shelling/artillery/missile attack"))


def test_merge_places_the_event_at_its_most_precise_report_and_never_chains_towns():
    reports = [(1, mention("Idlib province", precision="report", doc="a")),
               (2, mention("Saraqib", doc="b")),
               (3, mention("Ariha", doc="c"))]
    groups = resolve.merge(reports)
    assert sorted(sorted(mid for mid, _ in g) for g in groups) == [[1, 2], [3]]
    saraqib_event = next(g for g in groups if len(g) == 2)
    assert resolve.event_place([m for _, m in saraqib_event]).location == "Saraqib"


# --------------------------------------------------------------------------- through the pipeline

OUTLET_A = """ date 2024-03-05 Air strike kills 12 in Khan Younis • Example Wire

GAZA (Example Wire) – An Israeli air strike on a family home in Khan Younis killed 12 people on Monday, the Gaza health ministry said.

Rescue workers were still searching the rubble on Tuesday, the ministry said.
"""

OUTLET_B = """ date 2024-03-05 Israel denies striking Khan Younis home • Daily Example

An air strike hit a residential building in Khan Younis on Monday, killing nine people, civil defence officials said.

The Israeli military denied that its aircraft had bombed the building, saying its jets had targeted a militant command post in the area.
"""


@pytest.fixture(scope="module")
def two_outlets(tmp_path_factory):
    root = tmp_path_factory.mktemp("two_outlets")
    paths = [str(write_file(root / "in" / "wire.txt", OUTLET_A)),
             str(write_file(root / "in" / "daily.txt", OUTLET_B))]
    db = root / "events.db"
    with Store(db) as s:
        report = ingest_paths(s, paths, report_line=lambda line: None)
        assert report.ok and report.stored == 2, report
        events = [s.event(e["id"]) for e in s.events(limit=100)]
        figures = [dict(f) for f in s.figures(limit=100)]
    return events, figures


def test_same_strike_from_two_outlets_is_one_disputed_event(two_outlets):
    events, _ = two_outlets
    strikes = [e for e in events if e["location"] == "Khan Younis"
               and e["event_type"] == "Explosions/Remote violence"]
    assert len(strikes) == 1, strikes
    e = strikes[0]
    assert e["date"] == "2024-03-04"
    assert len(e["documents"]) == 2 and sorted(e["sources"]) == ["daily.txt", "wire.txt"]
    assert e["status"] == "disputed", e["status_reason"]


def test_each_outlet_keeps_its_own_toll(two_outlets):
    _, figures = two_outlets
    tolls = {(f["source"], f["value"]) for f in figures if f["metric"] == "killed"}
    assert ("wire.txt", 12) in tolls and ("daily.txt", 9) in tolls
