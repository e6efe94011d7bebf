"""link: the places extraction found, resolved against the gazetteer with the article's context.

Extraction names places as the text gives them (`PlaceRef`); this stage codes each event mention
at one place, the way an ACLED coder would:

* a name means a place in the countries the article is about (named, or implied by the places
  and peoples it names): a Ukrainian village is not the Polish city of that name, and a small
  place outside those countries is trusted only near the story's other places; a big city
  elsewhere (Geneva, Moscow) stays itself;
* the words around the name decide between same-named places and supply the container the
  gazetteer lacks: "the village of X in Y district" is the X inside Y, or Y itself (with Y's
  admin level, ACLED's geo precision 2) when the gazetteer does not know X; "the Kherson region"
  is the oblast, not the city;
* the most precise place of the mention's own clause wins, then the nearest in the sentence;
  a place named in an earlier sentence of the paragraph is carried over unless this sentence
  turns to another matter ("Meanwhile, ...") or the place belongs to an event of another kind;
  a sentence that points back ("the building", "the attack") right after an event takes its
  place even across a paragraph break;
* a dateline ("WASHINGTON (Reuters) -") is where the reporter is, not a place of the event;
* a mention with no place below country level is dropped: a country alone never places an
  event, and there is no silent country centroid.
"""
from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Optional

from .figure_lexicon import NUMBER_WORDS
from .gazetteer import Gazetteer, Place, side_of
from .models import EventMention, PlaceRef

# smaller is more precise
PLACE_RANK = {"village": 0, "town": 0, "city": 0, "district": 1, "region": 2, "country": 3}
POINT_LEVELS = {"city", "town", "village"}
# the tagger's labels of place names
PLACE_LABELS = ("GPE", "LOC", "FAC")
# too wide to place an incident that has no day of its own (see `untimed_background`)
VAGUE_LEVELS = {"region", "country"}
AREA_LEVELS = {"district", "region"}
# with no day of their own, these are background wherever they are placed
UNTIMED_BACKGROUND = {("Strategic developments", "Other"), ("Strategic developments", "Agreement")}
TERRITORY_SUBS = {"Non-state actor overtakes territory", "Government regains territory"}

# How many countries of an article count as its context.
MAX_CONTEXT_COUNTRIES = 4
# A place outside the article's countries is trusted only when it is at least this big.
FOREIGN_MIN_POPULATION = 100_000
# ...or when it lies this close to a place the article names unambiguously (Barda in a story
# datelined Yerevan).
NEAR_KM = 400
# The neighbourhoods and suburbs of a city lie this close to its point.
CITY_KM = 30
# A curated area whose parts the gazetteer does not list holds the places of its country this close to its point.
AREA_RADIUS_KM = 100
# A place elsewhere found only under another of its names is trusted only this close to the article's places.
FAR_KM = 2000
# ...and a place of the article's countries loses to a same-named one elsewhere only when that
# one is this many times bigger (Moscow, not a hamlet called Moskva in a Ukraine story).
FOREIGN_DOMINANCE = 100

# Words that make the name before them an area: "the Kherson region", "Idlib province".
AREA_WORDS = {
    "region", "province", "governorate", "oblast", "district", "state", "county", "territory",
    "krai", "prefecture", "department", "municipality", "raion", "rayon", "division", "zone",
}
# "the village of X", "the town of X": the name is a settlement.
SETTLEMENT_WORDS = {"village", "town", "city", "hamlet", "settlement", "locality", "camp", "neighbourhood",
                    "neighborhood", "suburb", "district"}
# "the X neighbourhood of Y": X is a part of the city Y.
PART_WORDS = {"neighbourhood", "neighborhood", "suburb", "quarter"}
# Between a place and its container: "X, Y province", "X in Y district", "X of Y region", "X (Y)".
CONTAINER_GLUE = {",", "in", "of", "the", "(", "-", "–", "—", "within", "inside"}
# "in eastern Aleppo", "of east Aleppo": a part of the container; not "north of Damascus", a direction
COMPASS = {"east", "west", "north", "south", "eastern", "western", "northern", "southern", "central"}
# "X near Y", "on the outskirts of Y": Y places the event when X is unknown.
NEIGHBOUR_GLUE = {"near", "outside", "close", "to", "at", "on", "outskirts", "of", "the", "north", "south",
                  "east", "west", "northeast", "northwest", "southeast", "southwest", "km", "kilometres",
                  "kilometers", "miles"}
