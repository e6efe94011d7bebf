"""The web app and its JSON API over a small hand-written store (FastAPI TestClient).

Covers the pages and their /api twins, escaping of hostile article text, the security
headers, pagination bounds, 404s, the write endpoint's token rules, and the briefing.
"""
from __future__ import annotations

import re
import sys
import types
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from claimwatch import brief as briefing
from claimwatch.models import Article, Claim, Event, EventMention, Figure, Section, Sentence
from claimwatch.store import Store
from claimwatch.web import create_app
from claimwatch.web.app import CSP, MAX_UPLOAD, safe_filename, safe_href

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"

DISPUTE_TEXT = (
    "Azerbaijan and Armenia traded accusations on Tuesday. "
    "Defense ministry spokesman Vagif Dargiahly said Armenia was shelling the Azeri territories of Goranboy and Aghdam. "
    "Armenian defense ministry spokeswoman Shushan Stepanyan denied the accusation. "
    "Armenia's defense ministry said 532 of its soldiers had been killed since the fighting began."
)
DEAL_TEXT = (
    "Nov. 10: what you need to know today\n\n"
    "A peace deal was struck between warring Armenia and Azerbaijan overnight to end weeks of bloody fighting. "
    "Armenian Prime Minister Nikol Pashinyan said he had signed the peace deal, AFP reported. "
    "Azerbaijan's President Ilham Aliyev said the Armenian leader had to sign the agreement. "
    "Russian President Vladimir Putin said the agreement was in the interests of both the Armenian and Azerbaijani peoples. "
    "A total of 1,960 Russian soldiers will be deployed under the agreement. "
    "Armenia's defense ministry said 1,177 of its soldiers had been killed. "
    "Residents of Shushi fled the town."
)
HOSTILE_TEXT = (
    f"Breaking {HOSTILE_SCRIPT} news. "
    f"A spokesman {HOSTILE_IMG} said the village of Evilville was shelled. "
    "Officials said nothing else \x1b[31mred\x1b[0m happened."
)


