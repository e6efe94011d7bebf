"""The `claimwatch` command: a thin layer over the pipeline, the store and the exports."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Optional

from .store import Store, default_db_path


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="claimwatch", description="Attributed claims, figures and events from news.")
    ap.add_argument("--db", default=None, help="SQLite store (default: $CLAIMWATCH_DB or ./claimwatch.db)")
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("ingest", help="ingest article files and folders (text, HTML, JSONL), pages and feeds (URLs)")
    p.add_argument("paths", nargs="+", metavar="FILE_FOLDER_OR_URL")
    p.add_argument("--no-progress", action="store_true")
    _network_options(p)

    p = sub.add_parser("watch", help="poll feeds and pages, ingesting only what is new")
    p.add_argument("targets", nargs="+", metavar="FEED_OR_URL_OR_FEEDS_FILE",
                   help="feed or page URLs, or TOML feeds files ([[feed]] url, outlet, every)")
    p.add_argument("--every", default=None, help="default interval between polls of a source (15m, 1h; default 15m)")
    p.add_argument("--once", action="store_true", help="poll every source once, then exit")
    _network_options(p)

    p = sub.add_parser("sources", help="feeds and pages watched: last fetch, status and counts")
    p.add_argument("--stories", action="store_true", help="also list stories reported by several outlets")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", help="export the store")
    p.add_argument("--format", choices=["jsonl", "acled-csv", "geojson"], default="jsonl")
    p.add_argument("--output", "-o", default="-")

    p = sub.add_parser("documents", help="list stored documents")
    p = sub.add_parser("summary", help="what is stored: documents, and counts of claims, figures and events")

    for name, help_ in (("events", "list events"), ("disputes", "list disputed or denied events, newest first")):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--since")
        p.add_argument("--until")
        p.add_argument("--place")
        p.add_argument("--type", dest="event_type")
        p.add_argument("--side")
        p.add_argument("--limit", type=int, default=50)
        p.add_argument("--json", action="store_true")

    p = sub.add_parser("claims", help="list claims")
    p.add_argument("--since")
    p.add_argument("--until")
    p.add_argument("--stance")
    p.add_argument("--claimant")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("figures", help="list figures")
    p.add_argument("--metric")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("brief", help="the briefing for a day")
    p.add_argument("--date", required=True)
    p.add_argument("--format", choices=["text", "markdown"], default="text")

    p = sub.add_parser("ceasefires", help="ceasefires, truces and peace deals: who broke them by whose account")
    p.add_argument("--format", choices=["text", "json", "csv"], default="text",
                   help="text (default), json (a list of agreements), csv (one row per agreement)")

    p = sub.add_parser("blame", help="who accuses whom of what, how often denied, how often confirmed")
    p.add_argument("--since", help="YYYY-MM-DD: accusations made on or after this day")
    p.add_argument("--until", help="YYYY-MM-DD: accusations made on or before this day")
    p.add_argument("--place", help="accusations about events at this place (any of its names) or naming it")
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")

    p = sub.add_parser("serve", help="the web UI and JSON API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)

    p = sub.add_parser("bench", help="measure ingest+extract against a bare spaCy pass")
    p.add_argument("corpus")
    p.add_argument("--articles", type=int, default=2000)

    args = ap.parse_args(argv)
    db = args.db or default_db_path()

    if args.cmd == "ingest":
        from .pipeline import ingest_paths
        from .monitor import is_url
        urls = [a for a in args.paths if is_url(a)]
        paths = [a for a in args.paths if not is_url(a)]
        ok = True
        with Store(db) as store:
            if paths:
                report = ingest_paths(store, paths, progress=not args.no_progress)
                print(f"ingested: {report.stored} new documents, {report.duplicates} duplicates linked, "
                      f"{report.skipped} inputs unchanged, {len(report.failed)} failed", file=sys.stderr)
                ok = report.ok
            if urls:
                from .monitor import ingest_urls
                ok = ingest_urls(store, urls, args) and ok
        return 0 if ok else 1

    if args.cmd == "watch":
        from .monitor import watch
        with Store(db) as store:
            return watch(store, args.targets, args)

    if args.cmd == "sources":
        from .monitor import print_sources
        with Store(db) as store:
            return print_sources(store, stories=args.stories, as_json=args.json)

    if args.cmd == "bench":
        from .bench import run_bench
        return run_bench(args.corpus, args.articles)

    if args.cmd == "serve":
        from .web.app import serve
        serve(db, args.host, args.port)
        return 0

    with Store(db) as store:
        if args.cmd == "export":
            from . import export
            writer = {"jsonl": export.write_jsonl, "acled-csv": export.write_acled_csv,
                      "geojson": export.write_geojson}[args.format]
            if args.output == "-":
                writer(store, sys.stdout)
            else:
                with open(args.output, "w", encoding="utf-8", newline="") as fh:
                    writer(store, fh)
            return 0
        if args.cmd == "documents":
            for d in store.documents():
                print(f"{d['id']}  {d['published'] or '----------'}  {(d['outlet'] or '-')[:18]:18}  "
                      f"{d['source']}  {d['title'] or '(no title)'}")
            return 0
        if args.cmd == "summary":
            return _summary(store)
        if args.cmd in ("events", "disputes"):
            from .gazetteer import place_names
            place = place_names(args.place) if args.place else None
            rows = store.events(since=args.since, until=args.until, place=place, event_type=args.event_type,
                                side=args.side, limit=args.limit, newest_first=args.cmd == "disputes",
                                status=["disputed", "denied"] if args.cmd == "disputes" else None)
            if args.json:
                for r in rows:
                    print(json.dumps(r, ensure_ascii=False))
            else:
                for r in rows:
                    print(f"{r['id']}  {r['date'] or '?':10}  {r['status']:9}  {r['sub_event_type'] or r['event_type']}"
                          f" in {r['location'] or '?'} ({r['country'] or '?'})  {r['actor1'] or ''}"
                          f"{' vs ' + r['actor2'] if r['actor2'] else ''}"
                          f"{'  fatalities=' + str(r['fatalities']) if r['fatalities'] is not None else ''}")
            return 0
        if args.cmd == "claims":
            rows = store.claims(since=args.since, until=args.until, stance=args.stance, claimant=args.claimant,
                                limit=args.limit)
            for r in rows:
                print(json.dumps(r, ensure_ascii=False) if args.json else
                      f"{r['said_on'] or '?':10}  {r['stance']:7}  {r['claimant']}"
                      f"{' (' + r['claimant_affiliation'] + ')' if r['claimant_affiliation'] else ''}: "
                      f"{r['evidence'][:160]}")
            return 0
        if args.cmd == "figures":
            for r in store.figures(metric=args.metric, limit=args.limit):
                print(json.dumps(r, ensure_ascii=False) if args.json else
                      f"{r['as_of'] or '?':10}  {r['metric']:12} {r['qualifier']:9} {r['value']:>10,.0f}  "
                      f"{r['subject'] or '?'}  — {r['claimant'] or '(unattributed)'}")
            return 0
        if args.cmd == "ceasefires":
            return _ceasefires(store, args.format)
        if args.cmd == "blame":
            return _blame(store, args)
        if args.cmd == "brief":
            from .brief import render_brief
            print(render_brief(store, args.date, args.format))
            return 0
    return 2


def _network_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--allow-private", action="store_true",
                   help="allow loopback and private addresses (tests, a local news server)")
    p.add_argument("--contact", default=None,
                   help="who runs this crawler, for the User-Agent (default: $CLAIMWATCH_CONTACT)")
    p.add_argument("--delay", type=float, default=1.0, help="seconds between two requests to one site (default 1)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds a whole response may take (default 30)")


def _ceasefires(store: Store, fmt: str) -> int:
    from . import ceasefires
    agreements = ceasefires.from_store(store)
    if fmt == "json":
        json.dump([a.to_dict() for a in agreements], sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif fmt == "csv":
        _csv([ceasefires.agreement_row(a) for a in agreements], ceasefires.AGREEMENT_CSV_COLUMNS)
    else:
        for a in agreements:
            print(f"{a.kind} agreed {a.agreed_on or 'on an unknown day'}"
                  f"{' (effective ' + (a.effective_from or '') + ' ' + (a.effective_time or '') + ')' if a.effective_from or a.effective_time else ''}"
                  f"  [{a.id}]")
            print(f"  parties: {', '.join(a.parties) or 'not named'};  brokers: {', '.join(a.brokers) or 'not named'}")
            if a.terms:
                print(f"  terms: {'; '.join(a.terms)}")
            print(f"  status: {a.status} ({a.status_reason})")
            if a.days_to_first_violation is not None:
                print(f"  first alleged violation after {a.days_to_first_violation} day(s)")
            for v in a.violations:
                said = f"{v.accuser} accuses {v.accused or '(no one named)'} of {v.what}" if v.source == "accusation" \
                    else f"{v.what} by {v.accused or '(no one named)'}, reported by {v.accuser}"
                print(f"    {v.day or '?':10}  {said}"
                      f"{'; denied by ' + ', '.join(v.denied_by) if v.denied_by else ''}"
                      f"{'; confirmed by ' + ', '.join(v.confirmed_by) if v.confirmed_by else ''}"
                      f"  ({v.evidence[0]['source']})")
            print(f"  reported in {len(a.evidence)} sentence(s) of {len({e['doc'] for e in a.evidence})} article(s)")
    return 0


def _blame(store: Store, args) -> int:
    from . import ceasefires
    from .gazetteer import place_names
    rows = ceasefires.blame_from_store(store, since=args.since, until=args.until,
                                       place=place_names(args.place) if args.place else None)
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif args.format == "csv":
        _csv([ceasefires.blame_row(r) for r in rows], ceasefires.BLAME_CSV_COLUMNS)
    else:
        print(f"{'accuser':24} {'accused':24} {'count':>5} {'denied':>6} {'confirmed':>9}  what")
        for r in rows:
            print(f"{r['accuser'][:24]:24} {r['accused'][:24]:24} {r['count']:5} {r['denied']:6} {r['confirmed']:9}  {r['what']}")
    return 0


def _csv(rows: list[dict], columns) -> None:
    import csv
    w = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)


def _summary(store: Store) -> int:
    from rich.console import Console
    from rich.table import Table
    # piped output has no width to measure: give the table room rather than squeezing it to 80 columns
    console = Console() if sys.stdout.isatty() else Console(width=150)
    t = Table(title="documents")
    t.add_column("published", no_wrap=True)
    t.add_column("outlet", no_wrap=True, max_width=18, overflow="ellipsis")
    t.add_column("source", no_wrap=True, max_width=26, overflow="ellipsis")
    t.add_column("title", no_wrap=True, max_width=60, overflow="ellipsis")
    t.add_column("claims", justify="right")
    t.add_column("figures", justify="right")
    per_doc = store.claim_counts_by_document()
    for d in store.documents():
        n_claims, n_fig = per_doc.get(d["id"], (0, 0))
        t.add_row(d["published"] or "—", d["outlet"] or "—", d["source"], (d["title"] or "(no title)")[:70],
                  str(n_claims), str(n_fig))
    console.print(t)
    console.print(" ".join(f"{k}={v}" for k, v in store.counts().items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
