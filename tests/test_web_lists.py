"""The lists of the web API and pages as an analyst uses them: empty form fields, real calendar days,
choices, search input that is not FTS syntax, literal LIKE wildcards, totals, facets, sorting,
downloads of exactly the filtered rows, one error shape (500s included), uploads that store
nothing, and names instead of file names and codes.

Two stores: the sample store of test_web_api, and a "workbench" store written here whose rows
carry the traps (a place with "_" and "%" in its name, two claimants counting the same dead on
the same day, an event whose fatalities come from one report).
"""
from __future__ import annotations

import csv
import io
import json
import sys
import types
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from claimwatch.models import Article, Claim, Event, EventMention, Figure, Sentence
from claimwatch.store import Store
from claimwatch.web import create_app
from claimwatch.web.errors import CSP
from test_web_api import build_sample_store

LISTS = ["events", "disputes", "claims", "figures", "documents", "map", "search"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("lists") / "sample.db"
    build_sample_store(path).close()
    with TestClient(create_app(str(path), write_token="")) as c:
        yield c


# ---- the workbench store ---------------------------------------------------------------------------

WB_TEXT = (
    "Shelling hit the Kilometre_12 checkpoint near Tartar on Saturday, killing four soldiers, the regional "
    "governor said. "
    "Armenia's defense ministry said on Saturday that 2,317 of its soldiers had been killed since the fighting began. "
    "Azerbaijan's defense ministry said on Saturday that more than 5,000 Armenian soldiers had been killed. "
    "Drones struck the 100% Hill outpost on Sunday, the ministry said."
)
WB_SENTENCES = [s.strip() + "." for s in WB_TEXT.split(". ") if s.strip()]


def _span(sentence: str) -> tuple[int, int]:
    s = WB_TEXT.index(sentence.rstrip("."))
    return s, s + len(sentence.rstrip("."))


def build_workbench_store(path: Path) -> None:
    s1, s2, s3, s4 = WB_SENTENCES
    st = Store(path)
    sents = [Sentence(*_span(s)) for s in WB_SENTENCES]
    claims = [Claim(doc="wb", start=_span(s1)[0], end=_span(s1)[1], evidence=s1.rstrip("."), claimant="regional governor",
                    stance="assert", cue="said", claimant_affiliation="Azerbaijan", said_on="2020-11-14", id="c-gov"),
              Claim(doc="wb", start=_span(s4)[0], end=_span(s4)[1], evidence=s4.rstrip("."), claimant="the ministry",
                    stance="accuse", cue="said", said_on="2020-11-15", id="c-min")]

    def fig(fid: str, sentence: str, value: float, text: str, claimant: str, **kw) -> Figure:
        a, b = _span(sentence)
        vs = WB_TEXT.index(text, a)
        return Figure(doc="wb", start=a, end=b, evidence=WB_TEXT[a:b], value=value, value_text=text, value_start=vs,
                      value_end=vs + len(text), metric="killed", population="military", side="Armenia",
                      claimant=claimant, as_of="2020-11-14", id=fid, **kw)
    figures = [fig("f-am", s2, 2317, "2,317", "Armenia's defense ministry", subject="its soldiers"),
               fig("f-az", s3, 5000, "5,000", "Azerbaijan's defense ministry", subject="Armenian soldiers",
                   qualifier="more_than")]
    a1, b1 = _span(s1)
    a4, b4 = _span(s4)
    mentions = [EventMention(doc="wb", start=a1, end=b1, evidence=WB_TEXT[a1:b1], event_type="Explosions/Remote violence",
                             sub_event_type="Shelling/artillery/missile attack", date="2020-11-14", date_precision="day",
                             date_reason="test", location="Kilometre_12 checkpoint", latitude=40.34, longitude=46.93,
                             country="Azerbaijan", actor2="Military Forces of Armenia", fatalities=4,
                             claim_ids=["c-gov"]),
                EventMention(doc="wb", start=a4, end=b4, evidence=WB_TEXT[a4:b4], event_type="Explosions/Remote violence",
                             sub_event_type="Air/drone strike", date="2020-11-15", date_precision="day",
                             date_reason="test", location="100% Hill", latitude=40.2, longitude=46.8,
                             country="Azerbaijan", actor1="Military Forces of Azerbaijan", claim_ids=["c-min"])]
    st.add_document("wb", Article(source="wb_0001.txt", path="/in/wb_0001.txt", text=WB_TEXT,
                                  title="Checkpoint shelled as tolls diverge", outlet="Example Wire",
                                  published="2020-11-15", published_reason="header"),
                    sents, claims, figures, mentions)
    mids = [m for m, _ in st.mentions()]
    base = dict(event_type="Explosions/Remote violence", date_precision="day", country="Azerbaijan", admin_level=None,
                status="reported", status_reason="one report")
    st.replace_events([
        (Event(id="ev-km12", sub_event_type="Shelling/artillery/missile attack", date="2020-11-14",
               location="Kilometre_12 checkpoint", latitude=40.34, longitude=46.93, actor1=None,
               actor2="Military Forces of Armenia", fatalities=4, claim_ids=["c-gov"], **base), [mids[0]]),
        (Event(id="ev-hill", sub_event_type="Air/drone strike", date="2020-11-15", location="100% Hill",
               latitude=40.2, longitude=46.8, actor1="Military Forces of Azerbaijan", actor2=None, fatalities=None,
               claim_ids=["c-min"], **base), [mids[1]]),
    ])
    st.close()


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    path = tmp_path_factory.mktemp("lists") / "workbench.db"
    build_workbench_store(path)
    with TestClient(create_app(str(path), write_token="")) as c:
        yield c


# ---- empty fields, days, choices -------------------------------------------------------------------

@pytest.mark.parametrize("path,query", [
    ("/events", "place=Shushi&type=&side=&status=&since=&until=&sort="),
    ("/claims", "claimant=Aliyev&side=&stance=&outlet=&since=&until="),
    ("/map", "place=Shushi&type=&side=&status=&since=&until="),
    ("/figures", "metric=killed&population=&side=&claimant=&subject=&since=&until="),
    ("/documents", "outlet=Reuters&title=&since=&until=&sort="),
    ("/disputes", "place=Goranboy&side=&status=&since=&until="),
    ("/brief", "date="),
    ("/search", "q="),
])
def test_an_empty_form_field_is_no_filter(sample, path, query):
    one = query.split("&")[0]
    for prefix in ("", "/api"):
        full = sample.get(f"{prefix}{path}?{query}")
        assert full.status_code == 200, full.text[:300]
        if prefix and path not in ("/brief", "/map"):
            data = full.json()
            assert data == sample.get(f"/api{path}?{one}").json()
            assert data["filters"] == ({} if one.endswith("=") else dict([one.split("=")]))
            if data["filters"]:
                assert data["total"] >= 1, path


@pytest.mark.parametrize("path,param,value", [
    ("/api/events", "since", "2020-13-45"), ("/api/events", "until", "2021-02-29"),
    ("/api/brief", "date", "2020-02-30"), ("/api/claims", "day", "2020-04-31"),
    ("/api/figures", "since", "10/11/2020"), ("/api/documents", "until", "yesterday"),
    ("/api/map", "since", "2020-1-5"), ("/api/disputes", "day", "2020-00-10"),
])
def test_a_day_must_be_a_real_calendar_day(sample, path, param, value):
    r = sample.get(path, params={param: value})
    assert r.status_code == 422
    body = r.json()
    assert body["status"] == 422 and body["detail"].startswith(f"{param}: ")
    assert "YYYY-MM-DD" in body["detail"]
    assert body["errors"] == [{"param": param, "value": value, "expected": body["errors"][0]["expected"]}]
    page = sample.get(path.replace("/api", ""), params={param: value})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "YYYY-MM-DD" in page.text


def test_leap_days_and_ranges(sample):
    assert sample.get("/api/events", params={"since": "2020-02-29"}).status_code == 200
    r = sample.get("/api/events", params={"since": "2020-11-10", "until": "2020-11-01"})
    assert r.status_code == 422 and r.json()["errors"][0]["param"] == "until"


@pytest.mark.parametrize("path,param,value,allowed", [
    ("/api/claims", "stance", "denies", "assert, deny, accuse, confirm, doubt"),
    ("/api/figures", "metric", "deaths", "killed, wounded, displaced"),
    ("/api/figures", "population", "civilians", "military, civilian, mixed, unknown"),
    ("/api/events", "status", "bogus", "reported, disputed, denied, confirmed"),
    ("/api/disputes", "status", "reported", "disputed, denied"),
    ("/api/events", "sort", "random", "newest, oldest, fatalities, place"),
    ("/api/claims", "format", "xml", "json, csv, jsonl"),
    ("/api/events", "limit", "0", "a whole number from 1 to 500"),
    ("/api/events", "offset", "-1", "a whole number from 0 to"),
])
def test_a_bad_choice_lists_the_allowed_values(sample, path, param, value, allowed):
    r = sample.get(path, params={param: value})
    assert r.status_code == 422
    assert r.json()["detail"].startswith(f"{param}: ") and allowed in r.json()["detail"]


def test_choices_are_case_insensitive_and_documented(sample):
    assert {c["id"] for c in sample.get("/api/claims", params={"stance": "DENY"}).json()["items"]} == {
        "c-am-deny", "c-evil2"}
    spec = sample.get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/claims"]["get"]["parameters"]}
    assert params["stance"]["schema"]["enum"] == ["assert", "deny", "accuse", "confirm", "doubt"]
    assert params["since"]["schema"]["format"] == "date"
    assert set(params) >= {"since", "until", "day", "stance", "claimant", "side", "outlet", "sort", "limit", "offset",
                           "format"}


# ---- search and LIKE ---------------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["\x00", "Shushi\x00", "a\x00b", '"', '"Shushi', "NEAR(a b)", "*", "Shushi OR", "-x",
                               "title:Shushi", "^Shushi", "a AND", "(", ")", "{x}", "'; DROP TABLE events; --"])
