"""read: inputs (files, folders, HTML, JSONL) to decoded RawArticles.

Every problem with one input is an InputError with a one-line reason; the caller reports it
and goes on with the rest of the batch. Nothing an input contains can end the run: file names
that are not UTF-8 or hold newlines are shown escaped, only regular files are opened (a FIFO or
/dev/zero would block or never end), and every field of a JSONL record is checked for its type,
size and (for days) whether the day exists. A JSONL file is read as a stream of records, so
that its size does not decide the memory used.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from .models import InputError, RawArticle

MAX_FILE_BYTES = 10 * 1024 * 1024      # a single article file (text or HTML)
MAX_JSONL_BYTES = 2 * 1024 * 1024 * 1024
MAX_RECORD_CHARS = 2 * 1024 * 1024     # one article inside a JSONL file
MAX_RECORD_BYTES = 8 * 1024 * 1024     # one line of a JSONL file, read before it is parsed
MAX_FIELD_CHARS = {"title": 1000, "outlet": 200, "url": 2048, "published": 64}
# a published day outside these years is not a news article's day (0000-00-00, 9999-12-31)
FIRST_YEAR, LAST_YEAR = 1900, 2100
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
# legacy encodings news text really comes in; a detector's guess outside these is not trusted
LEGACY_ENCODINGS = {"cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "koi8_u", "iso8859_5", "cp1250",
                    "iso8859_2", "cp1253", "iso8859_7", "cp1254", "iso8859_9", "cp1255", "iso8859_8", "cp1256",
                    "iso8859_6", "cp1257", "mac_roman", "cp437", "cp850", "shift_jis", "cp932", "euc_jp", "gb2312",
                    "gb18030", "gbk", "big5", "euc_kr", "cp949"}
# Western single-byte encodings of mostly-ASCII (English) text, and the characters English text
# really uses above ASCII: the candidate that decodes to more of these is the file's encoding
# (mac_roman's curly quotes are cp1252's Ò Ó Ô Õ).
WESTERN_ENCODINGS = ("cp1252", "mac_roman", "latin_1")
ENGLISH_NON_ASCII = set("‘’“”–—…•·°£€©®™éèêëáàâäíìîïóòôöúùûüçñÉÈÁÀÇÑ")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_DAY_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_HIGH_BYTES = bytes(range(128, 256))


@dataclass
class InputFile:
    path: Path
    error: Optional[str] = None   # set when the path cannot be an input (missing, not a regular file, ...)
    notice: Optional[str] = None  # skipped on purpose, said once (a hidden file, the store itself)

    @property
    def name(self) -> str:
        return display_name(self.path)


@dataclass
class Problem:
    """One record of a stream that could not be used: reported, and the stream goes on."""
    message: str


# ---- names ------------------------------------------------------------------------------------

def display_name(path: Union[str, os.PathLike]) -> str:
    """A file name as one printable line: bytes that are not UTF-8 as \\xNN, control characters
    (a newline in a name) escaped, so that a report line is always one line and storable."""
    s = os.fsdecode(os.fspath(path))
    try:
        raw = s.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that no file system gave
        raw = s.encode("utf-8", "backslashreplace")
    s = raw.decode("utf-8", "backslashreplace")
    s = s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return _CONTROL_RE.sub(_escape_control, s)


def _escape_control(m: re.Match) -> str:
    return f"\\x{ord(m.group()):02x}"


def canonical_name(path: Union[str, os.PathLike]) -> str:
    """One spelling for one file: ./a, a and dir/../a are the same input."""
    return display_name(os.path.realpath(path))


# ---- finding inputs ---------------------------------------------------------------------------

def iter_input_files(paths: Iterable[Union[str, os.PathLike]], exclude: Iterable[str] = ()) -> Iterator[InputFile]:
    """Files named, and files found recursively in folders named, in a stable order.

    Each file once, however it is spelled; `exclude` names paths that are never inputs (the
    store and its journal files)."""
    seen_files: set[str] = set()
    seen_dirs: set[tuple[int, int]] = set()
    excluded = {os.path.realpath(p) for p in exclude}
    for p in paths:
        path = Path(os.fsdecode(p))
        st, error = _stat(path)
        if error:
            yield InputFile(path, error)
        elif stat.S_ISDIR(st.st_mode):
            yield from _walk(path, st, seen_dirs, seen_files, excluded)
        else:
            yield from _file(path, st, seen_files, excluded)


def _stat(path: Path) -> tuple[Optional[os.stat_result], Optional[str]]:
    try:
        return os.stat(path), None
    except FileNotFoundError:
        return None, "broken symbolic link" if os.path.islink(path) else "no such file or folder"
    except PermissionError:
        return None, "permission denied"
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"


def _file(path: Path, st: os.stat_result, seen: set[str], excluded: set[str]) -> Iterator[InputFile]:
    real = os.path.realpath(path)
    if real in seen:
        return
    seen.add(real)
    if real in excluded:
        return  # the store's own files: not an input, and nothing to say about them
    if not stat.S_ISREG(st.st_mode):
        yield InputFile(path, f"not a regular file ({file_kind(st.st_mode)})")
    else:
        yield InputFile(path)


def file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
                       (stat.S_ISSOCK, "socket"), (stat.S_ISDIR, "folder")):
        if test(mode):
            return kind
    return "special file"


def _walk(folder: Path, st: os.stat_result, seen_dirs: set, seen_files: set, excluded: set) -> Iterator[InputFile]:
    key = (st.st_dev, st.st_ino)
    if key in seen_dirs:
        return  # a symbolic link back to a folder already walked (a loop, or the same folder twice)
    seen_dirs.add(key)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except PermissionError:
        yield InputFile(folder, "permission denied (folder)")
        return
    except OSError as exc:
        yield InputFile(folder, f"cannot list folder: {exc.strerror or exc}")
        return
    for e in entries:
        p = Path(e.path)
        if e.name.startswith("."):
            if os.path.realpath(p) not in excluded:
                yield InputFile(p, notice="skipped: hidden " + ("folder" if e.is_dir() else "file"))
            continue
        est, error = _stat(p)
        if error:
            yield InputFile(p, error)
        elif stat.S_ISDIR(est.st_mode):
            yield from _walk(p, est, seen_dirs, seen_files, excluded)
        else:
            yield from _file(p, est, seen_files, excluded)


# ---- bytes --------------------------------------------------------------------------------------

def open_regular(path: Path):
    """The file opened for reading, refused unless it is a regular file: opening a FIFO does not
    block (O_NONBLOCK) and the check is made on what was opened, not on a name that may change."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except PermissionError:
        raise InputError("permission denied") from None
    except IsADirectoryError:
        raise InputError("is a folder") from None
    except FileNotFoundError:
        raise InputError("no such file or folder") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"not a regular file ({file_kind(mode)})")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: Path, limit: Optional[int] = None) -> bytes:
    limit = MAX_FILE_BYTES if limit is None else limit
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise InputError(f"file too large ({size:,} bytes; limit {limit:,})")
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(f"file too large (more than {limit:,} bytes)")
    return data


