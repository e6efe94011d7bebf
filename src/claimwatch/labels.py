"""Words for people: the codes of the record (qualifiers, populations, metrics, statuses) as English,
and the names of things (an article by its outlet and title, an event by what and where).

Every surface (web pages, CLI lines, the briefing) labels records through these functions, so
no internal code ("at_least", "mixed") and no file name reaches a reader where a name exists.
Article text is hostile input: `clean` drops control and bidi-override characters; callers
escape for their medium (templates autoescape, Markdown is escaped by the briefing).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Mapping, Optional

from . import lexicon

QUOTE_CHARS = 220
QUALIFIER_WORDS = {"exact": "", "at_least": "at least", "more_than": "more than", "about": "about",
                   "almost": "almost", "up_to": "up to", "at_most": "at most"}
POPULATION_NOUNS = {"military": "soldiers", "civilian": "civilians", "mixed": "people", "unknown": "people"}
POPULATION_LABELS = {"military": "military", "civilian": "civilians", "mixed": "civilians and military",
                     "unknown": "unspecified"}
METRIC_WORDS = {"killed": "killed", "wounded": "wounded", "displaced": "displaced", "deployed": "deployed",
                "present": "present", "detained": "detained", "participants": "taking part", "other": "counted"}
METRIC_TITLES = {"killed": "Killed", "wounded": "Wounded", "displaced": "Displaced", "deployed": "Deployed",
                 "present": "Present", "detained": "Detained", "participants": "Taking part", "other": "Other counts"}
STANCE_VERBS = {"assert": "said", "deny": "denied", "accuse": "accused", "confirm": "confirmed", "doubt": "doubted"}

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s+")


def clean(s: Optional[str]) -> str:
    """One line of plain text: control and bidi-override characters dropped, white space folded."""
    return _SPACE.sub(" ", _CONTROL.sub(" ", s or "")).strip()


def shorten(s: Optional[str], n: int = QUOTE_CHARS) -> str:
    s = clean(s)
    if len(s) <= n:
        return s
    cut = s[:n].rsplit(" ", 1)[0]
    return (cut if len(cut) > n // 2 else s[:n]).rstrip(" ,;:") + " …"


def number(v: Optional[float]) -> str:
    if v is None:
        return ""
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,}"


def event_title(ev: Mapping[str, Any]) -> str:
    what = ev.get("sub_event_type") or ev.get("event_type") or "Event"
    if what == "Other" and ev.get("event_type"):
        what = ev["event_type"]
    return f"{clean(what)} in {clean(ev.get('location')) or 'an unknown place'}"


def actors(ev: Mapping[str, Any]) -> str:
    """"A vs B", "A", or "" - never a dangling "vs B" when the first actor is unknown."""
    names = [clean(ev.get(k)) for k in ("actor1", "actor2") if clean(ev.get(k))]
    return " vs ".join(names)


def article_label(row: Mapping[str, Any], prefix: str = "doc_") -> str:
    """An article as a reader knows it: "Outlet: Title", the title or the outlet alone, and the file
    name only when the article has neither. `row` holds doc_title/doc_outlet/source (or, with
    prefix "", title/outlet/source)."""
    title = clean(row.get(prefix + "title"))
    outlet = clean(row.get(prefix + "outlet"))
    if title and outlet:
        return f"{outlet}: {title}"
    return title or outlet or clean(row.get("source")) or "an article"


def value_text(f: Mapping[str, Any]) -> str:
    """"at least 1,177", "50–60": the qualifier and the number (or range) of a figure."""
    value = number(f.get("value"))
    if f.get("high") is not None:
        value += "–" + number(f["high"])
    q = QUALIFIER_WORDS.get(f.get("qualifier") or "exact", "")
    return f"{q} {value}".strip()


@lru_cache(maxsize=None)
def _figure_words(kind: str) -> frozenset[str]:
    return frozenset(r[1] for r in lexicon.rows("figure_words.tsv", 2) if r[0] == kind and r[1])


def figure_subject(f: Mapping[str, Any]) -> str:
    """Who is counted, as a reader says it: the subject's wording ("its soldiers" with the side named:
    "soldiers of Armenia"), or the population's noun when there is none."""
    subject = clean(f.get("subject"))
    if not subject:
        return POPULATION_NOUNS.get(f.get("population") or "unknown", "people")
    first, _, rest = subject.partition(" ")
    if first.lower() in _figure_words("possessive") and rest:
        side = clean(f.get("side"))
        return f"{rest} of {side}" if side else rest
    return subject


def figure_phrase(f: Mapping[str, Any]) -> str:
    """A figure as a phrase: "at least 1,177 Armenian soldiers killed", "37 civilian deaths",
    "5,000 people killed" (never a code such as "mixed" or "at_least")."""
    who = figure_subject(f)
    metric = f.get("metric") or "other"
    said = _figure_words(f"said_{metric}")
    what = "" if said and set(re.findall(r"[a-z]+", who.lower())) & said else \
        METRIC_WORDS.get(metric, clean(metric))
    return " ".join(x for x in (value_text(f), who, what) if x)


def facet_label(name: str, value: Any) -> str:
    """A facet's or filter's value as a reader says it ("mixed" population: "civilians and military")."""
    if name == "population":
        return POPULATION_LABELS.get(value, clean(str(value)))
    return clean(str(value))


def series_title(s: Mapping[str, Any]) -> str:
    """A figure series: "Killed — soldiers — Armenia's side"."""
    parts = [METRIC_TITLES.get(s.get("metric") or "", clean(s.get("metric")).capitalize()),
             POPULATION_LABELS.get(s.get("population") or "unknown", "unspecified")]
    side = clean(s.get("side"))
    parts.append(f"{side}'s side" if side else "side not stated")
    return " — ".join(parts)