# Lowercase words inside a place name: the Arabic article as the text writes it, "de", a hyphen.
NAME_PARTICLES = {"al", "el", "ez", "az", "es", "as", "ash", "ad", "ed", "ar", "at", "an", "de", "-"}
# A later sentence that points back at a place named before.
ANAPHORA = re.compile(
    r"\b(?:there|nearby|the (?:same )?(?:town|city|village|area|region|district|province|camp|neighbou?rhood|"
    r"settlement|locality|site|strike|attack|raid|bombing|shelling|blast|explosion|incident|building|house|"
    r"home|hospital|school|market|mosque|church|convoy|vehicle|car|bus|checkpoint|base|facility|compound|"
    r"shelter))\b(?!\s+of\s+(?-i:[A-Z]))", re.I)  # "the town of Bentiu" names its own place
# A sentence that turns to another matter: a place named before it does not carry over.
TOPIC_SHIFT = re.compile(
    r"^\W*(?:meanwhile|separately|elsewhere|in (?:a )?(?:separate|another|other)\b|in other news|also on|"
    r"on the other hand|farther|further (?:north|south|east|west))\b", re.I)


@dataclass
class Context:
    """What the article says about where it is."""
    countries: list[str] = field(default_factory=list)  # most named first
    # (latitude, longitude) of the places it names that are unambiguous
    anchors: list[tuple[float, float]] = field(default_factory=list)
    # (start, end) span of a ref -> the event types of the mentions whose own sentence names it
    events_at: dict[tuple[int, int], set[str]] = field(default_factory=dict)


def link_mentions(ann, mentions: list[EventMention], gaz: Optional[Gazetteer] = None) -> list[EventMention]:
    """Each mention coded at its place; mentions that cannot be placed below country level are left out."""
    if not mentions:
        return []
    gaz = gaz or Gazetteer.default()
    ctx = article_context(ann, gaz)
    for m in mentions:
        for r in m.place_refs:
            if not r.carried:
                ctx.events_at.setdefault((r.start, r.end), set()).add(m.event_type)
    sentences = _sentence_index(ann)
    out = []
    paragraphs = [off for off, _ in getattr(ann, "parsed", []) or []]
    last: Optional[tuple[str, Place, int]] = None  # the last placed mention: type, place, paragraph
    listed = Counter((m.start, m.event_type) for m in mentions)
    provinces: dict[str, Optional[Place]] = {}
    words = lambda ref: _words_around(sentences, ref)  # noqa: E731
    for m in mentions:
        place, ref = choose_place(gaz, m.place_refs, ctx, words=words, carry=lambda: _may_carry(m, ctx))
        if place is None:
            place = _province_of_country_named(gaz, m, ctx, words, lambda c: _article_province(
                ann, gaz, ctx, sentences, c, provinces), carry=_may_carry(m, ctx))
        precise = ref is not None and not ref.carried and \
            _told_precisely(words(ref), listed[(m.start, m.event_type)] > 1)
        para = bisect.bisect_right(paragraphs, m.start)
        if place is None and last is not None and last[0] == m.event_type and para - last[2] <= 1 \
                and ANAPHORA.search(m.evidence):
            # "The army denied that its jets had bombed the building." right after the strike was
            # reported, in the next paragraph: the same strike, at its place
            place = last[1]
        if place is None:
            continue
        last = (m.event_type, place, para)
        if untimed_background(m, place, precise):
            continue
        out.append(replace(m, location=place.name, latitude=place.latitude, longitude=place.longitude,
                           country=place.country, admin_level=place.admin_level,
                           sub_event_type=_territory_sub(m, place)))
    return out


