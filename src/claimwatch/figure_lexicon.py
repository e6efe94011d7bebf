"""The language data of figures (data/figures.tsv, data/figure_nouns.tsv, data/numbers.tsv) in the
shapes the rules ask for: number words, units, counted nouns with their class, metric cues.

Only this module reads those files (through lexicon.py); figures.py holds the rules.
"""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

from . import lexicon


class NounClass(NamedTuple):
    kind: str        # people | equipment | attack | place | building | ignore
    population: str  # military | civilian | mixed | unknown | people (decided by the sentence)


THING_KINDS = ("equipment", "attack", "place", "building")


def _kind(file: str, kind: str, columns: int = 4) -> list[list[str]]:
    """The rows of one kind in a data file whose first column is the kind, without that column."""
    return [row[1:] for row in lexicon.rows(file, columns) if row[0] == kind]


# ---- numbers.tsv ---------------------------------------------------------------------------
NUMBER_WORDS = {w: int(v) for w, v, *_ in _kind("numbers.tsv", "number")}
MULTIPLIERS = {w: int(v) for w, v, *_ in _kind("numbers.tsv", "multiplier")}
DOZENS = {w: int(v) for w, v, *_ in _kind("numbers.tsv", "dozen")}
ARTICLES = {w for w, *_ in _kind("numbers.tsv", "article")}
UNITS = {w for w, *_ in _kind("numbers.tsv", "unit")}
NOT_COUNT_BEFORE = {w for w, *_ in _kind("numbers.tsv", "before")}
NOT_COUNT_AFTER = {w for w, *_ in _kind("numbers.tsv", "after")}

# ---- figure_nouns.tsv ----------------------------------------------------------------------
NOUNS = {row[0].lower(): NounClass(row[1], row[2] or "unknown") for row in lexicon.rows("figure_nouns.tsv", 3)}

# ---- figures.tsv ---------------------------------------------------------------------------
VERBS = {w: (p if p != "-" else None, t if t != "-" else None) for w, p, t, *_ in _kind("figures.tsv", "verb", 5)}
SUBJECT_VERBS = {w for w, _, _, who, *_ in _kind("figures.tsv", "verb", 5) if who == "subject"}
METRIC_NOUNS = {w: m for w, m, *_ in _kind("figures.tsv", "metricnoun")}
NOMINALS = {w: (p if p != "-" else None, t if t != "-" else None) for w, p, t, *_ in _kind("figures.tsv", "nominal", 5)}
QUALIFIERS = {w.lower(): q for w, q, *_ in _kind("figures.tsv", "qualifier")}
MIXED_CUES = [w.lower() for w, *_ in _kind("figures.tsv", "mixed")]
LIST_JOINERS = {w for w, *_ in _kind("figures.tsv", "joiner")}
TIME_WORDS = {w for w, *_ in _kind("figures.tsv", "timeword")}
SPAN_WORDS = {w for w, *_ in _kind("figures.tsv", "spanword")}
TOTAL_CUE_RE = re.compile(r"\b(?:" + "|".join(map(re.escape, (w for w, *_ in _kind("figures.tsv", "totalcue"))))
                          + r")\b(?:\s+\w+){0,4}\s+to\s*$", re.I)
PEOPLE_SUFFIXES = tuple(w for w, *_ in _kind("figures.tsv", "suffix"))
NOT_PEOPLE = {w for w, *_ in _kind("figures.tsv", "notsuffix")}
NUMBER_MARK = "\u27e8N\u27e9"  # where the number stands in the text an idiom is matched against
IDIOMS = [(re.compile(p.replace("{N}", re.escape(NUMBER_MARK)), re.I), m) for p, m, *_ in _kind("figures.tsv", "idiom")]
QUALIFIER_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, QUALIFIERS), key=len, reverse=True)) + r")\s*$",
                          re.I)
MIXED_RE = re.compile(r"\b(?:" + "|".join(map(re.escape, MIXED_CUES)) + r")\b", re.I)


def noun_keys(word: str, lemma: str) -> list[str]:
    """The forms a noun is looked up under: as written, its lemma, and its singular by rule."""
    low = word.lower()
    keys = [low, lemma.lower()]
    if low.endswith("ies"):
        keys.append(low[:-3] + "y")
    if low.endswith(("ses", "xes", "ches", "shes")):
        keys.append(low[:-2])
    if low.endswith("s"):
        keys.append(low[:-1])
    return keys


def listed_noun(word: str, lemma: str) -> Optional[NounClass]:
    for key in noun_keys(word, lemma):
        if key in NOUNS:
            return NOUNS[key]
    return None


def metric_noun(word: str, lemma: str) -> Optional[str]:
    for key in noun_keys(word, lemma):
        if key in METRIC_NOUNS:
            return METRIC_NOUNS[key]
    return None


def sounds_like_persons(word: str) -> bool:
    """An unlisted plural that ends like a word for persons ("volunteers", "loyalists", "Alawites" not)."""
    low = word.lower()
    return low.isalpha() and len(low) > 4 and low not in NOT_PEOPLE and low.endswith(PEOPLE_SUFFIXES)
