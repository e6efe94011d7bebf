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

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_RE = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
             r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
# "November 1, 2017", "Nov. 1, 2017", "1 November 2017", "Oct 4, 2017"
FULL_DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH_RE})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_RE})\.?,?\s+(?P<y2>(?:19|20)\d\d))\b")
ISO_DATE_RE = re.compile(r"\b((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
URL_DATE_RE = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/")
DATE_LINE_REST_RE = re.compile(
    r"(?:\d{1,2}[:.]\d\d(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:[A-Z]{2,5}|GMT[+-]?\d*|UTC[+-]?\d*))?)?"
    r"(?:\s*[—–|-]?\s*(?:Updated?|Last updated)\s*:?\s*.{0,30})?")
MONTH_DAY_RE = re.compile(rf"^(?P<m>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})\b")


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
        if m.group("m1"):
            day = make_date(int(m.group("y1")), month_number(m.group("m1")), int(m.group("d1")))
        else:
            day = make_date(int(m.group("y2")), month_number(m.group("m2")), int(m.group("d2")))
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


def weekdays_mentioned(text: str) -> set[int]:
    return {WEEKDAYS.index(w.lower()) for w in re.findall(
        r"\b(?:on|late|early|last|this|since|from|by|until)\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
        text)}


def published_from_text(text: str, head_lines: Iterable[str]) -> tuple[Optional[str], str]:
    """The published day from the text alone, with the reason.

    1. a date line under the headline (head_lines: the lines before and at the start of the body);
    2. an explicit full date whose weekday the article also names ("on Wednesday"): a report
       of that day, e.g. a photo caption "Tehran, Iran November 1, 2017" in an article saying
       "began a visit on Wednesday".
    """
    for line in head_lines:
        d = date_line(line)
        if d:
            return d.isoformat(), f"date line under the headline: {line.strip()[:40]!r}"
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

RELATIVE_DAY = {
    "today": 0, "this morning": 0, "this afternoon": 0, "this evening": 0, "tonight": 0,
    "yesterday": -1, "last night": -1, "overnight": 0, "on the eve": -1,
}


def resolve_weekday(weekday: int, anchor: date, allow_same: bool = True) -> date:
    """The most recent `weekday` on or before the anchor (news speaks of the past week).

    A weekday equal to the anchor's own weekday is the anchor day itself, not a week back
    (dateparser's PREFER_DATES_FROM=past gets this wrong).
    """
    delta = (anchor.weekday() - weekday) % 7
    if delta == 0 and not allow_same:
        delta = 7
    return anchor - timedelta(days=delta)


_WD = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
WEEKDAY_EXPR = re.compile(rf"\b(?:(?:on|late|early|since|from|until|by|last|this|that)\s+)?{_WD}"
                          r"(?:\s+(morning|afternoon|evening|night))?\b")
MONTH_DAY_EXPR = re.compile(rf"\b(?:on\s+)?({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*(?:19|20)\d\d)")


DAYS_AGO_RE = re.compile(r"\b(\d{1,2}|[a-z]+)[- ]days?(?: ago\b|[- ]old\b)")


def _days_ago(text: str) -> Optional[int]:
    """"three days ago", "a two-day-old truce": the number of days before the anchor."""
    m = DAYS_AGO_RE.search(text)
    if not m:
        return None
    word = m.group(1)
    n = int(word) if word.isdigit() else lexicon.table("number_words.tsv").get(word)
    return int(n) if n is not None else None


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
    if re.search(r"\b(yesterday|last night)\b", low):
        return anchor - timedelta(days=1), "day", "'yesterday' against the anchor"
    if re.search(r"\b(today|this morning|this afternoon|this evening|tonight)\b", low):
        return anchor, "day", "'today' against the anchor"
    if re.search(r"\bovernight\b", low):
        return anchor, "days", "'overnight' (the night before the anchor day)"
    ago = _days_ago(low)
    if ago is not None:
        return anchor - timedelta(days=ago), "day", f"{ago} days before the anchor"
    if re.search(r"\b(?:(?:over|during|at) )?(?:the|last|this past) weekend\b", low):
        sat = resolve_weekday(5, anchor, allow_same=False) if anchor.weekday() != 6 else anchor - timedelta(days=1)
        return sat, "days", "'the weekend' before the anchor"
    if re.search(r"\b(last week|earlier this week|this week)\b", low):
        return anchor, "week", "'this/last week' relative to the anchor"
    return anchor, "report", "no time named; the day of the report"