def _span(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


def _sentences(text: str) -> list[Sentence]:
    out, pos = [], 0
    for m in re.finditer(r"[^.!?\n]+[.!?]?", text):
        if m.group().strip():
            out.append(Sentence(m.start(), m.end(), 0))
        pos = m.end()
    return out


def _claim(doc: str, text: str, sentence: str, cid: str, claimant: str, stance: str, side: str | None,
           said_on: str | None, outlet: str | None = None) -> Claim:
    s, e = _span(text, sentence)
    return Claim(doc=doc, start=s, end=e, evidence=sentence, claimant=claimant, stance=stance, cue="said",
                 claimant_affiliation=side, outlet=outlet, said_on=said_on, said_on_reason="test", id=cid)


def _mention(doc: str, text: str, sentence: str, **kw) -> EventMention:
    s, e = _span(text, sentence)
    base = dict(doc=doc, start=s, end=e, evidence=sentence, date_precision="day", date_reason="test")
    base.update(kw)
    return EventMention(**base)


def _figure(doc: str, text: str, sentence: str, value: float, value_text: str, fid: str, **kw) -> Figure:
    s, e = _span(text, sentence)
    vs = text.index(value_text, s)
    return Figure(doc=doc, start=s, end=e, evidence=sentence, value=value, value_text=value_text,
                  value_start=vs, value_end=vs + len(value_text), id=fid, **kw)


def build_sample_store(path: Path) -> Store:
    """A small store of realistic rows: a dispute, the peace deal, and a hostile article."""
    st = Store(path)
    # 1. A shelling claim denied by the other side (2020-10-13).
    t = DISPUTE_TEXT
    s1 = "Defense ministry spokesman Vagif Dargiahly said Armenia was shelling the Azeri territories of Goranboy and Aghdam."
    s2 = "Armenian defense ministry spokeswoman Shushan Stepanyan denied the accusation."
    s3 = "Armenia's defense ministry said 532 of its soldiers had been killed since the fighting began."
    claims1 = [_claim("doc-dispute", t, s1, "c-az-shell", "Vagif Dargiahly", "accuse", "Azerbaijan", "2020-10-13"),
               _claim("doc-dispute", t, s2, "c-am-deny", "Shushan Stepanyan", "deny", "Armenia", "2020-10-13"),
               _claim("doc-dispute", t, s3, "c-am-dead1", "Armenia's defense ministry", "assert", "Armenia",
                      "2020-10-13")]
    m1 = _mention("doc-dispute", t, s1, event_type="Explosions/Remote violence",
                  sub_event_type="Shelling/artillery/missile attack", date="2020-10-13", location="Goranboy",
                  latitude=40.61, longitude=46.79, country="Azerbaijan", actor1="Military Forces of Armenia",
                  claim_ids=["c-az-shell", "c-am-deny"])
    f1 = _figure("doc-dispute", t, s3, 532, "532", "f-dead-1", metric="killed", population="military",
                 subject="Armenian soldiers", side="Armenia", claimant="Armenia's defense ministry", as_of="2020-10-13")
    st.add_document("doc-dispute", Article(source="004_reuters.txt", path="/corpus/004_reuters.txt", text=t,
                                           title="Armenia, Azerbaijan trade accusations", outlet="Reuters",
                                           published="2020-10-13", published_reason="dateline",
                                           url="https://example.org/reuters/1"),
                    _sentences(t), claims1, [f1], [m1])
    # 2. The peace deal (struck overnight, 2020-11-09/10) with claims made on 2020-11-10.
    t = DEAL_TEXT
    d1 = "A peace deal was struck between warring Armenia and Azerbaijan overnight to end weeks of bloody fighting."
    d2 = "Armenian Prime Minister Nikol Pashinyan said he had signed the peace deal, AFP reported."
    d3 = "Azerbaijan's President Ilham Aliyev said the Armenian leader had to sign the agreement."
    d4 = ("Russian President Vladimir Putin said the agreement was in the interests of both the Armenian and "
          "Azerbaijani peoples.")
    d5 = "A total of 1,960 Russian soldiers will be deployed under the agreement."
    d6 = "Armenia's defense ministry said 1,177 of its soldiers had been killed."
    d7 = "Residents of Shushi fled the town."
    claims2 = [_claim("doc-deal", t, d2, "c-pashinyan", "Nikol Pashinyan", "assert", "Armenia", "2020-11-10", "AFP"),
               _claim("doc-deal", t, d3, "c-aliyev", "Ilham Aliyev", "assert", "Azerbaijan", "2020-11-10"),
               _claim("doc-deal", t, d4, "c-putin", "Vladimir Putin", "assert", "Russia", "2020-11-10"),
               _claim("doc-deal", t, d6, "c-am-dead2", "Armenia's defense ministry", "assert", "Armenia",
                      "2020-11-10")]
    m2 = _mention("doc-deal", t, d1, event_type="Strategic developments", sub_event_type="Agreement",
                  date="2020-11-09", location="Nagorno-Karabakh", latitude=39.85, longitude=46.75,
                  country="Azerbaijan", actor1="Government of Armenia", actor2="Government of Azerbaijan",
                  fatalities=0, claim_ids=["c-pashinyan", "c-aliyev", "c-putin"])
    m3 = _mention("doc-deal", t, d7, event_type="Strategic developments", sub_event_type="Non-violent transfer of territory",
                  date="2020-11-10", location="Shushi", latitude=39.759, longitude=46.748, country="Azerbaijan")
    m5 = _mention("doc-deal", t, d5, event_type="Strategic developments", sub_event_type="Change to group/activity",
                  date="2020-11-09", location="Stepanakert", latitude=39.815, longitude=46.752, country="Azerbaijan",
                  actor1="Military Forces of Russia")
    figs2 = [_figure("doc-deal", t, d5, 1960, "1,960", "f-deploy", metric="deployed", population="military",
                     subject="Russian soldiers", side="Russia", claimant=None, as_of="2020-11-10"),
             _figure("doc-deal", t, d6, 1177, "1,177", "f-dead-2", metric="killed", population="military",
                     subject="Armenian soldiers", side="Armenia", claimant="Armenia's defense ministry",
                     as_of="2020-11-10", qualifier="at_least")]
    st.add_document("doc-deal", Article(source="002_liveblog.txt", path="/corpus/002_liveblog.txt", text=t,
                                        title="Peace deal in Nagorno-Karabakh", outlet="Newsweek",
                                        published="2020-11-16", published_reason="header",
                                        sections=[Section(0, len(t), "Nov. 10: what you need to know today",
                                                          "2020-11-10", "heading")]),
                    _sentences(t), claims2, figs2, [m2, m3, m5])
    # 3. Hostile input everywhere a string can go.
    t = HOSTILE_TEXT
    h1 = f"A spokesman {HOSTILE_IMG} said the village of Evilville was shelled."
    h0 = f"Breaking {HOSTILE_SCRIPT} news."
    claims3 = [_claim("doc-evil", t, h1, "c-evil", f"Spokesman {HOSTILE_SCRIPT}", "accuse",
                      f"Side {HOSTILE_IMG}", "2020-11-10", outlet=f"{HOSTILE_IMG}"),
               _claim("doc-evil", t, h0, "c-evil2", "Officials", "deny", "Armenia", "2020-11-10")]
    m4 = _mention("doc-evil", t, h1, event_type="Explosions/Remote violence",
                  sub_event_type=f"Shelling {HOSTILE_SCRIPT}", date="2020-11-10",
                  location=f"Evilville {HOSTILE_IMG}", latitude=40.0, longitude=45.0, country="Armenia",
                  actor1=f"Actor {HOSTILE_SCRIPT}", claim_ids=["c-evil", "c-evil2"])
    f3 = Figure(doc="doc-evil", start=0, end=len(h0), evidence=h0, value=7, value_text=f"7 {HOSTILE_IMG}",
                metric="killed", subject=f"Victims {HOSTILE_SCRIPT}", claimant=f"{HOSTILE_IMG}",
                as_of="2020-11-10", id="f-evil")
    st.add_document("doc-evil", Article(source="evil.html", path="/corpus/evil.html", text=t,
                                        title=f"{HOSTILE_SCRIPT} Breaking {HOSTILE_IMG}",
                                        outlet=f"Outlet {HOSTILE_IMG}", published="2020-11-10",
                                        published_reason="test", url="javascript:alert(1)"),
                    _sentences(t), claims3, [f3], [m4])
    # events, resolved by hand
    mids = {m[1].evidence: m[0] for m in st.mentions()}
    ev = dict(admin_level=None, fatalities=None)
    st.replace_events([
        (Event(id="ev-shell", event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
               date="2020-10-13", date_precision="day", location="Goranboy", latitude=40.61, longitude=46.79,
               country="Azerbaijan", actor1="Military Forces of Armenia", actor2=None, status="disputed",
               status_reason="Azerbaijan accuses; Armenia denies", claim_ids=["c-az-shell", "c-am-deny"], **ev),
         [mids[s1]]),
        (Event(id="ev-deal", event_type="Strategic developments", sub_event_type="Agreement", date="2020-11-09",
               date_precision="day", location="Nagorno-Karabakh", latitude=39.85, longitude=46.75,
               country="Azerbaijan", actor1="Government of Armenia", actor2="Government of Azerbaijan",
               status="confirmed", status_reason="both sides signed", claim_ids=["c-pashinyan", "c-aliyev", "c-putin"],
               admin_level="region", fatalities=0),
         [mids[d1]]),
        (Event(id="ev-shushi", event_type="Strategic developments", sub_event_type="Non-violent transfer of territory",
               date="2020-11-10", date_precision="day", location="Shushi", latitude=39.759, longitude=46.748,
               country="Azerbaijan", actor1=None, actor2=None, status="reported", status_reason="one report",
               claim_ids=[], **ev),
         [mids[d7]]),
        (Event(id="ev-deploy", event_type="Strategic developments", sub_event_type="Change to group/activity",
               date="2020-11-09", date_precision="day", location="Stepanakert", latitude=39.815, longitude=46.752,
               country="Azerbaijan", actor1="Military Forces of Russia", actor2=None, status="reported",
               status_reason="one report", claim_ids=[], **ev),
         [mids[d5]]),
        (Event(id="ev-evil", event_type="Explosions/Remote violence", sub_event_type=f"Shelling {HOSTILE_SCRIPT}",
               date="2020-11-10", date_precision="day", location=f"Evilville {HOSTILE_IMG}", latitude=40.0,
               longitude=45.0, country="Armenia", actor1=f"Actor {HOSTILE_SCRIPT}", actor2=None, status="denied",
               status_reason=f"reason {HOSTILE_IMG}", claim_ids=["c-evil", "c-evil2"], admin_level=None,
               fatalities=3),
         [mids[h1]]),
    ])
    return st


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("web") / "sample.db"
    build_sample_store(path).close()
    return path


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(str(db), write_token="")) as c:
        yield c


