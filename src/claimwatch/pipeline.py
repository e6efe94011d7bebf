"""The pipeline's stages, as functions over typed records:

    read -> clean/split -> date -> annotate -> extract -> link -> resolve -> store
    RawArticle  Article (days, sections)  Annotated   Extracted          Event

- `clean_raw`: a RawArticle (from `read`, or from anyone: a fetcher) to clean Articles, each
  checked at the boundary (fields of the right type and size, days that exist);
- `annotate`: one batched spaCy pass over the paragraphs of many articles, in bounded units;
- `extract`: the registered extractors (claims, figures, events) in order, then `link`;
- `process_batch`: annotate and extract a batch of articles, each within a time budget: the
  function a worker runs, in this process, in a process pool or on a Dask cluster;
- resolve and store: `runner` (the one writer) and `incremental`.

`ingest_paths` and `ingest_articles` (in `runner`) compose them; see README.md for the layout.
"""
from __future__ import annotations

import hashlib
import os
import resource
import socket
from dataclasses import dataclass, field, replace
from typing import Optional, Union

from . import clean, read, registry
from .budget import OverBudget, time_limit
from .models import AgreementMention, Allegation, Article, Claim, EventMention, Figure, InputError, RawArticle, Sentence

BATCH_ARTICLES = 48         # articles per batch: one nlp.pipe pass, one commit
DOC_SECONDS = 120.0         # time budget of one document's extraction (and its share of a batch's parse)


@dataclass
class Annotated:
    """A cleaned article with its parse: each unit's offset (a paragraph, or a piece of a long one)
    and its spaCy Doc."""
    doc_id: str
    article: Article
    parsed: list[tuple[int, object]]
    sentences: list[Sentence]


@dataclass
class Extracted:
    """Everything extracted from one article: what the writer stores as one document."""
    doc_id: str
    article: Article
    sentences: list[Sentence]
    claims: list[Claim]
    figures: list[Figure]
    mentions: list[EventMention]
    agreements: list[AgreementMention] = field(default_factory=list)
    allegations: list[Allegation] = field(default_factory=list)


@dataclass
class Failed:
    """An article whose extraction failed, with the reason for its report line."""
    doc_id: str
    path: str
    reason: str


@dataclass
class DocumentPlan:
    """What to do with one new document of a batch (decided by the caller's `plan_batch`).

    `extract=False` stores the document without claims, figures or events: a near-duplicate copy
    whose records its story's first copy already holds. `provenance` is written in the document's
    own transaction."""
    extract: bool = True
    provenance: Optional[object] = None


@dataclass
class BatchResult:
    outcomes: list[Union[Extracted, Failed]]
    worker: str = ""             # host:pid of the process that did the work
    peak_rss_mb: float = 0.0     # its high-water mark of memory so far


# ---- clean/split and date ---------------------------------------------------------------------------

def clean_raw(raw: RawArticle) -> list[Article]:
    """A raw article (from a file, a JSONL record, a fetched page) to its clean articles.

    Whatever made the RawArticle, its fields are checked first: text without NUL or lone
    surrogates, metadata of the right type and size, a published day that exists. What was
    changed is said in the articles' warnings."""
    raw, warnings = checked_raw(raw)
    if not raw.text.strip():
        raise InputError("no article text found")
    articles = clean.split_raw(raw)
    for art in articles:
        art.warnings = warnings + art.warnings + checked_days(art)
    return articles


def checked_raw(raw: RawArticle) -> tuple[RawArticle, list[str]]:
    problems = list(raw.warnings)
    text, notes = read.text_chars(raw.text if isinstance(raw.text, str) else "")
    problems += [f"field 'text': {n}" for n in notes]
    meta = {k: getattr(raw, k) for k in ("title", "outlet", "url")}
    fields = {k: read.field(meta, k, problems) for k in meta}
    published = read.plausible_day(raw.published)
    if raw.published and not published:
        problems.append(f"'published' is not a real day: {str(raw.published)[:20]!r}; ignored")
    source = read.display_name(raw.source) if isinstance(raw.source, str) else "?"
    path = read.display_name(raw.path) if isinstance(raw.path, str) else source
    return replace(raw, text=text, source=source, path=path, published=published, warnings=[], **fields), problems


def checked_days(art: Article) -> list[str]:
    """Days the cleaner found that do not exist (a header's 2020-13-45) become unknown, with a reason."""
    problems = []
    if art.published and not read.plausible_day(art.published):
        problems.append(f"published day {art.published[:20]!r} does not exist; ignored")
        art.published, art.published_reason = None, f"the day given ({art.published[:20]!r}) does not exist"
    for s in art.sections:
        if s.day and not read.plausible_day(s.day):
            problems.append(f"section day {s.day[:20]!r} does not exist; ignored")
            s.day, s.day_reason = None, f"the day given ({s.day[:20]!r}) does not exist"
    return problems


