"""Feeds and pages from a news site on loopback: `ingest URL`, `watch`, `sources`, provenance, versions."""
from __future__ import annotations

import json
import threading

import pytest

import claimwatch.monitor as monitor_mod
from claimwatch import feeds
from claimwatch.cli import main
from claimwatch.feeds import Source
from claimwatch.fetch import Fetcher
from claimwatch.models import InputError
from claimwatch.monitor import Monitor, is_url
from claimwatch.store import Store

from fetch_helpers import MARKET_STORY, PORT_STORY, WIRE, OTHER_REPORT, Page, Site, article_html, rss

LOOPBACK = ["127.0.0.1/32"]
NET = ["--allow-private", "--delay", "0", "--timeout", "3"]


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


def make_monitor(store, lines, **kw):
    f = Fetcher(allow_private=LOOPBACK, delay=0.0, timeout=3.0, connect_timeout=3.0)
    return Monitor(store, f, report_line=lines.append, **kw)


def serve_story(site, path, paragraphs, title="Drone strike hits fuel depot", outlet="Caucasus Wire", **kw):
    site.routes[path] = Page(article_html(title, paragraphs, outlet), **kw)
    return site.url(path)


def feed_of(site, path, items, etag=None):
    site.routes[path] = Page(rss("Caucasus Wire: latest", items, base=site.url("")),
                             content_type="application/rss+xml; charset=utf-8", etag=etag)
    return site.url(path)


# ---- feeds -----------------------------------------------------------------------------------------

def test_new_entries_are_ingested_once(store, site):
    serve_story(site, "/news/depot", WIRE)
    serve_story(site, "/news/march", MARKET_STORY, "Thousands march in Tbilisi")
    url = feed_of(site, "/rss", [("Depot", "/news/depot"), ("March", "/news/march")], etag='"1"')
    lines = []
    m = make_monitor(store, lines)
    r = m.poll([Source(url)])
    assert (r.new_entries, r.ingest.stored, lines) == (2, 2, [])
    # the feed changes: one entry more; the two already taken are not fetched again
    serve_story(site, "/news/port", PORT_STORY, "Missile hits grain terminal")
    feed_of(site, "/rss", [("Port", "/news/port"), ("Depot", "/news/depot"), ("March", "/news/march")], etag='"2"')
    r = m.poll([Source(url)])
    assert (r.new_entries, r.ingest.stored) == (1, 1)
    assert [site.hits(p) for p in ("/news/depot", "/news/march", "/news/port")] == [1, 1, 1]
    assert len(store.documents()) == 3
    # and a fresh run on the same store (nothing in memory) takes nothing again
    r = make_monitor(store, lines).poll([Source(url)])
    assert (r.not_modified, r.new_entries, r.ingest.stored) == (1, 0, 0)


def test_a_304_costs_no_parse(store, site, monkeypatch):
    serve_story(site, "/news/depot", WIRE)
    url = feed_of(site, "/rss", [("Depot", "/news/depot")], etag='"abc"')
    m = make_monitor(store, [])
    m.poll([Source(url)])

    def must_not_run(*a, **k):
        raise AssertionError("an unchanged feed was parsed")
    monkeypatch.setattr(monitor_mod, "parse_feed", must_not_run)
    monkeypatch.setattr(monitor_mod.read, "read_html", must_not_run)
    r = m.poll([Source(url)])
    assert r.not_modified == 1 and r.ingest.stored == 0 and r.ok
    assert site.log[-1][1]["if-none-match"] == '"abc"'
    assert store.fetch_state(url)["status"] == 304


def test_a_server_ignoring_validators_sending_the_same_bytes_costs_no_parse(store, site, monkeypatch):
    url = feed_of(site, "/rss", [])  # no ETag: every poll is a 200 with the same body
    m = make_monitor(store, [])
    m.poll([Source(url)])
    monkeypatch.setattr(monitor_mod, "parse_feed", lambda *a: pytest.fail("the same bytes were parsed again"))
    assert m.poll([Source(url)]).not_modified == 1


