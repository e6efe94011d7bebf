"""The pipeline runner: inputs streamed in bounded batches to the workers, results committed by one
writer, batch by batch, in the order the inputs came.

    inputs --read, clean, dedupe--> batches --workers: annotate, extract, link--> results
           --one writer: store + resolve the touched events, one transaction per batch--> store

- Memory is flat in the size of the input: a batch holds at most `batch_size` articles, and only a
  few batches per worker are in flight; a JSONL file is read a record at a time.
- Results do not depend on the workers (one process, a pool, a Dask cluster) nor on the order of
  arrival: results are committed in input order, ids come from content, and resolve re-merges
  whole clusters (see incremental.py). An article stored in several variants (the same text with
  other metadata) keeps the preferred variant (`variant_key`), whichever came first.
- A commit is one transaction: documents (each in a savepoint, so that one failure loses one
  document), the links of duplicates, the events their mentions touch, the inputs now complete
  and how far a streamed input got. A kill at any moment leaves a store whose events agree with
  its documents; a re-run skips complete inputs and goes on in a streamed one where it stopped.
"""
from __future__ import annotations

import functools
import hashlib
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from . import incremental, pipeline, read
from .executors import make_executor
from .models import Article, InputError
from .pipeline import BATCH_ARTICLES, DOC_SECONDS, DocumentPlan, Extracted, Failed
from .read import Problem
from .registry import DEFAULT_BACKEND
from .resolve import block_key

MAX_HELD_PROBLEMS = 100  # problems of a stream held back until it shows a usable article


@dataclass
class IngestReport:
    stored: int = 0            # new documents
    duplicates: int = 0        # articles already stored (under another input, or by another writer), linked
    near_duplicates: int = 0   # of `stored`: stored without records of their own (a plan_batch said so)
    skipped: int = 0           # inputs already ingested with the same content
    replaced: int = 0          # stored documents replaced by a preferred variant of the same text
    failed: list[tuple[str, str]] = field(default_factory=list)    # (input, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (input, message)
    notices: list[tuple[str, str]] = field(default_factory=list)   # (input, message): skipped on purpose
    documents: list[str] = field(default_factory=list)
    redone: int = 0            # batches done again after their worker died
    workers: dict[str, float] = field(default_factory=dict)       # worker -> peak memory (MB)

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass
class Input:
    """One input on its way in: the name its report lines give, and its articles.

    `items` may be a lazy stream of RawArticle or read.Problem, each optionally as
    ((line, byte offset after it), item) so that a re-run can go on where this one stopped.
    With `sha256` set, the input is marked ingested once all its articles are stored, and an
    input already marked is skipped."""
    name: str
    items: Iterable = ()
    error: Optional[str] = None
    notice: Optional[str] = None
    key: Optional[str] = None        # the input's identity in the store (canonical path or URL)
    sha256: Optional[str] = None
    seen: bool = False


@dataclass
class _InputState:
    input: Input
    articles: int = 0
    failed: bool = False
    doc_ids: list[str] = field(default_factory=list)   # all its documents, new or already stored


@dataclass
class Job:
    doc_id: str
    article: Article
    state: _InputState
    place: str                    # where it was read: its path (#k for the k-th story of a file), for versions
    position: Optional[tuple[int, int]]
    variant: tuple
    plan: Optional[DocumentPlan] = None


@dataclass
class Batch:
    index: int
    jobs: list[Job] = field(default_factory=list)
    links: list[tuple] = field(default_factory=list)           # duplicates: (doc id, article, place, variant, state)
    closing: list[_InputState] = field(default_factory=list)   # inputs read to the end

    @property
    def work(self) -> list[tuple[str, Article]]:
        """What the workers get: the articles to parse and extract."""
        return [(j.doc_id, j.article) for j in self.jobs if j.plan is None or j.plan.extract]


# ---- entry points ---------------------------------------------------------------------------------

def ingest_paths(store, paths: list[str], progress: bool = False,
                 report_line: Optional[Callable[[str], None]] = None, resolve_events: bool = True,
                 **options) -> IngestReport:
    """Ingest files and folders into the store; bad inputs are reported and skipped.
    Options as for ingest_articles (workers, dask, executor, batch_size, seconds, dedupe)."""
    return ingest_articles(store, file_inputs(store, paths), progress=progress, report_line=report_line,
                           resolve_events=resolve_events, **options)


