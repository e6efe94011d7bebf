"""date: published days, section days, and relative day expressions.

The rule throughout: a day comes from what the text really says, with the reason kept;
when the text does not fix it, the day is None with a reason. Never today's date, never
a year guessed from nothing.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Iterable, Optional

from . import lexicon
from .figure_lexicon import NUMBER_WORDS


def _vocabulary(kind: str) -> list[list[str]]:
    """The rows of one kind in data/dates.tsv, without the kind column."""
    return [row[1:] for row in lexicon.rows("dates.tsv", 4) if row[0] == kind]


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of words, longest first (so "September" wins over "Sep")."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"


MONTHS = {name.lower(): int(number) for name, number, *_ in _vocabulary("month")}
WEEKDAY_NUMBERS = {name.lower(): int(number) for name, number, *_ in _vocabulary("weekday")}
WEEKDAYS = [name.lower() for name, _, full, *_ in sorted(_vocabulary("weekday"), key=lambda r: int(r[1]))
            if full == "full"]
STAMP_WORDS = {row[0].lower() for row in _vocabulary("stamp")}
PROSE_WORDS = {row[0].lower() for row in _vocabulary("prose")}
RELATIVE_DAYS = [(phrase.lower(), int(offset), precision) for phrase, offset, precision, *_ in _vocabulary("relative")]
WEEKEND_PHRASES = [row[0].lower() for row in _vocabulary("weekend")]

# months are matched as written in dates, capitalised ("May 5, 2020", never the verb "may")
_MONTH_RE = _alternation(m.capitalize() for m in MONTHS)
_WEEKDAY_RE = _alternation(w.capitalize() for w in WEEKDAY_NUMBERS)
# "November 1, 2017", "Nov. 1, 2017", "1 November 2017", "Oct 4, 2017"
FULL_DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH_RE})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_RE})\.?,?\s+(?P<y2>(?:19|20)\d\d))\b")
ISO_DATE_RE = re.compile(r"\b((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
URL_DATE_RE = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/")
DATE_LINE_REST_RE = re.compile(
    r"(?:\d{1,2}[:.]\d\d(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:[A-Z]{2,5}|GMT[+-]?\d*|UTC[+-]?\d*))?)?"
    r"(?:\s*[—–|-]?\s*(?:Updated?|Last updated)\s*:?\s*.{0,30})?")


def month_number(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")[:3]]


def day(text: Optional[str]) -> Optional[date]:
    """A stored YYYY-MM-DD day back to a date (None stays None)."""
    return date.fromisoformat(text[:10]) if text else None


def anchor_day(article, pos: int) -> tuple[Optional[date], str]:
    """The day that relative expressions at `pos` of an article are read against, with the reason:
    the day of the live-blog section it falls in, else the article's published day."""
    for s in article.sections:
        if s.start <= pos < max(s.end, s.start + 1):
            if s.day:
                return day(s.day), f"section {s.heading!r}"
            return None, f"section {s.heading!r} has no day"
    if article.published:
        return day(article.published), "published day"
    return None, "the article is undated"


def make_date(y: int, m: int, d: int) -> Optional[date]:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def full_dates(text: str) -> list[tuple[date, int]]:
    """Every explicit full date (with a year) in the text, with its offset."""
    out = []
    for m in FULL_DATE_RE.finditer(text):
        day = _match_day(m)
        if day:
            out.append((day, m.start()))
    for m in ISO_DATE_RE.finditer(text):
        day = make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if day:
            out.append((day, m.start()))
    return out


def url_date(url: str) -> Optional[date]:
    m = URL_DATE_RE.search(url or "")
    return make_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def date_line(line: str) -> Optional[date]:
    """A line that is only a date (with an optional time), as news sites print under a headline."""
    line = line.strip()
    if len(line) > 60:
        return None
    m = FULL_DATE_RE.match(line) or ISO_DATE_RE.match(line)
    if not m:
        return None
    rest = line[m.end():].strip(" ,—–-|")
    # what may follow the date on a date line: a time, a zone, an "Updated" stamp; not a sentence
    if rest and not DATE_LINE_REST_RE.fullmatch(rest):
        return None
    found = full_dates(line)
    return found[0][0] if found else None