def test_search_takes_any_text_as_words(sample, q):
    r = sample.get("/api/search", params={"q": q})
    assert r.status_code == 200, r.text
    if "".join(ch for ch in q if ch.isalnum()) == "Shushi":
        assert r.json()["total"] >= 1  # the words still count: "Shushi\x00" and '"Shushi' find Shushi


def test_search_finds_a_place_by_another_name_and_dates_its_hits(sample):
    data = sample.get("/api/search", params={"q": "Khankendi"}).json()
    assert "Stepanakert" in data["also"]
    hit = next(h for h in data["items"] if h["kind"] == "event")
    assert hit["ref"] == "ev-deploy" and hit["day"] == "2020-11-09" and hit["url"] == "/events/ev-deploy"
    doc_hit = next(h for h in sample.get("/api/search", params={"q": "Shushi"}).json()["items"]
                   if h["kind"] == "document")
    assert doc_hit["day"] == "2020-11-16"
    html = sample.get("/search", params={"q": "Khankendi"}).text
    assert "2020-11-09" in html and "Also searched: Stepanakert" in html


@pytest.mark.parametrize("param,value,expected", [
    ("place", "%", ["ev-hill"]), ("place", "_", ["ev-km12"]), ("place", "%12", []), ("place", "100%", ["ev-hill"]),
    ("place", "Kilometre_1", ["ev-km12"]), ("place", "Kilometre%", []), ("side", "%", []), ("side", "_", []),
])
def test_like_wildcards_are_taken_literally(bench, param, value, expected):
    assert [e["id"] for e in bench.get("/api/events", params={param: value}).json()["items"]] == expected


