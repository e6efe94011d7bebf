"""Exports and downloads: the JSONL of the evaluation contract (../shared/eval/FORMAT.md), ACLED-style
CSV and GeoJSON of the events, and CSV/JSONL downloads of any filtered list.

Every writer reads through the store's list queries (`iter_rows`), so a download of a filtered
list holds exactly the rows the list shows, in its order, and memory stays flat however many
rows there are: each format is produced as a stream of text chunks (`chunks`), which the CLI
writes to a file and the web app streams as the response. `feature` is the one GeoJSON builder
(the exports and the web map use it).
"""
from __future__ import annotations

import csv
import io
import json
from typing import IO, Any, Callable, Iterable, Iterator, Mapping, Optional

from .store import Store
from .store import queries as q

ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
                 "actor1", "actor2", "country", "location", "latitude", "longitude", "geo_precision",
                 "source", "notes", "fatalities",
                 # ours
                 "status", "status_reason", "admin_level", "date_precision", "claims", "documents"]
# Columns of the CSV download of each list (events and their kin are ACLED rows).
CSV_COLUMNS = {
    "claims": ["id", "said_on", "claimant", "claimant_affiliation", "claimant_type", "stance", "cue", "outlet",
               "evidence", "doc_id", "doc_title", "doc_outlet", "source", "start", "end", "said_on_reason"],
    "figures": ["id", "as_of", "metric", "qualifier", "value", "high", "value_text", "population", "subject", "side",
                "claimant", "evidence", "doc_id", "doc_title", "doc_outlet", "source", "start", "end",
                "as_of_reason", "total_of"],
    "documents": ["id", "published", "title", "outlet", "source", "url", "published_reason", "chars"],
    "search": ["kind", "ref", "title", "day", "doc_id", "doc_title", "doc_outlet", "start", "end", "snippet"],
}
EVENT_LISTS = ("events", "disputes", "map")
FORMATS = {"events": ("csv", "jsonl", "geojson"), "disputes": ("csv", "jsonl", "geojson"),
           "map": ("csv", "jsonl", "geojson"), "claims": ("csv", "jsonl"), "figures": ("csv", "jsonl"),
           "documents": ("csv", "jsonl"), "search": ("csv", "jsonl")}
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8",
               "geojson": "application/geo+json"}
_TIME_PRECISION = {"day": 1, "days": 2, "week": 2, "month": 3}
_GEO_PRECISION = {"village": 1, "town": 1, "city": 1, "district": 2, "region": 2, "country": 3}
_NO_LINKS = {"claims": [], "documents": [], "sources": []}
BATCH = 500


# ---- events with their links ------------------------------------------------------------------

def events_with_links(store: Store, list_name: str = "events", filters: Mapping[str, Any] = {},
                      sort: Optional[str] = "oldest", notes: bool = False) -> Iterator[dict]:
    """The filtered events of a list, each with its claim ids, document ids and sources (and, with
    `notes`, the evidence of its first reports), read a batch at a time."""
    batch: list[dict] = []
    for e in q.iter_rows(store, list_name, filters, sort):
        batch.append(e)
        if len(batch) >= BATCH:
            yield from _link_batch(store, batch, notes)
            batch = []
    yield from _link_batch(store, batch, notes)


def _link_batch(store: Store, events: list[dict], notes: bool) -> Iterator[dict]:
    if not events:
        return
    ids = [e["id"] for e in events]
    links = store.event_links(ids)
    evidence = q.event_notes(store, ids) if notes else {}
    for e in events:
        e.pop("n_claims", None)
        e.pop("n_mentions", None)
        row = {**e, **links.get(e["id"], _NO_LINKS)}
        if notes:
            row["notes"] = " | ".join(evidence.get(e["id"], []))[:1000]
        yield row


def acled_row(e: dict) -> dict:
    """One event as an ACLED-style CSV row (ours appended: status, precision, claims, documents)."""
    return {
        "event_id_cnty": e["id"], "event_date": e["date"] or "", "year": (e["date"] or "")[:4],
        "time_precision": _TIME_PRECISION.get(e["date_precision"] or "", 3) if e["date"] else "",
        "event_type": e["event_type"], "sub_event_type": e["sub_event_type"] or "",
        "actor1": e["actor1"] or "", "actor2": e["actor2"] or "", "country": e["country"] or "",
        "location": e["location"] or "", "latitude": e["latitude"] if e["latitude"] is not None else "",
        "longitude": e["longitude"] if e["longitude"] is not None else "",
        "geo_precision": _GEO_PRECISION.get(e["admin_level"] or "", 3) if e["location"] else "",
        "source": "; ".join(e["sources"]), "notes": e.get("notes", ""),
        "fatalities": e["fatalities"] if e["fatalities"] is not None else 0,
        "status": e["status"], "status_reason": e["status_reason"] or "", "admin_level": e["admin_level"] or "",
        "date_precision": e["date_precision"] or "", "claims": " ".join(e["claims"]),
        "documents": " ".join(e["documents"])}


def feature(e: Mapping[str, Any], **extra: Any) -> Optional[dict]:
    """An event as a GeoJSON Feature (a Point at [longitude, latitude]); None without coordinates."""
    if e.get("latitude") is None or e.get("longitude") is None:
        return None
    props = {k: v for k, v in e.items() if k not in ("latitude", "longitude")}
    props.update(extra)
    return {"type": "Feature", "id": e["id"], "geometry": {"type": "Point", "coordinates": [e["longitude"],
                                                                                              e["latitude"]]},
            "properties": props}