class _TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    p = _TagCollector()
    p.feed(html)
    return p.tags


def _assert_no_raw_hostile(html: str) -> None:
    assert HOSTILE_SCRIPT not in html
    assert HOSTILE_IMG not in html
    tags = _tags(html)
    assert not [t for t, _ in tags if t == "img"]
    assert not [v for _, attrs in tags for a, v in attrs if a == "href" and (v or "").startswith("javascript:")]


# ---- pages ---------------------------------------------------------------------------------------

PAGES = ["/", "/brief?date=2020-11-10", "/brief", "/events", "/events/ev-deal", "/events/ev-evil", "/events/ev-shell",
         "/map", "/disputes", "/figures", "/claims", "/search?q=Shushi", "/search?q=Evilville", "/documents",
         "/documents/doc-evil", "/documents/doc-deal?hl=10-40", "/docs"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_with_security_headers(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == CSP
    for part in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                 "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert part in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    html = r.text
    _assert_no_raw_hostile(html)
    # no inline script or style, no event-handler attributes anywhere in the parsed markup
    tags = _tags(html)
    assert not [a for _, attrs in tags for a, _v in attrs if a.startswith("on") or a == "style"]
    assert all(dict(attrs).get("src", "").startswith("/static/") for t, attrs in tags if t == "script")
    assert not [t for t, _ in tags if t in ("style", "iframe", "object", "embed", "img")]


def test_hostile_text_is_escaped(client):
    for url in ("/documents/doc-evil", "/events/ev-evil", "/claims", "/brief?date=2020-11-10", "/disputes",
                "/figures", "/search?q=Breaking", "/documents", "/events"):
        html = client.get(url).text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&lt;img src=x onerror=alert(1)&gt;" in html, url
        _assert_no_raw_hostile(html)
    doc = client.get("/documents/doc-evil").text
    assert 'href="javascript:' not in doc  # a javascript: URL is shown as text, never linked
    assert "\x1b" not in client.get("/api/brief", params={"date": "2020-11-10"}).text.replace("\\u001b", "")


def test_static_assets_are_served_locally(client):
    for path in ("/static/style.css", "/static/map.js", "/static/docs.js", "/static/vendor/leaflet/leaflet.js",
                 "/static/vendor/leaflet/leaflet.css", "/static/vendor/swagger-ui/swagger-ui-bundle.js"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["x-content-type-options"] == "nosniff"
    gj = client.get("/static/vendor/countries-110m.geojson").json()
    assert gj["type"] == "FeatureCollection"
    names = {f["properties"]["name"] for f in gj["features"]}
    assert {"Armenia", "Azerbaijan", "Russia"} <= names
    map_tags = _tags(client.get("/map").text)
    urls = [v for _, attrs in map_tags for a, v in attrs if a in ("src", "href") and v]
    assert "/static/vendor/leaflet/leaflet.js" in urls
    assert not [u for u in urls if u.startswith(("http:", "https:", "//"))]  # nothing from elsewhere


# ---- API -----------------------------------------------------------------------------------------

def test_api_events_filters_and_pagination(client):
    r = client.get("/api/events")
    assert r.status_code == 200
    data = r.json()
    ids = [e["id"] for e in data["items"]]
    assert set(ids) == {"ev-deal", "ev-deploy", "ev-evil", "ev-shushi", "ev-shell"}
    assert ids[-1] == "ev-shell"  # newest first
    assert data["next_offset"] is None
    seen = []
    for offset in (0, 2, 4):
        page = client.get("/api/events", params={"limit": 2, "offset": offset}).json()
        seen += [e["id"] for e in page["items"]]
        assert page["next_offset"] == (offset + 2 if offset < 4 else None)
    assert seen == ids  # pages partition the list in order
    oldest = client.get("/api/events", params={"sort": "oldest"}).json()["items"]
    assert oldest[0]["id"] == "ev-shell"
    assert [e["id"] for e in client.get("/api/events", params={"status": "disputed"}).json()["items"]] == ["ev-shell"]
    assert [e["id"] for e in client.get("/api/events", params={"place": "Shushi"}).json()["items"]] == ["ev-shushi"]
    assert {e["id"] for e in client.get("/api/events", params={"type": "Strategic developments"}).json()["items"]} == {
        "ev-deal", "ev-deploy", "ev-shushi"}
    assert [e["id"] for e in client.get("/api/events", params={"side": "Government of Azerbaijan"}).json()["items"]] \
        == ["ev-deal"]
    assert [e["id"] for e in client.get("/api/events", params={"since": "2020-10-01", "until": "2020-10-31"}
                                        ).json()["items"]] == ["ev-shell"]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 100000}, {"offset": -1}, {"offset": 10**9},
                                    {"since": "yesterday"}, {"status": "bogus"}, {"sort": "random"}])