def _province_of_country_named(gaz: Gazetteer, m: EventMention, ctx: Context, words, province_of,
                               carry: bool = False) -> Optional[Place]:
    """"A car bomb killed 20 people in eastern Syria": a sentence that names only the country (or a
    compass part of it), or follows one that did (`carry`), is coded at the one province the
    article names in that country (`province_of(country)`, see `_article_province`); never at the
    country itself."""
    for ref in m.place_refs:
        if ref.carried and not carry:
            continue
        p = resolve_ref(gaz, ref, ctx, words(ref))
        if p is not None and p.admin_level == "country" and ctx.countries and p.name == ctx.countries[0]:
            # only the country the story is about: "a US-led strike in Syria" is not in Washington, DC
            return province_of(p.name)
    return None


def _article_province(ann, gaz: Gazetteer, ctx: Context, sentences, country: str,
                      cache: dict[str, Optional[Place]]) -> Optional[Place]:
    """The one province the article names in `country`, as a province or by its namesake capital
    ("Aleppo", "Idlib province"), when every place below country level it names there lies in it
    (a dateline is where the reporter is, not a place of the story); None when they lie in two or
    more, when one of them has no known division, or when the article names only towns of it
    ("Bint Jbeil" does not make "southern Lebanon" the province of Nabatieh)."""
    if country in cache:
        return cache[country]
    regions: dict[str, Optional[Place]] = {}
    named = False
    for off, doc in getattr(ann, "parsed", []) or []:
        for e in doc.ents:
            if e.label_ not in PLACE_LABELS:
                continue
            ref = PlaceRef(e.text, off + e.start_char, off + e.end_char)
            p = resolve_ref(gaz, ref, ctx, _words_around(sentences, ref))
            if p is None or p.country != country or p.admin_level == "country":
                continue
            region = _region_of(gaz, p)
            regions[region.id if region is not None else p.id] = region
            named = named or region is not None and region.name.startswith(p.name)
    only = list(regions.values())
    cache[country] = only[0] if len(only) == 1 and named else None
    return cache[country]


def _region_of(gaz: Gazetteer, place: Place) -> Optional[Place]:
    """The first-level division a place lies in (a province is its own)."""
    if place.admin_level == "region":
        return place
    return next((p for p in gaz.parents(place) if p.admin_level == "region"), None)


def untimed_background(m: EventMention, place: Place, precise: bool = False) -> bool:
    """"Fierce frontline clashes in the region", "since the peace deal was struck last week": a
    mention with no day of its own (only the report's, or a week) and no precise place is
    background, not an event; unless it counts its dead ("air raids killed 12 in Idlib
    province"), which makes it an incident. A district is a precise place (ACLED's geo precision
    2), and so is a province the text codes an incident at with words that make it one (`precise`,
    see `_told_precisely`). With no day at all (an undated article) it stays: it is never put on a
    timeline, but it is still a report of that place."""
    if m.date_precision not in ("report", "week"):
        return False
    if (m.event_type, m.sub_event_type) in UNTIMED_BACKGROUND:
        return True
    vague = place.admin_level in VAGUE_LEVELS and not precise
    return vague and (m.fatalities is None or m.date_precision == "week")


def _told_precisely(around: tuple[list[str], list[str]], listed: bool) -> bool:
    """The words around the place make its incident a precise one even though the place is coded
    at a province: "the village of Kolmane in the Dosso region" (a settlement the gazetteer
    lacks, coded at its province), or a count for each place of a list ("36 drones were destroyed
    over the Rostov Region, 21 over the Bryansk Region")."""
    before, after = around
    if _settlement_named(before, after):
        return True
    return listed and any(_count(w) for w in before)


def _settlement_named(before: list[str], after: list[str]) -> bool:
    """"the village of X", "X village": the text names X as a settlement, whatever the gazetteer
    knows of it."""
    return len(before) >= 2 and before[-1].lower() == "of" and before[-2].lower() in SETTLEMENT_WORDS or \
        bool(after) and after[0].lower() in SETTLEMENT_WORDS - {"district"}


