"""The one loader of language data: every lexicon, word list and regex vocabulary under data/.

Data files are tab-separated: one entry per line, '#' starts a comment line, blank lines are
skipped, cells are stripped. Each file documents its own columns in its header comment.
Stages ask for a file by name and never open data files themselves, so that the rules stay in
code and the vocabulary stays in data that a linguist can read and extend.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

DATA_DIR = Path(__file__).parent / "data"


def path(name: str) -> Path:
    """The path of a data file by its name ("attribution.tsv")."""
    p = (DATA_DIR / name).resolve()
    if DATA_DIR.resolve() not in p.parents:
        raise ValueError(f"not a data file: {name!r}")
    return p


def read_rows(file: Path) -> list[list[str]]:
    """Rows of a tab-separated data file at any path (tests and alternative gazetteers use this)."""
    rows = []
    with file.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            rows.append([cell.strip() for cell in line.split("\t")])
    return rows


@lru_cache(maxsize=None)
def _rows(name: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(r) for r in read_rows(path(name)))


def rows(name: str, columns: int = 0) -> list[list[str]]:
    """Rows of a packaged data file, each padded with empty cells to at least `columns` cells."""
    return [list(r) + [""] * (columns - len(r)) for r in _rows(name)]


def words(name: str) -> set[str]:
    """A word list: the first cell of every row."""
    return {r[0] for r in _rows(name) if r and r[0]}


def table(name: str) -> dict[str, str]:
    """A two-column table: first cell to second cell."""
    return {r[0]: (r[1] if len(r) > 1 else "") for r in _rows(name) if r and r[0]}


@lru_cache(maxsize=None)
def outlets() -> dict[str, str]:
    """Outlet names and their variants (lower-cased) to the canonical name (data/outlets.tsv)."""
    out: dict[str, str] = {}
    for row in _rows("outlets.tsv"):
        names = [n for n in row if n]
        for n in names:
            out[n.lower()] = names[0]
    return out


def canonical_outlet(name: str) -> Optional[str]:
    """The canonical name of a news outlet or medium ("the Associated Press" -> "AP"), or None."""
    low = name.strip().rstrip(".").lower()
    table = outlets()
    if low in table:
        return table[low]
    if low.startswith("the ") and low[4:] in table:
        return table[low[4:]]
    return None


def phrase_regex(phrases) -> str:
    """One regular expression (source text, without groups) matching any of the phrases as whole
    words, longest phrase first. Phrase syntax: words separated by spaces; "a|b" offers
    alternatives for one word; a word in parentheses is optional; an apostrophe matches ' and ’;
    a space matches any run of white space. Compile it with re.I for case-insensitive matching."""
    def word(alternatives: str) -> str:
        alts = sorted(alternatives.split("|"), key=len, reverse=True)
        return "(?:" + "|".join(re.escape(a).replace("'", "['’]") for a in alts) + ")"

    def phrase(text: str) -> str:
        slots = text.split()
        if not slots or slots[0].startswith("("):
            raise ValueError(f"a phrase must start with a required word: {text!r}")
        out = word(slots[0])
        for slot in slots[1:]:
            if slot.startswith("(") and slot.endswith(")"):
                out += r"(?:\s+" + word(slot[1:-1]) + ")?"
            else:
                out += r"\s+" + word(slot)
        return out

    ordered = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    return r"\b(?:" + "|".join(phrase(p) for p in ordered) + r")\b"


def by_class(name: str) -> dict[str, dict[str, str]]:
    """A classed word list (entry, class, optional value per row): class -> {entry: value}.
    An entry may appear under several classes."""
    out: dict[str, dict[str, str]] = {}
    for r in _rows(name):
        if len(r) >= 2 and r[0] and r[1]:
            out.setdefault(r[1], {})[r[0]] = r[2] if len(r) > 2 else ""
    return out