def ingest_articles(store, items: Iterable, *, report: Optional[IngestReport] = None, progress: bool = False,
                    report_line: Optional[Callable[[str], None]] = None, resolve_events: bool = True,
                    on_input_done: Optional[Callable[[str, list[str]], None]] = None,
                    plan_batch: Optional[Callable[[list[tuple[str, Article]]], dict[str, DocumentPlan]]] = None,
                    workers: int = 1, dask: Optional[str] = None, executor=None,
                    batch_size: int = BATCH_ARTICLES, seconds: Optional[float] = DOC_SECONDS,
                    dedupe: bool = True, backend: str = DEFAULT_BACKEND) -> IngestReport:
    """Ingest already-read articles: `items` yields Input, or (name, [RawArticle, ...]), or
    (name, exception) for an input that could not be read (reported as failed, one line each).

    `on_input_done(name, doc_ids)` is called once every new document of an input is stored (doc_ids:
    all its documents, new or already stored). `plan_batch` sees each batch of new documents when
    it is formed, before any is parsed (earlier batches may still be in the workers), and may mark
    some as stored without extraction (DocumentPlan). workers > 1 runs the workers in a process
    pool, `dask` ("local" or a scheduler's address) on a Dask cluster, `executor` on one the caller
    keeps (executors.make_executor); the results are the same. `seconds` is each document's time
    budget; `dedupe=False` makes every input its own document even when its text repeats another's
    (for benchmarks)."""
    report = report if report is not None else IngestReport()
    say = report_line or (lambda line: print(line, file=sys.stderr))
    run = _Run(store, report, say, batch_size, dedupe, resolve_events, _progress() if progress else None,
               on_input_done, plan_batch)
    if resolve_events:
        t0 = time.monotonic()
        if incremental.ensure_current(store) and store.has_mentions():
            run.notice(store.path, f"events rebuilt under the current merge rules ({time.monotonic() - t0:.1f} s)")
    own = executor is None
    ex = executor or make_executor(workers=workers, dask=dask)
    redone = ex.redone
    task = functools.partial(pipeline.process_batch, seconds=seconds, backend=backend)
    try:
        for batch, result in ex.run(task, run.batches(_as_inputs(items))):
            run.commit(batch, result)
    finally:
        report.redone += ex.redone - redone
        if own:
            ex.close()
        run.close()
    return report


def file_inputs(store, paths: list[str]) -> Iterator[Input]:
    """Files and folders as Inputs: named, identified by canonical path and content hash, read lazily
    (a JSONL file record by record, from where an earlier interrupted run stopped)."""
    own = [store.path + suffix for suffix in ("", "-wal", "-shm", "-journal")] if getattr(store, "path", None) else []
    for f in read.iter_input_files(paths, exclude=own):
        if f.notice or f.error:
            yield Input(f.name, error=f.error, notice=f.notice)
            continue
        key = read.canonical_name(f.path)
        try:
            if f.path.suffix.lower() in read.JSONL_SUFFIXES:
                sha = read.sha256_file(f.path)
                if store.input_seen(key, sha):
                    yield Input(f.name, key=key, sha256=sha, seen=True)
                    continue
                done = store.input_progress(key, sha)
                inp = Input(f.name, key=key, sha256=sha, items=_jsonl_items(f.path, done))
                if done:
                    inp.notice = f"going on after line {done[1]:,}, where an earlier run stopped"
                yield inp
            else:
                data = read.read_bytes(f.path)
                sha = hashlib.sha256(data).hexdigest()
                if store.input_seen(key, sha):
                    yield Input(f.name, key=key, sha256=sha, seen=True)
                    continue
                yield Input(f.name, key=key, sha256=sha, items=_document_items(f.path, data))
        except InputError as exc:
            yield Input(f.name, error=str(exc))


def _document_items(path: Path, data: bytes) -> Iterator:
    yield from read.read_document(path, data)


def _jsonl_items(path: Path, done: Optional[tuple[int, int]]) -> Iterator:
    start, line = done if done else (0, 0)
    for n, offset, item in read.iter_jsonl(path, start=start, first_line=line + 1):
        yield (n, offset), item


