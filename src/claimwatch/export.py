"""Exports: JSONL (the evaluation contract, ../shared/eval/FORMAT.md), ACLED-style CSV, GeoJSON."""
from __future__ import annotations

import csv
import json
from typing import IO, Iterator

from .store import Store

ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
                 "actor1", "actor2", "country", "location", "latitude", "longitude", "geo_precision",
                 "source", "notes", "fatalities",
                 # ours
                 "status", "status_reason", "admin_level", "date_precision", "claims", "documents"]
_TIME_PRECISION = {"day": 1, "days": 2, "week": 2, "month": 3}
_GEO_PRECISION = {"village": 1, "town": 1, "city": 1, "district": 2, "region": 2, "country": 3}


def jsonl_records(store: Store) -> Iterator[dict]:
    for d in store.documents():
        yield {"kind": "document", "id": d["id"], "source": d["source"], "title": d["title"], "outlet": d["outlet"],
               "published": d["published"], "published_reason": d["published_reason"], "url": d["url"],
               "path": d["path"], "also_from": [s["source"] for s in store.document_sources(d["id"])
                                                if s["path"] != d["path"]],
               "sections": [{"heading": s["heading"], "day": s["day"], "start": s["start"], "end": s["end"]}
                            for s in store.sections(d["id"])]}
    for c in _all(store.claims):
        yield {"kind": "claim", "id": c["id"], "doc": c["doc_id"], "source": c["source"], "evidence": c["evidence"],
               "start": c["start"], "end": c["end"], "claimant": c["claimant"],
               "claimant_affiliation": c["claimant_affiliation"], "claimant_type": c["claimant_type"],
               "stance": c["stance"], "cue": c["cue"], "outlet": c["outlet"], "said_on": c["said_on"],
               "said_on_reason": c["said_on_reason"]}
    for f in _all(store.figures):
        value = f["value"]
        yield {"kind": "figure", "id": f["id"], "doc": f["doc_id"], "source": f["source"], "evidence": f["evidence"],
               "start": f["start"], "end": f["end"], "value": int(value) if value == int(value) else value,
               "high": f["high"], "value_text": f["value_text"], "metric": f["metric"], "qualifier": f["qualifier"],
               "population": f["population"], "subject": f["subject"], "side": f["side"], "claimant": f["claimant"],
               "as_of": f["as_of"], "as_of_reason": f["as_of_reason"], "total_of": f["total_of"]}
    links = store.event_links()
    for e in _all(store.events):
        link = links.get(e["id"], {"claims": [], "documents": [], "sources": []})
        yield {"kind": "event", **{k: e[k] for k in e}, **link}


def _all(fetch, page: int = 5000) -> Iterator[dict]:
    offset = 0
    while True:
        rows = fetch(limit=page, offset=offset)
        yield from rows
        if len(rows) < page:
            return
        offset += page


def write_jsonl(store: Store, out: IO[str]) -> int:
    n = 0
    for rec in jsonl_records(store):
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_acled_csv(store: Store, out: IO[str]) -> int:
    w = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    w.writeheader()
    links = store.event_links()
    n = 0
    for e in _all(store.events):
        link = links.get(e["id"], {"claims": [], "documents": [], "sources": []})
        w.writerow({
            "event_id_cnty": e["id"], "event_date": e["date"] or "", "year": (e["date"] or "")[:4],
            "time_precision": _TIME_PRECISION.get(e["date_precision"] or "", 3) if e["date"] else "",
            "event_type": e["event_type"], "sub_event_type": e["sub_event_type"] or "",
            "actor1": e["actor1"] or "", "actor2": e["actor2"] or "", "country": e["country"] or "",
            "location": e["location"] or "", "latitude": e["latitude"] if e["latitude"] is not None else "",
            "longitude": e["longitude"] if e["longitude"] is not None else "",
            "geo_precision": _GEO_PRECISION.get(e["admin_level"] or "", 3) if e["location"] else "",
            "source": "; ".join(link["sources"]), "notes": _notes(store, e["id"]),
            "fatalities": e["fatalities"] if e["fatalities"] is not None else 0,
            "status": e["status"], "status_reason": e["status_reason"] or "", "admin_level": e["admin_level"] or "",
            "date_precision": e["date_precision"] or "", "claims": " ".join(link["claims"]),
            "documents": " ".join(link["documents"])})
        n += 1
    return n


def _notes(store: Store, event_id: str) -> str:
    ev = store.event(event_id)
    if not ev or not ev["mentions"]:
        return ""
    return " | ".join(m["evidence"] for m in ev["mentions"][:3])[:1000]


def geojson(store: Store) -> dict:
    links = store.event_links()
    features = []
    for e in _all(store.events):
        if e["latitude"] is None or e["longitude"] is None:
            continue
        props = {k: v for k, v in e.items() if k not in ("latitude", "longitude")}
        props.update(links.get(e["id"], {"claims": [], "documents": [], "sources": []}))
        features.append({"type": "Feature", "id": e["id"],
                         "geometry": {"type": "Point", "coordinates": [e["longitude"], e["latitude"]]},
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}


def write_geojson(store: Store, out: IO[str]) -> int:
    data = geojson(store)
    json.dump(data, out, ensure_ascii=False)
    out.write("\n")
    return len(data["features"])
