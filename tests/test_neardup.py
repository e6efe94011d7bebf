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