def test_api_pagination_and_filter_bounds(client, params):
    assert client.get("/api/events", params=params).status_code == 422
    if "limit" in params or "offset" in params:
        assert client.get("/api/claims", params=params).status_code == 422
        assert client.get("/api/disputes", params=params).status_code == 422


def test_api_event_detail_and_404(client):
    ev = client.get("/api/events/ev-shell").json()
    assert ev["status"] == "disputed"
    sides = {g["side"]: [c["stance"] for c in g["claims"]] for g in ev["claims_by_side"]}
    assert sides == {"Azerbaijan": ["accuse"], "Armenia": ["deny"]}
    assert ev["figures"] == []  # no number in its evidence sentences
    assert [f["id"] for f in client.get("/api/events/ev-evil").json()["figures"]] == ["f-evil"]
    assert ev["mentions"][0]["source"] == "004_reuters.txt"
    assert client.get("/api/events/nope").status_code == 404
    assert client.get("/api/events/nope").json()["detail"] == "event not found"
    r = client.get("/events/nope")
    assert r.status_code == 404 and "event not found" in r.text and r.headers["content-type"].startswith("text/html")
    assert client.get("/api/documents/nope").status_code == 404
    assert client.get("/documents/nope").status_code == 404
    assert client.get("/api/claims/nope").status_code == 404
    assert client.get("/no/such/page").status_code == 404


