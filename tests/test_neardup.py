"""Near-duplicates: one wire story, five edited copies and one independent report of the same event."""
from __future__ import annotations

import json
import random

import numpy as np
import pytest

from claimwatch import neardup
from claimwatch.cli import main
from claimwatch.feeds import Source
from claimwatch.fetch import Fetcher
from claimwatch.monitor import Monitor
from claimwatch.store import Store

from fetch_helpers import OTHER_REPORT, PORT_STORY, WIRE, Page, Site, article_html, edited_copies

LOOPBACK = ["127.0.0.1/32"]


@pytest.fixture(scope="module")
def site():
    """The wire story at /wire, its five copies at /copy/1..5 (each another outlet), the other report at /other."""
    s = Site()
    s.routes["/wire"] = Page(article_html("Drone strike sets fuel depot on fire in Kharkiv", WIRE, "Caucasus Wire"))
    for n, (outlet, title, paragraphs) in enumerate(edited_copies(), 1):
        s.routes[f"/copy/{n}"] = Page(article_html(title, paragraphs, outlet))
    s.routes["/other"] = Page(article_html("Three die in Kharkiv depot fire", OTHER_REPORT, "Frontline Radio"))
    s.routes["/port"] = Page(article_html("Missile hits grain terminal", PORT_STORY, "Caucasus Wire"))
    yield s
    s.close()


PAGES = ["/wire", "/copy/1", "/copy/2", "/copy/3", "/copy/4", "/copy/5", "/other"]


def ingest(store, site, paths, dedupe=True, one_at_a_time=False):
    lines: list[str] = []
    m = Monitor(store, Fetcher(allow_private=LOOPBACK, delay=0.0, timeout=3.0), report_line=lines.append,
                dedupe=dedupe)
    sources = [Source(site.url(p)) for p in paths]
    reports = [m.poll([s]) for s in sources] if one_at_a_time else [m.poll(sources)]
    assert lines == []
    return reports


def doc_by_path(store, site) -> dict[str, str]:
    return {r["url"].split(str(site.port), 1)[1]: r["doc_id"]
            for r in store.conn.execute("SELECT doc_id, url FROM document_fetches")}


def records(store, doc_id) -> tuple[int, int, int]:
    q = store.conn.execute
    return tuple(q(f"SELECT count(*) FROM {t} WHERE doc_id = ?", (doc_id,)).fetchone()[0]
                 for t in ("claims", "figures", "event_mentions"))


def partition(store, site) -> set[frozenset[str]]:
    path_of = {d: p for p, d in doc_by_path(store, site).items()}
    stories: dict[str, set[str]] = {}
    for doc_id, story_id in store.conn.execute("SELECT doc_id, story_id FROM stories"):
        stories.setdefault(story_id, set()).add(path_of[doc_id])
    return {frozenset(v) for v in stories.values()}


STORY = frozenset({"/wire", "/copy/1", "/copy/2", "/copy/3", "/copy/4", "/copy/5"})


def test_wire_copies_are_one_story_counted_once_and_the_independent_report_is_kept(tmp_path, site, capsys):
    db = str(tmp_path / "c.db")
    with Store(db) as store:
        (r,) = ingest(store, site, PAGES)
        assert (r.ingest.stored, r.ingest.near_duplicates) == (7, 5)
        assert partition(store, site) == {STORY, frozenset({"/other"})}
        docs = doc_by_path(store, site)
        story = store.story_of(docs["/wire"])
        assert len(story["documents"]) == 6
        assert story["outlets"] == ["Balkan Morning", "Black Sea Herald", "Caucasus Wire", "Danube Times",
                                    "Eastern Europe Monitor", "Kyiv Daily Post"]
        roles = {m["doc_id"]: m["role"] for m in story["members"]}
        (first,) = [d for d, role in roles.items() if role == "first"]
        assert first == docs["/wire"]  # the text every outlet edited in its own way is the closest to all of them
        assert all(roles[d] == "copy" for d in story["documents"] if d != first)
        # the copies carry no claims, figures or event reports of their own: the story's are counted once
        assert all(records(store, d) == (0, 0, 0) for d in story["documents"] if d != first)
        first_claims, first_figures, _ = records(store, first)
        assert first_claims >= 3 and first_figures >= 2
        # the independent report is corroboration, not a copy: its own story with its own records
        other = store.story_of(docs["/other"])
        assert other["documents"] == [docs["/other"]] and records(store, docs["/other"])[0] >= 2
        total = store.counts()
        assert total["claims"] == first_claims + records(store, docs["/other"])[0]
        # every copy keeps its text and its provenance
        assert all(store.document(d)["text"] and store.document_fetches(d) for d in story["documents"])
    # without recognising copies the same wire story would be counted six times
    with Store(tmp_path / "plain.db") as plain:
        ingest(plain, site, PAGES, dedupe=False)
        assert plain.counts()["claims"] >= 5 * first_claims
    assert main(["--db", db, "sources", "--stories"]) == 0
    out = capsys.readouterr().out
    assert "reported by 6 outlets (6 documents): Balkan Morning, Black Sea Herald, Caucasus Wire" in out
    assert main(["--db", db, "sources", "--stories", "--json"]) == 0
    (line,) = [json.loads(l) for l in capsys.readouterr().out.splitlines() if '"story"' in l]
    assert line["documents"] == 6 and len(line["outlets"]) == 6