def _count(word: str) -> bool:
    """A number that counts ("36", "1,200", "six"), not a year."""
    digits = word.replace(",", "")
    if digits.isdigit():
        return not (len(digits) == 4 and 1900 <= int(digits) <= 2100)
    return word.lower() in NUMBER_WORDS


# --------------------------------------------------------------------------- the article's countries


def article_context(ann, gaz: Gazetteer) -> Context:
    """The countries the article is about, most named first: the countries it names, the
    countries whose people it names ("Syrian", "Ukrainians"), and the countries of the places it
    names that are unambiguous (one country has them, or a big city), so that a story that never
    writes "Syria" but names Aleppo and Idlib is still a Syrian story. The unambiguous places
    are its anchors: a same-named place near them is the one meant."""
    seen: Counter = Counter()
    anchors: dict[str, tuple[float, float]] = {}
    for _, doc in ann.parsed:
        for e in doc.ents:
            if e.label_ == "NORP" or (e.label_ in ("PERSON", "ORG") and " " not in e.text.strip()):
                # "Syrian", "Ukrainians"; a lone demonym the model took for a name ("Azerbaijani")
                country = _country_of_people(gaz, e.text)
                if country:
                    seen[country] += 1
                continue
            if e.label_ == "ORG":
                # "the Syrian Observatory for Human Rights": a body named by its country's people
                words = [w for w in e.text.split() if w.lower() != "the"]
                country = _country_of_people(gaz, words[0]) if words else None
                if country:
                    seen[country] += 1
                continue
            if e.label_ not in PLACE_LABELS:
                continue
            place = _unambiguous(gaz, e.text)
            if place is None:
                continue
            seen[place.country] += 2 if place.admin_level == "country" else 1
            if place.admin_level in POINT_LEVELS and place.latitude is not None:
                anchors[place.id] = (place.latitude, place.longitude)
    return Context(countries=[c for c, _ in seen.most_common(MAX_CONTEXT_COUNTRIES) if c],
                   anchors=list(anchors.values()))


def _country_of_people(gaz: Gazetteer, text: str) -> Optional[str]:
    side = side_of(text)
    place = gaz.lookup(side) if side else None
    return place.name if place is not None and place.admin_level == "country" else None


def _unambiguous(gaz: Gazetteer, text: str) -> Optional[Place]:
    """The place a name means wherever the story is: a country, a name only one country has, or
    a big city with no big namesake elsewhere (Aleppo, but not Tripoli)."""
    options = gaz.matches(text)
    if not options:
        return None
    first = options[0]
    if first.admin_level == "country":
        return first
    if not (first.curated or _own_name(first, text)):
        return None  # found under another language's name or a nickname ("Youth City", "Dagu" for Datong)
    if len({p.country for p in options}) == 1:
        return first
    rivals = [p for p in options[1:] if p.country != first.country
              and (p.population or 0) >= FOREIGN_MIN_POPULATION]
    return first if (first.population or 0) >= FOREIGN_MIN_POPULATION and not rivals else None


# --------------------------------------------------------------------------- choosing a mention's place


def choose_place(gaz: Gazetteer, refs: list[PlaceRef], ctx: Context, words=None, carry=None
                 ) -> tuple[Optional[Place], Optional[PlaceRef]]:
    """The most precise place of the mention's own sentence (its clause first, then the nearest);
    else, when `carry()` allows, the last place named before it in the paragraph; with the ref
    that names it ((None, None) when there is none).

    `words(ref)` gives the tokens before and after a ref in its sentence (see `_words_around`),
    from which the place's kind and container are read."""
    best = None
    for ref in refs:
        if ref.carried:
            continue
        p = resolve_ref(gaz, ref, ctx, words(ref) if words else None)
        if p is None:
            continue
        key = (not ref.in_clause, PLACE_RANK.get(p.admin_level, 1), ref.distance)
        if best is None or key < best[0]:
            best = (key, p, ref)
    if best is not None and best[1].admin_level != "country":
        return best[1], best[2]  # a country in the clause ("over Armenia") keeps out the places of other clauses
    if carry is not None and not carry():
        return None, None
    for ref in refs:
        if ref.carried:
            p = resolve_ref(gaz, ref, ctx, words(ref) if words else None)
            if p is not None and p.admin_level != "country":
                return p, ref
    return None, None