def test_robots_txt_disallow_is_obeyed_for_feed_entries(store, site):
    site.routes["/robots.txt"] = Page("User-agent: *\nDisallow: /members/\n", content_type="text/plain")
    serve_story(site, "/members/depot", WIRE)
    serve_story(site, "/news/march", MARKET_STORY, "Thousands march in Tbilisi")
    url = feed_of(site, "/rss", [("Depot", "/members/depot"), ("March", "/news/march")])
    lines = []
    r = make_monitor(store, lines).poll([Source(url)])
    assert r.ingest.stored == 1 and site.hits("/members/depot") == 0
    assert lines == [f"claimwatch: {site.url('/members/depot')}: robots.txt of 127.0.0.1 disallows /members/depot"]


def test_a_broken_feed_does_not_stop_the_others(store, site):
    site.routes["/broken.xml"] = Page(b"<?xml version='1.0'?><rss><channel><item><title>Half", 
                                      content_type="application/rss+xml")
    site.routes["/junk"] = Page(b"\x00\x01\x02" * 100, content_type="application/octet-stream")
    serve_story(site, "/news/port", PORT_STORY, "Missile hits grain terminal")
    good = feed_of(site, "/rss", [("Port", "/news/port")])
    lines = []
    r = make_monitor(store, lines).poll([Source(site.url("/broken.xml")), Source(site.url("/junk")), Source(good)])
    assert r.ingest.stored == 1 and not r.ok
    assert len(lines) == 2
    assert lines[0].startswith(f"claimwatch: {site.url('/broken.xml')}: broken feed")
    assert lines[1] == (f"claimwatch: {site.url('/junk')}: wrong content type application/octet-stream "
                        f"(expected HTML, text, a feed)")


