#!/usr/bin/env python3
"""Per-round ingest time as the store grows (issue 10): rounds of 100 new articles into stores of
10,000 and 100,000 articles. The cost of a round must not follow the size of the store.

    python scripts/roundcheck.py [--sizes 10000,100000] [--rounds 3] [--per-round 100]

The stores are built fast: 100 generated articles (tests/article_factory.py) go through the real
pipeline once, and their extracted records are cloned under new document ids and days to the
store's size, then resolved in full. Each round then ingests 100 new generated articles through
the real pipeline (one process). Two spreads of days:
- growing: the archive covers 1 day per 10 articles (10k: 1,000 days; 100k: 10,000 days), as an
  archive that grows over time does;
- dense: 900 days whatever the size (100k: ten times the reports per place and day).
One line per store and spread:

    roundcheck: spread=growing articles=10000 mentions=... build_s=... rebuild_s=... round_s=a/b/c commit_s=a/b/c
"""
from __future__ import annotations

import argparse
import copy
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from article_factory import article  # noqa: E402
from claimwatch import incremental, runner  # noqa: E402
from claimwatch.models import RawArticle  # noqa: E402
from claimwatch.pipeline import Extracted, annotate, clean_raw, document_id, extract  # noqa: E402
from claimwatch.resolve import block_key  # noqa: E402
from claimwatch.store import Store  # noqa: E402

DAY0 = date(2015, 1, 1)


def templates(n: int = 100) -> list[Extracted]:
    """The records the real pipeline extracts from n generated articles."""
    out = []
    for k in range(n):
        rec = article(k, seed=99)
        raw = RawArticle("t.jsonl", f"/t.jsonl:{k}", rec["text"], title=rec["title"], outlet=rec["outlet"],
                         published=rec["published"])
        for art in clean_raw(raw):
            ann = annotate([(document_id(art), art)])[0]
            claims, figures, mentions = extract(ann)
            out.append(Extracted(ann.doc_id, art, ann.sentences, claims, figures, mentions))
    return out


def clone(t: Extracted, k: int, day: date) -> Extracted:
    """A template's records under a new document id, on another day."""
    doc = f"s{k:015d}"
    c = copy.deepcopy(t)
    c.doc_id = doc
    c.article.source, c.article.path, c.article.published = "synthetic.jsonl", f"/synthetic.jsonl:{k}", day.isoformat()
    for rec in c.claims + c.figures + c.mentions:
        rec.doc = doc
    for cl in c.claims:
        cl.id = f"c-{k}-{cl.id}"
        cl.said_on = day.isoformat()
    for f in c.figures:
        f.id = f"f-{k}-{f.id}"
        f.as_of = day.isoformat()
    for m in c.mentions:
        m.claim_ids = [f"c-{k}-{i}" for i in m.claim_ids]
        m.date = day.isoformat() if m.date else None
    return c


def build(db: Path, size: int, span_days: int, tpl: list[Extracted], rnd: random.Random) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    with Store(db) as store:
        for start in range(0, size, 1000):
            with store.transaction():
                for k in range(start, min(size, start + 1000)):
                    c = clone(rnd.choice(tpl), k, DAY0 + timedelta(days=rnd.randrange(span_days)))
                    store.insert_document(c.doc_id, c.article, c.sentences, c.claims, c.figures, c.mentions,
                                          blocks=[block_key(m) for m in c.mentions])
        built = time.perf_counter() - t0
        t0 = time.perf_counter()
        incremental.resolve_all(store)
        rebuilt = time.perf_counter() - t0
        mentions = store.counts()["event_mentions"]
    return built, rebuilt, mentions


def rounds(db: Path, n_rounds: int, per_round: int, span_days: int, seed: int) -> tuple[list[float], list[float]]:
    commit_time = [0.0]
    real_commit = runner._Run.commit

    def timed_commit(self, batch, result):  # measurement only: how long the one writer's commits take
        t0 = time.perf_counter()
        real_commit(self, batch, result)
        commit_time[0] += time.perf_counter() - t0

    runner._Run.commit = timed_commit
    totals, commits = [], []
    try:
        with Store(db) as store:
            for r in range(n_rounds):
                items = []
                for k in range(per_round):
                    rec = article(k, seed=seed + r, start=DAY0, span_days=span_days)
                    items.append((f"round{r}:{k}", [RawArticle("round.jsonl", f"/round{r}.jsonl:{k}", rec["text"],
                                                               title=rec["title"], outlet=rec["outlet"],
                                                               published=rec["published"])]))
                commit_time[0] = 0.0
                t0 = time.perf_counter()
                rep = runner.ingest_articles(store, items, report_line=lambda line: None)
                totals.append(time.perf_counter() - t0)
                commits.append(commit_time[0])
                assert rep.stored == per_round, (rep.stored, rep.failed[:3])
    finally:
        runner._Run.commit = real_commit
    return totals, commits


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--per-round", type=int, default=100)
    ap.add_argument("--spreads", default="growing,dense")
    a = ap.parse_args()
    rnd = random.Random(1)
    tpl = templates()
    print(f"roundcheck: templates={len(tpl)} mentions_per_article={sum(len(t.mentions) for t in tpl) / len(tpl):.1f}",
          flush=True)
    for spread in a.spreads.split(","):
        for size in (int(s) for s in a.sizes.split(",")):
            span = max(30, size // 10) if spread == "growing" else 900
            with tempfile.TemporaryDirectory() as tmp:
                db = Path(tmp) / "r.db"
                built, rebuilt, mentions = build(db, size, span, tpl, rnd)
                totals, commits = rounds(db, a.rounds, a.per_round, span, seed=1000 + size)
                print(f"roundcheck: spread={spread} articles={size} days={span} mentions={mentions} "
                      f"build_s={built:.0f} full_resolve_s={rebuilt:.1f} "
                      f"round_s={'/'.join(f'{t:.1f}' for t in totals)} "
                      f"commit_s={'/'.join(f'{c:.2f}' for c in commits)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