def test_event_page_shows_sides_and_highlighted_evidence(client):
    html = client.get("/events/ev-shell").text
    assert "Azerbaijan" in html and "Armenia" in html
    assert "Vagif Dargiahly" in html and "Shushan Stepanyan" in html
    assert "Azerbaijan accuses; Armenia denies" in html  # the status and why
    assert '/documents/doc-dispute?hl=' in html
    assert "<mark>Defense ministry spokesman Vagif Dargiahly said" in html


def test_document_page_highlights_span(client):
    t = DEAL_TEXT
    s, e = _span(t, "Residents of Shushi fled the town.")
    html = client.get(f"/documents/doc-deal?hl={s}-{e}").text
    assert '<mark id="hl">Residents of Shushi fled the town.</mark>' in html
    assert client.get("/documents/doc-deal?hl=garbage&hl=5-2").status_code == 200
    api = client.get("/api/documents/doc-deal").json()
    assert api["text"] == t and len(api["claims"]) == 4 and len(api["figures"]) == 2


def test_api_claims(client):
    data = client.get("/api/claims", params={"limit": 500}).json()
    assert len(data["items"]) == 9
    said = [c["said_on"] for c in data["items"]]
    assert said == sorted(said, reverse=True)
    assert {c["id"] for c in client.get("/api/claims", params={"stance": "deny"}).json()["items"]} == {
        "c-am-deny", "c-evil2"}
    assert [c["id"] for c in client.get("/api/claims", params={"claimant": "Aliyev"}).json()["items"]] == ["c-aliyev"]
    assert len(client.get("/api/claims", params={"day": "2020-10-13"}).json()["items"]) == 3
    c = client.get("/api/claims/c-putin").json()
    assert c["events"] == ["ev-deal"] and c["claimant"] == "Vladimir Putin"
    r = client.get("/claims/c-putin", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/documents/doc-deal?hl=")


def test_api_disputes(client):
    data = client.get("/api/disputes").json()
    assert [e["id"] for e in data["items"]] == ["ev-evil", "ev-shell"]  # newest first
    shell = data["items"][1]
    assert [g["side"] for g in shell["claims_by_side"]] == ["Azerbaijan", "Armenia"]
    html = client.get("/disputes").text
    assert "Vagif Dargiahly" in html and "Shushan Stepanyan" in html


def test_api_figures_series(client):
    data = client.get("/api/figures").json()
    killed = [c for c in data["items"] if (c["metric"], c["population"], c["side"]) == ("killed", "military", "Armenia")]
    assert len(killed) == 1 and killed[0]["n"] == 2
    assert [f["as_of"] for f in killed[0]["figures"]] == ["2020-10-13", "2020-11-10"]
    assert killed[0]["subjects"] == [{"subject": "Armenian soldiers", "count": 2}]  # the raw wording is kept
    assert "deployed" in [f["value"] for f in data["facets"]["metric"]]
    html = client.get("/figures", params={"metric": "killed"}).text
    assert "<svg" in html and 'class="line kind-total"' in html
    assert "/documents/doc-dispute?hl=" in html  # points link to their evidence
    assert client.get("/api/figures", params={"limit": 1}).json()["next_offset"] == 1


def test_api_map_geojson(client):
    fc = client.get("/api/map").json()
    assert fc["type"] == "FeatureCollection"
    assert len(fc["features"]) == 5
    deal = next(f for f in fc["features"] if f["id"] == "ev-deal")
    assert deal["geometry"]["coordinates"] == [46.75, 39.85]
    assert deal["properties"]["url"] == "/events/ev-deal"
    assert len(client.get("/api/map", params={"type": "Strategic developments"}).json()["features"]) == 3
    assert client.get("/api/map", params={"limit": 6000}).status_code == 422


def test_api_search(client):
    data = client.get("/api/search", params={"q": "Shushi"}).json()
    assert data["items"], data
    kinds = {h["kind"] for h in data["items"]}
    assert {"document", "event"} <= kinds
    hit = next(h for h in data["items"] if h["kind"] == "document")
    assert any(s["mark"] and s["text"] == "Shushi" for s in hit["segments"])
    html = client.get("/search", params={"q": "Shushi"}).text
    assert "<mark>Shushi</mark>" in html
    # FTS syntax in the query is taken literally, never an error
    for q in ['"', "NEAR(", "a OR", "*", "Shushi AND -x", "'; DROP TABLE events; --"]:
        assert client.get("/api/search", params={"q": q}).status_code == 200
    assert client.get("/api/search").json()["items"] == []  # no words, no search (not an error)
    assert client.get("/api/search", params={"q": "x" * 201}).status_code == 422


def test_api_stats_and_documents(client):
    s = client.get("/api/stats").json()
    assert s["stats"]["events"] == 5 and s["stats"]["documents"] == 3 and s["stats"]["disputes"] == 2
    docs = client.get("/api/documents", params={"limit": 2}).json()
    assert len(docs["items"]) == 2 and docs["next_offset"] == 2


def test_openapi_lists_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/events/{event_id}", "/api/claims", "/api/figures", "/api/disputes",
                 "/api/brief", "/api/search", "/api/map", "/api/ingest"):
        assert path in spec["paths"], path
    assert not any(p in spec["paths"] for p in ("/brief", "/events"))  # pages are not API
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()