def _may_carry(m: EventMention, ctx: Context) -> bool:
    """A place named in an earlier sentence of the paragraph places this mention, unless the
    sentence turns to another matter ("Meanwhile, ...") or the place belongs to an event of
    another kind reported there; a sentence that points back ("there", "the town", "the
    attack") always takes it."""
    if ANAPHORA.search(m.evidence):
        return True
    if TOPIC_SHIFT.search(m.evidence):
        return False
    carried = [r for r in m.place_refs if r.carried]
    if not carried:
        return False
    nearest = carried[0]  # the last named before this sentence
    kinds = ctx.events_at.get((nearest.start, nearest.end))
    return not kinds or m.event_type in kinds


def resolve_ref(gaz: Gazetteer, ref: PlaceRef, ctx: Context, around=None) -> Optional[Place]:
    """The place a ref names, read with the words around it: its kind ("the Kherson region"),
    its container ("X in Y district") and the article's context."""
    before, after = around if around else ([], [])
    if is_dateline(ref.text, before, after) or not any(c.isupper() for c in ref.text):
        return None  # a lowercase word ("the countrys eastern ...") names no place, nor its container
    if not gaz.candidates(ref.text) and side_of(ref.text):
        return None  # "Daesh", "Hezbollah": an armed group the model took for a place
    text, kind = ref.text, None
    area_word = _area_word_after(after)
    if area_word and not _names_area(ref.text):
        text, kind = f"{ref.text} {area_word}", "area"  # "the Kherson region", "the Ryazan and Saratov regions"
    elif len(before) >= 2 and before[-1].lower() == "of" and before[-2].lower() in PART_WORDS:
        kind = "part"  # "the neighbourhood of X in Aleppo"
    elif len(before) >= 2 and before[-1].lower() == "of" and before[-2].lower() in SETTLEMENT_WORDS:
        kind = "settlement"  # "the village of X"
    elif len(before) >= 2 and before[-1].lower() == "of" and before[-2].lower() in AREA_WORDS:
        text, kind = f"{ref.text} {before[-2].lower()}", "area"  # "the province of X"
    elif after and after[0].lower() in PART_WORDS:
        kind = "part"  # "the Mayssar neighbourhood of Aleppo"
    elif after and after[0].lower() in SETTLEMENT_WORDS:
        kind = "settlement"  # "Dagu village in Borno state"
    rest = after[1:] if (kind == "area" and text != ref.text) or kind == "part" or (
        kind == "settlement" and after and after[0].lower() in SETTLEMENT_WORDS) else after
    container, explicit = _container(gaz, rest, ctx.countries)
    if container is not None and kind == "settlement":
        container = _area_named_like(gaz, container) or container  # "Nahleh town in Idlib": the province
    if container is None:
        container = _container_before(gaz, before, ctx.countries)  # "the Idlib town of X"
        explicit = container is not None
    place = pick(gaz, gaz.matches(text, ctx.countries), ctx, container, kind, explicit, text)
    if place is None and container is not None and container.admin_level in AREA_LEVELS:
        return container  # "the village of X in Y district", X unknown: coded at Y
    if place is None and kind != "area":
        return _neighbour(gaz, after, ctx.countries)
    inner = _inner_area(gaz, before, place, ctx.countries) if place is not None else None
    return inner or place


def is_dateline(text: str, before: list[str], after: list[str]) -> bool:
    """"WASHINGTON (Reuters) -", "DAKAR - ...", "KYIV, Ukraine, May 3 (AP) --": where the reporter
    files from, not where the event happened."""
    if before or not after:
        return False
    if after[0] in ("(", "-", "–", "—", "--"):
        return True
    return text.isupper() and len(text) > 2 and after[0] == ","