def test_the_story_and_its_first_copy_do_not_depend_on_arrival_order(tmp_path, site):
    firsts, partitions = [], []
    for k, order in enumerate([PAGES, PAGES[::-1], random.Random(3).sample(PAGES, len(PAGES))]):
        with Store(tmp_path / f"{k}.db") as store:
            ingest(store, site, order)
            partitions.append(partition(store, site))
            firsts.append(store.conn.execute("SELECT doc_id FROM stories WHERE role = 'first' ORDER BY doc_id")
                          .fetchall())
    assert partitions[0] == partitions[1] == partitions[2] == {STORY, frozenset({"/other"})}
    assert firsts[0] == firsts[1] == firsts[2]
    # one page per poll, the copies first: the same stories
    with Store(tmp_path / "slow.db") as store:
        ingest(store, site, PAGES[::-1], one_at_a_time=True)
        assert partition(store, site) == partitions[0]


def test_a_later_copy_joins_the_stored_story_and_a_bridge_merges_two_stories(store, site):
    site.routes["/head"] = Page(article_html("Depot fire: first report", WIRE[:4], "Morning Wire"))
    site.routes["/tail"] = Page(article_html("Depot fire: reaction", WIRE[2:], "Evening Wire"))
    ingest(store, site, ["/head", "/tail"])
    docs = doc_by_path(store, site)
    assert store.story_of(docs["/head"])["story_id"] != store.story_of(docs["/tail"])["story_id"]
    ingest(store, site, ["/wire"])  # the whole story holds both halves
    docs = doc_by_path(store, site)
    story = store.story_of(docs["/wire"])
    assert set(story["documents"]) == {docs["/head"], docs["/tail"], docs["/wire"]}
    roles = sorted(m["role"] for m in story["members"])
    assert roles == ["copy", "first", "merged"]  # both halves keep the records they had; the whole adds none
    assert records(store, docs["/wire"]) == (0, 0, 0)


def test_index_finds_copies_whatever_the_order_and_not_other_reports():
    signer = neardup.Signer()
    texts = {"wire": " ".join(WIRE), "other": " ".join(OTHER_REPORT), "port": " ".join(PORT_STORY)}
    texts.update({f"copy{n}": " ".join(p) for n, (_, _, p) in enumerate(edited_copies(), 1)})
    sigs = {k: signer.sign(t) for k, t in texts.items()}
    found = []
    for order in (sorted(texts), sorted(texts, reverse=True)):
        index = neardup.Index()
        pairs = set()
        for k in order:
            sig, n = sigs[k]
            pairs |= {frozenset((k, other)) for other, _ in index.copies_of(sig, n)}
            index.add(k, sig, n)
        found.append(pairs)
    assert found[0] == found[1]
    linked = {k for pair in found[0] for k in pair}
    assert linked == {"wire", "copy1", "copy2", "copy3", "copy4", "copy5"}
    assert len(found[0]) == 15  # every pair of the six copies


def test_signatures_are_stable_and_empty_text_matches_nothing():
    a, n = neardup.Signer().sign(" ".join(WIRE))
    b, _ = neardup.Signer().sign(" ".join(WIRE))
    assert np.array_equal(a, b) and a.dtype == np.uint32 and len(a) == neardup.NUM_PERM and n > 150
    index = neardup.Index()
    empty, zero = neardup.Signer().sign("— — —")
    index.add("empty", empty, zero)
    assert zero == 0 and index.copies_of(empty, zero) == []
    assert (index.b, index.r) == neardup.banding()


def test_the_index_survives_merging_its_recent_rows(monkeypatch):
    monkeypatch.setattr(neardup, "BUFFER_ROWS", 4)
    signer = neardup.Signer()
    index = neardup.Index()
    rng = random.Random(5)
    words = " ".join(WIRE + OTHER_REPORT + PORT_STORY).split()
    for k in range(11):
        index.add(f"noise{k}", *signer.sign(" ".join(rng.sample(words, 120))))
    sig, n = signer.sign(" ".join(WIRE))
    index.add("wire", sig, n)
    for k in range(6):
        index.add(f"more{k}", *signer.sign(" ".join(rng.sample(words, 120))))
    copy_sig, copy_n = signer.sign(" ".join(edited_copies()[1][2]))
    assert [d for d, _ in index.copies_of(copy_sig, copy_n)] == ["wire"]


def test_benchmark_finds_the_generated_copies():
    r = neardup.benchmark(1000, copies_every=10)
    assert r["documents"] == 1000 and r["copies_found"] >= r["copies_made"] * 0.95
    assert r["copies_found"] <= r["copies_made"] + 3


# ---- "reported by N outlets" where a reader sees a document or an event ----------------------------

