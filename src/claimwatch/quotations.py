"""Quotations in a paragraph of news text: which characters lie inside quotation marks.

Pure text rules, no parse: the claims extractor asks which sentences open or continue a
quotation and which names or verbs are quoted words rather than the article's own.
"""
from __future__ import annotations

import bisect
import re

DOUBLE_OPEN, DOUBLE_CLOSE, SINGLE_OPEN, SINGLE_CLOSE = "“„«", "”»", "‘", "’"
_OPENING_CONTEXT = " \t\n([{—–-:/"
_SENTENCE_END_RE = re.compile(r"[.!?][”’\"']?(?=\s)")
_MID_SENTENCE_RE = re.compile(r"[^.!?:\s][”’\"')\]]*\s*$")  # text before a mark that does not end a sentence
_MARK_RE = re.compile("[" + re.escape(DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE) + "\"']")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the quotations in a paragraph (outermost only, quote marks included).

    Curly marks say which way they face; a straight mark opens after a space or an opening
    bracket and closes after a word, so one unbalanced mark cannot turn the rest of the paragraph
    inside out. Single quotes count too: ‘ always opens, ’ closes an open single quote unless a
    letter follows (an apostrophe: "Russia’s"), a straight ' likewise. A quotation left open at
    the paragraph's end runs to the end when the paragraph starts with it (a quote running over
    several paragraphs) or a sentence, else to the end of its sentence.
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []   # ("d" or "s", start) of the open quotations, outermost first
    for mark in _MARK_RE.finditer(text):  # any other character is no quote mark: only marks can open or close
        i = mark.start()
        ch = text[i]
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        kind, role = _quote_mark(ch, prev, nxt, [k for k, _ in stack])
        if role == "open":
            if kind == "d" and any(k == "d" for k, _ in stack):
                spans.append((stack[0][1], i))  # an unbalanced quotation before: it ends here
                stack = []
            stack.append((kind, i))
        elif role == "close":
            depth = max(k for k, (kk, _) in enumerate(stack) if kk == kind)
            if depth == 0:
                spans.append((stack[0][1], i + 1))
            stack = stack[:depth]
        elif role == "close-unopened" and not spans and not stack:
            spans.append((0, i + 1))  # a quotation carried over from the paragraph before
    if stack:
        start = stack[0][1]
        if _MID_SENTENCE_RE.search(text[:start]):
            m = _SENTENCE_END_RE.search(text, start)  # a stray mark inside a sentence ends with it
            spans.append((start, m.end() if m else len(text)))
        else:
            spans.append((start, len(text)))  # whole sentences quoted, the closing mark lost or not yet due
    return spans


def _quote_mark(ch: str, prev: str, nxt: str, open_kinds: list[str]) -> tuple[str, str]:
    """(kind, role) of a character: kind "d" (double) or "s" (single); role open, close,
    close-unopened (a closing mark with nothing open) or "" (not a quote mark here)."""
    if ch in DOUBLE_OPEN:
        return "d", "open"
    if ch in DOUBLE_CLOSE:
        return "d", "close" if "d" in open_kinds else "close-unopened"
    if ch == '"':
        opening = prev in _OPENING_CONTEXT or prev in DOUBLE_OPEN + SINGLE_OPEN
        closing = not prev.isspace() and (nxt.isspace() or not nxt.isalnum())
        if opening and not nxt.isspace() and not (closing and "d" in open_kinds):
            return "d", "open"
        if "d" in open_kinds:
            return "d", "close"
        return "d", "close-unopened" if closing else "open"
    if ch == SINGLE_OPEN:
        return "s", "open"
    if ch in (SINGLE_CLOSE, "'"):
        if "s" in open_kinds and not prev.isspace() and not nxt.isalpha():
            return "s", "close"
        if ch == "'" and (prev in _OPENING_CONTEXT or prev in DOUBLE_OPEN) and nxt.isalpha():
            return "s", "open"
    return "", ""


class Quotes:
    """The quotations of one paragraph: which characters and sentences lie inside one."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans
        self.starts = [a for a, _ in spans]

    def covers(self, char: int) -> bool:
        k = bisect.bisect_right(self.starts, char) - 1
        return k >= 0 and char < self.spans[k][1]

    def overlaps(self, lo: int, hi: int) -> bool:
        """Some quotation has characters in [lo, hi)."""
        return any(a < hi and b > lo for a, b in self.spans)

    def token_inside(self, tok) -> bool:
        return self.covers(tok.idx)

    def around(self, start_char: int, text: str) -> tuple[bool, bool]:
        """(the sentence at start_char with this text starts inside a quotation, a quotation stays
        open after it)."""
        first = start_char + len(text) - len(text.lstrip())
        last = start_char + len(text.rstrip())
        k = bisect.bisect_right(self.starts, last - 1) - 1
        return self.covers(first), k >= 0 and self.spans[k][0] < last < self.spans[k][1]
