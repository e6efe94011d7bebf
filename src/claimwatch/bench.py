"""`claimwatch bench`: the whole pipeline in each worker configuration against a bare spaCy pass.

The corpus is read once (runner.file_inputs, the same reading as `ingest`), and its inputs are
cycled until they hold N articles; every copy is its own document (ingest_articles with dedupe=False), so that each
configuration does the full work for every one, into a fresh store. One line per configuration,
the bare pass first:

    bench: config=bare-spacy articles=N articles_per_s=X words_per_s=W peak_rss_mb=M
    bench: config=workers-1 articles=N articles_per_s=X words_per_s=W ratio=R peak_rss_mb=M startup_s=S
    bench: config=workers-2 ...
    bench: config=dask-2 ...

ratio is the configuration's articles/s over the bare pass's (one process, `nlp.pipe` of the model
as spaCy loads it, without claimwatch's rulers, over the same clean texts). peak_rss_mb is the
largest high-water mark of memory of one worker (for workers-1, this process, which also writes
the store). Worker start-up (processes, model loads) is timed apart (startup_s), as the bare
pass's model load is.
"""
from __future__ import annotations

import itertools
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Optional

from .executors import DaskExecutor, InlineExecutor, PoolExecutor, default_workers
from .pipeline import clean_raw, peak_rss_mb
from .models import InputError
from .read import Problem
from .runner import Input, file_inputs, ingest_articles
from .store import Store


def corpus_raw_articles(corpus: str) -> list:
    """The raw articles of a corpus, read as `ingest` reads it (what cannot be read is said and skipped)."""
    raws = []
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "read.db") as store:
        for inp in file_inputs(store, [corpus]):
            if inp.error:
                print(f"bench: skipped {inp.name}: {inp.error}", file=sys.stderr)
                continue
            try:
                for item in inp.items:
                    item = item[1] if isinstance(item, tuple) else item
                    if not isinstance(item, Problem):
                        raws.append(item)
            except Exception as exc:  # the benchmark measures what ingests; say what it skipped
                print(f"bench: skipped {inp.name}: {exc}", file=sys.stderr)
    return raws


def cycled_inputs(raws: list, n: int) -> list[Input]:
    """Inputs cycling through the corpus until they hold at least N articles (an input may hold
    several: wire stories run together), each copy under a name of its own."""
    sizes = [_articles_in(raw) for raw in raws]
    raws = [r for r, k in zip(raws, sizes) if k]   # what holds no article is no benchmark input
    sizes = [k for k in sizes if k]
    if not sizes:
        return []
    out, total = [], 0
    for i, k in enumerate(itertools.cycle(range(len(raws)))):
        if total >= n:
            break
        copy = replace(raws[k], path=f"{raws[k].path}#{i}", warnings=[])
        out.append(Input(copy.path, items=[copy]))
        total += sizes[k]
    return out


def _articles_in(raw) -> int:
    try:
        return len(clean_raw(raw))
    except InputError:
        return 0


def run_config(name: str, make_executor, inputs: list[Input]) -> dict:
    """Ingest the inputs into a fresh store with a new executor; timings, memory, stored texts."""
    t0 = time.perf_counter()
    executor = make_executor()
    try:
        executor.warm()
        startup = time.perf_counter() - t0
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
            t0 = time.perf_counter()
            report = ingest_articles(store, inputs, executor=executor, dedupe=False,
                                     report_line=lambda line: print(line, file=sys.stderr))
            seconds = time.perf_counter() - t0
            texts = [d["text"] for d in store.documents()]
    finally:
        executor.close()
    peak = max(report.workers.values()) if report.workers else peak_rss_mb()
    return {"config": name, "seconds": seconds, "startup": startup, "peak": peak, "articles": report.stored,
            "failed": len(report.failed), "texts": texts}


def bare_pass(texts: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one process running the model as spaCy loads it over the texts, model
    load excluded. The batches are bounded in characters as the pipeline's are (nlp.parse): a
    batch of 64 whole long articles would measure the machine's memory, not the model."""
    from . import nlp
    model = nlp.load_base()
    t0 = time.perf_counter()
    for _ in nlp.parse(texts, model):
        pass
    return time.perf_counter() - t0, peak_rss_mb()


def run_bench(corpus: str, n_articles: int = 2000, workers: Optional[int] = None,
              configs: tuple[str, ...] = ("workers-1", "workers-N", "dask-N")) -> int:
    raws = corpus_raw_articles(corpus)
    if not raws:
        print(f"bench: no articles in {corpus}", file=sys.stderr)
        return 1
    n = max(2, workers or default_workers())
    makers = {"workers-1": InlineExecutor, "workers-N": lambda: PoolExecutor(n),
              "dask-N": lambda: DaskExecutor("local", n)}
    unknown = [c for c in configs if c not in makers]
    if unknown:
        print(f"bench: unknown configuration {unknown[0]!r} (one of {', '.join(makers)})", file=sys.stderr)
        return 2
    inputs = cycled_inputs(raws, n_articles)
    results = []
    texts: Optional[list[str]] = None
    # one process first: its memory high-water mark is then its own
    for config in ["workers-1"] + [c for c in configs if c != "workers-1"]:
        r = run_config(config.replace("-N", f"-{n}"), makers[config], inputs)
        texts = texts or r["texts"]
        r.pop("texts")
        if config in configs:
            results.append(r)
    words = sum(len(t.split()) for t in texts)
    # the bare pass in a process of its own, so that its memory is its own
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        bare_s, bare_peak = pool.submit(bare_pass, texts).result()
    bare_aps = len(texts) / bare_s
    print(f"bench: config=bare-spacy articles={len(texts)} articles_per_s={bare_aps:.1f} "
          f"words_per_s={words / bare_s:.0f} peak_rss_mb={bare_peak:.0f}")
    failed = 0
    for r in results:
        aps = r["articles"] / r["seconds"]
        failed += r["failed"]
        print(f"bench: config={r['config']} articles={r['articles']} articles_per_s={aps:.1f} "
              f"words_per_s={words / r['seconds']:.0f} ratio={aps / bare_aps:.2f} peak_rss_mb={r['peak']:.0f} "
              f"startup_s={r['startup']:.1f}" + (f" failed={r['failed']}" if r["failed"] else ""))
    return 0 if not failed else 1
