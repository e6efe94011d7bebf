"""read: inputs (files, folders, HTML, JSONL) to decoded RawArticles.

Every problem with one input is an InputError with a one-line reason; the caller
reports it and goes on with the rest of the batch.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from .models import InputError, RawArticle

MAX_FILE_BYTES = 10 * 1024 * 1024      # a single article file (text or HTML)
MAX_JSONL_BYTES = 2 * 1024 * 1024 * 1024
MAX_RECORD_CHARS = 2 * 1024 * 1024     # one article inside a JSONL file
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
# legacy encodings news text really comes in; a detector's guess outside these is not trusted
LEGACY_ENCODINGS = {"cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "koi8_u", "iso8859_5", "cp1250",
                    "iso8859_2", "cp1253", "iso8859_7", "cp1254", "iso8859_9", "cp1255", "iso8859_8", "cp1256",
                    "iso8859_6", "cp1257", "mac_roman", "cp437", "cp850", "shift_jis", "cp932", "euc_jp", "gb2312",
                    "gb18030", "gbk", "big5", "euc_kr", "cp949"}


@dataclass
class InputFile:
    path: Path
    error: Optional[str] = None  # set when the path could not even be listed


def iter_input_files(paths: list[str]) -> Iterator[InputFile]:
    """Files named, and files found recursively in folders named, in a stable order."""
    for p in paths:
        path = Path(p)
        if not path.exists():
            yield InputFile(path, "no such file or folder")
        elif path.is_dir():
            yield from _walk(path)
        else:
            yield InputFile(path)


def _walk(folder: Path) -> Iterator[InputFile]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except PermissionError:
        yield InputFile(folder, "permission denied (folder)")
        return
    except OSError as exc:
        yield InputFile(folder, f"cannot list folder: {exc.strerror or exc}")
        return
    for e in entries:
        if e.name.startswith("."):
            continue
        p = Path(e.path)
        if e.is_dir(follow_symlinks=False):
            yield from _walk(p)
        elif e.is_file():
            yield InputFile(p)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(f"file too large ({size:,} bytes; limit {limit:,})")
        with open(path, "rb") as fh:
            return fh.read(limit + 1)
    except PermissionError:
        raise InputError("permission denied") from None
    except IsADirectoryError:
        raise InputError("is a folder") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None


def decode(data: bytes) -> tuple[str, list[str]]:
    """Bytes to text: UTF-8 first; a legacy encoding only when detection is confident."""
    if not data.strip():
        raise InputError("empty file")
    if looks_binary(data):
        raise InputError("binary file, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    invalid = f"invalid UTF-8 at byte {utf8_error.start}"
    # Mostly valid UTF-8 with a few broken sequences is broken UTF-8, not a legacy encoding:
    # decoding it as one would store mojibake.
    lenient = data.decode("utf-8", errors="replace")
    broken = lenient.count("\ufffd")
    multibyte_ok = sum(1 for ch in lenient if ord(ch) > 127 and ch != "\ufffd")
    if multibyte_ok and broken <= max(3, multibyte_ok // 10):
        raise InputError(invalid)
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is None or best.encoding not in LEGACY_ENCODINGS or best.chaos > 0.2:
        raise InputError(f"{invalid} and no legacy encoding fits with confidence")
    return str(best), [f"not UTF-8; decoded as {best.encoding}"]


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


_STOPWORDS = set("the of and to in a is that for on was with said as by at from it has have he his were be are "
                 "which an not this had after its their they but or been who will would".split())


def check_english(text: str) -> None:
    """Reject text that is not English prose: the extraction rules are English-only."""
    words = re.findall(r"[^\W\d_]+", text[:20000].lower())
    if len(words) < 5:
        raise InputError("too little text to be an article")
    ascii_words = sum(1 for w in words if w.isascii())
    stop = sum(1 for w in words if w in _STOPWORDS)
    if ascii_words < len(words) * 0.6 or stop < len(words) * 0.08:
        raise InputError("not English text (claimwatch extracts from English articles only)")


def read_input(path: Path) -> list[RawArticle]:
    """One input file to its article(s)."""
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return read_jsonl(path)
    data = read_bytes(path)
    text, warnings = decode(data)
    source = path.name
    head = text[:2048].lstrip().lower()
    if suffix in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")):
        art = read_html(text, source, str(path))
    else:
        art = RawArticle(source=source, path=str(path), text=text)
    art.warnings += warnings
    check_english(art.text)
    return [art]


def read_html(html: str, source: str, path: str, url: Optional[str] = None) -> RawArticle:
    import trafilatura
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=True)
    except Exception as exc:  # trafilatura raises a variety of lxml errors on broken markup
        raise InputError(f"broken HTML: {type(exc).__name__}") from None
    if doc is None:
        raise InputError("broken HTML or no article text found in it")
    get = (lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get
    text = get("text") or ""
    if len(text.split()) < 20:
        raise InputError("no article text found in the HTML")
    published = get("date")
    if published and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(published)[:10]):
        published = None
    return RawArticle(source=source, path=path, text=text, title=get("title"), outlet=get("sitename"),
                      published=str(published)[:10] if published else None, url=url or get("url"),
                      already_clean=True)


def read_jsonl(path: Path) -> list[RawArticle]:
    """A JSONL file: one article per line (`text` required; title, url, outlet, published optional).

    A bad line is an InputError only when no line is usable; otherwise it is a warning
    on the article list (reported by the caller), so one broken record does not sink the file.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    if size > MAX_JSONL_BYTES:
        raise InputError(f"file too large ({size:,} bytes)")
    if size == 0:
        raise InputError("empty file")
    articles: list[RawArticle] = []
    problems: list[str] = []
    try:
        fh = open(path, "rb")
    except PermissionError:
        raise InputError("permission denied") from None
    with fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                problems.append(f"line {n}: not JSON ({type(exc).__name__})")
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str) or not rec["text"].strip():
                problems.append(f"line {n}: no 'text' field")
                continue
            text = rec["text"]
            if len(text) > MAX_RECORD_CHARS:
                problems.append(f"line {n}: article too large ({len(text):,} characters)")
                continue
            published = rec.get("published") or rec.get("date")
            if published and not re.match(r"\d{4}-\d{2}-\d{2}", str(published)):
                problems.append(f"line {n}: 'published' is not YYYY-MM-DD; ignored")
                published = None
            url = rec.get("url") if isinstance(rec.get("url"), str) else None
            if text.lstrip()[:200].lower().startswith(("<!doctype", "<html")):
                try:
                    art = read_html(text, path.name, f"{path}:{n}", url=url)
                except InputError as exc:
                    problems.append(f"line {n}: {exc}")
                    continue
            else:
                art = RawArticle(source=path.name, path=f"{path}:{n}", text=text, url=url)
            art.title = rec.get("title") or art.title
            art.outlet = rec.get("outlet") or art.outlet
            art.published = str(published)[:10] if published else art.published
            try:
                check_english(art.text)
            except InputError as exc:
                problems.append(f"line {n}: {exc}")
                continue
            articles.append(art)
    if not articles:
        raise InputError("no usable article: " + ("; ".join(problems[:3]) if problems else "empty"))
    if problems:
        articles[0].warnings += problems
    return articles