_FULL_WEEKDAY_RE = "(" + "|".join(w.capitalize() for w in WEEKDAYS) + ")"
DAY_PREPOSITIONS = [row[0].lower() for row in _vocabulary("dayprep")]
DAY_PARTS = [row[0].lower() for row in _vocabulary("daypart")]
# "on Wednesday", "late Tuesday": a weekday the story happened on
WEEKDAY_MENTION_RE = re.compile(rf"\b(?:{'|'.join(p for p in DAY_PREPOSITIONS if p != 'that')})\s+{_FULL_WEEKDAY_RE}\b")


def weekdays_mentioned(text: str) -> set[int]:
    return {WEEKDAYS.index(w.lower()) for w in WEEKDAY_MENTION_RE.findall(text)}


# ---- publication stamps ----------------------------------------------------------------------

HEAD_CHARS = 300  # a stamp sits in the opening of an article; a date further on belongs to the story
# what follows a stamp with nothing before it: a headline, a time, a byline; not the rest of a
# sentence ("5 July 2016 was ...") nor its end (a caption's "..., October 28, 2020.")
_STAMP_END_RE = re.compile(r"^\s*(?:$|[^a-z\s.,;]|(?:by|at)\b)")


def date_stamp(head: str) -> Optional[tuple[date, str]]:
    """A publication day written inline at the head of an article, with what introduces it:
    "Sun 10 Jul 2016 Victims of ...", "Posted on April 19 2017 by ...", "Date of publication 5 July
    2016 ...", "<headline> AFP Friday 22 Jul 2016 ...". A date inside a sentence is no stamp:
    "killed on 5 July 2016", "the truce of 10 November 2020", "5 July 2016 was the deadliest day"."""
    head = head[:HEAD_CHARS]
    for m in FULL_DATE_RE.finditer(head):
        before = head[:m.start()].rsplit("\n", 1)[-1]
        intro = _stamp_intro(before)
        if intro is None:
            continue
        if intro in ("start of the text", "after the headline") and not _STAMP_END_RE.match(head[m.end():]):
            continue
        found = _match_day(m)
        if found:
            return found, intro
    return None


def _stamp_intro(before: str) -> Optional[str]:
    """What stands before a date at the head of the text, when it makes the date a stamp:
    nothing, a stamp word ("Posted on"), a weekday that is not itself inside a sentence ("Sun"),
    or a headline or outlet name with no preposition; None when a word of prose introduces it."""
    words = re.findall(r"[\w'’]+", before.lower())
    if not words:
        return "start of the text"
    for n in (4, 3, 2, 1):
        if len(words) >= n and " ".join(words[-n:]) in STAMP_WORDS:
            return f"stamp {' '.join(words[-n:])!r}"
    if words[-1] in WEEKDAY_NUMBERS:
        return "weekday" if len(words) == 1 or words[-2] not in PROSE_WORDS else None
    if words[-1] in PROSE_WORDS or words[-1] in MONTHS:
        return None
    return "after the headline"


def _match_day(m: re.Match) -> Optional[date]:
    if m.group("m1"):
        return make_date(int(m.group("y1")), month_number(m.group("m1")), int(m.group("d1")))
    return make_date(int(m.group("y2")), month_number(m.group("m2")), int(m.group("d2")))


def published_from_text(text: str, head_lines: Iterable[str]) -> tuple[Optional[str], str]:
    """The published day from the text alone, with the reason.

    1. a date line under the headline (head_lines: the lines before and at the start of the body);
    2. a date stamp written inline at the head of those lines ("Posted on April 19 2017 by ...");
    3. an explicit full date whose weekday the article also names ("on Wednesday"): a report
       of that day, e.g. a photo caption "Tehran, Iran November 1, 2017" in an article saying
       "began a visit on Wednesday".
    """
    head_lines = list(head_lines)
    for line in head_lines:
        d = date_line(line)
        if d:
            return d.isoformat(), f"date line under the headline: {line.strip()[:40]!r}"
    stamp = date_stamp("\n".join(l.strip() for l in head_lines if l.strip()))
    if stamp:
        return stamp[0].isoformat(), f"date stamp at the head of the text ({stamp[1]})"
    weekdays = weekdays_mentioned(text)
    candidates = sorted({d for d, _ in full_dates(text) if d.weekday() in weekdays}, reverse=True)
    if candidates:
        d = candidates[0]
        return d.isoformat(), f"explicit date {d.isoformat()} is a {WEEKDAYS[d.weekday()].title()}, the weekday the article names"
    if weekdays:
        return None, "the text names weekdays but no full date fixes them"
    return None, "the text gives no date"


