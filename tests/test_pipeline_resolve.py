"""Incremental resolve: what `merge` promises (resolve.py's docstring), and that resolving the
clusters a commit touches, batch after batch in any order, gives the events of a full rebuild."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings, strategies as st

from claimwatch import incremental, resolve
from claimwatch.models import Article, EventMention, Sentence
from claimwatch.store import Store
from claimwatch.store.writer import mention_id

TYPES = [("Battles", "Armed clash"), ("Battles", "Government regains territory"),
         ("Battles", "Non-state actor overtakes territory"), ("Explosions/Remote violence", "Air/drone strike")]
PLACES = ["Terter", "terter", "Aleppo", "Goris"]
PRECISIONS = ["day", "days", "week", "report", "unknown"]
DAY0 = date(2020, 10, 1)

mentions_st = st.builds(
    lambda t, place, day, precision, doc, actor: EventMention(
        doc=f"d{doc}", start=0, end=10, evidence="x", event_type=t[0], sub_event_type=t[1],
        date=(DAY0 + timedelta(days=day)).isoformat() if day is not None else None,
        date_precision=precision if day is not None else "unknown", date_reason="", location=place,
        actor1=actor),
    st.sampled_from(TYPES), st.sampled_from(PLACES), st.one_of(st.none(), st.integers(0, 30)),
    st.sampled_from(PRECISIONS), st.integers(0, 3), st.sampled_from([None, "Armenia", "Azerbaijan"]))

# many mentions of one or two blocks on a few days: long runs, windows that must find their cuts
dense_mentions_st = st.builds(
    lambda t, place, day, precision, doc: EventMention(
        doc=f"d{doc}", start=0, end=10, evidence="x", event_type=t[0], sub_event_type=t[1],
        date=(DAY0 + timedelta(days=day)).isoformat(), date_precision=precision, date_reason="", location=place),
    st.sampled_from(TYPES[:2]), st.sampled_from(PLACES[:2]), st.integers(0, 40), st.sampled_from(PRECISIONS[:4]),
    st.integers(0, 3))

SETTINGS = settings(max_examples=80, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def groups_as_sets(groups) -> set[frozenset]:
    return {frozenset(k for k, _ in g) for g in groups}


def clusters(keyed):
    """The clusters incremental.py hands to merge: a block's runs of days, a block's undated per document."""
    by_block: dict = {}
    for k, m in keyed:
        by_block.setdefault(resolve.block_key(m), []).append((k, m))
    out = []
    for rows in by_block.values():
        dated = sorted((r for r in rows if r[1].date), key=lambda r: r[1].date)
        run, last = [], None
        for k, m in dated:
            d = date.fromisoformat(m.date)
            if last is not None and (d - last).days > resolve.REACH_DAYS:
                out.append(run)
                run = []
            run.append((k, m))
            last = d
        if run:
            out.append(run)
        for doc in sorted({m.doc for _, m in rows if not m.date}):
            out.append([(k, m) for k, m in rows if not m.date and m.doc == doc])
    return out


@SETTINGS
@given(st.lists(mentions_st, max_size=40), st.randoms())
def test_merge_keeps_its_promises(mentions, rnd):
    keyed = list(enumerate(mentions))
    groups = resolve.merge(keyed)
    assert sorted(k for g in groups for k, _ in g) == list(range(len(mentions)))  # each mention once
    for g in groups:
        assert len({resolve.block_key(m) for _, m in g}) == 1
        undated = [m for _, m in g if not m.date]
        assert not undated or (len(undated) == len(g) and len({m.doc for m in undated}) == 1)
    # clusters never share an event: merging them apart gives the same groups
    assert groups_as_sets(groups) == groups_as_sets(g for c in clusters(keyed) for g in resolve.merge(c))
    # the order mentions are given in does not matter, only their keys
    shuffled = keyed[:]
    rnd.shuffle(shuffled)
    assert groups_as_sets(resolve.merge(shuffled)) == groups_as_sets(groups)


def _article(doc: str) -> Article:
    return Article(source=f"{doc}.txt", path=f"/in/{doc}.txt", text="x" * 20, title=None, outlet=None,
                   published=None, published_reason="test")


def _events(store) -> list:
    rows = store.conn.execute("SELECT e.*, group_concat(l.mention_id) AS ms FROM events e JOIN event_links l"
                              " ON l.event_id = e.id GROUP BY e.id ORDER BY e.id").fetchall()
    return [tuple(r) for r in rows]


@SETTINGS
@given(st.lists(st.lists(mentions_st, max_size=6), min_size=1, max_size=10) |
       st.lists(st.lists(dense_mentions_st, min_size=1, max_size=8), min_size=4, max_size=16), st.randoms())
def test_resolving_what_each_commit_touches_gives_the_full_rebuild(tmp_path_factory, docs, rnd):
    db = tmp_path_factory.mktemp("inc") / "s.db"
    order = list(range(len(docs)))
    rnd.shuffle(order)
    with Store(db) as store:
        while order:  # commits of 1-3 documents, in a random order
            n = rnd.randint(1, 3)
            batch, order = order[:n], order[n:]
            with store.transaction():
                touched = []
                for k in batch:
                    ms = [EventMention(**{**m.__dict__, "doc": f"doc{k}"}) for m in docs[k]]
                    store.insert_document(f"doc{k}", _article(f"doc{k}"), [Sentence(0, 10)], mentions=ms,
                                          blocks=[resolve.block_key(m) for m in ms])
                    touched += incremental.touched_by(f"doc{k}", ms)
                incremental.resolve_touched(store, touched)
        incremental_events = _events(store)
        incremental.resolve_all(store)
        assert _events(store) == incremental_events
        n_mentions = sum(len(d) for d in docs)
        assert store.conn.execute("SELECT count(DISTINCT mention_id) FROM event_links").fetchone()[0] == n_mentions


def test_removing_a_document_drops_the_events_it_alone_made(tmp_path):
    m = EventMention(doc="a", start=0, end=10, evidence="x", event_type="Battles", sub_event_type="Armed clash",
                     date="2020-10-02", date_precision="day", date_reason="", location="Terter")
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            store.insert_document("a", _article("a"), [Sentence(0, 10)], mentions=[m], blocks=[resolve.block_key(m)])
            incremental.resolve_touched(store, incremental.touched_by("a", [m]))
        assert store.counts()["events"] == 1
        assert store.conn.execute("SELECT mention_id FROM event_links").fetchone()[0] == mention_id("a", 0)
        with store.transaction():
            gone, stale, _ = store.delete_document("a")
            incremental.resolve_touched(store, gone, stale)
        assert store.counts()["events"] == 0
        assert store.conn.execute("SELECT count(*) FROM search WHERE kind = 'event'").fetchone()[0] == 0


def test_a_new_mention_that_regroups_a_long_chain_of_days_is_followed_to_its_end(tmp_path):
    """A report a day before a chain of daily 'days'-precision reports shifts every pairing after it
    ({10,11},{12,13},... become {9,10},{11,12},...): the window grows until the groupings meet again."""
    def mention(doc: str, day: int, precision: str = "days") -> EventMention:
        return EventMention(doc=doc, start=0, end=10, evidence="x", event_type="Battles", sub_event_type="Armed clash",
                            date=(DAY0 + timedelta(days=day)).isoformat(), date_precision=precision, date_reason="",
                            location="Terter")

    def commit(store, doc, ms):
        with store.transaction():
            store.insert_document(doc, _article(doc), [Sentence(0, 10)], mentions=ms,
                                  blocks=[resolve.block_key(m) for m in ms])
            incremental.resolve_touched(store, incremental.touched_by(doc, ms))

    with Store(tmp_path / "s.db") as store:
        commit(store, "chain", [mention("chain", 10, "day")] + [mention("chain", d) for d in range(11, 60)]
               + [mention("chain", d) for d in range(80, 90)])
        days_before = {r[3] for r in _events(store)}  # the events' first days
        commit(store, "early", [mention("early", 9)])
        incremental_events = _events(store)
        incremental.resolve_all(store)
        assert _events(store) == incremental_events
        days_after = {r[3] for r in incremental_events}
        assert (DAY0 + timedelta(days=58)).isoformat() in days_before - days_after  # the shift ran to the chain's end
        assert (DAY0 + timedelta(days=57)).isoformat() in days_after - days_before


def test_a_store_of_the_first_schema_is_migrated_and_its_events_rebuilt(tmp_path):
    """A version-1 store (mention ids by insertion, link tables with rowids, no blocks) keeps its
    events until the next ingest, which rebuilds them under the current rules."""
    import sqlite3
    from pathlib import Path
    db = tmp_path / "v1.db"
    conn = sqlite3.connect(db)
    conn.executescript((Path(__file__).parent / "store_v1_schema.sql").read_text(encoding="utf-8"))
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.execute("INSERT INTO documents VALUES ('a', 'a.txt', '/in/a.txt', NULL, NULL, NULL, '2020-10-02', 'test',"
                 " 'Terter was shelled.', '2020-10-03')")
    for day in ("2020-10-02", "2020-10-03"):
        conn.execute("INSERT INTO event_mentions (doc_id, start, end, evidence, event_type, sub_event_type, date,"
                     " date_precision, date_reason, location) VALUES ('a', 0, 19, 'Terter was shelled.', 'Battles',"
                     " 'Armed clash', ?, 'days', '', 'Terter')", (day,))
    conn.execute("INSERT INTO events (id, event_type, sub_event_type, date, date_precision, location, status)"
                 " VALUES ('e-old', 'Battles', 'Armed clash', '2020-10-02', 'days', 'Terter', 'reported')")
    conn.execute("INSERT INTO event_links VALUES ('e-old', 1), ('e-old', 2)")
    conn.commit()
    conn.close()
    with Store(db) as store:
        assert store.meta("schema_version") == "2"
        assert [tuple(r) for r in store.conn.execute("SELECT * FROM event_links ORDER BY mention_id")] == [
            ("e-old", 1), ("e-old", 2)]
        assert incremental.ensure_current(store)  # the first ingest's first step
        (event,) = store.conn.execute("SELECT id, date FROM events").fetchall()
        assert event["id"] != "e-old" and event["date"] == "2020-10-02"
        assert store.conn.execute("SELECT count(*) FROM event_mentions WHERE block IS NULL").fetchone()[0] == 0
        assert not incremental.ensure_current(store)
    with Store(db) as store:  # opening again changes nothing
        assert store.meta("schema_version") == "2"
