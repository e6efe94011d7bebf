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

    p = sub.add_parser("ingest", help="ingest article files and folders (text, HTML, JSONL)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes (default: all cores); the results are the same with any number")
    p.add_argument("--dask", metavar="local|ADDRESS",
                   help="run the workers on a Dask cluster: 'local' starts one here, or a scheduler's address")
    p.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                   help="time budget of one document's parse and extraction (default: 120 s)")
    p.add_argument("--batch-size", type=int, default=None, metavar="N", help="articles per batch and commit")

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

    p = sub.add_parser("serve", help="the web UI and JSON API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)

    p = sub.add_parser("bench", help="measure ingest+extract against a bare spaCy pass, with 1 and N workers and Dask")
    p.add_argument("corpus")
    p.add_argument("--articles", type=int, default=2000)
    p.add_argument("--workers", type=int, default=None, metavar="N", help="N of workers-N and dask-N (default: all cores)")
    p.add_argument("--configs", default="workers-1,workers-N,dask-N",
                   help="which configurations to run after the bare pass (comma-separated)")

    args = ap.parse_args(argv)
    db = args.db or default_db_path()

    if args.cmd == "ingest":
        return _ingest(db, args)

    if args.cmd == "bench":
        from .bench import run_bench
        return run_bench(args.corpus, args.articles, workers=args.workers, configs=args.configs.split(","))

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
        if args.cmd == "brief":
            from .brief import render_brief
            print(render_brief(store, args.date, args.format))
            return 0
    return 2


def _ingest(db: str, args) -> int:
    from .executors import default_workers
    from .pipeline import BATCH_ARTICLES, DOC_SECONDS, ingest_paths
    workers = args.workers if args.workers is not None else default_workers()
    if workers < 1 or (args.batch_size is not None and args.batch_size < 1):
        print("claimwatch: --workers and --batch-size must be at least 1", file=sys.stderr)
        return 2
    with Store(db) as store:
        report = ingest_paths(store, args.paths, progress=not args.no_progress, workers=workers, dask=args.dask,
                              seconds=args.time_limit or DOC_SECONDS, batch_size=args.batch_size or BATCH_ARTICLES)
    replaced = f", {report.replaced} replaced by a preferred variant" if report.replaced else ""
    print(f"ingested: {report.stored} new documents, {report.duplicates} duplicates linked, "
          f"{report.skipped} inputs unchanged, {len(report.failed)} failed{replaced}", file=sys.stderr)
    return 0 if report.ok else 1


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