def test_claimant_wildcards_are_literal(sample):
    assert sample.get("/api/claims", params={"claimant": "%"}).json()["total"] == 0
    assert sample.get("/api/claims", params={"claimant": "_"}).json()["total"] == 0
    assert sample.get("/api/claims", params={"claimant": "Aliyev"}).json()["total"] == 1


# ---- totals, facets, sorting, downloads ------------------------------------------------------------

def test_every_list_answers_total_beside_its_items(sample):
    for name in LISTS:
        params = {"q": "Shushi"} if name == "search" else {}
        data = sample.get(f"/api/{name}", params={**params, "limit": 2}).json()
        items = data["features"] if name == "map" else data["items"]
        assert {"total", "limit", "offset", "next_offset"} <= set(data), name
        assert len(items) <= 2 and data["total"] >= len(items), name
        everything = sample.get(f"/api/{name}", params={**params, "limit": 100}).json()
        assert data["total"] == len(everything["features"] if name == "map" else everything["items"]), name
    assert sample.get("/api/events").json()["total"] == 5
    assert sample.get("/api/events", params={"status": "disputed"}).json()["total"] == 1
    assert sample.get("/api/events", params={"limit": 2, "offset": 4}).json()["total"] == 5


def test_facets_count_the_filtered_rows(sample):
    data = sample.get("/api/events").json()
    assert {f["value"]: f["count"] for f in data["facets"]["type"]} == {
        "Strategic developments": 3, "Explosions/Remote violence": 2}
    assert sum(f["count"] for f in data["facets"]["status"]) == data["total"]
    assert {f["value"] for f in data["facets"]["side"]} >= {"Government of Armenia", "Government of Azerbaijan"}
    narrowed = sample.get("/api/events", params={"type": "Strategic developments"}).json()
    assert "type" not in narrowed["facets"]  # one value: nothing to count
    assert {f["value"]: f["count"] for f in narrowed["facets"]["status"]} == {"reported": 2, "confirmed": 1}
    claims = sample.get("/api/claims").json()["facets"]
    assert {f["value"]: f["count"] for f in claims["stance"]}["deny"] == 2
    assert {f["value"] for f in claims["outlet"]} >= {"Reuters", "Newsweek"}
    html = sample.get("/events").text
    assert 'data-facet="type"' in html and 'href="/events?type=Strategic+developments"' in html