def _as_inputs(items: Iterable) -> Iterator[Input]:
    for item in items:
        if isinstance(item, Input):
            yield item
        elif isinstance(item, tuple) and len(item) == 2:
            name, what = item
            name = read.display_name(name) if isinstance(name, str) else repr(name)
            if isinstance(what, BaseException):
                yield Input(name, error=_reason(what))
            elif isinstance(what, str):
                yield Input(name, error=what)
            else:
                yield Input(name, items=what)
        else:
            raise TypeError(f"not an input: {item!r:.80}")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if isinstance(exc, InputError) and text else f"{type(exc).__name__}: {text}"[:300]


# ---- the run --------------------------------------------------------------------------------------

def variant_key(published, published_reason, title, outlet, url, section_days, source, path) -> tuple:
    """Which of two variants of one text is kept (the smaller key): the one dated earliest (a dated
    one before an undated one), then by outlet, title, address and reason, and last by name, so that
    the choice never depends on which came first."""
    meta = (published is None, published or "", outlet is None, outlet or "", title is None, title or "",
            url or "", published_reason or "", tuple(d or "" for d in section_days))
    return meta, (source, path)


def _article_variant(art: Article) -> tuple:
    return variant_key(art.published, art.published_reason, art.title, art.outlet, art.url,
                       [s.day for s in art.sections], art.source, art.path)


def _stored_variant(d: dict) -> tuple:
    return variant_key(d["published"], d["published_reason"], d["title"], d["outlet"], d["url"],
                       d["section_days"], d["source"], d["path"])