def pick(gaz: Gazetteer, candidates: list[Place], ctx: Context, container: Optional[Place] = None,
         kind: Optional[str] = None, explicit: bool = False, text: Optional[str] = None) -> Optional[Place]:
    """The candidate the context supports: inside the named container, of the named kind, in the
    article's countries (the one nearest the article's other places, unless a city is meant); a
    place elsewhere only when it is big, curated (a conflict place) or near the article's other
    places (see FOREIGN_*, NEAR_KM). `explicit`: the text put the place in the container in so
    many words ("in", "of", brackets), not with a comma that may only list places. A place elsewhere
    that answers to `text` only under another of its names ("Dagu" for Datong, "Ber" for Veroia) is
    not the one meant unless it lies near the article's places."""
    if kind in ("settlement", "part"):
        candidates = [p for p in candidates if p.admin_level in POINT_LEVELS] or candidates
    if container is not None and explicit and container.admin_level in POINT_LEVELS and kind == "part":
        # "the Ferdous neighbourhood of Aleppo": a part of the city, not a namesake elsewhere
        near = [p for p in candidates if _km_to_anchors(p, [(container.latitude, container.longitude)]) <= CITY_KM]
        return near[0] if near else container
    if container is not None and container.admin_level in AREA_LEVELS | {"country"}:
        inside = [p for p in candidates if p.id != container.id and _inside(gaz, p, container)]
        if inside:
            return inside[0]
        if explicit and container.admin_level != "country" and candidates:
            # the text puts X in Y but the gazetteer's X lies elsewhere: trust the text
            return container
    if not candidates:
        return None
    countries = ctx.countries
    home = [p for p in candidates if not countries or p.admin_level == "country" or p.country in countries]
    foreign = [p for p in candidates if p not in home]
    # a place of the story's countries found only under another of its names lies near its places:
    # "the town of Meles, 15 km from Idlib" is not Meleuz in Russia, 2,500 km away
    home = [p for p in home if text is None or p.curated or _own_name(p, text) or not ctx.anchors
            or _km_to_anchors(p, ctx.anchors) <= FAR_KM]
    if home:
        best = home[0]
        if text is not None and countries and not (best.curated or _own_name(best, text)):
            # found only under another of its names: the story's own country first ("Busra" is Bosra
            # in a Syria story that also names Iraq, not Basrah)
            best = min(home, key=lambda p: countries.index(p.country) if p.country in countries else len(countries))
        if len(home) > 1 and ctx.anchors and (best.population or 0) < FOREIGN_MIN_POPULATION and \
                _km_to_anchors(best, ctx.anchors) > NEAR_KM / 4:
            # the first of many same-named villages lies far from the story: take the nearest one
            # ...among those that go by this name or lie in its country (not a big namesake abroad)
            same_kind = [p for p in home if (p.admin_level in POINT_LEVELS) == (best.admin_level in POINT_LEVELS)
                         and (p.country == best.country or text is None or _own_name(p, text))]
            best = min(same_kind, key=lambda p: _km_to_anchors(p, ctx.anchors))
        # only a place that goes by this name: "Busra" in a Syria story is Bosra, not Basrah, Iraq,
        # which GeoNames also files under "Busra"
        big = next((p for p in foreign if (p.population or 0) >= FOREIGN_MIN_POPULATION
                    and (p.curated or text is None or _own_name(p, text))), None)
        if big is not None and kind is None and container is None and \
                (big.population or 0) >= FOREIGN_DOMINANCE * max(best.population or 0, 1):
            return big  # "Moscow" in a Ukraine story is Moscow, not a hamlet; "the village of X" is X
        return best
    foreign = [p for p in foreign if text is None or p.curated or _own_name(p, text)
               or _km_to_anchors(p, ctx.anchors) <= FAR_KM]
    plausible = [p for p in foreign if (p.population or 0) >= FOREIGN_MIN_POPULATION or p.curated
                 or _km_to_anchors(p, ctx.anchors) <= NEAR_KM
                 or (kind == "settlement" and _only_one(foreign) and text is not None and _own_name(p, text))]
    return plausible[0] if plausible else None