def feature_collection(features: list[dict], **members: Any) -> dict:
    return {"type": "FeatureCollection", "features": features, **members}


# ---- formats as streams of text -----------------------------------------------------------------

def _csv_chunks(columns: list[str], rows: Iterable[dict]) -> Iterator[str]:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for i, row in enumerate(rows, 1):
        w.writerow({k: ("" if v is None else v) for k, v in row.items()})
        if i % 200 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _jsonl_chunks(rows: Iterable[dict]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


def _geojson_chunks(events: Iterable[dict]) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for e in events:
        f = feature(e)
        if f is None:
            continue
        yield ("" if first else ", ") + json.dumps(f, ensure_ascii=False)
        first = False
    yield "]}\n"


def chunks(store: Store, list_name: str, fmt: str, filters: Mapping[str, Any] = {},
           sort: Optional[str] = None) -> Iterator[str]:
    """Every filtered row of a list in a download format (csv, jsonl; events also geojson), as text."""
    if fmt not in FORMATS[list_name]:
        raise ValueError(f"{list_name} cannot be downloaded as {fmt!r} (one of {', '.join(FORMATS[list_name])})")
    if list_name in EVENT_LISTS:
        events = events_with_links(store, list_name, filters, sort, notes=fmt == "csv")
        if fmt == "csv":
            return _csv_chunks(ACLED_COLUMNS, map(acled_row, events))
        return _geojson_chunks(events) if fmt == "geojson" else _jsonl_chunks(events)
    rows = search_rows(store, filters) if list_name == "search" else q.iter_rows(store, list_name, filters, sort)
    return _csv_chunks(CSV_COLUMNS[list_name], rows) if fmt == "csv" else _jsonl_chunks(rows)


def search_rows(store: Store, filters: Mapping[str, Any], batch: int = 200) -> Iterator[dict]:
    """Every search hit, best first, its snippet as plain text."""
    offset = 0
    while True:
        hits = q.search_hits(store, filters.get("q") or "", batch, offset, filters.get("alternatives", ()))
        for h in hits:
            yield {**h, "snippet": (h["snippet"] or "").replace("\x02", "").replace("\x03", "")}
        if len(hits) < batch:
            return
        offset += batch


def write(out: IO[str], parts: Iterable[str]) -> None:
    for part in parts:
        out.write(part)


# ---- the exports of the whole store -----------------------------------------------------------------

def jsonl_records(store: Store) -> Iterator[dict]:
    """The records of FORMAT.md: documents, claims, figures, events (with their links)."""
    for d in store.documents():
        yield {"kind": "document", "id": d["id"], "source": d["source"], "title": d["title"], "outlet": d["outlet"],
               "published": d["published"], "published_reason": d["published_reason"], "url": d["url"],
               "path": d["path"], "also_from": [s["source"] for s in store.document_sources(d["id"])
                                                if s["path"] != d["path"]],
               "sections": [{"heading": s["heading"], "day": s["day"], "start": s["start"], "end": s["end"]}
                            for s in store.sections(d["id"])]}
    for c in q.iter_rows(store, "claims", sort="oldest"):
        yield {"kind": "claim", "id": c["id"], "doc": c["doc_id"], "source": c["source"], "evidence": c["evidence"],
               "start": c["start"], "end": c["end"], "claimant": c["claimant"],
               "claimant_affiliation": c["claimant_affiliation"], "claimant_type": c["claimant_type"],
               "stance": c["stance"], "cue": c["cue"], "outlet": c["outlet"], "said_on": c["said_on"],
               "said_on_reason": c["said_on_reason"]}
    for f in q.iter_rows(store, "figures", sort="oldest"):
        value = f["value"]
        yield {"kind": "figure", "id": f["id"], "doc": f["doc_id"], "source": f["source"], "evidence": f["evidence"],
               "start": f["start"], "end": f["end"], "value": int(value) if value == int(value) else value,
               "high": f["high"], "value_text": f["value_text"], "metric": f["metric"], "qualifier": f["qualifier"],
               "population": f["population"], "subject": f["subject"], "side": f["side"], "claimant": f["claimant"],
               "as_of": f["as_of"], "as_of_reason": f["as_of_reason"], "total_of": f["total_of"]}
    for e in events_with_links(store):
        yield {"kind": "event", **e}


def write_jsonl(store: Store, out: IO[str]) -> int:
    n = 0
    for rec in jsonl_records(store):
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


class _Counter:
    """Counts the rows that pass through it (what a writer reports having written)."""

    def __init__(self, keep: Callable[[dict], bool] = lambda r: True):
        self.n = 0
        self.keep = keep

    def __call__(self, rows: Iterable[dict]) -> Iterator[dict]:
        for r in rows:
            self.n += bool(self.keep(r))
            yield r


def write_acled_csv(store: Store, out: IO[str], filters: Mapping[str, Any] = {}) -> int:
    counted = _Counter()
    write(out, _csv_chunks(ACLED_COLUMNS, map(acled_row, counted(
        events_with_links(store, "events", filters, "oldest", notes=True)))))
    return counted.n


def write_geojson(store: Store, out: IO[str], filters: Mapping[str, Any] = {}) -> int:
    counted = _Counter(lambda e: e["latitude"] is not None and e["longitude"] is not None)
    write(out, _geojson_chunks(counted(events_with_links(store, "events", filters, "oldest"))))
    return counted.n
