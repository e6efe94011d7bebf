"""clean and split: raw article text to clean Articles with titles, outlets, days and sections.

Real input is messy: a ` date YYYY-MM-DD` header, site navigation around the article,
headlines repeated, text converted from PDF with hard-wrapped lines and hyphenated words,
page breaks with blocks of bare URLs in the middle of a sentence, several wire stories run
together in one file, live blogs with dated sections, embedded tweets, credit lines.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Optional

from . import dates
from .lexicon import canonical_outlet
from .models import Article, RawArticle, Section

HEADER_RE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*(.*)$")
URL_LINE_RE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")
CREDIT_RE = re.compile(
    r"^\s*\(?\s*(?:(?:With|Additional) reporting by|Reporting by|Writing by|Editing by|Compiled by|"
    r"Embed:|Related articles?:|Read (?:more|also|next)\b|See also\b|Also read\b|Photo(?:graph)?(?: credit)?:|"
    r"\(?photo credit:|Image:|Picture:|Source:|Credit:|Advertisement\b|Sign up\b|Subscribe\b)", re.I)
BYLINE_RE = re.compile(r"^\s*By\s+[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|and|de|van|von|al-\w+)){0,8}\s*$")
# "MOSCOW/YELPIN, Armenia (Reuters) – ...", "TBILISI (Reuters) - ..."
WIRE_DATELINE_RE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z.'’-]+(?:[ /][A-Z][A-Z.'’-]+)*(?:,\s+[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?)?)\s*"
    r"\((?P<outlet>[A-Z][\w.&' -]{1,30})\)\s*[–—-]+\s*\S")
TWEET_SIG_RE = re.compile(r"^\s*[—–-]\s*.{1,60}\(@\w{1,30}\)\s+\w+\.? \d{1,2}, \d{4}\s*$")
SECTION_HEAD_RE = re.compile(
    r"^\s*(?P<m>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+(?P<d>\d{1,2})(?:\s*:\s*(?P<label>[^.]{0,60}))?\s*$")
COPYRIGHT_RE = re.compile(r"©[ \t]*(?:Copyright[ \t]*)?(?:\d{4}(?:[ \t]*[-–][ \t]*\d{4})?\.?[ \t]*)?(?:The[ \t])?"
                          r"(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,4})")
# "3 hours ago <another headline>": a site's list of other stories
TEASER_RE = re.compile(r"^\s*(?:\d+|an?|one)\s+(?:minutes?|mins?|hours?|hrs?|days?)\s+ago\b", re.I)
# a photo caption's credit: "... October 7, 2020. Presidential Press Service/Handout via REUTERS"
PHOTO_CREDIT_RE = re.compile(
    r"\bvia\s+(?:REUTERS|AP|AFP|Getty Images)\b|\b(?:REUTERS|AFP|TASS|EPA|Getty Images)\s*$"
    r"|/\s*(?:REUTERS|AFP|AP|TASS|EPA|Handout)\b|\bPhoto(?:graph)?:|\bFile photo\b")
TERMINAL = tuple('.!?"”’)')
# where the article ends and the site's footer begins
FOOTER_RE = re.compile(r"^\s*(?:Related(?: articles| stories| news| coverage| content)?|Read more|Read next|More from\b.*|"
                       r"Most (?:read|popular|viewed)|Recommended(?: for you)?|Share this(?: article| story)?|"
                       r"Tags?:.*|Topics?:.*|Comments?|Advertisement)\s*$", re.I)


_SELF_REF_RE = re.compile(
    r"\b(?P<verb>interviewed by|writes for|wrote for|told|spoke to|speaking to|contacted by)\s+(?P<name>(?:the\s)?"
    r"[A-Z][\w.&'’-]*(?:\s[A-Z][\w.&'’-]*){0,3})")
_SELF_REF_WEIGHT = {"interviewed by": 2, "writes for": 2, "wrote for": 2, "contacted by": 2}


@dataclass
class _Line:
    text: str
    kind: str  # "text", "blank", "url", "drop"


def _is_prose(line: str) -> bool:
    """A line of running text, as opposed to navigation, headlines, captions credits.

    Headlines and navigation links are Title Case; wrapped prose lines are long but mostly
    lower-case; short lines count when they end a sentence.
    """
    if TEASER_RE.match(line):
        return False
    words = line.split()
    if len(words) >= 4 and line.rstrip().endswith(TERMINAL) and not line.strip().startswith("—"):
        return True
    if len(words) >= 8:
        caps = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
        return caps < 0.6 * len(words)
    return False


def _title_like(line: str) -> bool:
    s = line.strip()
    words = s.split()
    return (3 <= len(words) <= 25 and not s.endswith((".", ":", ",")) and not BYLINE_RE.match(s)
            and dates.date_line(s) is None and not URL_LINE_RE.match(s) and not s.startswith(("—", "©"))
            and not PHOTO_CREDIT_RE.search(s) and not TEASER_RE.match(s))


def split_raw(raw: RawArticle) -> list[Article]:
    """One raw input text to one or more clean Articles."""
    text = raw.text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\t", " ")
    text = text.replace("\u00ad", "")  # soft hyphens from PDF conversion
    lines = text.split("\n")
    header_day: Optional[str] = None
    header_title: Optional[str] = None
    header_outlet: Optional[str] = None
    first = next((i for i, l in enumerate(lines) if l.strip()), None)
    if first is not None:
        m = HEADER_RE.match(lines[first])
        if m:
            header_day = m.group(1)
            rest = m.group(2).strip()
            parts = re.split(r"\s+[•|]\s+", rest)
            if len(parts) > 1 and canonical_outlet(parts[-1]) or (len(parts) > 1 and len(parts[-1].split()) <= 4):
                header_outlet = canonical_outlet(parts[-1]) or parts[-1].strip()
                parts = parts[:-1]
            header_title = " • ".join(parts).strip() or None
            lines[first] = ""
            if header_title and len(header_title.split()) < 3:
                # a one-word "title" is the site's navigation ("Russia"): keep it as a line, judge it with the rest
                lines[first] = header_title
                header_title = None
    # whole-file signals
    all_text = "\n".join(lines)
    known_dates = [d for d, _ in dates.full_dates(all_text)]
    known_dates += [d for d in (dates.url_date(l) for l in lines if URL_LINE_RE.match(l)) if d]
    copyright_outlet = None
    for m in COPYRIGHT_RE.finditer(all_text):
        copyright_outlet = canonical_outlet(m.group("name")) or copyright_outlet

    starts = [i for i, l in enumerate(lines) if WIRE_DATELINE_RE.match(l)]
    chunks: list[tuple[int, int, Optional[str]]] = []  # (title line or body start, end, wire outlet)
    if len(starts) >= 2 or (starts and not _has_prose_before(lines, starts[0])):
        heads = [_article_head(lines, s) for s in starts]
        for k, (s, h) in enumerate(zip(starts, heads)):
            end = heads[k + 1] if k + 1 < len(starts) else len(lines)
            chunks.append((h, end, WIRE_DATELINE_RE.match(lines[s]).group("outlet")))
        if heads[0] > 0 and any(_is_prose(l) for l in lines[:heads[0]]):
            chunks.insert(0, (0, heads[0], None))
    else:
        chunks.append((0, len(lines), WIRE_DATELINE_RE.match(lines[starts[0]]).group("outlet") if starts else None))

    articles = []
    for start, end, wire_outlet in chunks:
        chunk = lines[start:end]
        known_title = None
        if wire_outlet and chunk and _title_like(chunk[0]) and not WIRE_DATELINE_RE.match(chunk[0]):
            known_title, chunk = chunk[0].strip(), chunk[1:]
        art = _build_article(raw, chunk, known_title or header_title, header_day, header_outlet,
                             wire_outlet, copyright_outlet, known_dates, multi=len(chunks) > 1,
                             title_known=known_title is not None)
        if art is not None:
            articles.append(art)
    return articles


def _has_prose_before(lines: list[str], idx: int) -> bool:
    return sum(1 for l in lines[:idx] if _is_prose(l)) >= 2


def _article_head(lines: list[str], dateline: int) -> int:
    """The first line of a wire story: its headline above the optional byline."""
    i = dateline - 1
    while i >= 0 and not lines[i].strip():
        i -= 1
    if i >= 0 and BYLINE_RE.match(lines[i]):
        i -= 1
    # the headline may sit above a photo caption: look a few lines up, never past a credit line
    for _ in range(3):
        while i >= 0 and not lines[i].strip():
            i -= 1
        if i < 0 or CREDIT_RE.match(lines[i]):
            break
        if _title_like(lines[i]):
            return i
        i -= 1
    return dateline


def _build_article(raw: RawArticle, lines: list[str], header_title, header_day, header_outlet, wire_outlet,
                   copyright_outlet, known_dates: list[date], multi: bool,
                   title_known: bool = False) -> Optional[Article]:
    heading = {i for i in range(len(lines)) if _is_headline(lines, i)}
    prose_idx = [i for i, l in enumerate(lines) if _is_prose(l) and not CREDIT_RE.match(l)
                 and not TWEET_SIG_RE.match(l) and i not in heading]
    if not prose_idx:
        return None
    body_start, body_end = prose_idx[0], prose_idx[-1] + 1
    # the last wrapped line of the last sentence ('victory."') is text, however short
    while body_end < len(lines) and lines[body_end].strip() and not lines[body_end - 1].rstrip().endswith(TERMINAL):
        body_end += 1
    # a tweet's signature right after the last paragraph, a section heading right before the first
    j = body_end
    while j < len(lines) and (not lines[j].strip() or TWEET_SIG_RE.match(lines[j])):
        if lines[j].strip():
            body_end = j + 1
        j += 1
    j = body_start - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    if j >= 0 and SECTION_HEAD_RE.match(lines[j]):
        body_start = j
    footer = next((i for i in range(body_start, body_end) if FOOTER_RE.match(lines[i])), None)
    if footer is not None:
        body_end = max([i + 1 for i in prose_idx if i < footer] or [footer])
    pre = [l for l in lines[:body_start] if l.strip()]
    if title_known:
        title = header_title
    else:
        title = _pick_title(lines, body_start, pre) or (None if multi else header_title) or raw.title
    counts = Counter(l.strip() for l in lines if l.strip())
    marked: list[_Line] = []
    in_credit = False
    for i in range(body_start, body_end):
        l = lines[i].rstrip()
        s = l.strip()
        if in_credit and s:
            # a wrapped credit line ("With reporting by AFP, ... Sky / News and TASS.") goes on
            in_credit = not s.endswith(TERMINAL) and len(s.split()) < 12
            marked.append(_Line("", "blank"))
            continue
        if CREDIT_RE.match(s):
            in_credit = not s.endswith(TERMINAL + (":",)) and "by" in s.lower()
        if not s:
            marked.append(_Line("", "blank"))
        elif URL_LINE_RE.match(s):
            marked.append(_Line(s, "url"))
        elif CREDIT_RE.match(s) or BYLINE_RE.match(s) or s.startswith("©"):
            marked.append(_Line("", "blank"))
        elif counts[s] > 1 and not _is_prose(s) and len(s.split()) < 12 and not _continues(lines, i):
            marked.append(_Line(s, "drop"))  # navigation and repeated captions
        elif s.isupper() and len(s.split()) <= 6 and not WIRE_DATELINE_RE.match(s):
            marked.append(_Line("", "blank"))  # sub-headings like "BROKEN CEASEFIRES"
        else:
            marked.append(_Line(l, "text"))
    if raw.already_clean:
        paragraphs = [m.text.strip() for m in marked if m.kind == "text"]
        paragraphs = [p for p in paragraphs if p]
    else:
        paragraphs = _unwrap(marked)
    # a caption or paragraph printed twice (photo galleries, re-run wire copy) is stored once
    seen_paras: set[str] = set()
    unique = []
    for p in paragraphs:
        key = re.sub(r"\W+", " ", p).strip().lower()
        if len(key.split()) >= 6 and key in seen_paras:
            continue
        seen_paras.add(key)
        unique.append(p)
    paragraphs = unique
    if not paragraphs:
        return None
    # live blog sections
    text_parts: list[str] = []
    para_spans: list[tuple[int, int]] = []
    sections: list[Section] = []
    pos = 0
    if title and not paragraphs[0].startswith(title):
        paragraphs.insert(0, title)  # headlines carry claims too ("X says Y"); keep them as the first paragraph
    heads = [p for p in paragraphs if SECTION_HEAD_RE.match(p)]
    live = len(heads) >= 2
    for p in paragraphs:
        if text_parts:
            text_parts.append("\n\n")
            pos += 2
        if live:
            m = SECTION_HEAD_RE.match(p)
            if m:
                if sections:
                    sections[-1].end = pos - 2
                day = dates.infer_year(dates.month_number(m.group("m")), int(m.group("d")), known_dates)
                sections.append(Section(start=pos, end=pos, heading=p.strip(), day=day.isoformat() if day else None,
                                        day_reason=("section heading, year from the full dates in the document"
                                                    if day else "section heading gives no year and the document "
                                                    "has no full date to take it from")))
        text_parts.append(p)
        para_spans.append((pos, pos + len(p)))
        pos += len(p)
    if sections:
        sections[-1].end = pos
    text = "".join(text_parts)

    # published day
    if raw.published:
        published, reason = raw.published, "metadata"
    elif header_day:
        published, reason = header_day, "file header 'date'"
    elif dates.url_date(raw.url or ""):
        published, reason = dates.url_date(raw.url).isoformat(), "date in the article's URL"
    elif live:
        published, reason = None, "live blog: each dated section carries its own day"
    else:
        head_lines = pre[-6:] + [m.text for m in marked[:3] if m.kind == "text"]
        # captions above the body are not article text, but their dates are evidence of the day
        published, reason = dates.published_from_text("\n".join(pre + [text]), head_lines)

    outlet = raw.outlet or header_outlet or (canonical_outlet(wire_outlet) or wire_outlet if wire_outlet else None) \
        or copyright_outlet or _self_reference_outlet(text)
    return Article(source=raw.source, path=raw.path, text=text, title=title, outlet=outlet, published=published,
                   published_reason=reason, url=raw.url, sections=sections, paragraphs=para_spans,
                   warnings=list(raw.warnings))


def _continues(lines: list[str], i: int) -> bool:
    """A line that finishes the sentence of the line above ("... AFP" / "reported."): text, not navigation,
    however often the same few words recur."""
    s = lines[i].strip()
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    if j < 0 or j < i - 1:
        return False  # a blank line before it: it stands alone
    prev = lines[j].rstrip()
    return s[:1].islower() or (bool(prev) and not prev.endswith(TERMINAL + (":",)) and _is_prose(prev))


def _is_headline(lines: list[str], i: int) -> bool:
    """A title-like line directly above a byline or a date line is a headline, however long."""
    if not _title_like(lines[i]):
        return False
    j = i + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j < len(lines) and bool(BYLINE_RE.match(lines[j]) or dates.date_line(lines[j]))


def _pick_title(lines: list[str], body_start: int, pre: list[str]) -> Optional[str]:
    """The headline: above a byline, above a date line, or a headline repeated before the body."""
    idx = [i for i in range(body_start) if lines[i].strip()]
    for k, i in enumerate(idx):
        nxt = lines[idx[k + 1]] if k + 1 < len(idx) else lines[body_start]
        if _title_like(lines[i]) and (BYLINE_RE.match(nxt) or dates.date_line(nxt)):
            return lines[i].strip()
    counts = Counter(l.strip() for l in pre)
    repeated = [l for l in reversed(pre) if counts[l.strip()] > 1 and len(l.split()) >= 4 and _title_like(l)]
    if repeated:
        return repeated[0].strip()
    return None


def _self_reference_outlet(text: str) -> Optional[str]:
    """An outlet the article names as itself ("analysts interviewed by The Moscow Times")."""
    score: Counter[str] = Counter()
    for m in _SELF_REF_RE.finditer(text):
        name = canonical_outlet(m.group("name"))
        if name:
            score[name] += _SELF_REF_WEIGHT.get(m.group("verb"), 1)
    if score:
        name, s = score.most_common(1)[0]
        if s >= 2 and list(score.values()).count(s) == 1:
            return name
    return None


def _unwrap(marked: list[_Line]) -> list[str]:
    """Join hard-wrapped lines into paragraphs, mend hyphenation, and bridge page breaks.

    Text converted from PDF wraps at a fixed width and has no blank line between
    paragraphs: a line that ends a sentence well short of the width ends a paragraph.
    A block of bare URLs (footnotes of a page) may sit in the middle of a sentence:
    the sentence continues after it.
    """
    texts = [m.text.strip() for m in marked if m.kind == "text"]
    lengths = sorted(len(t) for t in texts)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    near_width = sum(1 for n in lengths if n >= 0.7 * width)
    wrapped = len(lengths) >= 6 and width <= 130 and near_width >= 0.5 * len(lengths)

    paragraphs: list[str] = []
    cur = ""
    prev_raw = ""
    pending_break = False
    for m in marked:
        if m.kind == "drop":
            continue
        if m.kind in ("blank", "url"):
            # a blank line or URL block ends a paragraph unless the sentence is visibly unfinished
            if m.kind == "url" or m.kind == "blank":
                pending_break = True
            continue
        s = m.text.strip()
        force_alone = bool(SECTION_HEAD_RE.match(s) or TWEET_SIG_RE.match(s))
        if not cur:
            cur, prev_raw = s, s
            pending_break = False
            if force_alone:
                paragraphs.append(cur)
                cur = ""
            continue
        unfinished = not prev_raw.endswith(TERMINAL + (":",)) or prev_raw.endswith("-")
        if force_alone:
            paragraphs.append(cur)
            paragraphs.append(s)
            cur, pending_break = "", False
            continue
        if pending_break:
            join = unfinished and (s[:1].islower() or prev_raw.endswith("-"))
        elif wrapped:
            # an indented line after a finished sentence starts a paragraph (embedded tweets and quotes)
            indented = m.text[:1].isspace() and not unfinished
            join = not indented and (unfinished or len(prev_raw) >= 0.8 * width)
        else:
            join = False
        pending_break = False
        if join:
            cur = _join(cur, s)
        else:
            paragraphs.append(cur)
            cur = s
        prev_raw = s
    if cur:
        paragraphs.append(cur)
    return [p for p in (re.sub(r"[ ]{2,}", " ", p).strip() for p in paragraphs) if p]


def _join(left: str, right: str) -> str:
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha():
        word = re.search(r"(\w+)-$", left)
        if right[:1].islower() and word and word.group(1)[:1].islower():
            return left[:-1] + right  # "assis-" + "snation": a word broken by the line end
        return left + right  # "Nagorno-" + "Karabakh": a real hyphen
    return left + " " + right