def document_id(article: Article, salt: str = "") -> str:
    """The content hash of the clean text: the same article under another name is the same document."""
    return hashlib.sha256((salt + article.text).encode("utf-8", "surrogatepass")).hexdigest()[:16]


# ---- annotate -----------------------------------------------------------------------------------

def annotate(articles: list[tuple[str, Article]], nlp=None) -> list[Annotated]:
    """One batched pass of the language pipeline over the paragraphs of all the articles.

    A paragraph longer than nlp.MAX_UNIT_CHARS is parsed in pieces cut at sentence ends, and
    runs without a space are broken for the tokenizer (nlp.safe_text), so that no input makes
    the parse fail or take more than linear time; offsets stay those of the article's text."""
    from . import nlp as nlp_mod
    nlp = nlp or nlp_mod.load()
    units = [(k, s, e) for k, (_, a) in enumerate(articles) for ps, pe in a.paragraphs
             for s, e in nlp_mod.unit_spans(a.text, ps, pe)]
    parsed: list[list[tuple[int, object]]] = [[] for _ in articles]
    texts = (nlp_mod.safe_text(articles[k][1].text[s:e]) for k, s, e in units)
    for (k, s, _), doc in zip(units, nlp_mod.parse(texts, nlp)):
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


# ---- extract and link -------------------------------------------------------------------------------

def extract(ann: Annotated, backend: str = registry.DEFAULT_BACKEND):
    """All records of one document: claims, figures, event mentions (extracted, then linked to places)."""
    from . import link
    found: dict[str, list] = {}
    for kind in registry.KINDS:
        found[kind] = registry.extractor(kind, backend)(ann, found)
    return found["claims"], found["figures"], link.link_mentions(ann, found["events"])


def process_batch(batch: list[tuple[str, Article]], seconds: Optional[float] = DOC_SECONDS,
                  backend: str = registry.DEFAULT_BACKEND) -> BatchResult:
    """Annotate and extract a batch of (document id, article): what a worker does with a partition.

    Pure in what it returns (records, no store); each document within `seconds` of extraction, the
    batch's parse within `seconds` per document, else the documents are parsed one by one so that
    only the one that runs over is lost."""
    try:
        with time_limit(seconds * len(batch) if seconds else None):
            annotated: list[Union[Annotated, Failed]] = list(annotate(batch))
    except (OverBudget, Exception):  # find the one document that ran over (or broke the parse)
        annotated = [_annotate_one(doc_id, art, seconds) for doc_id, art in batch]
    outcomes = [a if isinstance(a, Failed) else _extract_one(a, seconds, backend) for a in annotated]
    return BatchResult(outcomes, worker=f"{socket.gethostname()}:{os.getpid()}", peak_rss_mb=peak_rss_mb())


def _annotate_one(doc_id: str, art: Article, seconds: Optional[float]) -> Union[Annotated, Failed]:
    try:
        with time_limit(seconds):
            return annotate([(doc_id, art)])[0]
    except OverBudget:
        return Failed(doc_id, art.path, f"time budget exceeded: parsing took over {seconds:g} s")
    except Exception as exc:
        return Failed(doc_id, art.path, f"parsing failed: {type(exc).__name__}: {_one_line(exc)}")


def _extract_one(ann: Annotated, seconds: Optional[float], backend: str) -> Union[Extracted, Failed]:
    try:
        with time_limit(seconds):
            # the default backend through the one-argument call (the seam tests replace)
            claims, figures, mentions = extract(ann, backend) if backend != registry.DEFAULT_BACKEND else extract(ann)
            agreements, allegations = extract_accounts(ann, list(claims), list(mentions), backend)
    except OverBudget:
        return Failed(ann.doc_id, ann.article.path, f"time budget exceeded: extraction took over {seconds:g} s")
    except Exception as exc:  # one document's failure leaves the others and the store intact
        return Failed(ann.doc_id, ann.article.path, f"extraction failed: {type(exc).__name__}: {_one_line(exc)}")
    return Extracted(ann.doc_id, ann.article, ann.sentences, list(claims), list(figures), list(mentions),
                     agreements, allegations)


def extract_accounts(ann: Annotated, claims: list[Claim], mentions: list[EventMention],
                     backend: str = registry.DEFAULT_BACKEND) -> tuple[list[AgreementMention], list[Allegation]]:
    """What the ceasefire monitor and the blame matrix stand on: agreement mentions and allegations."""
    found: dict[str, list] = {"claims": claims, "events": mentions}
    for kind in registry.ACCOUNT_KINDS:
        found[kind] = registry.extractor(kind, backend)(ann, found)
    return found["agreements"], found["allegations"]


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def __getattr__(name: str):
    """ingest_paths, ingest_articles and IngestReport live in `runner`, which composes these stages
    (and imports this module): reached through here as before."""
    if name in ("IngestReport", "ingest_articles", "ingest_paths"):
        from . import runner
        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
