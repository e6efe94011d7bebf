"""link: the places extraction found, resolved against the gazetteer with the article's context.

Extraction names places as the text gives them (`PlaceRef`); this stage picks the most precise
one the gazetteer knows for each event mention, prefers the countries the article is about when a
name is ambiguous, and codes the mention there (coordinates, country, admin level). A mention with
no place below country level is dropped: a country alone never places an event, and there is no
silent country centroid.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from .gazetteer import Gazetteer, Place, side_of
from .models import EventMention, PlaceRef

# smaller is more precise
PLACE_RANK = {"village": 0, "town": 0, "city": 0, "district": 1, "region": 2, "country": 3}
POINT_LEVELS = {"city", "town", "village"}
# with no time of their own, these are background unless placed precisely; an undated text ("unknown") is
# not untimed: its events just have no day (a single-incident report, an article without a date line)
UNTIMED_PRECISIONS = {"report", "week"}
UNTIMED_BACKGROUND = {("Strategic developments", "Other"), ("Strategic developments", "Agreement")}
TERRITORY_SUBS = {"Non-state actor overtakes territory", "Government regains territory"}


def link_mentions(ann, mentions: list[EventMention], gaz: Optional[Gazetteer] = None) -> list[EventMention]:
    """Each mention coded at its place; mentions that cannot be placed below country level are left out."""
    if not mentions:
        return []
    gaz = gaz or Gazetteer.default()
    countries = doc_countries(ann, gaz)
    out = []
    for m in mentions:
        place = choose_place(gaz, m.place_refs, countries)
        if place is None:
            continue
        if m.date_precision in UNTIMED_PRECISIONS and (
                place.admin_level not in POINT_LEVELS or (m.event_type, m.sub_event_type) in UNTIMED_BACKGROUND):
            # "fierce frontline clashes", "since the peace deal was struck last week": no time of its
            # own and no precise place is background, not an event
            continue
        out.append(replace(m, location=place.name, latitude=place.latitude, longitude=place.longitude,
                           country=place.country, admin_level=place.admin_level,
                           sub_event_type=_territory_sub(m, place)))
    return out


def doc_countries(ann, gaz: Gazetteer) -> list[str]:
    """Countries the article names, most named first, to prefer places there when a name is ambiguous."""
    seen: dict[str, int] = {}
    for _, doc in ann.parsed:
        for e in doc.ents:
            if e.label_ == "GPE":
                p = gaz.lookup(e.text)
                if p is not None and p.admin_level == "country":
                    seen[p.name] = seen.get(p.name, 0) + 1
    return sorted(seen, key=seen.get, reverse=True)[:6]


def choose_place(gaz: Gazetteer, refs: list[PlaceRef], countries: list[str]) -> Optional[Place]:
    """The most precise place of the mention's own sentence (its clause first, then the nearest);
    else the last place named before it in the paragraph."""
    best = None
    for ref in refs:
        if ref.carried:
            continue
        p = lookup(gaz, ref.text, countries)
        if p is None:
            continue
        key = (not ref.in_clause, PLACE_RANK.get(p.admin_level, 1), ref.distance)
        if best is None or key < best[0]:
            best = (key, p)
    if best is not None and best[1].admin_level != "country":
        return best[1]
    for ref in refs:
        if ref.carried:
            p = lookup(gaz, ref.text, countries)
            if p is not None and p.admin_level != "country":
                return p
    return None


def lookup(gaz: Gazetteer, name: str, countries: list[str]) -> Optional[Place]:
    """Big places by their own name first (Geneva is not Geneva, Illinois), then the article's countries."""
    plain = gaz.lookup(name)
    if plain is not None and (plain.admin_level in ("country", "region") or (plain.population or 0) >= 100_000):
        return plain
    return gaz.lookup(name, prefer_countries=countries) or plain


def _territory_sub(m: EventMention, place: Place) -> str:
    """Territory taken by the place's own country is regained; by anyone else it is overtaken."""
    if m.sub_event_type not in TERRITORY_SUBS or not m.actor1:
        return m.sub_event_type
    side = side_of(m.actor1) or m.actor1
    return "Government regains territory" if place.country and side and side in place.country \
        else "Non-state actor overtakes territory"