def _own_name(place: Place, text: str) -> bool:
    """The text is the place's own name, its kind word aside ("Idlib" for Idlib Governorate), not
    one of its other names."""
    def bare(name: str) -> list[str]:
        plain = unicodedata.normalize("NFKD", name.casefold())
        words = "".join(c if c.isalnum() else " " for c in plain if not unicodedata.combining(c)).split()
        while len(words) > 1 and words[-1] in AREA_WORDS:
            words.pop()
        return words[1:] if len(words) > 1 and words[0] == "the" else words
    return bare(place.name) == bare(text)


def _inside(gaz: Gazetteer, place: Place, area: Place) -> bool:
    """The place lies in the area: by the gazetteer's divisions, or, for a curated area whose parts
    the gazetteer does not list (Nagorno-Karabakh, the Gaza Strip), by its distance from the area's
    point."""
    if gaz.within(place, area):
        return True
    unlisted = area.curated and area.geonameid is None and area.admin_level in AREA_LEVELS
    return unlisted and place.country == area.country and _km_to_anchors(
        place, [(area.latitude, area.longitude)] if area.latitude is not None else []) <= AREA_RADIUS_KM


def _only_one(candidates: list[Place]) -> bool:
    """"the town of Bentiu" in a round-up of several wars: a settlement the text says is one, and the only
    place of that name anywhere, is that place even outside the article's main countries."""
    points = [p for p in candidates if p.admin_level in POINT_LEVELS]
    return len(points) == 1 and len({p.country for p in candidates}) == 1


def _km_to_anchors(place: Place, anchors: list[tuple[float, float]]) -> float:
    if place.latitude is None or place.longitude is None or not anchors:
        return math.inf
    return min(_km(place.latitude, place.longitude, lat, lon) for lat, lon in anchors)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(h)))


def _area_word_after(after: list[str]) -> Optional[str]:
    """The kind of area the words after a name make it: "Kherson region" -> "region"; and for each name of a
    list before a plural, "Ryazan and Saratov Regions", "Penza, Tver and Pskov oblasts" -> "region",
    "oblast"."""
    for k, w in enumerate(after[:7]):
        word = _singular_area(w)
        if word and (k == 0 or w.lower() != word):
            return word
        if k == 0 and w not in (",", "and") or k > 0 and not (w in (",", "and") or w[:1].isupper()):
            return None
    return None


def _singular_area(word: str) -> Optional[str]:
    w = word.lower()
    for singular in (w, w[:-1] if w.endswith("s") else None, w[:-3] + "y" if w.endswith("ies") else None):
        if singular in AREA_WORDS:
            return singular
    return None


def _names_area(text: str) -> bool:
    return text.split()[-1].lower() in AREA_WORDS if text.split() else False


def _container(gaz: Gazetteer, after: list[str], countries: list[str]) -> tuple[Optional[Place], bool]:
    """The area (or town) a place is put in by the words after it: ", Y province", " in Y district",
    " of the Y region", " (Y)". A country is a container too ("X, Syria"). Also says whether the
    words made it explicit (in, of, brackets) rather than a comma that may only list places."""
    i = 0
    while i < len(after) and i < 4 and (after[i].lower() in CONTAINER_GLUE or (
            after[i].lower() in COMPASS and i + 1 < len(after) and after[i + 1][:1].isupper())):
        i += 1
    if i == 0 or i >= len(after) or not after[i][:1].isupper():
        return None, False
    explicit = any(w.lower() in ("in", "of", "(", "within", "inside") for w in after[:i])
    if i + 3 < len(after) and after[i + 1].lower() in SETTLEMENT_WORDS and after[i + 2].lower() == "of":
        i += 3  # "of the Syrian city of Aleppo": the container is Aleppo
    name = [after[i]]
    for w in after[i + 1:i + 4]:
        if w[:1].isupper() or w.lower() in NAME_PARTICLES:
            name.append(w)
        else:
            break
    rest = after[i + len(name):]
    if rest and rest[0].lower() in AREA_WORDS:
        name.append(rest[0].lower())
    for n in range(len(name), 0, -1):
        place = gaz.lookup(" ".join(name[:n]), countries)
        if place is not None:
            return place, explicit
    return None, False