MARKET = [
    "EL FASHER, Sudan (Sahel Wire) — Artillery shells struck a crowded livestock market in El Fasher on Tuesday, "
    "killing at least 12 people and wounding more than 30, a local medical group said.",
    "The Darfur Doctors Network said in a statement that women and children were among the dead and that the "
    "city's main hospital had run short of blood for transfusions.",
    "The paramilitary Rapid Support Forces denied shelling the market and accused the army of staging the attack "
    "to turn residents against them.",
    "Witnesses said the shells landed shortly before noon, when the market was at its busiest. One trader, Adam "
    "Yahya, said he had counted the bodies of five herders near the water troughs.",
    "The United Nations has warned repeatedly that fighting around the city puts hundreds of thousands of "
    "displaced people at risk.",
]
MARKET_RADIO = [  # the same shelling in the words of another newsroom: corroboration, not a copy
    "Ten people died when shells fell on the animal market of El Fasher around midday on Tuesday, residents told "
    "Radio Dabanga Example.",
    "A nurse at the Saudi hospital said the wards were full and that relatives were queuing to give blood.",
    "Both warring parties blamed each other for the attack.",
]
# a copy's outlet as a feeds file might name it: article-derived text the pages must escape
TRICKY_OUTLET = "Nile & <b>Savanna</b> Times"


@pytest.fixture(scope="module")
def market_app(site, tmp_path_factory):
    from fastapi.testclient import TestClient
    from claimwatch.web import create_app

    site.routes["/market"] = Page(article_html("Shells hit El Fasher market", MARKET, "Sahel Wire"))
    site.routes["/market-copy/1"] = Page(article_html(
        "Twelve killed in El Fasher market shelling", ["Africa | Tuesday | 2 min read"] + MARKET
        + ["Reporting by Sahel Wire; editing by our Africa desk."], "Nile Times"))
    site.routes["/market-copy/2"] = Page(article_html(
        "El Fasher market shelled", [MARKET[0].replace("a local medical group said", "medics said"), *MARKET[1:4]],
        "Desert Courier"))
    site.routes["/market-radio"] = Page(article_html("Ten die in El Fasher", MARKET_RADIO, "Dabanga Example"))
    db = tmp_path_factory.mktemp("market") / "m.db"
    outlets = {"/market": "Sahel Wire", "/market-copy/1": TRICKY_OUTLET, "/market-copy/2": "Desert Courier",
               "/market-radio": "Dabanga Example"}
    with Store(db) as store:
        m = Monitor(store, Fetcher(allow_private=LOOPBACK, delay=0.0, timeout=3.0), report_line=print)
        assert m.poll([Source(site.url(p), outlet=o) for p, o in outlets.items()]).ingest.near_duplicates == 2
        docs = {p: doc_by_path(store, site)[p] for p in outlets}
    with TestClient(create_app(str(db), write_token="")) as client:
        yield client, docs


def test_a_documents_page_and_json_say_which_outlets_reported_its_story(market_app):
    client, docs = market_app
    outlets = ["Desert Courier", TRICKY_OUTLET, "Sahel Wire"]
    for path in ("/market", "/market-copy/1", "/market-copy/2"):  # the first copy and each copy
        data = client.get(f"/api/documents/{docs[path]}").json()
        assert data["story"]["outlets"] == outlets
        assert sorted(data["story"]["documents"]) == sorted(docs[p] for p in ("/market", "/market-copy/1",
                                                                               "/market-copy/2"))
        html = client.get(f"/documents/{docs[path]}").text
        assert "Reported by 3 outlets: Desert Courier, Nile &amp; &lt;b&gt;Savanna&lt;/b&gt; Times, Sahel Wire" in html
        assert "<b>Savanna" not in html
    # the other newsroom's report is a story of its own: nothing to say
    assert client.get(f"/api/documents/{docs['/market-radio']}").json()["story"] is None
    assert 'class="story"' not in client.get(f"/documents/{docs['/market-radio']}").text


def test_an_events_page_and_json_say_which_outlets_reported_each_article(market_app):
    client, docs = market_app
    events = client.get("/api/events", params={"doc": docs["/market"], "limit": 500}).json()["items"]
    assert events, "the wire story gave no event"
    for e in events:
        data = client.get(f"/api/events/{e['id']}").json()
        by_doc = {a["doc_id"]: a["story"] for a in data["articles"]}
        assert by_doc[docs["/market"]]["outlets"] == ["Desert Courier", TRICKY_OUTLET, "Sahel Wire"]
        assert len(by_doc[docs["/market"]]["documents"]) == 3
        assert by_doc.get(docs["/market-radio"], None) is None  # its own story, if it reports this event at all
        html = client.get(f"/events/{e['id']}").text
        assert html.count("reported by 3 outlets: Desert Courier, Nile &amp; &lt;b&gt;Savanna&lt;/b&gt; Times, "
                          "Sahel Wire") == 1
    # an event only the independent report tells has no story to show
    lone = [e for e in client.get("/api/events", params={"doc": docs["/market-radio"], "limit": 500}).json()["items"]
            if e["id"] not in {x["id"] for x in events}]
    for e in lone:
        assert all(a["story"] is None for a in client.get(f"/api/events/{e['id']}").json()["articles"])
        assert 'class="story"' not in client.get(f"/events/{e['id']}").text