def test_facets_that_take_too_long_are_marked_not_waited_for(tmp_path, monkeypatch):
    from claimwatch.store import queries
    build_sample_store(tmp_path / "t.db").close()
    monkeypatch.setattr(queries, "FACET_TIME_LIMIT", -1.0)   # every facet is over its time
    monkeypatch.setattr(queries, "PROGRESS_STEPS", 1)
    with TestClient(create_app(str(tmp_path / "t.db"))) as c:
        data = c.get("/api/events", params={"since": "2020-01-01"}).json()
        assert data["total"] == 5 and len(data["items"]) == 5   # the rows and the total still come
        assert all(v == [{"value": None, "count": None, "timed_out": True}] for v in data["facets"].values())
        assert "too many rows to count quickly" in c.get("/events", params={"since": "2020-01-01"}).text


def test_sorting(sample):
    def ids(path, sort):
        return [e["id"] for e in sample.get(path, params={"sort": sort}).json()["items"]]
    assert ids("/api/events", "oldest")[0] == "ev-shell" and ids("/api/events", "newest")[-1] == "ev-shell"
    assert ids("/api/events", "fatalities")[0] == "ev-evil"  # 3 killed, then 0, then unknown
    assert ids("/api/events", "place")[:2] == ["ev-evil", "ev-shell"]  # "Evilville …", "Goranboy"
    claimants = [c["claimant"] for c in sample.get("/api/claims", params={"sort": "claimant", "limit": 100}).json()["items"]]
    assert claimants == sorted(claimants)
    values = [f["value"] for s in sample.get("/api/figures").json()["items"] for f in s["figures"]]
    assert values
    titles = [d["title"] for d in sample.get("/api/documents", params={"sort": "title"}).json()["items"]]
    assert titles == sorted(titles)