def infer_year(month: int, day: int, known: list[date]) -> Optional[date]:
    """The year of a heading like "Nov. 16", from full dates elsewhere in the same document.

    The candidate year is the one of the known dates; a day more than ~2 months after the
    latest known date belongs to the year before (live blogs run backwards in time).
    """
    if not known:
        return None
    latest = max(known)
    for year in (latest.year, latest.year - 1):
        d = make_date(year, month, day)
        if d and d <= latest + timedelta(days=60):
            return d
    return None


# ---- relative expressions ------------------------------------------------------------------

def resolve_weekday(weekday: int, anchor: date, allow_same: bool = True) -> date:
    """The most recent `weekday` on or before the anchor (news speaks of the past week).

    A weekday equal to the anchor's own weekday is the anchor day itself, not a week back
    (dateparser's PREFER_DATES_FROM=past gets this wrong).
    """
    delta = (anchor.weekday() - weekday) % 7
    if delta == 0 and not allow_same:
        delta = 7
    return anchor - timedelta(days=delta)


WEEKDAY_EXPR = re.compile(rf"\b(?:(?:{'|'.join(DAY_PREPOSITIONS)})\s+)?{_FULL_WEEKDAY_RE}"
                          rf"(?:\s+({'|'.join(DAY_PARTS)}))?\b")
MONTH_DAY_EXPR = re.compile(rf"\b(?:on\s+)?({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*(?:19|20)\d\d)")


DAYS_AGO_RE = re.compile(r"\b(\d{1,2}|[a-z]+)[- ]days?(?: ago\b|[- ]old\b)")


def _days_ago(text: str) -> Optional[int]:
    """"three days ago", "a two-day-old truce": the number of days before the anchor."""
    m = DAYS_AGO_RE.search(text)
    if not m:
        return None
    word = m.group(1)
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


def resolve_expression(text: str, anchor: Optional[date], nearest: bool = False) -> tuple[Optional[date], str, str]:
    """The day a span of text refers to, relative to the anchor (section or published day).

    Returns (day, precision, reason). Looks for, in order: an explicit full date, a month and
    day ("Nov. 9"), a weekday ("on Thursday", "Monday evening"), "yesterday"/"overnight"/
    "today", "last week"/"the weekend". Falls back to the anchor with precision "report"
    (the day of the report) when the text names no time. With `nearest`, a weekday is the one
    closest to the anchor, before or after (when a truce takes effect: "from midnight on Saturday").
    """
    fd = full_dates(text)
    if fd:
        return fd[0][0], "day", "explicit date"
    if anchor is None:
        return None, "unknown", "no anchor day: the article is undated"
    m = MONTH_DAY_EXPR.search(text)
    if m:
        mon = month_number(m.group(1))
        if mon:
            d = infer_year(mon, int(m.group(2)), [anchor])
            if d:
                return d, "day", f"'{m.group(0).strip()}' against {anchor.isoformat()}"
    m = WEEKDAY_EXPR.search(text)
    if m:
        wd = WEEKDAYS.index(m.group(1).lower())
        d = resolve_weekday(wd, anchor)
        if nearest and (anchor - d).days > 3:
            d += timedelta(days=7)
            return d, "day", f"'{m.group(0).strip()}' nearest {anchor.isoformat()}"
        return d, "day", f"'{m.group(0).strip()}' before {anchor.isoformat()}"
    low = text.lower()
    for phrase, offset, precision in RELATIVE_DAYS:
        if precision == "week":
            continue  # a week is the vaguest: a weekend or day named with it says more
        if re.search(rf"\b{re.escape(phrase)}\b", low):
            return anchor + timedelta(days=offset), precision, f"{phrase!r} against the anchor"
    ago = _days_ago(low)
    if ago is not None:
        return anchor - timedelta(days=ago), "day", f"{ago} days before the anchor"
    if any(re.search(rf"\b{re.escape(p)}\b", low) for p in WEEKEND_PHRASES):
        sat = resolve_weekday(5, anchor, allow_same=False) if anchor.weekday() != 6 else anchor - timedelta(days=1)
        return sat, "days", "'the weekend' before the anchor"
    for phrase, offset, precision in RELATIVE_DAYS:
        if precision == "week" and re.search(rf"\b{re.escape(phrase)}\b", low):
            return anchor + timedelta(days=offset), precision, f"{phrase!r} relative to the anchor"
    return anchor, "report", "no time named; the day of the report"