class _Run:
    def __init__(self, store, report: IngestReport, say, batch_size: int, dedupe: bool, resolve_events: bool,
                 bar=None, on_input_done=None, plan_batch=None):
        self.store, self.report, self.say = store, report, say
        self.batch_size, self.dedupe, self.resolve_events = max(1, batch_size), dedupe, resolve_events
        self.pending: dict[str, tuple] = {}   # doc id -> variant, sent to the workers, not yet committed
        self.bar = bar
        self.on_input_done, self.plan_batch = on_input_done, plan_batch

    # -- lines --
    def fail(self, name: str, reason: str) -> None:
        self.report.failed.append((name, reason))
        self.say(f"claimwatch: {name}: {reason}")

    def warn(self, name: str, message: str) -> None:
        self.report.warnings.append((name, message))
        self.say(f"claimwatch: {name}: warning: {message}")

    def notice(self, name: str, message: str) -> None:
        self.report.notices.append((name, message))
        self.say(f"claimwatch: {name}: {message}")

    # -- reading side: inputs to batches --
    def batches(self, inputs: Iterator[Input]) -> Iterator[Batch]:
        self.batch = Batch(0)   # the batch being filled
        for inp in inputs:
            if inp.notice:
                self.notice(inp.name, inp.notice)
            if inp.error:
                self.fail(inp.name, inp.error)
                continue
            if inp.seen:
                self.report.skipped += 1
                continue
            if inp.notice and not inp.items:
                continue
            state = _InputState(inp)
            yield from self._read_input(state)
            self.batch.closing.append(state)
            if self.bar:
                self.bar.advance()
        if self.batch.jobs or self.batch.links or self.batch.closing:
            yield self._sealed(self.batch)

    def _sealed(self, batch: Batch) -> Batch:
        """A batch ready for the workers: the caller's plan (if any) says what not to parse."""
        if self.plan_batch and batch.jobs:
            plans = self.plan_batch([(j.doc_id, j.article) for j in batch.jobs]) or {}
            for job in batch.jobs:
                job.plan = plans.get(job.doc_id)
        return batch

    def _read_input(self, state: _InputState) -> Iterator[Batch]:
        """Read one input into the batch under construction; yield each batch that fills up."""
        inp = state.input
        held: list[str] = []   # problems of a stream that has shown no usable article yet
        more = 0

        def problem(message: str) -> None:
            nonlocal more
            if state.articles:
                self.warn(inp.name, message)
            elif len(held) < MAX_HELD_PROBLEMS:
                held.append(message)
            else:
                more += 1

        try:
            for item in inp.items:
                position, item = item if isinstance(item, tuple) else (None, item)
                if isinstance(item, Problem):
                    problem(item.message)
                    continue
                where = f"line {position[0]}: " if position else ""
                try:
                    articles = pipeline.clean_raw(item)
                except InputError as exc:
                    problem(f"{where}{exc}")
                    continue
                except Exception as exc:  # a bug must not sink the batch; say which input
                    problem(f"{where}internal error: {type(exc).__name__}: {_one_line(exc)}")
                    continue
                if not articles:
                    continue
                if not state.articles:
                    for message in held:
                        self.warn(inp.name, message)
                    if more:
                        self.warn(inp.name, f"{more:,} more problems like these")
                    held, more = [], 0
                for k, art in enumerate(articles):
                    state.articles += 1
                    for w in art.warnings:
                        self.warn(inp.name, w)
                    art.warnings = []
                    self._place(state, art, k, position, self.batch)
                    if len(self.batch.jobs) >= self.batch_size:
                        full, self.batch = self.batch, Batch(self.batch.index + 1)
                        yield self._sealed(full)
        except InputError as exc:  # the stream itself broke (unreadable, too large)
            state.failed = True
            self.fail(inp.name, str(exc))
            return
        except Exception as exc:
            state.failed = True
            self.fail(inp.name, f"internal error: {type(exc).__name__}: {_one_line(exc)}")
            return
        if not state.articles:
            state.failed = True
            if len(held) == 1 and not more and not isinstance(inp.items, Iterator):
                self.fail(inp.name, held[0])
            elif held or more:
                self.fail(inp.name, "no usable article: " + "; ".join(held[:3]))
            else:
                self.fail(inp.name, "no article text found")

    def _place(self, state: _InputState, art: Article, ordinal: int, position, batch: Batch) -> None:
        """Send the article to the workers, or link it to the stored (or coming) document it repeats."""
        variant = _article_variant(art)
        place = art.path if not ordinal else f"{art.path}#{ordinal}"
        if not self.dedupe:
            doc_id = pipeline.document_id(art, salt=f"{place}:")
        else:
            doc_id = pipeline.document_id(art)
        state.doc_ids.append(doc_id)
        if self.dedupe:
            coming = self.pending.get(doc_id)
            stored = self.store.document_variant(doc_id) if coming is None else None
            known = coming if coming is not None else (_stored_variant(stored) if stored is not None else None)
            if known is not None and known <= variant:
                batch.links.append((doc_id, art, place, variant, state))
                return
        self.pending[doc_id] = variant
        batch.jobs.append(Job(doc_id, art, state, place, position, variant))

    # -- writing side: one transaction per batch --
    def commit(self, batch: Batch, result) -> None:
        """Store a batch's results, the links of its duplicates and the events they touch, in one
        transaction; report what happened only once it is committed."""
        report = self.report
        if result is not None and result.worker:
            report.workers[result.worker] = max(report.workers.get(result.worker, 0.0), result.peak_rss_mb)
        outcomes = self._outcomes(batch, result)
        tally: Counter = Counter()
        stored: list[str] = []
        failures: list[tuple[str, str]] = []
        try:
            with self.store.transaction():
                touched: list = []
                stale: set[str] = set()
                for job, outcome in zip(batch.jobs, outcomes):
                    status = self._store_one(job, outcome, touched, stale, failures)
                    tally[status] += 1
                    if status == "stored":
                        stored.append(job.doc_id)
                        tally["near"] += job.plan is not None and not job.plan.extract
                for link in batch.links:
                    tally[self._store_link(*link)] += 1
                if self.resolve_events and (touched or stale):
                    incremental.resolve_touched(self.store, touched, stale)
                self._mark_inputs(batch)
        except Exception as exc:  # the whole batch is undone: say so for each of its documents
            why = f"could not be stored: {type(exc).__name__}: {_one_line(exc)}"
            failures = [(f.path, f.reason) if isinstance(f, Failed) else (job.article.path, why)
                        for job, f in zip(batch.jobs, outcomes)]
            for job in batch.jobs:
                job.state.failed = True
            for *_, state in batch.links:
                state.failed = True
            tally, stored = Counter(), []
        finally:
            for job in batch.jobs:
                if self.pending.get(job.doc_id) == job.variant:
                    del self.pending[job.doc_id]
        report.stored += tally["stored"]
        report.near_duplicates += tally["near"]
        report.duplicates += tally["duplicate"]
        report.replaced += tally["replaced"]
        report.documents += stored
        for path, reason in failures:
            self.fail(path, reason)
        if self.on_input_done:
            for state in batch.closing:
                if not state.failed:
                    self.on_input_done(state.input.name, state.doc_ids)

    @staticmethod
    def _outcomes(batch: Batch, result) -> list:
        """One outcome per job: the workers' for those they extracted, an empty one for those the
        plan stores without records."""
        done = iter(result.outcomes if result is not None else [])
        out = []
        for job in batch.jobs:
            if job.plan is not None and not job.plan.extract:
                out.append(Extracted(job.doc_id, job.article, [], [], [], []))
            else:
                out.append(next(done, None) or Failed(job.doc_id, job.article.path, "no result from the workers"))
        return out

    def _store_one(self, job: Job, outcome, touched: list, stale: set, failures: list) -> str:
        store = self.store
        if isinstance(outcome, Failed):
            job.state.failed = True
            failures.append((outcome.path, outcome.reason))
            return "failed"
        art = outcome.article
        try:
            with store.savepoint():
                stored = store.document_variant(job.doc_id)
                if stored is None:
                    self._insert(job, outcome, touched)
                    store.add_version(job.doc_id, job.place)
                    return "stored"
                if job.variant < _stored_variant(stored):
                    # the preferred variant of a text already stored (by an earlier input, or another writer)
                    gone, events, links = store.delete_document(job.doc_id)
                    touched += gone
                    stale |= events
                    self._insert(job, outcome, touched)
                    store.restore_links(links)
                    store.add_version(job.doc_id, job.place)
                    return "replaced"
                store.link_duplicate(job.doc_id, art.source, art.path)
                store.add_version(job.doc_id, job.place)
                return "duplicate"
        except Exception as exc:  # one document's failure leaves the others and the store intact
            job.state.failed = True
            failures.append((art.path, f"could not be stored: {type(exc).__name__}: {_one_line(exc)}"))
            return "failed"

    def _insert(self, job: Job, out: Extracted, touched: list) -> None:
        self.store.insert_document(job.doc_id, out.article, out.sentences, out.claims, out.figures, out.mentions,
                                   blocks=[block_key(m) for m in out.mentions],
                                   provenance=job.plan.provenance if job.plan else None,
                                   agreements=out.agreements, allegations=out.allegations)
        touched += incremental.touched_by(job.doc_id, out.mentions)

    def _store_link(self, doc_id: str, art: Article, place: str, variant: tuple, state: _InputState) -> str:
        store = self.store
        stored = store.document_variant(doc_id)
        if stored is None:
            state.failed = True  # its original failed: the input is not marked, so a re-run tries again
            return "unlinked"
        store.link_duplicate(doc_id, art.source, art.path)
        store.add_version(doc_id, place)
        theirs = _stored_variant(stored)
        if variant[0] == theirs[0] and variant[1] < theirs[1]:
            store.rename_document(doc_id, art.source, art.path)
        return "duplicate"

    def _mark_inputs(self, batch: Batch) -> None:
        """Inputs read to the end with nothing failed are complete; a streamed one not yet complete
        is stored up to its last record in this batch."""
        last: dict[int, tuple[_InputState, tuple[int, int]]] = {}
        for job in batch.jobs:
            if job.position:
                last[id(job.state)] = (job.state, job.position)
        closing = {id(s) for s in batch.closing}
        for key, (state, (line, offset)) in last.items():
            inp = state.input
            if key not in closing and not state.failed and inp.sha256:
                self.store.set_input_progress(inp.key or inp.name, inp.sha256, offset, line)
        for state in batch.closing:
            if not state.failed and state.input.sha256:
                self.store.mark_input(state.input.key or state.input.name, state.input.sha256)

    def close(self) -> None:
        if self.bar:
            self.bar.close()


class _progress:
    """A Rich progress line (inputs read), shown only on a terminal."""

    def __init__(self):
        self.p = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TimeElapsedColumn
            self.p = Progress(SpinnerColumn(), "[progress.description]{task.description}",
                              "{task.completed} inputs", TimeElapsedColumn(), console=Console(stderr=True),
                              transient=True)
            self.p.start()
            self.task = self.p.add_task("ingesting", total=None)

    def advance(self):
        if self.p:
            self.p.advance(self.task)

    def close(self):
        if self.p:
            self.p.stop()