def _name_before(before: list[str]) -> list[str]:
    """The capitalised words that end `before` ("... in Zurmi" -> ["Zurmi"])."""
    name: list[str] = []
    for w in reversed(before[-4:]):
        if w[:1].isupper() or (name and w.lower() in NAME_PARTICLES):
            name.insert(0, w)
        else:
            break
    while name and not name[0][:1].isupper():
        name.pop(0)
    return name


def _container_before(gaz: Gazetteer, before: list[str], countries: list[str]) -> Optional[Place]:
    """"the southern Idlib town of X", "Syria's Idlib province, in the village of X": the area the
    words just before "<town|village|city> of" name."""
    if len(before) < 3 or before[-1].lower() != "of" or before[-2].lower() not in SETTLEMENT_WORDS:
        return None
    name = _name_before(before[:-2])
    place = gaz.lookup(" ".join(name), countries) if name else None
    return place if place is not None and place.admin_level in AREA_LEVELS | {"country"} else \
        _area_named_like(gaz, place)


def _area_named_like(gaz: Gazetteer, place: Optional[Place]) -> Optional[Place]:
    """"the Idlib town of X": Idlib is the province there (a town does not hold a town)."""
    if place is None or place.admin_level not in POINT_LEVELS:
        return None
    return next((a for a in gaz.parents(place) if a.admin1 is None and a.name.startswith(place.name)), None)


def _inner_area(gaz: Gazetteer, before: list[str], place: Place, countries: list[str]) -> Optional[Place]:
    """"Zurmi district of Zamfara state": the place the text names is the district inside the one
    the ref names."""
    if len(before) < 3 or before[-1].lower() != "of" or before[-2].lower() not in AREA_WORDS:
        return None
    name = _name_before(before[:-2])
    if not name:
        return None
    inner = gaz.matches(f"{' '.join(name)} {before[-2].lower()}", countries)
    return next((p for p in inner if p.id != place.id and gaz.within(p, place)), None)


def _neighbour(gaz: Gazetteer, after: list[str], countries: list[str]) -> Optional[Place]:
    """"X, near Y" / "X on the outskirts of Y", X unknown: Y, the nearest place the text names."""
    i = 0
    while i < len(after) and i < 6 and (after[i].lower() in NEIGHBOUR_GLUE or after[i] in (",", "-")
                                        or after[i].isdigit()):
        i += 1
    if i == 0 or i >= len(after) or not any(w.lower() in ("near", "outside", "outskirts", "close")
                                            for w in after[:i]):
        return None
    place, _ = _container(gaz, [","] + after[i:], countries)
    return place


# --------------------------------------------------------------------------- the words around a ref


def _sentence_index(ann) -> list[tuple[int, int, int, object, list]]:
    """(start, end, paragraph offset, sentence span, its words once read) of every sentence, by document
    offset."""
    out = []
    for off, doc in getattr(ann, "parsed", []) or []:
        for sent in doc.sents:
            out.append((off + sent.start_char, off + sent.end_char, off, sent, []))
    return out


# How many words either side of a ref are read.
WINDOW = 8


def _words_around(sentences, ref: PlaceRef) -> tuple[list[str], list[str]]:
    """The words of the ref's sentence just before and just after it."""
    for start, end, off, sent, words in sentences:
        if start <= ref.start < end:
            if not words:  # (start, end, text) of each token, read once per sentence, not per ref
                words.extend((off + t.idx, off + t.idx + len(t.text), t.text) for t in sent)
            before = [text for _, e, text in words if e <= ref.start][-WINDOW:]
            after = [text for s, _, text in words if s >= ref.end][:WINDOW]
            return before, after
    return [], []


def _territory_sub(m: EventMention, place: Place) -> str:
    """Territory taken by the place's own country is regained; by anyone else it is overtaken."""
    if m.sub_event_type not in TERRITORY_SUBS or not m.actor1:
        return m.sub_event_type
    side = side_of(m.actor1) or m.actor1
    return "Government regains territory" if place.country and side and side in place.country \
        else "Non-state actor overtakes territory"
