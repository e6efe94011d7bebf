"""`claimwatch bench`: end-to-end ingest+extract against a bare spaCy pass over the same texts.

The corpus's articles are cycled to N. Each copy gets its own document id so that the store
does the full work for every one (the content-hash dedupe would otherwise skip the copies).
Both passes run in this one process, ours first; peak memory is the process's high-water
mark (ru_maxrss) after our pass, which must stay flat as N grows because articles are
handled in fixed-size batches.
"""
from __future__ import annotations

import hashlib
import itertools
import resource
import sys
import tempfile
import time
from pathlib import Path

from . import clean, nlp, read
from .pipeline import BATCH_ARTICLES, IngestReport, _store_batch
from .store import Store


def corpus_articles(corpus: str):
    arts = []
    for f in read.iter_input_files([corpus]):
        if f.error:
            continue
        try:
            for raw in read.read_input(f.path):
                arts.extend(clean.split_raw(raw))
        except Exception as exc:  # the benchmark measures what ingests; say what it skipped
            print(f"bench: skipped {f.path}: {exc}", file=sys.stderr)
    return arts


def run_bench(corpus: str, n_articles: int = 2000) -> int:
    arts = corpus_articles(corpus)
    if not arts:
        print(f"bench: no articles in {corpus}", file=sys.stderr)
        return 1
    pipeline = nlp.load()
    cycled = list(itertools.islice(itertools.cycle(range(len(arts))), n_articles))
    words = sum(len(arts[k].text.split()) for k in cycled)

    report = IngestReport()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        for start in range(0, len(cycled), BATCH_ARTICLES):
            batch = []
            for i, k in enumerate(cycled[start:start + BATCH_ARTICLES], start):
                doc_id = hashlib.sha256(f"{i}:{arts[k].text}".encode()).hexdigest()[:16]
                batch.append((doc_id, arts[k]))
            _store_batch(store, batch, report, lambda line: print(line, file=sys.stderr))
        from .resolve import resolve_store
        resolve_store(store)
        full_s = time.perf_counter() - t0
        store.close()
    # the high-water mark of ingest+extract, taken before the bare pass: spaCy over a whole long
    # article (the bare pass) needs far more memory than our paragraph-sized units
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    t0 = time.perf_counter()
    for _ in pipeline.pipe((arts[k].text for k in cycled), batch_size=64):
        pass
    bare_s = time.perf_counter() - t0

    aps = n_articles / full_s
    spacy_aps = n_articles / bare_s
    print(f"bench: articles={n_articles} articles_per_s={aps:.1f} words_per_s={words / full_s:.0f} "
          f"peak_rss_mb={peak_mb:.0f} spacy_articles_per_s={spacy_aps:.1f} ratio={aps / spacy_aps:.2f}")
    return 0 if not report.failed else 1