def test_a_feed_is_parsed_from_bytes_never_from_a_name_it_contains(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_text("<rss version='2.0'><channel><item><title>local</title><link>http://x.example/a</link>"
                      "</item></channel></rss>")
    with pytest.raises(InputError):
        feeds.parse_feed(str(secret).encode(), "http://feeds.example.org/rss")


def test_atom_feeds_and_relative_links(site):
    body = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ministry statements</title><id>urn:x</id>
<updated>2023-05-14T10:00:00Z</updated>
<entry><title>Statement on the night's attacks</title><id>urn:statement:1</id>
<link href="/statements/1"/><updated>2023-05-14T09:30:00Z</updated></entry>
</feed>""".encode()
    f = feeds.parse_feed(body, site.url("/atom.xml"))
    assert [(e.key, e.link, e.published) for e in f.entries] == [
        ("urn:statement:1", site.url("/statements/1"), "2023-05-14")]
    assert feeds.is_feed("application/xml", body) and not feeds.is_feed("text/html", b"<!DOCTYPE html><html>")


# ---- pages, provenance, versions -----------------------------------------------------------------

def test_ingest_url_keeps_provenance_and_a_page_fetched_twice_is_stored_once(tmp_path, site, capsys):
    db = str(tmp_path / "c.db")
    url = serve_story(site, "/news/march", MARKET_STORY, "Thousands march in Tbilisi", etag='"m1"')
    assert main(["--db", db, "ingest", url, *NET]) == 0
    assert main(["--db", db, "ingest", url, *NET]) == 0
    with Store(db) as s:
        (doc,) = s.documents()
        assert doc["source"] == url and doc["outlet"] == "Caucasus Wire" and doc["title"] == "Thousands march in Tbilisi"
        (fetch,) = s.document_fetches(doc["id"])
        assert (fetch["url"], fetch["http_status"], fetch["feed_url"]) == (url, 200, None)
        assert fetch["fetched_at"].startswith("20")
        assert s.counts()["claims"] > 0
    assert "1 unchanged" in capsys.readouterr().err


def test_a_document_fetched_as_a_feed_entry_records_its_feed(store, site):
    depot = serve_story(site, "/news/depot", WIRE)
    march = serve_story(site, "/news/march", MARKET_STORY, "Thousands march in Tbilisi")
    wire = feed_of(site, "/rss", [("Depot", "/news/depot"), ("March", "/news/march")])
    m = make_monitor(store, [])
    assert m.poll([Source(wire)]).ingest.stored == 2
    fetched = {f["url"]: f for d in store.documents() for f in store.document_fetches(d["id"])}
    assert {u: (f["feed_url"], f["http_status"]) for u, f in fetched.items()} == {depot: (wire, 200),
                                                                                  march: (wire, 200)}
    # the same page under another address, listed by another feed: one document, fetched from both
    site.routes["/mirror/march"] = site.routes["/news/march"]
    mirror = feed_of(site, "/mirror.xml", [("March", "/mirror/march")])
    assert m.poll([Source(mirror)]).ingest.stored == 0
    (doc,) = [d for d in store.documents() if d["title"] == "Thousands march in Tbilisi"]
    assert {(f["url"], f["feed_url"]) for f in store.document_fetches(doc["id"])} == {
        (march, wire), (site.url("/mirror/march"), mirror)}
    # a page fetched by hand has no feed
    port = serve_story(site, "/news/port", PORT_STORY, "Missile hits grain terminal")
    m.poll([Source(port)])
    (doc,) = [d for d in store.documents() if d["source"] == port]
    assert [f["feed_url"] for f in store.document_fetches(doc["id"])] == [None]


def test_an_updated_article_is_a_new_version_linked_to_the_old(store, site):
    url = serve_story(site, "/news/port", PORT_STORY, "Missile hits grain terminal")
    m = make_monitor(store, [])
    m.poll([Source(url)])
    updated = [PORT_STORY[0].replace("wounding four dock workers", "wounding six dock workers"),
               *PORT_STORY[1:], "Two of the wounded were later taken to hospital in a serious condition, the "
                                "administration said in an update on Tuesday evening."]
    serve_story(site, "/news/port", updated, "Missile hits grain terminal (updated)")
    m.poll([Source(url)])
    docs = {d["id"]: d for d in store.documents()}
    assert len(docs) == 2, "the old text was overwritten"
    v1, v2 = sorted((store.document_version(d) for d in docs), key=lambda v: v["version"])
    assert (v1["version"], v1["previous_id"], v2["version"], v2["previous_id"]) == (1, None, 2, v1["doc_id"])
    assert "six dock workers" in docs[v2["doc_id"]]["text"] and "four dock workers" in docs[v1["doc_id"]]["text"]
    # the update keeps its own records (a new figure), and both stay in one story
    assert store.story_of(v2["doc_id"])["story_id"] == v1["doc_id"]
    assert any(f["value"] == 6 for f in store.figures(doc=v2["doc_id"]))


def test_cli_refuses_a_loopback_url_without_allow_private(tmp_path, site, capsys):
    url = serve_story(site, "/news/march", MARKET_STORY)
    assert main(["--db", str(tmp_path / "c.db"), "ingest", url, "--delay", "0"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"claimwatch: {url}: refused: 127.0.0.1 resolves to a loopback address 127.0.0.1 "
                      f"(--allow-private allows it)")
    assert site.log == []


def test_cli_refuses_a_file_url_and_a_redirect_to_a_private_address(tmp_path, site, capsys):
    site.routes["/go"] = Page(status=302, headers={"Location": "http://10.0.0.7/internal"})
    db = str(tmp_path / "c.db")
    assert main(["--db", db, "ingest", "file:///etc/passwd", *NET]) == 1
    assert main(["--db", db, "ingest", site.url("/go"), "--delay", "0"]) == 1  # loopback itself refused first
    err = capsys.readouterr().err
    assert "claimwatch: file:///etc/passwd: refused: scheme file: is not http or https" in err
    lines = []
    with Store(db) as s:
        r = make_monitor(s, lines).poll([Source(site.url("/go"))])
    assert not r.ok and lines == [f"claimwatch: {site.url('/go')}: refused: 10.0.0.7 resolves to a private "
                                  f"address 10.0.0.7 (--allow-private allows it)"]


def test_slow_oversized_and_wrong_type_pages_are_one_clear_line_each(store, site):
    serve_story(site, "/slow", WIRE, delay=1.5)
    site.routes["/huge"] = Page(article_html("Huge", ["Words keep coming here. " * 50] * 40))
    site.routes["/photo.jpg"] = Page(b"\xff\xd8\xff" + b"\0" * 64, content_type="image/jpeg")
    good = serve_story(site, "/news/port", PORT_STORY)
    lines = []
    f = Fetcher(allow_private=LOOPBACK, delay=0, timeout=0.5, max_bytes=20_000)
    r = Monitor(store, f, report_line=lines.append).poll(
        [Source(site.url(p)) for p in ("/slow", "/huge", "/photo.jpg")] + [Source(good)])
    assert r.ingest.stored == 1
    assert lines == [f"claimwatch: {site.url('/slow')}: timed out after 0.5 s",
                     f"claimwatch: {site.url('/huge')}: too large (48,752 bytes; limit 20,000)",
                     f"claimwatch: {site.url('/photo.jpg')}: wrong content type image/jpeg (expected HTML, text, a feed)"]
    assert store.fetch_state(site.url("/slow"))["error"] == "timed out after 0.5 s"


def test_a_page_that_is_not_an_article_is_one_line_and_nothing_is_half_written(store, site):
    site.routes["/empty"] = Page("<!DOCTYPE html><html><body><nav>Home</nav></body></html>")
    lines = []
    r = make_monitor(store, lines).poll([Source(site.url("/empty"))])
    assert not r.ok and len(lines) == 1 and lines[0].startswith(f"claimwatch: {site.url('/empty')}: ")
    assert store.documents() == [] and store.fetch_state(site.url("/empty"))["sha256"] is None


# ---- watch, feeds files, sources ------------------------------------------------------------------

FEEDS_TOML = """# feeds watched by the newsroom
contact = "mailto:desk@example.org"
every = "30m"

[[feed]]
url = "{wire}"
outlet = "Caucasus Wire"
every = "10m"

[[feed]]
url = "{broken}"
outlet = "Broken Agency"
"""


def test_watch_once_on_a_feeds_file_and_sources_lists_them(tmp_path, site, capsys):
    serve_story(site, "/news/depot", WIRE)
    serve_story(site, "/news/march", MARKET_STORY, "Thousands march in Tbilisi")
    wire = feed_of(site, "/rss", [("Depot", "/news/depot"), ("March", "/news/march")], etag='"w1"')
    site.routes["/broken.xml"] = Page(b"<rss><channel><item>", content_type="application/rss+xml")
    ff = tmp_path / "feeds.toml"
    ff.write_text(FEEDS_TOML.format(wire=wire, broken=site.url("/broken.xml")))
    db = str(tmp_path / "c.db")
    assert main(["--db", db, "watch", str(ff), "--once", *NET]) == 1  # the broken feed: status 1, the rest in
    err = capsys.readouterr().err
    assert f"claimwatch: {site.url('/broken.xml')}: broken feed" in err
    assert main(["--db", db, "watch", str(ff), "--once", *NET]) == 1
    assert "1 unchanged" in capsys.readouterr().err
    agents = {h["user-agent"] for _, h in site.log}
    assert all("mailto:desk@example.org" in a for a in agents)
    with Store(db) as s:
        assert len(s.documents()) == 2 and {d["outlet"] for d in s.documents()} == {"Caucasus Wire"}
    assert main(["--db", db, "sources", "--json"]) == 0
    rows = {r["url"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows[wire]["status"] == 304 and rows[wire]["entries"] == 2 and rows[wire]["documents"] == 2
    assert rows[wire]["every_s"] == 600 and rows[wire]["outlet"] == "Caucasus Wire"
    assert rows[wire]["title"] == "Caucasus Wire: latest"
    assert main(["--db", db, "sources"]) == 0
    out = capsys.readouterr().out
    assert wire in out and "entries 2" in out and "every 10 min" in out


def test_watch_polls_again_at_the_interval_and_takes_only_what_is_new(store, site):
    serve_story(site, "/news/depot", WIRE)
    url = feed_of(site, "/rss", [("Depot", "/news/depot")], etag='"1"')
    stop = threading.Event()
    polls = []

    def after_poll(report):
        polls.append(report)
        if len(polls) == 1:  # between the polls a new story is published
            serve_story(site, "/news/port", PORT_STORY, "Missile hits grain terminal")
            feed_of(site, "/rss", [("Port", "/news/port"), ("Depot", "/news/depot")], etag='"2"')
        if len(polls) == 3:
            stop.set()
    assert make_monitor(store, []).watch([Source(url, every=0.2)], every=900, stop=stop, on_poll=after_poll)
    assert [(p.new_entries, p.ingest.stored, p.not_modified) for p in polls] == [(1, 1, 0), (1, 1, 0), (0, 0, 1)]


def test_feeds_file_errors_are_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[feed]]\nurl = "https://news.example.org/rss"\nevery = "5s"\n')
    assert main(["--db", str(tmp_path / "c.db"), "watch", str(bad), "--once"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"claimwatch: {bad}: feed 1: every: an interval under 60 s is impolite to the sites polled"
    with pytest.raises(InputError, match="unknown key"):
        (tmp_path / "k.toml").write_text('[[feed]]\nurl = "https://a.example/"\nlabel = "x"\n')
        feeds.load_feeds_file(tmp_path / "k.toml")


def test_intervals_and_url_arguments():
    assert [feeds.parse_interval(x) for x in ("15m", "1h30m", "90s", "2h", 45, "1d")] == [900, 5400, 90, 7200, 45,
                                                                                            86400]
    for bad in ("", "soon", "15 minutes", "-5m", "0"):
        with pytest.raises(ValueError):
            feeds.parse_interval(bad)
    assert is_url("https://news.example.org/a") and is_url("file:///etc/passwd") and is_url("data:,x")
    assert not is_url("corpus/story.txt") and not is_url("C:\\news\\a.txt") and not is_url("c:story.txt")


def test_the_example_feeds_file_reads():
    from pathlib import Path
    ff = feeds.load_feeds_file(Path(__file__).resolve().parents[1] / "examples" / "feeds.toml")
    assert ff.contact and ff.every == 900 and len(ff.sources) >= 3
    assert all(s.url.startswith("https://") and s.outlet for s in ff.sources)


def test_ingest_articles_takes_read_articles_and_errors(store):
    """The pipeline's entry for articles read elsewhere: errors are one line, the rest is stored."""
    from claimwatch.models import RawArticle
    from claimwatch.pipeline import ingest_articles
    lines, done = [], []
    raw = RawArticle(source="https://news.example.org/march", path="https://news.example.org/march",
                     text="\n\n".join(MARKET_STORY), already_clean=True)
    items = [("https://bad.example.org/x", InputError("timed out after 30 s")),
             ("https://news.example.org/march", [raw]), ("https://news.example.org/again", [raw])]
    r = ingest_articles(store, iter(items), report_line=lines.append,
                        on_input_done=lambda name, ids: done.append((name, len(ids))))
    assert lines == ["claimwatch: https://bad.example.org/x: timed out after 30 s"]
    assert (r.stored, r.duplicates, len(r.failed)) == (1, 1, 1)
    assert done == [("https://news.example.org/march", 1), ("https://news.example.org/again", 1)]