# ---- briefing ------------------------------------------------------------------------------------

def test_api_brief_groups_claims_by_event(client):
    data = client.get("/api/brief", params={"date": "2020-11-10"}).json()
    assert data["date"] == "2020-11-10" and data["prev"] == "2020-11-09" and data["next"] is None
    ids = [e["event"]["id"] for e in data["events"]]
    assert "ev-deal" in ids  # dated 11-09, but claims about it were made on 11-10
    assert "ev-deploy" in ids  # dated 11-09, reported in the live blog's section of 11-10
    assert "ev-shell" not in ids
    assert "ev-deploy" not in [e["event"]["id"] for e in client.get(
        "/api/brief", params={"date": "2020-11-12"}).json()["events"]]
    deal = next(e for e in data["events"] if e["event"]["id"] == "ev-deal")
    sides = [cl["side"] for cl in deal["line"]["clauses"]]
    assert sides == ["Armenia", "Azerbaijan", "Russia"]
    # the gist of what was said, without the relay clause (", AFP reported"), which becomes "via AFP"
    assert deal["line"]["text"].startswith("Armenia (Nikol Pashinyan) said “he had signed the peace deal”, via AFP")
    assert "via AFP" in deal["line"]["text"]
    evil = next(e for e in data["events"] if e["event"]["id"] == "ev-evil")
    assert "denied it" in evil["line"]["text"]  # a reply from another side reads "X denied it"
    # claims no event carries are grouped into topics; the figure of the day is listed
    assert any("Armenia's defense ministry" in line["text"] for t in data["topics"] for line in t["lines"])
    assert any("1,960" in f["text"] for f in data["figures"])
    assert client.get("/api/brief", params={"date": "2020-13-45x"}).status_code == 422


def test_brief_html(client):
    html = client.get("/brief", params={"date": "2020-11-10"}).text
    assert "Briefing for 2020-11-10" in html
    assert "Agreement in Nagorno-Karabakh" in html
    assert "Nikol Pashinyan" in html and "Ilham Aliyev" in html
    assert '<a class="ref" href="/documents/doc-deal?hl=' in html
    empty = client.get("/brief", params={"date": "1999-01-01"})
    assert empty.status_code == 200 and "Nothing was reported" in empty.text


def test_render_brief_text_and_markdown(db):
    with Store(db, readonly=True) as st:
        txt = briefing.render_brief(st, "2020-10-13", "text")
        assert "Briefing for 2020-10-13" in txt
        assert "Azerbaijan (Vagif Dargiahly) accused “Armenia was shelling the Azeri territories of Goranboy and Aghdam”" in txt
        assert "; Armenia (Shushan Stepanyan) denied it [" in txt
        # evidence is cited by outlet, title and sentence, never as a file name and offsets
        assert "[1] Reuters: Armenia, Azerbaijan trade accusations: “Defense ministry spokesman Vagif Dargiahly said" in txt
        assert "004_reuters.txt" not in txt and " @" not in txt
        md = briefing.render_brief(st, "2020-11-10", "markdown", base_url="http://127.0.0.1:8000")
        assert md.startswith("# Briefing for 2020-11-10")
        assert "<script>" not in md and "<img" not in md and "&lt;script&gt;" in md
        assert "\x1b" not in md and "\x1b" not in briefing.render_brief(st, "2020-11-10", "text")
        assert "(<http://127.0.0.1:8000/documents/doc-deal?hl=" in md
        with pytest.raises(ValueError):
            briefing.render_brief(st, "2020-11-10", "html")
    empty = Store(db.parent / "empty.db")
    assert "empty" in briefing.render_brief(empty, None, "text")
    empty.close()


