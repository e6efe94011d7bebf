"""The `claimwatch` command: a thin layer over the pipeline, the store and the exports.

The read commands (summary, documents, events, disputes, claims, figures, brief, ceasefires, blame,
export, serve)
take the filters, orders and page sizes of the web's lists (`claimwatch.filters`) and read through
the same store queries, so a command line and a URL with the same parameters give the same rows.
A bad value is one line on stderr and exit status 2; so is a store that is missing (read commands
never create one), a folder, or a file that is not a claimwatch store. `--db` may come before or
after the command.
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Callable, Optional

from . import filters as F
from . import labels
from .store import Store, default_db_path


class UsageError(Exception):
    """A problem with what was asked (a value, a store path): one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse with errors as one line on stderr (status 2), pointing to --help."""

    def error(self, message: str):  # noqa: D401 - argparse's hook
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def main(argv: Optional[list[str]] = None) -> int:
    ap = _Parser(prog="claimwatch", description="Attributed claims, figures and events from news.")
    ap.add_argument("--db", default=None, help="SQLite store (default: $CLAIMWATCH_DB or ./claimwatch.db)")
    sub = ap.add_subparsers(dest="cmd", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="ingest article files and folders (text, HTML, JSONL), pages and feeds (URLs)")
    p.add_argument("paths", nargs="+", metavar="FILE_FOLDER_OR_URL")
    p.add_argument("--no-progress", action="store_true")
    _network_options(p)
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes (default: all cores); the results are the same with any number")
    p.add_argument("--dask", metavar="local|ADDRESS",
                   help="run the workers on a Dask cluster: 'local' starts one here, or a scheduler's address")
    p.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                   help="time budget of one document's parse and extraction (default: 120 s)")
    p.add_argument("--batch-size", type=int, default=None, metavar="N", help="articles per batch and commit")

    p = sub.add_parser("watch", help="poll feeds and pages, ingesting only what is new")
    p.add_argument("targets", nargs="+", metavar="FEED_OR_URL_OR_FEEDS_FILE",
                   help="feed or page URLs, or TOML feeds files ([[feed]] url, outlet, every)")
    p.add_argument("--every", default=None, help="default interval between polls of a source (15m, 1h; default 15m)")
    p.add_argument("--once", action="store_true", help="poll every source once, then exit")
    _network_options(p)

    p = sub.add_parser("sources", help="feeds and pages watched: last fetch, status and counts")
    p.add_argument("--stories", action="store_true", help="also list stories reported by several outlets")
    p.add_argument("--json", action="store_true")

    _add_read_commands(sub)

    p = sub.add_parser("bench", help="measure ingest+extract against a bare spaCy pass, with 1 and N workers and Dask")
    p.add_argument("corpus")
    p.add_argument("--articles", type=int, default=2000)
    p.add_argument("--workers", type=int, default=None, metavar="N", help="N of workers-N and dask-N (default: all cores)")
    p.add_argument("--configs", default="workers-1,workers-N,dask-N",
                   help="which configurations to run after the bare pass (comma-separated)")

    _add_store_option(sub)
    db = None
    try:
        args = ap.parse_args(argv)
        db = args.db or default_db_path()

        if args.cmd == "ingest":
            return run_ingest(args, db)

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
            return run_bench(args.corpus, args.articles, workers=args.workers, configs=args.configs.split(","))

        return args.run(args, db)
    except UsageError as e:
        print(f"claimwatch: {e}", file=sys.stderr)
        return 2
    except sqlite3.Error as e:
        print(f"claimwatch: the store {db!r} cannot be used: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader went away (`claimwatch export | head`): stop quietly, and keep Python from
        # complaining again when it flushes stdout at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def run_ingest(args: argparse.Namespace, db: str) -> int:
    """Files and folders through the pipeline; URLs (pages, feeds) through the fetcher first."""
    from .monitor import is_url
    from .pipeline import ingest_paths
    from .executors import default_workers
    from .pipeline import BATCH_ARTICLES, DOC_SECONDS
    urls = [a for a in args.paths if is_url(a)]
    paths = [a for a in args.paths if not is_url(a)]
    workers = args.workers if args.workers is not None else default_workers()
    if workers < 1 or (args.batch_size is not None and args.batch_size < 1):
        raise UsageError("--workers and --batch-size must be at least 1")
    ok = True
    with Store(db) as store:
        if paths:
            report = ingest_paths(store, paths, progress=not args.no_progress, workers=workers, dask=args.dask,
                                  seconds=args.time_limit or DOC_SECONDS, batch_size=args.batch_size or BATCH_ARTICLES)
            replaced = f", {report.replaced} replaced by a preferred variant" if report.replaced else ""
            print(f"ingested: {report.stored} new documents, {report.duplicates} duplicates linked, "
                  f"{report.skipped} inputs unchanged, {len(report.failed)} failed{replaced}", file=sys.stderr)
            ok = report.ok
        if urls:
            from .monitor import ingest_urls
            ok = ingest_urls(store, urls, args) and ok
    return 0 if ok else 1


def _network_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--allow-private", action="store_true",
                   help="allow loopback and private addresses (tests, a local news server)")
    p.add_argument("--contact", default=None,
                   help="who runs this crawler, for the User-Agent (default: $CLAIMWATCH_CONTACT)")
    p.add_argument("--delay", type=float, default=1.0, help="seconds between two requests to one site (default 1)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds a whole response may take (default 30)")


# ---- options shared by the commands -----------------------------------------------------------

def _add_store_option(sub: argparse._SubParsersAction) -> None:
    """`--db` after any command too (`claimwatch summary --db x.db`)."""
    for p in sub.choices.values():
        p.add_argument("--db", default=argparse.SUPPRESS, help="SQLite store (default: $CLAIMWATCH_DB or "
                                                               "./claimwatch.db)")


def _value_type(param: F.Param) -> Callable[[str], Optional[str]]:
    def check(value: str) -> Optional[str]:
        if not value.strip():
            return None
        try:
            return F.parse_value(param, value)
        except F.BadValue as e:
            raise argparse.ArgumentTypeError(f"{e.value!r} is not {e.expected}") from None
    check.__name__ = param.name
    return check


def _add_list_options(p: argparse.ArgumentParser, list_name: str, json_option: bool = True) -> None:
    for param in F.PARAMS[list_name]:
        p.add_argument(f"--{param.name}", type=_value_type(param), metavar=param.metavar or param.name.upper(),
                       dest=f"f_{param.name}", help=f"{param.help}; {param.form}")
    sorts = F.SORTS[list_name]
    p.add_argument("--sort", type=_choice("sort", sorts), default=sorts[0], metavar="ORDER",
                   help="order of the rows: " + ", ".join(f"{s} ({F.SORT_HELP[s]})" for s in sorts)
                        + f"; default {sorts[0]}")
    default, largest = F.PAGE_SIZES[list_name]
    p.add_argument("--limit", type=_whole("limit", 1, largest), default=default,
                   help=f"rows to show, 1 to {largest} (default {default})")
    p.add_argument("--offset", type=_whole("offset", 0, F.MAX_OFFSET), default=0, help="rows to skip first")
    if json_option:
        p.add_argument("--json", action="store_true", help="one JSON object a line instead of the table")


def _choice(name: str, choices: tuple[str, ...]) -> Callable[[str], str]:
    def check(value: str) -> str:
        try:
            return F.parse_choice(name, value, choices, choices[0])
        except F.BadValue as e:
            raise argparse.ArgumentTypeError(f"{e.value!r} is not {e.expected}") from None
    return check


def _whole(name: str, low: int, high: int) -> Callable[[str], int]:
    def check(value: str) -> int:
        try:
            return F.parse_whole(name, value, low, low, high)
        except F.BadValue as e:
            raise argparse.ArgumentTypeError(f"{e.value!r} is not {e.expected}") from None
    return check


def _filters(args: argparse.Namespace, list_name: str) -> dict[str, str]:
    out = {p.name: getattr(args, f"f_{p.name}") for p in F.PARAMS[list_name]}
    out = {k: v for k, v in out.items() if v}
    if "since" in out and "until" in out and out["since"] > out["until"]:
        raise UsageError(f"--until: {out['until']!r} is before --since {out['since']!r}")
    return out


# ---- the read commands --------------------------------------------------------------------------

def _add_read_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export the store (JSONL of the evaluation contract, ACLED-style CSV, "
                                      "GeoJSON)")
    p.add_argument("--format", type=_choice("format", EXPORT_FORMATS), default="jsonl", metavar="FORMAT",
                   help="one of " + ", ".join(EXPORT_FORMATS) + " (default jsonl)")
    p.add_argument("--output", "-o", default="-", help="file to write (default: standard output)")
    p.set_defaults(run=run_export)

    p = sub.add_parser("documents", help="list stored articles, newest first")
    _add_list_options(p, "documents")
    p.set_defaults(run=run_list, list_name="documents")

    p = sub.add_parser("summary", help="what is stored: articles, and counts of claims, figures and events")
    p.set_defaults(run=run_summary)

    for name, help_ in (("events", "list events"), ("disputes", "list disputed or denied events")):
        p = sub.add_parser(name, help=help_ + " (filters as on the web's lists)")
        _add_list_options(p, name)
        p.set_defaults(run=run_list, list_name=name)

    p = sub.add_parser("claims", help="list claims (who said what)")
    _add_list_options(p, "claims")
    p.set_defaults(run=run_list, list_name="claims")

    p = sub.add_parser("figures", help="list figures (numbers with their claimant)")
    _add_list_options(p, "figures")
    p.set_defaults(run=run_list, list_name="figures")

    p = sub.add_parser("brief", help="the briefing for a day")
    p.add_argument("--date", type=_value_type(F.Param("date", "day", "")), metavar="DAY",
                   help=f"the day, {F.DAY_FORM} (a real day; default: the newest day in the store)")
    p.add_argument("--format", type=_choice("format", ("text", "markdown")), default="text", metavar="FORMAT",
                   help="text or markdown (default text)")
    p.set_defaults(run=run_brief)

    p = sub.add_parser("ceasefires", help="ceasefires, truces and peace deals: who broke them by whose account")
    p.add_argument("--format", type=_choice("format", MONITOR_FORMATS), default="text", metavar="FORMAT",
                   help="text (default), json (a list of agreements), csv (one row per agreement)")
    p.set_defaults(run=run_ceasefires)

    p = sub.add_parser("blame", help="who accuses whom of what, how often denied, how often confirmed")
    for param in F.PARAMS["blame"]:
        p.add_argument(f"--{param.name}", type=_value_type(param), metavar=param.metavar or param.name.upper(),
                       dest=f"f_{param.name}", help=f"{param.help}; {param.form}")
    p.add_argument("--format", type=_choice("format", MONITOR_FORMATS), default="text", metavar="FORMAT",
                   help="text (default), json, csv")
    p.set_defaults(run=run_blame)

    p = sub.add_parser("serve", help="the web UI and JSON API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=_whole("port", 1, 65535), default=8000)
    p.set_defaults(run=run_serve)


def open_for_reading(db: str) -> Store:
    """The store at `db`, read-only; a missing store, a folder or another kind of file is a UsageError."""
    path = Path(db)
    if not path.exists():
        where = "its folder does not exist" if not path.parent.exists() else "no such file"
        raise UsageError(f"no store at {db} ({where}); ingest articles into it first "
                         f"(claimwatch --db {db} ingest PATH) or name another with --db")
    if path.is_dir():
        raise UsageError(f"{db} is a folder, not a store; name the store's file with --db")
    try:
        store = Store(db, readonly=True)
        store.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        store.conn.execute("SELECT 1 FROM events LIMIT 1").fetchone()
    except sqlite3.DatabaseError as e:
        reason = "not an SQLite database" if "not a database" in str(e) else \
            "not a claimwatch store" if "no such table" in str(e) else str(e)
        raise UsageError(f"{db} cannot be read as a store: {reason}") from None
    return store


def run_list(args: argparse.Namespace, db: str) -> int:
    from .store import queries as q
    name = args.list_name
    filters = F.for_store(_filters(args, name))
    with open_for_reading(db) as store:
        page = q.list_page(store, name, filters, args.sort, args.limit, args.offset)
        if args.json:
            for r in page["items"]:
                print(json.dumps(r, ensure_ascii=False))
            return 0
        header, line = TABLES[name]
        print(header)
        for r in page["items"]:
            print(line(r))
    shown = len(page["items"])
    if page["total"] > shown:
        print(f"({shown} of {page['total']:,} {name} shown; --limit and --offset for more)", file=sys.stderr)
    elif not shown:
        print(f"(no {name} match)", file=sys.stderr)
    return 0


def _event_line(r: dict) -> str:
    actors = labels.actors(r)
    return (f"{r['id']:<14}  {r['date'] or '?':10}  {r['status']:9}  {labels.event_title(r)}"
            f" ({labels.clean(r['country']) or '?'})" + (f"  {actors}" if actors else "")
            + (f"  fatalities={r['fatalities']}" if r["fatalities"] is not None else ""))


def _claim_line(r: dict) -> str:
    side = labels.clean(r["claimant_affiliation"])
    who = labels.clean(r["claimant"]) + (f" ({side})" if side and side != labels.clean(r["claimant"]) else "")
    return f"{r['said_on'] or '?':10}  {r['stance']:7}  {who}: {labels.shorten(r['evidence'], 160)}"


def _figure_line(r: dict) -> str:
    side = labels.clean(r["side"])
    return (f"{r['as_of'] or '?':10}  {labels.clean(r['claimant']) or 'unattributed'}: {labels.figure_phrase(r)}"
            + (f" [{side}'s side]" if side else "") + f"  — {labels.article_label(r)}")


def _document_line(r: dict) -> str:
    return (f"{r['id']:<16}  {r['published'] or '?':10}  {(labels.clean(r['outlet']) or '-')[:18]:18}  "
            f"{labels.clean(r['title']) or '(no title; file ' + labels.clean(r['source']) + ')'}")


TABLES: dict[str, tuple[str, Callable[[dict], str]]] = {
    "events": (f"{'ID':<14}  {'DATE':10}  {'STATUS':9}  EVENT (COUNTRY)  ACTORS  FATALITIES", _event_line),
    "disputes": (f"{'ID':<14}  {'DATE':10}  {'STATUS':9}  EVENT (COUNTRY)  ACTORS  FATALITIES", _event_line),
    "claims": (f"{'SAID ON':10}  {'STANCE':7}  CLAIMANT (SIDE): EVIDENCE", _claim_line),
    "figures": (f"{'AS OF':10}  CLAIMANT: FIGURE [SIDE COUNTED]  — ARTICLE", _figure_line),
    "documents": (f"{'ID':<16}  {'PUBLISHED':10}  {'OUTLET':18}  TITLE", _document_line),
}

EXPORT_FORMATS = ("jsonl", "acled-csv", "geojson")


def run_export(args: argparse.Namespace, db: str) -> int:
    from . import export
    writer = {"jsonl": export.write_jsonl, "acled-csv": export.write_acled_csv,
              "geojson": export.write_geojson}[args.format]
    with open_for_reading(db) as store:
        if args.output == "-":
            writer(store, sys.stdout)
            sys.stdout.flush()
            return 0
        out = Path(args.output)
        if out.is_dir() or not out.parent.exists():
            raise UsageError(f"--output {args.output}: " + ("is a folder" if out.is_dir() else "its folder does not exist"))
        with open(out, "w", encoding="utf-8", newline="") as fh:
            n = writer(store, fh)
        counts = store.counts()
    what = {"jsonl": f"{n:,} records ({counts['documents']:,} documents, {counts['claims']:,} claims, "
                     f"{counts['figures']:,} figures, {counts['events']:,} events) as JSONL",
            "acled-csv": f"{n:,} events as ACLED-style CSV",
            "geojson": f"{n:,} events with coordinates as GeoJSON"}[args.format]
    print(f"export: wrote {what} to {out}", file=sys.stderr)
    return 0


def run_summary(args: argparse.Namespace, db: str) -> int:
    from rich.console import Console
    from rich.table import Table
    with open_for_reading(db) as store:
        # piped output has no width to measure: give the table room rather than squeezing it to 80 columns
        console = Console() if sys.stdout.isatty() else Console(width=150)
        t = Table(title="documents")
        t.add_column("published", no_wrap=True)
        t.add_column("outlet", no_wrap=True, max_width=18, overflow="ellipsis")
        t.add_column("title", no_wrap=True, max_width=70, overflow="ellipsis")
        t.add_column("claims", justify="right")
        t.add_column("figures", justify="right")
        per_doc = store.claim_counts_by_document()
        for d in store.documents():
            n_claims, n_fig = per_doc.get(d["id"], (0, 0))
            title = labels.clean(d["title"]) or f"(no title; file {labels.clean(d['source'])})"
            t.add_row(d["published"] or "—", labels.clean(d["outlet"]) or "—", title[:90], str(n_claims), str(n_fig))
        console.print(t)
        console.print(" ".join(f"{k}={v}" for k, v in store.counts().items()))
    return 0


def run_brief(args: argparse.Namespace, db: str) -> int:
    from .brief import render_brief
    with open_for_reading(db) as store:
        print(render_brief(store, args.date, args.format))
    return 0


MONITOR_FORMATS = ("text", "json", "csv")


def run_ceasefires(args: argparse.Namespace, db: str) -> int:
    from . import ceasefires
    with open_for_reading(db) as store:
        agreements = ceasefires.from_store(store)
    fmt = args.format
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


def run_blame(args: argparse.Namespace, db: str) -> int:
    from . import ceasefires
    from .gazetteer import place_names
    f = _filters(args, "blame")
    with open_for_reading(db) as store:
        rows = ceasefires.blame_from_store(store, since=f.get("since"), until=f.get("until"),
                                           place=place_names(f["place"]) if f.get("place") else None)
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


def run_serve(args: argparse.Namespace, db: str) -> int:
    open_for_reading(db).close()
    from .web.app import serve
    serve(db, args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