@pytest.mark.parametrize("name,params", [
    ("events", {"type": "Strategic developments"}), ("disputes", {}), ("claims", {"side": "Armenia"}),
    ("figures", {"metric": "killed"}), ("documents", {"since": "2020-11-01"}), ("map", {"status": "reported"}),
    ("search", {"q": "Shushi"}),
])
def test_downloads_hold_exactly_the_filtered_rows(sample, name, params):
    data = sample.get(f"/api/{name}", params=params).json()
    if name == "figures":
        expected = data["figures_total"]
    else:
        expected = data["total"]
    r = sample.get(f"/api/{name}", params={**params, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == expected > 0, (name, len(rows), expected)
    lines = sample.get(f"/api/{name}", params={**params, "format": "jsonl"}).text.splitlines()
    assert len(lines) == expected and all(json.loads(line) for line in lines)
    if name in ("events", "map", "disputes"):
        assert {row["event_id_cnty"] for row in rows} == {json.loads(line)["id"] for line in lines}
        gj = sample.get(f"/api/{name}", params={**params, "format": "geojson"}).json()
        assert gj["type"] == "FeatureCollection" and len(gj["features"]) == expected
    # the page links to exactly these downloads
    html = sample.get(f"/{name}", params=params).text
    assert f'data-format="csv" href="{data["downloads"]["csv"].replace("&", "&amp;")}"' in html


def test_csv_download_loads_in_pandas(sample):
    pd = pytest.importorskip("pandas")
    r = sample.get("/api/events", params={"type": "Strategic developments", "format": "csv"})
    df = pd.read_csv(io.StringIO(r.text))
    assert len(df) == 3 and set(df["event_type"]) == {"Strategic developments"}
    assert {"event_id_cnty", "event_date", "latitude", "longitude", "fatalities", "source", "notes"} <= set(df.columns)


# ---- errors: one shape, with the security headers --------------------------------------------------

def test_a_500_has_the_error_shape_and_the_security_headers(tmp_path, monkeypatch):
    build_sample_store(tmp_path / "s.db").close()
    from claimwatch.store import queries

    def broken(*a, **k):
        raise RuntimeError("boom")
    monkeypatch.setattr(queries, "list_page", broken)
    with TestClient(create_app(str(tmp_path / "s.db")), raise_server_exceptions=False) as c:
        r = c.get("/api/events")
        assert r.status_code == 500
        assert r.json() == {"detail": "internal error: the request could not be answered", "status": 500, "errors": []}
        page = c.get("/events")
        assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
        assert "boom" not in page.text and "boom" not in r.text   # no internals leak
        for resp in (r, page):
            assert resp.headers["content-security-policy"] == CSP
            assert resp.headers["x-content-type-options"] == "nosniff"
            assert resp.headers["x-frame-options"] == "DENY"


def test_errors_share_one_shape(sample):
    nf = sample.get("/api/events/nope").json()
    assert nf == {"detail": "event not found", "status": 404, "errors": []}
    bad = sample.get("/api/events", params={"limit": "lots"}).json()
    assert bad["status"] == 422 and bad["errors"][0]["param"] == "limit"
    too_long = sample.get("/api/events/" + "x" * 300).json()
    assert too_long["status"] == 422 and too_long["errors"][0]["param"] == "event_id"


# ---- uploads that store nothing --------------------------------------------------------------------

@pytest.fixture()
def fake_report(monkeypatch):
    """Stands in for the pipeline: answers the report the test sets."""
    box: dict = {}

    class Report:
        def __init__(self, **kw):
            self.__dict__.update(kw)

    def ingest_paths(store, paths, progress=False):
        return Report(**box["report"](paths))

    mod = types.ModuleType("claimwatch.pipeline")
    mod.ingest_paths = ingest_paths
    monkeypatch.setitem(sys.modules, "claimwatch.pipeline", mod)
    return box


def test_an_upload_that_stores_nothing_is_not_201(tmp_path, fake_report):
    Store(tmp_path / "u.db").close()
    ok = {"Authorization": "Bearer t"}
    with TestClient(create_app(str(tmp_path / "u.db"), write_token="t")) as c:
        fake_report["report"] = lambda paths: {"stored": 0, "skipped": 0, "duplicates": 0,
                                               "failed": [(paths[0], "empty after cleaning")]}
        r = c.post("/api/ingest", content=b"<html></html>", params={"filename": "a.html"}, headers=ok)
        assert r.status_code == 422 and r.json()["detail"] == "nothing stored: a.html: empty after cleaning"
        fake_report["report"] = lambda paths: {"stored": 0, "skipped": 1, "duplicates": 0, "failed": []}
        r = c.post("/api/ingest", content=b"Some article.", headers=ok)
        assert r.status_code == 200 and "already stored" in r.json()["detail"]
        fake_report["report"] = lambda paths: {"stored": 1, "skipped": 0, "duplicates": 0, "failed": []}
        assert c.post("/api/ingest", content=b"Some article.", headers=ok).status_code == 201


# ---- names, figures, map ---------------------------------------------------------------------------

def test_pages_name_articles_and_never_show_codes(sample, bench):
    ev = sample.get("/events/ev-shell").text
    assert "Reuters: Armenia, Azerbaijan trade accusations" in ev
    assert "004_reuters.txt" not in ev
    claims = sample.get("/claims", params={"side": "Armenia"}).text
    assert "in Reuters: Armenia, Azerbaijan trade accusations" in claims and ".txt" not in claims
    brief = sample.get("/brief", params={"date": "2020-11-10"}).text
    assert "002_liveblog.txt" not in brief and "Newsweek: Peace deal in Nagorno-Karabakh" in brief
    for path in ("/figures", "/events/ev-deal", "/brief?date=2020-11-10", "/documents/doc-deal"):
        html = sample.get(path).text
        assert "at_least" not in html and " mixed " not in html, path
    assert "at least 1,177 Armenian soldiers killed" in sample.get("/documents/doc-deal").text
    figures = sample.get("/figures").text
    assert ">unknown</a>" not in figures and ">unspecified</a>" in figures   # the population facet, in words


def test_an_events_fatalities_name_their_source(bench):
    ev = bench.get("/api/events/ev-km12").json()
    assert ev["fatalities"] == 4
    (src,) = ev["fatality_sources"]
    assert src["doc_outlet"] == "Example Wire" and src["evidence"].startswith("Shelling hit the Kilometre_12")
    html = bench.get("/events/ev-km12").text
    assert "according to" in html and "Example Wire: Checkpoint shelled as tolls diverge" in html


def test_a_missing_first_actor_is_not_a_dangling_vs(bench):
    html = bench.get("/events").text
    assert " vs Military Forces of Armenia" not in html and "Military Forces of Armenia" in html
    assert bench.get("/events/ev-km12").text.count(" vs ") == 0


def test_figures_series_compare_claimants_on_the_same_day(bench):
    data = bench.get("/api/figures").json()
    (series,) = data["items"]
    assert (series["metric"], series["population"], series["side"]) == ("killed", "military", "Armenia")
    assert series["title"] == "Killed — military — Armenia's side"
    assert {s["subject"] for s in series["subjects"]} == {"its soldiers", "Armenian soldiers"}  # raw wording kept
    assert {(line["claimant"], line["kind"]) for line in series["lines"]} == {
        ("Armenia's defense ministry", "running total"), ("Azerbaijan's defense ministry", "incident")}
    (day,) = series["spread"]
    assert day["day"] == "2020-11-14" and (day["low"], day["high"]) == (2317, 5000)
    assert day["text"] == "Armenia's defense ministry: 2,317; Azerbaijan's defense ministry: more than 5,000"
    html = bench.get("/figures").text
    assert "a spread of 2,317 to 5,000" in html
    assert 'width="100%"' in html and '%" cy=' in html  # x in percent: the chart resizes with the page


def test_map_geojson_takes_the_events_filters(sample):
    fc = sample.get("/api/map", params={"place": "Shushi"}).json()
    assert [f["id"] for f in fc["features"]] == ["ev-shushi"] and fc["total"] == 1
    assert fc["features"][0]["properties"]["title"] == "Non-violent transfer of territory in Shushi"
    fc = sample.get("/api/map", params={"side": "Russia"}).json()
    assert [f["id"] for f in fc["features"]] == ["ev-deploy"]
    html = sample.get("/map", params={"status": "reported"}).text
    assert 'data-api="/api/map?status=reported"' in html
    assert "/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in html


def test_adding_a_router_is_one_line(tmp_path, monkeypatch):
    """A new area (say, ceasefires) is a module under web/routers with `router` and `NAV`, named once in ROUTERS."""
    from fastapi import APIRouter

    from claimwatch.web import app as web_app
    mod = types.ModuleType("claimwatch.web.routers.ceasefires_demo")
    mod.router = APIRouter()
    mod.NAV = [(45, "/ceasefires-demo", "Ceasefires")]
    mod.router.get("/api/ceasefires-demo")(lambda: {"items": [], "total": 0})
    monkeypatch.setitem(sys.modules, mod.__name__, mod)
    monkeypatch.setattr(web_app, "ROUTERS", web_app.ROUTERS + ("ceasefires_demo",))
    Store(tmp_path / "r.db").close()
    with TestClient(web_app.create_app(str(tmp_path / "r.db"))) as c:
        assert c.get("/api/ceasefires-demo").json() == {"items": [], "total": 0}
        nav = c.get("/").text
        assert nav.index('href="/disputes"') < nav.index('href="/ceasefires-demo"') < nav.index('href="/figures"')
