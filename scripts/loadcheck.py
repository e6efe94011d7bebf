#!/usr/bin/env python3
"""API load check: p50/p95 latency of the web app's main endpoints on a large synthetic store
(lists with their totals and facets, filtered pages, downloads).

    python scripts/loadcheck.py [--events 100000] [--requests 200] [--time-cap 30] [--db PATH]

Builds (or reuses, with --db) a store of at least --events synthetic events through the Store
API (add_document per synthetic article, then one replace_events), starts the app with uvicorn
on 127.0.0.1 on a free port in a thread, and sends a bounded loop of requests to each endpoint:
at most --requests per endpoint and at most --time-cap seconds per endpoint, one client, on
loopback only. Prints one line per endpoint:

    loadcheck: events=N endpoint=/api/events n=200 p50_ms=… p95_ms=… max_ms=…

Exits non-zero if any request fails.
"""
from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from claimwatch.models import Article, Claim, Event, EventMention, Figure, Sentence  # noqa: E402
from claimwatch.store import Store  # noqa: E402

PLACES = [("Stepanakert", 39.815, 46.752, "Azerbaijan"), ("Shushi", 39.759, 46.748, "Azerbaijan"),
          ("Hadrut", 39.52, 47.03, "Azerbaijan"), ("Martakert", 40.21, 46.81, "Azerbaijan"),
          ("Tartar", 40.342, 46.931, "Azerbaijan"), ("Goranboy", 40.61, 46.79, "Azerbaijan"),
          ("Aghdam", 40.1, 47.1, "Azerbaijan"), ("Ganja", 40.68, 46.36, "Azerbaijan"),
          ("Barda", 40.37, 47.13, "Azerbaijan"), ("Fizuli", 39.6, 47.15, "Azerbaijan"),
          ("Jabrayil", 39.4, 47.03, "Azerbaijan"), ("Lachin", 39.64, 46.55, "Azerbaijan"),
          ("Yerevan", 40.181, 44.514, "Armenia"), ("Vardenis", 40.18, 45.73, "Armenia"),
          ("Goris", 39.51, 46.34, "Armenia"), ("Kapan", 39.21, 46.41, "Armenia"),
          ("Ordubad", 38.905, 46.023, "Azerbaijan"), ("Baku", 40.41, 49.87, "Azerbaijan")]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Explosions/Remote violence", "Air/drone strike"), ("Violence against civilians", "Attack"),
         ("Protests", "Peaceful protest"), ("Riots", "Violent demonstration"),
         ("Strategic developments", "Agreement")]
SIDES = [("Azerbaijan", "Military Forces of Azerbaijan", "Azerbaijan's defense ministry"),
         ("Armenia", "Military Forces of Armenia", "Armenia's defense ministry"),
         ("Nagorno-Karabakh", "Military Forces of Nagorno-Karabakh", "the Artsakh Defense Army")]
STATUSES = ["reported"] * 14 + ["disputed"] * 3 + ["denied"] + ["confirmed"] * 2
FIRST_DAY = date(2015, 1, 1)
N_DAYS = 3650


