"""The runner (issue 10, and the order and interruption cases of issue 14): one process, a process
pool and a Dask cluster give the same store; so do other orders of arrival, concurrent writers,
a worker that dies and a run that is killed and run again."""
from __future__ import annotations

import hashlib
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from claimwatch import export
from claimwatch.cli import main as cli_main
from claimwatch.executors import DaskExecutor, PoolExecutor
from claimwatch.pipeline import ingest_paths
from claimwatch.store import Store
from claimwatch.web import create_app

from article_factory import write_jsonl
from conftest import write_file

REPO = Path(__file__).resolve().parents[1]
CLAIMWATCH_BIN = REPO / ".venv" / "bin" / "claimwatch"
SAMPLE_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def exports(db: Path) -> dict[str, str]:
    """The three exports of a store, as text."""
    out = {}
    with Store(db) as s:
        for name, writer in (("jsonl", export.write_jsonl), ("csv", export.write_acled_csv),
                             ("geojson", export.write_geojson)):
            buf = io.StringIO()
            writer(s, buf)
            out[name] = buf.getvalue()
    return out


def content(db: Path) -> dict[str, list]:
    """Every table's rows, sorted, without the times of ingest: two stores with the same content
    are the same record for record, whatever order their rows were written in."""
    conn = sqlite3.connect(db)
    out = {}
    for table in ("documents", "document_sources", "document_versions", "sections", "sentences", "claims",
                  "figures", "event_mentions", "events", "event_links", "event_claims"):
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "ingested_at"]
        out[table] = sorted(conn.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
    conn.close()
    return out


def consistent(db: Path) -> None:
    """What a reader sees agrees with itself: every mention of a stored document is in exactly one
    event, every event's mentions and claims exist, the exports, `claimwatch events` and `/api/events` list
    the stored events."""
    conn = sqlite3.connect(db)
    q = lambda sql: conn.execute(sql).fetchone()[0]
    assert q("SELECT count(*) FROM event_mentions m WHERE NOT EXISTS "
             "(SELECT 1 FROM event_links l WHERE l.mention_id = m.id)") == 0
    assert q("SELECT count(*) FROM (SELECT mention_id FROM event_links GROUP BY mention_id HAVING count(*) > 1)") == 0
    assert q("SELECT count(*) FROM event_links l WHERE NOT EXISTS "
             "(SELECT 1 FROM event_mentions m WHERE m.id = l.mention_id)") == 0
    assert q("SELECT count(*) FROM event_claims c WHERE NOT EXISTS (SELECT 1 FROM claims k WHERE k.id = c.claim_id)") == 0
    assert q("SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_links l WHERE l.event_id = e.id)") == 0
    n_events = q("SELECT count(*) FROM events")
    reported_in: dict[str, set[str]] = {}
    for event_id, doc_id in conn.execute("SELECT l.event_id, m.doc_id FROM event_links l"
                                         " JOIN event_mentions m ON m.id = l.mention_id"):
        reported_in.setdefault(event_id, set()).add(doc_id)
    doc_ids = {r[0] for r in conn.execute("SELECT id FROM documents")}
    conn.close()
    assert all(docs <= doc_ids for docs in reported_in.values())  # no event told by a document not stored
    ex = exports(db)
    assert sum(1 for l in ex["jsonl"].splitlines() if json.loads(l)["kind"] == "event") == n_events
    reads_agree(db, reported_in)


def reads_agree(db: Path, reported_in: dict[str, set[str]]) -> None:
    """`claimwatch events` and `/api/events` list every stored event once, in the same order, with the
    events table's count, and each event's page names exactly the stored documents that report it."""
    listed_cli, page = [], 0
    while True:
        out = io.StringIO()
        with redirect_stdout(out):
            assert cli_main(["--db", str(db), "events", "--json", "--limit", "500", "--offset", str(page)]) == 0
        rows = [json.loads(l)["id"] for l in out.getvalue().splitlines()]
        listed_cli += rows
        page += 500
        if len(rows) < 500:
            break
    listed_api, offset = [], 0
    with TestClient(create_app(str(db), write_token="")) as client:
        while offset is not None:
            data = client.get("/api/events", params={"limit": 500, "offset": offset}).json()
            assert data["total"] == len(reported_in)
            listed_api += [e["id"] for e in data["items"]]
            offset = data["next_offset"]
        for event_id in listed_api:
            articles = client.get(f"/api/events/{event_id}").json()["articles"]
            assert {a["doc_id"] for a in articles} == reported_in[event_id], event_id
    assert listed_cli == listed_api
    assert sorted(listed_api) == sorted(reported_in)


def ingest(db: Path, paths, **kw):
    with Store(db) as s:
        return ingest_paths(s, [str(p) for p in paths], report_line=lambda line: None, **kw)


# ---- one process, a pool, a Dask cluster ------------------------------------------------------------

PLUGIN = """
import hashlib, os
from claimwatch import registry

@registry.register("claims", backend="test-dies-once")
def claims_or_die(ann, found):
    # the worker process dies in the middle of its partition, the first time it meets article 7
    flag = os.path.join(os.environ["CLAIMWATCH_TEST_FLAGS"], hashlib.sha1(ann.article.path.encode()).hexdigest())
    if "(7)" in ann.article.text and not os.path.exists(flag):
        open(flag, "w").close()
        os._exit(1)
    return registry.extractor("claims")(ann, found)
"""


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory):
    """Workers started under this import a test backend whose extractor kills its worker once."""
    root = tmp_path_factory.mktemp("plugins")
    write_file(root / "dies_once.py", PLUGIN)
    (root / "flags").mkdir()
    mp = pytest.MonkeyPatch()
    mp.syspath_prepend(str(root))
    mp.setenv("PYTHONPATH", str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    mp.setenv("CLAIMWATCH_PLUGINS", "dies_once")
    mp.setenv("CLAIMWATCH_TEST_FLAGS", str(root / "flags"))
    yield root / "flags"
    mp.undo()


@pytest.fixture(scope="module")
def pool(plugin_env):
    ex = PoolExecutor(2)
    yield ex
    ex.close()


@pytest.fixture(scope="module")
def dask_cluster(plugin_env):
    ex = DaskExecutor("local", 2)
    yield ex
    ex.close()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("generated")
    write_jsonl(root / "a.jsonl", 100, seed=1, span_days=40)
    write_jsonl(root / "b.jsonl", 100, seed=2, span_days=40)
    return root


def test_workers_and_dask_give_identical_exports(tmp_path, generated, pool, dask_cluster):
    """On the sample corpus and 200 generated articles, one process, a pool of two and a local Dask
    cluster of two store the same: the three exports are byte for byte the same."""
    inputs = [generated] + ([SAMPLE_CORPUS] if SAMPLE_CORPUS.is_dir() else [])
    expected = 200 + (12 if SAMPLE_CORPUS.is_dir() else 0)
    reports = {}
    for name, kw in (("one", {}), ("pool", {"executor": pool}), ("dask", {"executor": dask_cluster})):
        reports[name] = ingest(tmp_path / f"{name}.db", inputs, batch_size=12, **kw)
        assert reports[name].failed == [] and reports[name].stored == expected
    one = exports(tmp_path / "one.db")
    assert exports(tmp_path / "pool.db") == one
    assert exports(tmp_path / "dask.db") == one
    assert len(reports["pool"].workers) == 2 and len(reports["dask"].workers) == 2  # the work was spread
    with Store(tmp_path / "one.db") as s:
        counts = s.counts()
    assert counts["claims"] > 200 and counts["figures"] > 200 and counts["events"] > 20
    consistent(tmp_path / "one.db")


@pytest.mark.parametrize("where", ["pool", "dask"])
def test_a_worker_that_dies_mid_partition_loses_nothing(tmp_path, plugin_env, request, where):
    write_jsonl(tmp_path / "in" / "feed.jsonl", 24, seed=3)
    ex = request.getfixturevalue("pool" if where == "pool" else "dask_cluster")
    redone = getattr(ex, "redone", 0)
    r = ingest(tmp_path / "died.db", [tmp_path / "in"], batch_size=4, executor=ex, backend="test-dies-once")
    assert len(list(plugin_env.iterdir())) >= 1 and os.path.exists(plugin_env / hashlib.sha1(
        f"{(tmp_path / 'in' / 'feed.jsonl').resolve()}:8".encode()).hexdigest()), "no worker died: nothing was tested"
    assert r.failed == [] and r.stored == 24
    if where == "pool":
        assert ex.redone > redone
    ingest(tmp_path / "clean.db", [tmp_path / "in"], batch_size=4)
    assert exports(tmp_path / "died.db") == exports(tmp_path / "clean.db")


# ---- order of arrival ----------------------------------------------------------------------------

def test_any_order_of_arrival_gives_the_same_store(tmp_path, generated):
    records = [json.loads(l) for f in ("a.jsonl", "b.jsonl") for l in (generated / f).read_text().splitlines()][:80]
    forward, backward = tmp_path / "fwd", tmp_path / "bwd"
    for folder, recs in ((forward, records), (backward, records[::-1])):
        for k in range(0, len(recs), 20):
            write_file(folder / f"part{k // 20}.jsonl", "".join(json.dumps(r) + "\n" for r in recs[k:k + 20]))
    ingest(tmp_path / "fwd.db", [forward], batch_size=7)
    ingest(tmp_path / "bwd.db", [backward], batch_size=11)
    # the paths differ (another folder, other lines): compare what does not name them
    def named_apart(db):
        c = content(db)
        return {t: rows for t, rows in c.items() if t not in ("documents", "document_sources", "document_versions")}
    assert named_apart(tmp_path / "fwd.db") == named_apart(tmp_path / "bwd.db")


HEADER = " date {day} Drones shot down over the south • Example Wire\n\n"
BODY = ("Armenia's defence ministry said on Thursday that its air defences had shot down three drones over "
        "the south of the front line near Goris. Azerbaijan denied losing any aircraft.\n")


def test_the_same_text_in_two_files_keeps_the_earliest_day_whatever_comes_first(tmp_path):
    late = write_file(tmp_path / "in" / "a_late.txt", HEADER.format(day="2020-10-15") + BODY)
    early = write_file(tmp_path / "in" / "b_early.txt", HEADER.format(day="2020-10-08") + BODY)
    one = ingest(tmp_path / "one.db", [late, early])
    two = ingest(tmp_path / "two.db", [early, late])
    assert (one.stored, one.replaced, one.duplicates) == (1, 1, 0)
    assert (two.stored, two.duplicates) == (1, 1)
    assert content(tmp_path / "one.db") == content(tmp_path / "two.db")
    with Store(tmp_path / "one.db") as s:
        (d,) = s.documents()
        assert (d["source"], d["published"]) == ("b_early.txt", "2020-10-08")
        assert sorted(x["path"] for x in s.document_sources(d["id"])) == [str(late), str(early)]
    consistent(tmp_path / "one.db")


def test_an_edited_file_is_a_new_version_of_its_document(tmp_path):
    f = write_file(tmp_path / "in" / "story.txt", BODY)
    db = tmp_path / "v.db"
    ingest(db, [f])
    f.write_text(BODY.replace("three drones", "four drones"), encoding="utf-8")
    r = ingest(db, [f])
    assert r.stored == 1
    with Store(db) as s:
        old, new = sorted(s.documents(), key=lambda d: "four" in d["text"])
        assert [tuple(r) for r in s.conn.execute("SELECT doc_id, url, version, previous_id FROM document_versions"
                                                 " ORDER BY version")] == [(old["id"], str(f), 1, None),
                                                                           (new["id"], str(f), 2, old["id"])]


def test_a_callers_plan_and_input_callbacks(tmp_path):
    """What a fetcher hands in: a plan that stores a copy without records, a callback per input."""
    from claimwatch.pipeline import DocumentPlan, ingest_articles
    from claimwatch.models import RawArticle
    other = BODY.replace("three drones", "two drones").replace("Goris", "Sisian")
    done = []

    def plan(batch):
        return {doc_id: DocumentPlan(extract=False) for doc_id, art in batch if "Sisian" in art.text}

    with Store(tmp_path / "p.db") as s:
        r = ingest_articles(s, [("https://example.org/a", [RawArticle("a", "https://example.org/a", BODY)]),
                                ("https://example.org/b", [RawArticle("b", "https://example.org/b", other)]),
                                ("https://example.org/c", [RawArticle("c", "https://example.org/c", BODY)])],
                            plan_batch=plan, on_input_done=lambda name, ids: done.append((name, ids)),
                            report_line=lambda line: None)
        assert (r.stored, r.near_duplicates, r.duplicates) == (2, 1, 1)
        copy = next(d for d in s.documents() if "Sisian" in d["text"])
        assert s.claims(doc=copy["id"]) == [] and s.sentences(copy["id"]) == []
        assert [n for n, _ in done] == ["https://example.org/a", "https://example.org/b", "https://example.org/c"]
        assert done[0][1] == done[2][1] and len(done[0][1]) == 1


# ---- concurrent writers and kills -----------------------------------------------------------------

def _cli(db, *args, **kw):
    env = {k: v for k, v in os.environ.items() if k != "CLAIMWATCH_DB"}
    return subprocess.Popen([str(CLAIMWATCH_BIN), "--db", str(db), "ingest", "--no-progress", "--workers", "1",
                             *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, **kw)


def test_two_concurrent_ingests_give_the_store_of_a_sequential_run(tmp_path):
    write_jsonl(tmp_path / "x" / "one.jsonl", 16, seed=4, span_days=10)
    write_jsonl(tmp_path / "x" / "two.jsonl", 16, seed=5, span_days=10)
    write_jsonl(tmp_path / "y" / "three.jsonl", 16, seed=6, span_days=10)
    (tmp_path / "y" / "two.jsonl").symlink_to(tmp_path / "x" / "two.jsonl")  # the folders overlap
    seq = tmp_path / "seq.db"
    for folder in ("x", "y"):
        assert ingest(seq, [tmp_path / folder], batch_size=4).ok
    both = tmp_path / "both.db"
    Store(both).close()
    procs = [_cli(both, tmp_path / folder, "--batch-size", "4") for folder in ("x", "y")]
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
        # what the other writer stored meanwhile is a duplicate, never a failure
        assert not [l for l in err.splitlines() if l.startswith("claimwatch:") and "going on after" not in l], err
    assert content(both) == content(seq)
    consistent(both)


def test_a_kill_at_any_moment_leaves_a_consistent_store_and_a_rerun_completes_it(tmp_path):
    feed = tmp_path / "in" / "feed.jsonl"
    write_jsonl(feed, 80, seed=7, span_days=30)
    whole = tmp_path / "whole.db"
    assert ingest(whole, [feed], batch_size=4).stored == 80
    killed = tmp_path / "killed.db"
    p = _cli(killed, feed, "--batch-size", "4")
    deadline = time.time() + 300
    while time.time() < deadline and p.poll() is None:  # wait for a commit or two, then kill
        time.sleep(0.05)
        if killed.exists():
            try:
                with sqlite3.connect(killed, timeout=30) as c:
                    if c.execute("SELECT count(*) FROM documents").fetchone()[0] >= 8:
                        break
            except sqlite3.OperationalError:
                pass
    time.sleep(random.uniform(0, 0.3))
    p.send_signal(signal.SIGKILL)
    p.wait()
    consistent(killed)
    with sqlite3.connect(killed) as c:
        stored = c.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 0 < stored < 80, stored
    p = _cli(killed, feed, "--batch-size", "4")
    out, err = p.communicate(timeout=600)
    assert p.returncode == 0, err
    assert f"going on after line {stored}" in err
    assert content(killed) == content(whole)
    consistent(killed)
