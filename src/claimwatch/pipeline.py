"""The pipeline: read -> clean/split -> date -> annotate -> extract -> store -> resolve.

Inputs are taken in batches so that memory stays flat however many articles come in;
each batch is parsed in one `nlp.pipe` pass (paragraphs of all its articles), and each
document is stored with everything extracted from it in one transaction.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Optional

from . import clean, read
from .models import Article, InputError, Provenance, RawArticle, Sentence
from .store import Store

BATCH_ARTICLES = 48


@dataclass
class IngestReport:
    stored: int = 0            # new documents
    duplicates: int = 0        # articles already stored under another input, linked
    near_duplicates: int = 0   # of `stored`: copies of a story already stored, kept without their own records
    skipped: int = 0           # inputs already ingested with the same content
    failed: list[tuple[str, str]] = field(default_factory=list)    # (path, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    documents: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass
class Annotated:
    """A cleaned article with its parse: each paragraph's offset and spaCy Doc."""
    doc_id: str
    article: Article
    parsed: list[tuple[int, object]]
    sentences: list[Sentence]


def document_id(article: Article) -> str:
    return hashlib.sha256(article.text.encode("utf-8")).hexdigest()[:16]


def annotate(articles: list[tuple[str, Article]], nlp=None) -> list[Annotated]:
    """One batched pass of the language pipeline over the paragraphs of all the articles."""
    from . import nlp as nlp_mod
    nlp = nlp or nlp_mod.load()
    units = [(k, s, e) for k, (_, a) in enumerate(articles) for s, e in a.paragraphs]
    parsed: list[list[tuple[int, object]]] = [[] for _ in articles]
    texts = (articles[k][1].text[s:e] for k, s, e in units)
    for (k, s, _), doc in zip(units, nlp.pipe(texts, batch_size=64)):
        parsed[k].append((s, doc))
    out = []
    for (doc_id, art), paras in zip(articles, parsed):
        sentences = []
        for off, doc in paras:
            for sent in doc.sents:
                text = sent.text
                if text.strip():
                    start = off + sent.start_char
                    sentences.append(Sentence(start, start + len(text.rstrip()), section_of(art, start)))
        out.append(Annotated(doc_id, art, paras, sentences))
    return out


def section_of(article: Article, pos: int) -> Optional[int]:
    for i, s in enumerate(article.sections):
        if s.start <= pos < max(s.end, s.start + 1):
            return i
    return None


def extract(ann: Annotated):
    """All records of one document: claims, figures, event mentions (extracted, then linked to places)."""
    from . import claims as claims_mod, events as events_mod, figures as figures_mod, link
    claims = claims_mod.extract_claims(ann)
    figures = figures_mod.extract_figures(ann, claims)
    mentions = link.link_mentions(ann, events_mod.extract_mentions(ann, claims, figures))
    return claims, figures, mentions


def extract_accounts(ann, claims, mentions):
    """What the ceasefire monitor and the blame matrix stand on: agreement mentions and allegations."""
    from . import agreements, allegations
    return agreements.extract_agreements(ann, claims), allegations.extract_allegations(ann, claims, mentions)


def _inputs(paths: list[str]) -> Iterator[tuple[str, str, Optional[list[Article]], Optional[str]]]:
    """(path, sha256, articles, error) for every input."""
    for f in read.iter_input_files(paths):
        path = str(f.path)
        if f.error:
            yield path, "", None, f.error
            continue
        try:
            size = f.path.stat().st_size
            limit = read.MAX_JSONL_BYTES if f.path.suffix.lower() in read.JSONL_SUFFIXES else read.MAX_FILE_BYTES
            if size > limit:
                raise InputError(f"file too large ({size:,} bytes; limit {limit:,})")
            sha = read.sha256_file(f.path)
        except InputError as exc:
            yield path, "", None, str(exc)
            continue
        except PermissionError:
            yield path, "", None, "permission denied"
            continue
        except OSError as exc:
            yield path, "", None, f"cannot read: {exc.strerror or exc}"
            continue
        yield path, sha, None, None


def ingest_paths(store: Store, paths: list[str], progress: bool = False,
                 report_line: Optional[Callable[[str], None]] = None, resolve_events: bool = True) -> IngestReport:
    """Ingest files and folders into the store; bad inputs are reported and skipped."""
    report = IngestReport()
    files = list(_inputs(paths))
    bar = _progress(len(files)) if progress else None
    shas: dict[str, str] = {}

    def items() -> Iterator[tuple[str, list[RawArticle] | InputError]]:
        for path, sha, _, error in files:
            if bar:
                bar.advance()
            if error:
                yield path, InputError(error)
                continue
            if store.input_seen(path, sha):
                report.skipped += 1
                continue
            try:
                raws = read.read_input(Path(path))
            except InputError as exc:
                yield path, exc
                continue
            except Exception as exc:  # a bug must not sink the batch; say which file
                yield path, InputError(f"internal error: {type(exc).__name__}: {exc}")
                continue
            shas[path] = sha
            yield path, raws

    try:
        ingest_articles(store, items(), report=report, report_line=report_line, resolve_events=resolve_events,
                        on_input_done=lambda path, _ids: store.mark_input(path, shas[path]))
    finally:
        if bar:
            bar.close()
    return report


@dataclass
class DocumentPlan:
    """What to do with one new document of a batch (decided by the caller's `plan_batch`).

    `extract=False` stores the document without claims, figures or events: a near-duplicate copy
    whose records its story's first copy already holds. `provenance` is written in the document's
    own transaction (store.Writer.add_document)."""
    extract: bool = True
    provenance: Optional[Provenance] = None