def build_store(path: str, n_events: int, per_doc: int = 10, seed: int = 7) -> int:
    """Fill a fresh store with n_events synthetic events (per_doc mentions per article)."""
    rnd = random.Random(seed)
    st = Store(path)
    st.conn.execute("PRAGMA synchronous = OFF")
    n_docs = (n_events + per_doc - 1) // per_doc
    events: list[tuple[Event, list[int]]] = []
    mention_id = 0
    t0 = time.time()
    for d in range(n_docs):
        doc_id = f"doc{d:07d}"
        day = FIRST_DAY + timedelta(days=rnd.randrange(N_DAYS))
        parts: list[str] = []
        sentences: list[Sentence] = []
        mentions: list[EventMention] = []
        claims: list[Claim] = []
        figures: list[Figure] = []
        plan = []

        def add(sentence: str) -> tuple[int, int]:
            start = sum(len(p) + 1 for p in parts)
            parts.append(sentence)
            sentences.append(Sentence(start, start + len(sentence), None))
            return start, start + len(sentence)

        for k in range(min(per_doc, n_events - d * per_doc)):
            place, lat, lon, country = rnd.choice(PLACES)
            etype, sub = rnd.choice(TYPES)
            a, b = rnd.sample(SIDES, 2)
            ev_day = (day - timedelta(days=rnd.randrange(3))).isoformat()
            dead = rnd.choice([None, None, 0, 1, 2, 3, 5, 8, 13, 40])
            s = f"{a[1]} attacked positions near {place} on {ev_day}" + (f", killing {dead} people." if dead else ".")
            start, end = add(s)
            mention_id += 1
            status = rnd.choice(STATUSES)
            claim_ids = []
            if status != "reported" or rnd.random() < 0.3:
                cs = f"{a[2].capitalize()} said {b[1]} shelled {place} first."
                cstart, cend = add(cs)
                cid = f"{doc_id}-c{k}a"
                claims.append(Claim(doc=doc_id, start=cstart, end=cend, evidence=cs, claimant=a[2], stance="accuse",
                                    cue="said", claimant_affiliation=a[0], said_on=day.isoformat(), id=cid))
                claim_ids.append(cid)
                if status in ("disputed", "denied"):
                    ds = f"{b[2].capitalize()} denied the report about {place}."
                    dstart, dend = add(ds)
                    did = f"{doc_id}-c{k}d"
                    claims.append(Claim(doc=doc_id, start=dstart, end=dend, evidence=ds, claimant=b[2], stance="deny",
                                        cue="denied", claimant_affiliation=b[0], said_on=day.isoformat(), id=did))
                    claim_ids.append(did)
            if dead:
                figures.append(Figure(doc=doc_id, start=start, end=end, evidence=s, value=dead, metric="killed",
                                      value_text=str(dead), population="mixed", subject=f"people in {place}",
                                      claimant=a[2], side=a[0], as_of=ev_day, id=f"{doc_id}-f{k}"))
            mentions.append(EventMention(doc=doc_id, start=start, end=end, evidence=s, event_type=etype,
                                         sub_event_type=sub, date=ev_day, date_precision="day", date_reason="synthetic",
                                         location=place, latitude=lat + rnd.uniform(-.05, .05),
                                         longitude=lon + rnd.uniform(-.05, .05), country=country, actor1=a[1],
                                         actor2=b[1], fatalities=dead, claim_ids=claim_ids))
            plan.append((mention_id, status, claim_ids))
        text = " ".join(parts)
        art = Article(source=f"synthetic_{d:07d}.txt", path=f"/synthetic/{d:07d}.txt", text=text,
                      title=f"Fighting around {mentions[0].location} ({day.isoformat()})", outlet="Synthetic Wire",
                      published=day.isoformat(), published_reason="synthetic")
        st.add_document(doc_id, art, sentences, claims, figures, mentions)
        for m, (mid, status, claim_ids) in zip(mentions, plan):
            events.append((Event(id=f"ev{mid:08d}", event_type=m.event_type, sub_event_type=m.sub_event_type,
                                 date=m.date, date_precision="day", location=m.location, latitude=m.latitude,
                                 longitude=m.longitude, country=m.country, admin_level="town", actor1=m.actor1,
                                 actor2=m.actor2, fatalities=m.fatalities, status=status,
                                 status_reason=f"synthetic: {status}", claim_ids=claim_ids), [mid]))
    st.replace_events(events)
    st.conn.execute("PRAGMA optimize")
    n = st.counts()["events"]
    st.close()
    print(f"loadcheck: built store events={n} documents={n_docs} in {time.time() - t0:.1f}s", flush=True)
    return n


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str):
    import uvicorn

    from claimwatch.web import create_app

    port = free_port()
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    th = threading.Thread(target=server.run, daemon=True)
    th.start()
    deadline = time.time() + 30
    while not server.started:
        if time.time() > deadline or not th.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    return server, th, f"http://127.0.0.1:{port}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200, help="requests per endpoint (at most)")
    ap.add_argument("--time-cap", type=float, default=30.0, help="seconds per endpoint (at most)")
    ap.add_argument("--db", help="store to use; built there when it has fewer events (default: a temp file)")
    args = ap.parse_args(argv)
    import httpx

    tmp = None
    if args.db:
        db = args.db
    else:
        tmp = tempfile.TemporaryDirectory(prefix="claimwatch-loadcheck-")
        db = os.path.join(tmp.name, "load.db")
    n = 0
    if os.path.exists(db):
        with Store(db) as st:   # opened for writing once: the read indexes of this version are made
            n = st.counts()["events"]
    if n < args.events:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        n = build_store(db, args.events)
    rnd = random.Random(1)
    with Store(db, readonly=True) as st:
        ids = [r[0] for r in st.conn.execute("SELECT id FROM events ORDER BY random() LIMIT 1000")]
        days = [r[0] for r in st.conn.execute("SELECT DISTINCT date FROM events ORDER BY random() LIMIT 500")]
    places = [p[0] for p in PLACES]
    endpoints = {
        "/api/stats": lambda: "/api/stats",
        "/api/events": lambda: "/api/events",
        "/api/events?status=disputed&offset=R": lambda: f"/api/events?status=disputed&offset={rnd.randrange(0, 5000)}",
        "/api/events?place=P": lambda: f"/api/events?place={rnd.choice(places)}",
        "/api/events?type=T&sort=oldest": lambda: "/api/events?type=Battles&sort=oldest",
        "/api/events?side=S&since=D": lambda: f"/api/events?side=Armenia&since={rnd.choice(days)}",
        "/api/events?sort=fatalities": lambda: "/api/events?sort=fatalities",
        "/api/events/{id}": lambda: f"/api/events/{rnd.choice(ids)}",
        "/api/claims": lambda: "/api/claims",
        "/api/claims?stance=deny&offset=R": lambda: f"/api/claims?stance=deny&offset={rnd.randrange(0, 2000)}",
        "/api/documents": lambda: "/api/documents",
        "/api/disputes": lambda: "/api/disputes",
        "/api/brief?date=D": lambda: f"/api/brief?date={rnd.choice(days)}",
        "/api/search?q=P": lambda: f"/api/search?q={rnd.choice(places)}",
        "/api/map": lambda: "/api/map",
        "/api/map?place=P": lambda: f"/api/map?place={rnd.choice(places)}",
        "/api/figures": lambda: "/api/figures",
        "/api/figures?metric=killed&side=S": lambda: f"/api/figures?metric=killed&side={rnd.choice(SIDES)[0]}",
        "/api/events?place=P&format=csv": lambda: f"/api/events?place={rnd.choice(places)}&format=csv",
        "/events (html)": lambda: "/events",
        "/events?place=P (html)": lambda: f"/events?place={rnd.choice(places)}&type=&status=",
        "/figures (html)": lambda: "/figures",
        "/map (html)": lambda: "/map",
        "/brief?date=D (html)": lambda: f"/brief?date={rnd.choice(days)}",
    }
    server, th, base = start_server(db)
    failures = 0
    try:
        with httpx.Client(base_url=base, timeout=30.0) as client:
            client.get("/api/stats").raise_for_status()  # warm up
            for name, make in endpoints.items():
                times = []
                t_end = time.perf_counter() + args.time_cap
                for _ in range(args.requests):
                    url = make()
                    t = time.perf_counter()
                    r = client.get(url)
                    times.append((time.perf_counter() - t) * 1000)
                    if r.status_code != 200:
                        failures += 1
                        print(f"loadcheck: FAILED {url} -> {r.status_code} {r.text[:200]}", file=sys.stderr)
                    if time.perf_counter() > t_end:
                        break
                times.sort()
                p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
                print(f"loadcheck: events={n} endpoint={name} n={len(times)} p50_ms={statistics.median(times):.1f}"
                      f" p95_ms={p95:.1f} max_ms={times[-1]:.1f}", flush=True)
    finally:
        server.should_exit = True
        th.join(timeout=10)
        if tmp:
            tmp.cleanup()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