def test_attribution_line():
    claims = [
        {"id": "1", "doc_id": "d", "start": 0, "end": 5, "evidence": "Armenia shelled Tartar.", "claimant": "Ministry",
         "claimant_affiliation": "Azerbaijan", "stance": "accuse", "outlet": None},
        {"id": "2", "doc_id": "d", "start": 6, "end": 9, "evidence": "We did not.", "claimant": "Armenia",
         "claimant_affiliation": "Armenia", "stance": "deny", "outlet": None},
    ]
    assert briefing.attribution(claims)["text"] == "Azerbaijan (Ministry) accused “Armenia shelled Tartar”; Armenia denied it."
    # the denial is listed after the claim it answers, whatever the order in the text
    assert briefing.attribution(claims[::-1])["text"] == briefing.attribution(claims)["text"]



@pytest.mark.parametrize("evidence,claimant", [
    # the speaker named in the sentence
    ("Speaking from a basement shelter in the village of Ovchi, a teacher told Reuters they heard mortar rounds "
     "landing near the school until dawn.", "teacher"),
    # the speaker named in an earlier sentence, "he" in this one
    ("Reached by telephone, he told Reuters they heard mortar rounds landing near the school until dawn.",
     "Rustam Nazarov"),
    ("Asked about the night, she told The Associated Press they heard mortar rounds landing near the school "
     "until dawn.", "Dilnoza Karimova"),
])
def test_the_gist_drops_whom_it_was_told_to(evidence, claimant):
    claim = {"id": "t", "doc_id": "d", "start": 0, "end": len(evidence), "evidence": evidence, "claimant": claimant,
             "claimant_affiliation": None, "stance": "assert", "cue": "told", "outlet": None}
    assert briefing.gist(claim) == "they heard mortar rounds landing near the school until dawn."
    line = briefing.attribution([claim])["text"]
    assert "“they heard mortar rounds landing near the school until dawn”" in line
    assert "told" not in line and "Reuters" not in line and "Associated Press" not in line

# ---- write endpoint ------------------------------------------------------------------------------

def test_write_endpoint_is_off_without_token(db, monkeypatch):
    monkeypatch.delenv("CLAIMWATCH_WRITE_TOKEN", raising=False)
    with TestClient(create_app(str(db))) as c:
        r = c.post("/api/ingest", content=b"hello", headers={"Authorization": "Bearer anything"})
        assert r.status_code == 403
        assert c.get("/api/ingest").status_code == 405


@pytest.fixture()
def fake_pipeline(monkeypatch):
    """Stands in for claimwatch.pipeline.ingest_paths: records the call, stores nothing."""
    calls = []

    class Report:
        def __init__(self, paths):
            self.stored = [Path(p).name for p in paths]
            self.skipped = []
            self.failed = []

    def ingest_paths(store, paths, progress=False):
        calls.append([(Path(p).name, Path(p).read_bytes()) for p in paths])
        assert isinstance(store, Store)
        return Report(paths)

    mod = types.ModuleType("claimwatch.pipeline")
    mod.ingest_paths = ingest_paths
    monkeypatch.setitem(sys.modules, "claimwatch.pipeline", mod)
    import claimwatch
    monkeypatch.setattr(claimwatch, "pipeline", mod, raising=False)
    return calls


def test_write_endpoint_requires_the_token(db, fake_pipeline):
    with TestClient(create_app(str(db), write_token="s3cret")) as c:
        assert c.post("/api/ingest", content=b"x").status_code == 401
        r = c.post("/api/ingest", content=b"x", headers={"Authorization": "Bearer wrong"})
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert c.post("/api/ingest", content=b"x", headers={"Authorization": "Basic s3cret"}).status_code == 401
        assert not fake_pipeline
        ok = {"Authorization": "Bearer s3cret"}
        r = c.post("/api/ingest", params={"filename": "../../etc/report 1.txt"}, content=b"Some article.", headers=ok)
        assert r.status_code == 201, r.text
        assert r.json()["stored"] == ["report_1.txt"] and r.json()["bytes"] == 13
        assert fake_pipeline[-1] == [("report_1.txt", b"Some article.")]
        assert c.post("/api/ingest", content=b"", headers=ok).status_code == 400
        big = b"a" * (MAX_UPLOAD + 1)
        assert c.post("/api/ingest", content=big, headers=ok).status_code == 413
        assert len(fake_pipeline) == 1