def ingest_articles(store: Store, items: Iterable[tuple[str, list[RawArticle] | InputError]], *,
                    report: Optional[IngestReport] = None, report_line: Optional[Callable[[str], None]] = None,
                    resolve_events: bool = True,
                    on_input_done: Optional[Callable[[str, list[str]], None]] = None,
                    plan_batch: Optional[Callable[[list[tuple[str, Article]]], dict[str, DocumentPlan]]] = None,
                    ) -> IngestReport:
    """Ingest articles already read: `items` yield (input name, its RawArticles) or (input name, InputError).

    Each input's error is one line through `report_line` (stderr by default) and the rest goes on.
    `on_input_done(name, doc_ids)` is called once every new document of that input is stored (doc_ids
    are all its documents, new or already stored). `plan_batch` sees each batch of new documents
    before any is parsed and may mark some as stored-without-extraction, with provenance."""
    report = report if report is not None else IngestReport()
    say = report_line or (lambda line: print(line, file=sys.stderr))
    pending: list[tuple[str, list[tuple[str, Article]], list[str]]] = []  # (input, new articles, all doc ids)
    pending_links: list[tuple[str, str, str]] = []  # duplicates of articles still in the batch: linked after it
    n_pending = 0

    def flush():
        nonlocal n_pending
        batch = [(doc_id, art) for _, arts, _ in pending for doc_id, art in arts]
        done = _store_batch(store, batch, report, say, plan_batch) if batch else set()
        for name, arts, doc_ids in pending:
            if all(doc_id in done for doc_id, _ in arts) and on_input_done:
                on_input_done(name, doc_ids)
        for doc_id, source, path in pending_links:
            if store.has_document(doc_id):
                store.link_duplicate(doc_id, source, path)
        pending.clear()
        pending_links.clear()
        n_pending = 0

    for name, raws in items:
        if isinstance(raws, InputError):
            report.failed.append((name, str(raws)))
            say(f"claimwatch: {name}: {raws}")
            continue
        try:
            articles = [a for raw in raws for a in clean.split_raw(raw)]
            if not articles:
                raise InputError("no article text found")
        except InputError as exc:
            report.failed.append((name, str(exc)))
            say(f"claimwatch: {name}: {exc}")
            continue
        except Exception as exc:  # a bug must not sink the batch; say which input
            report.failed.append((name, f"internal error: {type(exc).__name__}: {exc}"))
            say(f"claimwatch: {name}: internal error: {type(exc).__name__}: {exc}")
            continue
        new: list[tuple[str, Article]] = []
        doc_ids: list[str] = []
        seen_here: set[str] = set()
        for art in articles:
            for w in art.warnings:
                report.warnings.append((name, w))
                say(f"claimwatch: {name}: warning: {w}")
                art.warnings = []
            doc_id = document_id(art)
            doc_ids.append(doc_id)
            if doc_id in seen_here or store.has_document(doc_id) or any(
                    doc_id == d for _, arts, _ in pending for d, _ in arts):
                if store.has_document(doc_id):
                    store.link_duplicate(doc_id, art.source, art.path)
                else:
                    pending_links.append((doc_id, art.source, art.path))
                report.duplicates += 1
                continue
            seen_here.add(doc_id)
            new.append((doc_id, art))
        pending.append((name, new, doc_ids))
        n_pending += len(new)
        if n_pending >= BATCH_ARTICLES:
            flush()
    flush()
    if resolve_events:
        from . import resolve
        resolve.resolve_store(store)
    return report


def _store_batch(store: Store, batch: list[tuple[str, Article]], report: IngestReport, say,
                 plan_batch=None) -> set[str]:
    done: set[str] = set()
    plans = plan_batch(batch) if plan_batch else {}
    for doc_id, art in batch:
        plan = plans.get(doc_id)
        if plan is None or plan.extract:
            continue
        try:
            store.add_document(doc_id, art, [], provenance=plan.provenance)
        except Exception as exc:
            report.failed.append((art.path, f"storing failed: {type(exc).__name__}: {exc}"))
            say(f"claimwatch: {art.path}: storing failed: {type(exc).__name__}: {exc}")
            continue
        done.add(doc_id)
        report.stored += 1
        report.near_duplicates += 1
        report.documents.append(doc_id)
    to_parse = [(d, a) for d, a in batch if d not in plans or plans[d].extract]
    for ann in annotate(to_parse) if to_parse else []:
        try:
            claims, figures, mentions = extract(ann)
            plan = plans.get(ann.doc_id)
            agreements, allegations = extract_accounts(ann, claims, mentions)
            store.add_document(ann.doc_id, ann.article, ann.sentences, claims, figures, mentions,
                               agreements=agreements, allegations=allegations,
                               provenance=plan.provenance if plan else None)
        except Exception as exc:  # one document's failure leaves the others and the store intact
            report.failed.append((ann.article.path, f"extraction failed: {type(exc).__name__}: {exc}"))
            say(f"claimwatch: {ann.article.path}: extraction failed: {type(exc).__name__}: {exc}")
            continue
        done.add(ann.doc_id)
        report.stored += 1
        report.documents.append(ann.doc_id)
    return done


class _progress:
    """A Rich progress bar, shown only on a terminal and for more than a handful of files."""

    def __init__(self, total: int):
        self.p = None
        if total > 5 and sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
            from rich.console import Console
            self.p = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                              TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            self.p.start()
            self.task = self.p.add_task("ingesting", total=total)

    def advance(self):
        if self.p:
            self.p.advance(self.task)

    def close(self):
        if self.p:
            self.p.stop()
