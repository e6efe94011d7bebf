"""The filters, sorts and page sizes of every list, named once for the CLI, the web, its API and the exports.

A list (events, disputes, claims, figures, documents) takes the same parameters on every surface:
`claimwatch events --place Shusha`, `/events?place=Shusha` and `/api/events?place=Shusha` mean the
same thing and give the same rows in the same order. `parse` checks raw values (from a form, a
query string or the command line) and returns the filters the store's list queries take; an empty
value means "no filter". A bad value raises `BadValue`, whose message names the parameter and the
allowed form: the API answers it as a 422, the CLI as one line on stderr and exit status 2.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping, Optional

from .models import DISPUTE_STATUSES, EVENT_STATUSES, FIGURE_METRICS, POPULATIONS, STANCES

DAY_FORM = "YYYY-MM-DD"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_TEXT = 200
MAX_OFFSET = 1_000_000


class BadValue(ValueError):
    """A parameter whose value is not of the allowed form: one line naming both."""

    def __init__(self, param: str, value: Any, expected: str):
        self.param, self.value, self.expected = param, value, expected
        shown = repr(value) if len(str(value)) <= 60 else repr(str(value)[:60] + "…")
        super().__init__(f"{param}: {shown} is not {expected}")


@dataclass(frozen=True)
class Param:
    """One filter of a list: its name, the form of its value, and a line of help."""
    name: str
    kind: str                       # "day" | "choice" | "text"
    help: str
    choices: tuple[str, ...] = ()
    metavar: Optional[str] = None

    @property
    def form(self) -> str:
        """The allowed form, as the help and the errors state it."""
        if self.kind == "day":
            return f"a real day as {DAY_FORM}"
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        return f"text of at most {MAX_TEXT} characters"


def parse_day(param: str, value: str) -> str:
    """A calendar day as YYYY-MM-DD: the pattern and the calendar (2020-02-30 is not a day)."""
    v = value.strip()
    if not _DAY.fullmatch(v):
        raise BadValue(param, value, f"a day as {DAY_FORM}")
    try:
        date.fromisoformat(v)
    except ValueError:
        raise BadValue(param, value, f"a real day as {DAY_FORM} (no such day in the calendar)") from None
    return v


def _since_until(kind: str) -> tuple[Param, ...]:
    return (Param("since", "day", f"only {kind} on or after this day ({DAY_FORM})", metavar="DAY"),
            Param("until", "day", f"only {kind} on or before this day ({DAY_FORM})", metavar="DAY"),
            Param("day", "day", f"only {kind} on this day ({DAY_FORM})", metavar="DAY"))


_EVENT_PARAMS = _since_until("events dated") + (
    Param("place", "text", "the location or country contains this (a place's other names count: Shushi finds Shusha)"),
    Param("country", "text", "the country is exactly this (case does not matter)"),
    Param("type", "text", "the event type or sub-event type is exactly this (ACLED's names, e.g. Battles, "
                          "'Air/drone strike'; case does not matter)"),
    Param("side", "text", "an actor's name contains this (e.g. Armenia)"),
    Param("status", "choice", "the event's status", EVENT_STATUSES),
    Param("doc", "text", "only events reported in this document (its id)"),
)

PARAMS: dict[str, tuple[Param, ...]] = {
    "events": _EVENT_PARAMS,
    "disputes": tuple(p if p.name != "status" else Param("status", "choice", "the dispute's status",
                                                         DISPUTE_STATUSES) for p in _EVENT_PARAMS),
    "claims": _since_until("claims said") + (
        Param("stance", "choice", "the claim's stance", STANCES),
        Param("claimant", "text", "the claimant's name contains this"),
        Param("side", "text", "the claimant's side (affiliation) is exactly this (case does not matter)"),
        Param("outlet", "text", "the article's outlet is exactly this (case does not matter)"),
        Param("doc", "text", "only claims in this document (its id)"),
        Param("event", "text", "only claims about this event (its id)"),
    ),
    "figures": _since_until("figures as of") + (
        Param("metric", "choice", "what is counted", FIGURE_METRICS),
        Param("population", "choice", "who is counted", POPULATIONS),
        Param("side", "text", "the side whose people are counted is exactly this (case does not matter)"),
        Param("claimant", "text", "the claimant's name contains this"),
        Param("subject", "text", "the counted subject's wording contains this (e.g. soldiers)"),
        Param("doc", "text", "only figures in this document (its id)"),
    ),
    "documents": _since_until("articles published") + (
        Param("outlet", "text", "the outlet is exactly this (case does not matter)"),
        Param("title", "text", "the title contains this"),
    ),
}
PARAMS["map"] = PARAMS["events"]
PARAMS["blame"] = _since_until("accusations made")[:2] + (
    Param("place", "text", "accusations about events at this place (any of its names), or naming it"),)
PARAMS["search"] = (Param("q", "text", "words to find (every one of them; a place's other names count too)"),)

# Orders of each list; the first is the default on every surface. Undated rows come last in each.
SORTS: dict[str, tuple[str, ...]] = {
    "events": ("newest", "oldest", "fatalities", "place"),
    "disputes": ("newest", "oldest", "fatalities", "place"),
    "map": ("newest", "oldest", "fatalities", "place"),
    "claims": ("newest", "oldest", "claimant"),
    "figures": ("newest", "oldest", "largest"),
    "documents": ("newest", "oldest", "title"),
}
SORT_HELP = {"newest": "newest first", "oldest": "oldest first", "fatalities": "most fatalities first",
             "place": "by place name", "claimant": "by claimant", "largest": "largest value first",
             "title": "by title"}

# Page sizes: the default and the largest of each list (the same on every surface).
PAGE_SIZES: dict[str, tuple[int, int]] = {
    "events": (50, 500), "disputes": (20, 200), "claims": (50, 500), "figures": (20, 100),
    "documents": (50, 500), "map": (2000, 5000), "search": (20, 100), "brief": (30, 200),
}


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _clean_text(name: str, value: str) -> str:
    """Typed text: control characters (NUL among them) are white space, not part of what is sought."""
    if len(value) > MAX_TEXT:
        raise BadValue(name, value, f"text of at most {MAX_TEXT} characters")
    return _CONTROL.sub(" ", value).strip()


def parse_value(p: Param, value: str) -> str:
    if p.kind == "day":
        return parse_day(p.name, value)
    v = _clean_text(p.name, value)
    if p.kind == "choice":
        low = v.lower()
        if low not in p.choices:
            raise BadValue(p.name, value, p.form)
        return low
    return v


def parse(list_name: str, raw: Mapping[str, Optional[str]]) -> dict[str, str]:
    """The filters of `list_name` from raw values; empty or missing values are no filter.

    Unknown keys are ignored (a page's query string also carries sort, limit, offset, format)."""
    out: dict[str, str] = {}
    for p in PARAMS[list_name]:
        value = raw.get(p.name)
        if value is None or not str(value).strip():
            continue
        out[p.name] = parse_value(p, str(value))
    if "since" in out and "until" in out and out["since"] > out["until"]:
        raise BadValue("until", out["until"], f"a day on or after since ({out['since']})")
    return out


def parse_sort(list_name: str, value: Optional[str]) -> str:
    sorts = SORTS[list_name]
    if value is None or not value.strip():
        return sorts[0]
    v = value.strip().lower()
    if v not in sorts:
        raise BadValue("sort", value, "one of " + ", ".join(sorts))
    return v


def parse_choice(name: str, value: Optional[str], choices: tuple[str, ...], default: str) -> str:
    """A value from a closed set (an output format, say); empty means the default."""
    if value is None or not value.strip():
        return default
    v = value.strip().lower()
    if v not in choices:
        raise BadValue(name, value, "one of " + ", ".join(choices))
    return v


def for_store(filters: Mapping[str, str]) -> dict[str, Any]:
    """Parsed filters as the store's list queries take them: a place also under the gazetteer's
    name for it (Shushi finds the events stored under Shusha), so every surface finds the same rows."""
    out: dict[str, Any] = dict(filters)
    if out.get("place") or out.get("q"):
        from .gazetteer import place_names  # the gazetteer loads only when a place is asked for
        if out.get("place"):
            out["place"] = place_names(out["place"])
        if out.get("q"):
            out["alternatives"] = place_names(out["q"])[1:]  # Khankendi also finds Stepanakert
    return out


def parse_page(list_name: str, limit: Optional[str], offset: Optional[str]) -> tuple[int, int]:
    """A page size (1 to the list's largest) and an offset (0 to MAX_OFFSET); empty means the default."""
    default, largest = PAGE_SIZES[list_name]
    return (parse_whole("limit", limit, default, 1, largest), parse_whole("offset", offset, 0, 0, MAX_OFFSET))


def parse_whole(name: str, value: Optional[str], default: int, low: int, high: int) -> int:
    if value is None or not str(value).strip():
        return default
    v = str(value).strip()
    if not (v.isascii() and v.isdigit()) or not low <= int(v) <= high:
        raise BadValue(name, value, f"a whole number from {low} to {high}")
    return int(v)