def test_write_token_from_environment(db, fake_pipeline, monkeypatch):
    monkeypatch.setenv("CLAIMWATCH_WRITE_TOKEN", "envtok")
    with TestClient(create_app(str(db))) as c:
        assert c.post("/api/ingest", content=b"x", headers={"Authorization": "Bearer nope"}).status_code == 401
        assert c.post("/api/ingest", content=b"x", headers={"Authorization": "Bearer envtok"}).status_code == 201


def test_upload_through_the_real_pipeline(tmp_path):
    """POST /api/ingest with the real claimwatch.pipeline; the read-only pages see the new article."""
    try:
        from claimwatch.pipeline import ingest_paths  # noqa: F401
    except ImportError as e:
        pytest.skip(f"claimwatch.pipeline is not importable: {e}")
    db = tmp_path / "up.db"
    Store(db).close()
    text = ("Azerbaijan's defense ministry said on Tuesday that Armenian forces shelled the town of Tartar. "
            "Armenia's defense ministry denied the report <script>alert(1)</script>.\n")
    with TestClient(create_app(str(db), write_token="tok")) as c:
        assert c.get("/api/documents").json()["items"] == []
        r = c.post("/api/ingest", params={"filename": "upload.txt"}, content=text.encode(),
                   headers={"Authorization": "Bearer tok"})
        assert r.status_code == 201, r.text
        body = r.json()
        assert not body["failed"], f"the pipeline failed on a plain text article: {body['failed']}"
        assert body["stored"] == 1
        docs = c.get("/api/documents").json()["items"]
        assert [d["source"] for d in docs] == ["upload.txt"]
        html = c.get(f"/documents/{docs[0]['id']}").text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


def test_store_is_opened_read_only(client, db):
    # the app's connections cannot write, whatever a handler did
    from claimwatch.web.app import StorePool
    pool = StorePool(str(db))
    with pytest.raises(Exception):
        pool.get().conn.execute("DELETE FROM events")
    pool.close()


def test_safe_helpers():
    assert safe_href("javascript:alert(1)") is None
    assert safe_href("data:text/html,x") is None
    assert safe_href("https://example.org/a") == "https://example.org/a"
    assert safe_filename("../../x.html") == "x.html"
    assert safe_filename("a.exe") == "a.exe.txt"
    assert safe_filename("") == "upload.txt"


# ---- presentation helpers ------------------------------------------------------------------------

def test_present_helpers():
    from claimwatch.web import present
    segs = present.highlight_segments("abcdefghij", [(2, 4), (3, 6), (8, 20), (-5, 0)])
    assert [(s["text"], s["mark"], s["anchor"]) for s in segs] == [
        ("ab", False, None), ("cdef", True, "hl"), ("gh", False, None), ("ij", True, "hl1")]
    assert present.parse_spans(["1-5", "x-2", "3-", "12345678901-2"]) == [(1, 5)]
    assert present.snippet_segments("a \x02hit\x03 b") == [
        {"text": "a ", "mark": False, "anchor": None}, {"text": "hit", "mark": True, "anchor": None},
        {"text": " b", "mark": False, "anchor": None}]
    ctx = present.context_segments("xx alpha. The evidence. beta yy", 10, 23, clipped_left=True, clipped_right=True)
    assert "".join(s["text"] for s in ctx) == "… alpha. The evidence. beta …"
    ch = present.chart([
        {"claimant": "A", "kind": "running total", "figures": [{"as_of": "2020-10-01", "value": 10},
                                                               {"as_of": "2020-10-11", "value": 30, "high": 40}]},
        {"claimant": "unattributed", "kind": "incident", "figures": [{"as_of": "2020-10-05", "value": 20}]}])
    assert [line["claimant"] for line in ch["lines"]] == ["A", "unattributed"]
    xs = [p["x"] for p in ch["lines"][0]["points"]]
    assert xs == [present.X_LEFT, present.X_RIGHT]  # percentages of the width: the chart resizes
    assert len(ch["lines"][0]["segments"]) == 1 and ch["lines"][1]["segments"] == []  # incidents are not joined
    assert ch["yticks"][-1]["label"] == "50" and ch["lines"][0]["points"][1]["y_high"] is not None
    from claimwatch.web.deps import query_url
    assert query_url("/events", {"place": "Shushi", "offset": "2"}, offset=4) == "/events?place=Shushi&offset=4"
    assert query_url("/events", {"place": "Shushi", "offset": "2"}, status="denied") == \
        "/events?place=Shushi&status=denied"  # a new filter goes back to the first page