def sha256_file(path: Path, limit: Optional[int] = None) -> str:
    """The content hash of a regular file of at most `limit` bytes."""
    limit = MAX_JSONL_BYTES if limit is None else limit
    h = hashlib.sha256()
    n = 0
    with open_regular(path) as fh:
        try:
            for block in iter(lambda: fh.read(1 << 20), b""):
                n += len(block)
                if n > limit:
                    raise InputError(f"file too large (more than {limit:,} bytes)")
                h.update(block)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}") from None
    return h.hexdigest()


def size_limit(path: Path) -> int:
    return MAX_JSONL_BYTES if path.suffix.lower() in JSONL_SUFFIXES else MAX_FILE_BYTES


# ---- decoding -----------------------------------------------------------------------------------

_BOMS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"))


def decode(data: bytes) -> tuple[str, list[str]]:
    """Bytes to text: UTF-8 first, UTF-16/32 by byte order mark or by their zero bytes, a legacy
    encoding only when detection is confident. The text has no NUL or other control characters."""
    if not data.strip():
        raise InputError("empty file")
    wide = _wide_encoding(data)
    if wide:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError as exc:
            raise InputError(f"invalid {wide.upper()} at byte {exc.start}") from None
        text = text.lstrip("\ufeff")
        if not text.strip():
            raise InputError("empty file")
        return text_chars(text)[0], []
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"binary file, not text (NUL byte at offset {nul:,})")
    if looks_binary(data):
        raise InputError("binary file, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return text_chars(data.decode("utf-8"))[0], []
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
    western = western_guess(data)
    if western:
        text, enc = western
        return text_chars(text)[0], [f"not UTF-8; decoded as {enc}"]
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is None or best.encoding not in LEGACY_ENCODINGS or best.chaos > 0.2:
        raise InputError(f"{invalid} and no legacy encoding fits with confidence")
    return text_chars(str(best))[0], [f"not UTF-8; decoded as {best.encoding}"]


def _wide_encoding(data: bytes) -> Optional[str]:
    """UTF-32 or UTF-16, from the byte order mark or, without one, from where the zero bytes fall
    in text that is mostly ASCII (every other byte zero: UTF-16)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc  # decoded with the BOM, which is stripped as U+FEFF
    head = data[:4096]
    if len(head) < 8:
        return None
    n = len(head) // 4 * 4
    zeros = [sum(1 for i in range(k, n, 4) if head[i] == 0) for k in range(4)]
    quarter = n // 4
    if zeros[1] > 0.9 * quarter and zeros[2] > 0.9 * quarter:
        if zeros[3] > 0.9 * quarter and zeros[0] < 0.1 * quarter:
            return "utf-32-le"
        if zeros[0] > 0.9 * quarter and zeros[3] < 0.1 * quarter:
            return "utf-32-be"
    odd = zeros[1] + zeros[3]
    even = zeros[0] + zeros[2]
    if odd > 0.8 * 2 * quarter and even < 0.05 * 2 * quarter:
        return "utf-16-le"
    if even > 0.8 * 2 * quarter and odd < 0.05 * 2 * quarter:
        return "utf-16-be"
    return None


def western_guess(data: bytes) -> Optional[tuple[str, str]]:
    """Mostly-ASCII text in cp1252, mac_roman or latin-1: the decoding that gives the characters
    English text uses (curly quotes, dashes, accented names), or None when the bytes are not that."""
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if not high or high > 0.05 * len(data):
        return None
    best = None
    for enc in WESTERN_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        above = [ch for ch in text if ord(ch) > 127]
        if _CONTROL_RE.search(text) or any(0x80 <= ord(ch) < 0xa0 for ch in above):
            continue
        score = sum(1 for ch in above if ch in ENGLISH_NON_ASCII) / len(above)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None or best[0] < 0.5:
        return None
    return best[1], best[2]


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in data:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


def text_chars(text: str) -> tuple[str, list[str]]:
    """Text that SQL, spaCy and UTF-8 all take whole: NUL and other control characters removed,
    lone surrogates (from JSON escapes) replaced by U+FFFD; with what was changed."""
    notes = []
    if _SURROGATE_RE.search(text):
        notes.append("lone surrogate escapes replaced by U+FFFD")
        text = _SURROGATE_RE.sub("\ufffd", text)
    if _CONTROL_RE.search(text):
        notes.append("control characters removed")
        text = _CONTROL_RE.sub("", text)
    return text, notes


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


# ---- fields ---------------------------------------------------------------------------------------

def plausible_day(value) -> Optional[str]:
    """YYYY-MM-DD when `value` starts with a day that exists in a plausible year, else None."""
    if not isinstance(value, str):
        return None
    m = _DAY_RE.match(value.strip())
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not FIRST_YEAR <= y <= LAST_YEAR:
        return None
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def field(rec: dict, name: str, problems: list[str], where: str = "") -> Optional[str]:
    """A metadata field of a record as one line of text, or None with the reason in `problems`."""
    value = rec.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        problems.append(f"{where}field '{name}' is not text ({type(value).__name__}); ignored")
        return None
    limit = MAX_FIELD_CHARS.get(name, 1000)
    if len(value) > limit:
        problems.append(f"{where}field '{name}' too long ({len(value):,} characters; limit {limit:,}); ignored")
        return None
    value, notes = text_chars(value)
    for n in notes:
        problems.append(f"{where}field '{name}': {n}")
    value = " ".join(value.split())
    return value or None


# ---- one input --------------------------------------------------------------------------------

def read_input(path: Path) -> list[RawArticle]:
    """One input file to its article(s); a JSONL file's records all at once (see iter_jsonl to stream)."""
    if path.suffix.lower() in JSONL_SUFFIXES:
        return read_jsonl(path)
    return read_document(path)


def read_document(path: Path, data: Optional[bytes] = None) -> list[RawArticle]:
    """A text or HTML file (its bytes, when already read) to its article."""
    suffix = path.suffix.lower()
    if data is None:
        data = read_bytes(path)
    text, warnings = decode(data)
    source = display_name(path.name)
    name = canonical_name(path)
    head = text[:2048].lstrip().lower()
    if suffix in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")):
        art = read_html(text, source, name)
    else:
        art = RawArticle(source=source, path=name, text=text)
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
    except RecursionError:
        raise InputError("broken HTML: nested too deeply") from None
    if doc is None:
        raise InputError("broken HTML or no article text found in it")
    get = (lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get
    text = get("text") or ""
    if not isinstance(text, str) or len(text.split()) < 20:
        raise InputError("no article text found in the HTML")
    text = text_chars(text)[0]
    problems: list[str] = []
    meta = {"title": get("title"), "outlet": get("sitename"), "url": url or get("url")}
    title, outlet, page_url = (field(meta, k, problems) for k in ("title", "outlet", "url"))
    art = RawArticle(source=source, path=path, text=text, title=title, outlet=outlet,
                     published=plausible_day(get("date")), url=page_url, already_clean=True)
    art.warnings += problems
    return art


def read_jsonl(path: Path) -> list[RawArticle]:
    """A JSONL file's articles (see iter_jsonl); bad lines are warnings on the first article,
    and a file with no usable line is an InputError."""
    articles: list[RawArticle] = []
    problems: list[str] = []
    for _, _, item in iter_jsonl(path):
        if isinstance(item, Problem):
            problems.append(item.message)
        else:
            articles.append(item)
    if not articles:
        raise InputError("no usable article: " + ("; ".join(problems[:3]) if problems else "empty"))
    articles[0].warnings[:0] = problems
    return articles


def iter_jsonl(path: Path, start: int = 0, first_line: int = 1
               ) -> Iterator[tuple[int, int, Union[RawArticle, Problem]]]:
    """A JSONL file as a stream: (line number, byte offset after the line, article or Problem) per
    non-blank line, from byte offset `start` (a resumed run). One article per line: `text` required;
    `title`, `url`, `outlet`, `published` (YYYY-MM-DD) optional. No line is held longer than
    MAX_RECORD_BYTES, whatever the file holds."""
    source, name = display_name(path.name), canonical_name(path)
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > MAX_JSONL_BYTES:
            raise InputError(f"file too large ({size:,} bytes; limit {MAX_JSONL_BYTES:,})")
        if size == 0:
            raise InputError("empty file")
        fh.seek(start)
        offset, n = start, first_line - 1
        while True:
            raw = fh.readline(MAX_RECORD_BYTES + 1)
            if not raw:
                return
            n += 1
            offset += len(raw)
            if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # the rest of the line, never held whole
                    raw = fh.readline(1 << 20)
                    offset += len(raw)
                yield n, offset, Problem(f"line {n}: record too large (more than {MAX_RECORD_BYTES:,} bytes)")
                continue
            if not raw.strip():
                continue
            yield n, offset, record(raw, n, source, name)


def record(raw: bytes, n: int, source: str, name: str) -> Union[RawArticle, Problem]:
    """One JSONL line to its article, or the Problem that says why it is not one."""
    where = f"line {n}: "
    try:
        rec = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Problem(f"{where}not JSON ({type(exc).__name__})")
    except RecursionError:
        return Problem(f"{where}not JSON (nested too deeply)")
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        return Problem(f"{where}not JSON ({str(exc)[:60]})")
    if not isinstance(rec, dict):
        return Problem(f"{where}not a JSON object")
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return Problem(f"{where}no 'text' field")
    if len(text) > MAX_RECORD_CHARS:
        return Problem(f"{where}article too large ({len(text):,} characters; limit {MAX_RECORD_CHARS:,})")
    problems: list[str] = []
    text, notes = text_chars(text)
    problems += [f"{where}field 'text': {note}" for note in notes]
    url = field(rec, "url", problems, where)
    key = "published" if rec.get("published") not in (None, "") else "date"
    published_text = field(rec, key, problems, where)
    published = plausible_day(published_text)
    if published_text and not published:
        problems.append(f"{where}'{key}' is not a real day (YYYY-MM-DD, {FIRST_YEAR}-{LAST_YEAR}): "
                        f"{published_text[:20]!r}; ignored")
    if text.lstrip()[:200].lower().startswith(("<!doctype", "<html")):
        try:
            art = read_html(text, source, f"{name}:{n}", url=url)
        except InputError as exc:
            return Problem(f"{where}{exc}")
    else:
        art = RawArticle(source=source, path=f"{name}:{n}", text=text, url=url)
    art.title = field(rec, "title", problems, where) or art.title
    art.outlet = field(rec, "outlet", problems, where) or art.outlet
    art.published = published or art.published
    try:
        check_english(art.text)
    except InputError as exc:
        return Problem(f"{where}{exc}")
    art.warnings += problems
    return art
