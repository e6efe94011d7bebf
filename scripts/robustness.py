#!/usr/bin/env python3
"""The trials of issue 14 that are too long for the test suite; each prints lines to quote.

    python scripts/robustness.py fuzz   [--per-kind 60]      # fuzzed inputs in one run: crashes, hangs, lines
    python scripts/robustness.py growth                      # 10/20/40/80 KB single lines and punctuation runs
    python scripts/robustness.py stream [--articles 100000]  # peak memory of a big JSONL; kill -9 halfway, re-run
    python scripts/robustness.py kills  [--trials 10]        # kill -9 at random moments, re-run, compare

Every ingest runs the real command (`claimwatch ingest`) in a child process on loopback-free local
files under a temporary folder; memory is the largest resident set of the process tree, sampled.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import psutil  # noqa: E402  (comes with dask.distributed)

from article_factory import write_jsonl  # noqa: E402

CLAIMWATCH = str(ROOT / ".venv" / "bin" / "claimwatch")
SENTENCES = [
    "The defence ministry said on Tuesday that its forces had repelled an attack near the town overnight.",
    "Officials in the capital denied the report and accused the other side of shelling civilian areas.",
    "At least 14 people were killed and 30 wounded, according to the regional health authority.",
    "A spokesman for the governor told reporters that rescue teams were still searching the rubble.",
    "Neither account could be independently verified, and the observers' mission declined to comment.",
    "Residents said the electricity had been cut since the weekend and that water was running short.",
]


def english(n_chars: int, rnd: random.Random) -> str:
    out, size = [], 0
    while size < n_chars:
        out.append(rnd.choice(SENTENCES))
        size += len(out[-1]) + 1
    return " ".join(out)[:n_chars]


def ingest(db: Path, paths, *extra, timeout: float = 3600) -> dict:
    """Run `claimwatch ingest` in a child process; its status, lines, time and peak memory."""
    env = {k: v for k, v in os.environ.items() if k != "CLAIMWATCH_DB"}
    t0 = time.time()
    with tempfile.TemporaryFile() as err_file:  # a file, not a pipe: thousands of lines must not block it
        p = subprocess.Popen([CLAIMWATCH, "--db", str(db), "ingest", "--no-progress", *extra, *map(str, paths)],
                             stdout=subprocess.DEVNULL, stderr=err_file, env=env)
        peak = _watch(p, timeout)
        err_file.seek(0)
        err = err_file.read().decode("utf-8", "replace")
    return {"rc": p.returncode, "err": err, "seconds": time.time() - t0, **peak}


def _watch(p: subprocess.Popen, timeout: float, kill_after: float | None = None) -> dict:
    """Sample the process tree's memory until it ends (or is killed after `kill_after` s)."""
    proc = psutil.Process(p.pid)
    peak_total = peak_one = 0
    t0 = time.time()
    while p.poll() is None:
        try:
            procs = [proc] + proc.children(recursive=True)
            rss = [q.memory_info().rss for q in procs]
            peak_total, peak_one = max(peak_total, sum(rss)), max(peak_one, max(rss))
        except psutil.Error:
            pass
        if kill_after is not None and time.time() - t0 >= kill_after:
            for q in [proc] + proc.children(recursive=True):
                try:
                    q.send_signal(signal.SIGKILL)
                except psutil.Error:
                    pass
            break
        if time.time() - t0 > timeout:
            p.kill()
            break
        time.sleep(0.25)
    p.wait()
    return {"peak_total_mb": peak_total / 2**20, "peak_process_mb": peak_one / 2**20}


def rows(db: Path, sql: str):
    with sqlite3.connect(db) as c:
        return c.execute(sql).fetchall()


def content(db: Path) -> dict:
    out = {}
    with sqlite3.connect(db) as c:
        for t in ("documents", "document_sources", "claims", "figures", "event_mentions", "events", "event_links",
                  "event_claims", "sentences"):
            cols = [r[1] for r in c.execute(f"PRAGMA table_info({t})") if r[1] != "ingested_at"]
            out[t] = sorted(map(repr, c.execute(f"SELECT {', '.join(cols)} FROM {t}")))
    return out


def consistent(db: Path) -> bool:
    q = lambda sql: rows(db, sql)[0][0]
    return (q("SELECT count(*) FROM event_mentions m WHERE NOT EXISTS (SELECT 1 FROM event_links l"
              " WHERE l.mention_id = m.id)") == 0
            and q("SELECT count(*) FROM event_links l WHERE NOT EXISTS (SELECT 1 FROM event_mentions m"
                  " WHERE m.id = l.mention_id)") == 0)


# ---- fuzz ---------------------------------------------------------------------------------------------

def fuzz_inputs(root: Path, per_kind: int, rnd: random.Random) -> dict[str, list[Path]]:
    """Write fuzzed inputs of every kind the issue names (and more) under root; {kind: paths}."""
    kinds: dict[str, list[Path]] = {}

    def put(kind: str, name, data: bytes | str) -> Path:
        folder = root / kind
        folder.mkdir(parents=True, exist_ok=True)
        path = os.path.join(os.fsencode(folder), name if isinstance(name, bytes) else name.encode())
        with open(path, "wb") as fh:
            fh.write(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
        p = Path(os.fsdecode(path))
        kinds.setdefault(kind, []).append(p)
        return p

    def mutate(text: str) -> str:
        chars = list(text)
        for _ in range(rnd.randint(1, 40)):
            i = rnd.randrange(len(chars))
            chars[i] = rnd.choice(["\x00", "\ud800", "\u200b", "\u202e", "’", "“", "(", "!", "\n", "\r", " ",
                                   chr(rnd.randint(0x20, 0x2fff)), "\t", "\\", '"', "\x1b"])
        return "".join(chars)

    for k in range(per_kind):
        base = english(rnd.randint(200, 3000), rnd)
        put("mutated_text", f"m{k}.txt", mutate(base).encode("utf-8", "replace"))
        put("empty", f"e{k}.txt", rnd.choice([b"", b" ", b"\n\n\t"]))
        put("binary", f"b{k}.bin", bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 4000))))
        put("late_nul", f"n{k}.txt", (english(9000, rnd) + "\x00" + base).encode())
        enc = rnd.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
        put("utf16_32", f"w{k}.txt", base.encode(enc))
        enc = rnd.choice(["latin-1", "mac_roman", "cp1252"])
        legacy = (base + " The caf\u00e9 was hit \u2014 officials said.").replace("\u2014", "-" if enc == "latin-1" else "\u2014")
        put("legacy_encoding", f"l{k}.txt", legacy.encode(enc, "replace"))
        put("not_english", f"r{k}.txt", "Министерство обороны заявило, что войска отразили атаку. " * rnd.randint(2, 30))
        ch = rnd.choice("’(“!&")
        put("punctuation_run", f"p{k}.txt", base + " " + ch * rnd.randint(2000, 20000) + " " + base)
        put("html_broken", f"h{k}.html", "<html><body><div><p>" + base + rnd.choice(["", "<div>" * 30000, "</p></td>", "<![CDATA["]))
        put("header_bad_day", f"d{k}.txt", f" date {rnd.choice(['2020-13-45', '0000-00-00', '9999-12-31', '2020-02-30'])}"
            f" Shelling reported • Example Wire\n\n{base}")
        put("odd_name", rnd.choice([b"caf\xe9_%d.txt" % k, b"two\nlines_%d.txt" % k, ("\u202e" + "x" * 200 + f"{k}.txt").encode(),
                                    b"\xff\xfe_%d.txt" % k]), base)
        recs = []
        for j in range(rnd.randint(1, 12)):
            rec = {"text": rnd.choice([base, mutate(base), "", "x", base + "\ud800"]),
                   rnd.choice(["title", "outlet", "url", "published"]): rnd.choice(
                       [42, None, ["a"], {"b": 1}, "2020-13-45", "9999-12-31", "0000-00-00", "T" * rnd.choice([10, 5000]),
                        "2020-10-05", "\ud800", "x\x00y"])}
            recs.append(json.dumps(rec))
        recs.insert(rnd.randrange(len(recs) + 1), rnd.choice(["[" * 100_000 + "]" * 100_000, "{not json", "[]", "7",
                                                              '"text"', "{" * 5000]))
        put("jsonl_fields", f"j{k}.jsonl", "\n".join(recs) + "\n")
    # the one-off cases
    put("huge_line", "one_line.txt", english(1_100_000, rnd))
    put("too_large", "big.txt", english(11 * 1024 * 1024, rnd))
    put("jsonl_fields", "giant_record.jsonl", json.dumps({"text": english(9 * 1024 * 1024, rnd)}) + "\n"
        + json.dumps({"text": english(800, rnd)}) + "\n")
    put("jsonl_fields", "huge_title.jsonl", json.dumps({"text": english(800, rnd), "title": "T" * 1_100_000}) + "\n")
    special = root / "special"
    special.mkdir()
    os.mkfifo(special / "fifo.txt")
    (special / "dangling.txt").symlink_to(root / "nowhere")
    (special / "loop").symlink_to(special, target_is_directory=True)
    (special / "linked_dir").symlink_to(root / "mutated_text", target_is_directory=True)
    (special / ".hidden.txt").write_text(english(500, rnd))
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(special / "sock"))
    s.close()
    kinds["special"] = [special / n for n in ("fifo.txt", "dangling.txt", ".hidden.txt", "sock")]
    return kinds


def run_fuzz(per_kind: int, seed: int) -> int:
    rnd = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "fuzz"
        kinds = fuzz_inputs(root, per_kind, rnd)
        db = root / "claimwatch.db"   # the store inside the folder it ingests
        extra = ["/dev/zero", str(root / "special" / "fifo.txt")]
        r = ingest(db, [root, *extra], "--workers", "2", "--time-limit", "60", timeout=7200)
        lines = r["err"].splitlines()
        crashes = [l for l in lines if "Traceback" in l or "internal error" in l]
        hangs = [l for l in lines if "time budget exceeded" in l]
        stored_paths = {p for (p,) in rows(db, "SELECT path FROM document_sources")}
        n_inputs = sum(len(v) for v in kinds.values()) + len(extra)
        unaccounted = []
        for kind, paths in kinds.items():
            for p in paths:
                real = os.path.realpath(p)
                shown = [l for l in lines if _shown(p) in l]
                stored = any(sp == _shown(real) or sp.startswith(_shown(real) + ":") for sp in stored_paths)
                if not stored and not shown and not p.name.startswith("."):
                    unaccounted.append(f"{kind}: {p}")
        by_kind = {k: len(v) for k, v in kinds.items()}
        print(f"fuzz: inputs={n_inputs} kinds={len(kinds)} exit={r['rc']} seconds={r['seconds']:.0f} "
              f"documents={rows(db, 'SELECT count(*) FROM documents')[0][0]} lines={len(lines) - 1} "
              f"crashes={len(crashes) + (1 if r['rc'] not in (0, 1) else 0)} hangs={len(hangs)} "
              f"unaccounted={len(unaccounted)} consistent={consistent(db)} "
              f"peak_total_mb={r['peak_total_mb']:.0f} peak_process_mb={r['peak_process_mb']:.0f}")
        print("fuzz: per kind " + " ".join(f"{k}={v}" for k, v in sorted(by_kind.items())))
        for l in (crashes + hangs + unaccounted)[:20]:
            print("fuzz:  ", l[:300])
        print("fuzz: " + (lines[-1] if lines else "(no summary line)"))
        return 0 if not crashes and not unaccounted and r["rc"] in (0, 1) else 1


def _shown(path) -> str:
    from claimwatch.read import display_name
    return display_name(path)


# ---- growth ---------------------------------------------------------------------------------------------

def run_growth() -> int:
    """Time one document of 10/20/40/80 KB on a single line, and with a punctuation run of that size."""
    from claimwatch import nlp
    from claimwatch.models import RawArticle
    from claimwatch.pipeline import ingest_articles
    from claimwatch.store import Store
    nlp.load()
    rnd = random.Random(5)
    base = english(1500, rnd)
    results = {}
    for kind in ("single-line", "punctuation-run"):
        for kb in (10, 20, 40, 80):
            if kind == "single-line":
                text = english(kb * 1024, rnd)
            else:
                text = base + " " + rnd.choice("’(“!&") * (kb * 1024) + " " + base
            best = None
            for _ in range(3):  # the machine is shared: the best of three
                with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "g.db") as store:
                    t0 = time.perf_counter()
                    r = ingest_articles(store, [("growth", [RawArticle("g.txt", "/g.txt", text)])],
                                        report_line=lambda line: None)
                    dt = time.perf_counter() - t0
                    assert r.stored == 1, r.failed
                best = dt if best is None else min(best, dt)
            results[(kind, kb)] = best
        times = [results[(kind, kb)] for kb in (10, 20, 40, 80)]
        steps = [b / a for a, b in zip(times, times[1:])]
        print(f"growth: kind={kind} kb=10/20/40/80 seconds={'/'.join(f'{t:.2f}' for t in times)} "
              f"ratio_per_doubling={'/'.join(f'{s:.2f}' for s in steps)} per_kb_ms="
              f"{'/'.join(f'{1000 * t / kb:.0f}' for t, kb in zip(times, (10, 20, 40, 80)))}")
    return 0


# ---- stream: a big JSONL, killed halfway -------------------------------------------------------------------

def expected_ids(feed: Path) -> set[str]:
    """The documents an uninterrupted run stores: the ids of what the reader and cleaner make of the file
    (no extraction fails on the generated articles; the test suite checks that on smaller runs)."""
    from claimwatch import pipeline, read
    ids = set()
    for _, _, item in read.iter_jsonl(feed):
        if not isinstance(item, read.Problem):
            ids.update(pipeline.document_id(a) for a in pipeline.clean_raw(item))
    return ids


def run_stream(n: int, workers: int, seed: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.jsonl"
        write_jsonl(feed, n, seed=seed, span_days=3650)
        print(f"stream: articles={n} file_mb={feed.stat().st_size / 2**20:.1f}", flush=True)
        want = expected_ids(feed)
        db = Path(tmp) / "s.db"
        env = {k: v for k, v in os.environ.items() if k != "CLAIMWATCH_DB"}
        p = subprocess.Popen([CLAIMWATCH, "--db", str(db), "ingest", "--no-progress", "--workers", str(workers),
                              str(feed)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        t0 = time.time()
        proc = psutil.Process(p.pid)
        peak_total = peak_one = 0
        half = None
        while p.poll() is None:
            try:
                rss = [q.memory_info().rss for q in [proc] + proc.children(recursive=True)]
                peak_total, peak_one = max(peak_total, sum(rss)), max(peak_one, max(rss))
            except psutil.Error:
                pass
            if half is None and int(time.time() - t0) % 10 == 0:
                try:
                    with sqlite3.connect(db, timeout=60) as c:
                        stored = c.execute("SELECT count(*) FROM documents").fetchone()[0]
                    if stored >= n // 2:
                        half = stored
                        for q in [proc] + proc.children(recursive=True):
                            q.send_signal(signal.SIGKILL)
                except (sqlite3.OperationalError, psutil.Error):
                    pass
            time.sleep(0.5)
        p.wait()
        first = time.time() - t0
        at_kill = rows(db, "SELECT count(*) FROM documents")[0][0]
        print(f"stream: killed at {at_kill} of {n} documents after {first:.0f} s, consistent={consistent(db)}, "
              f"peak_total_mb={peak_total / 2**20:.0f} peak_process_mb={peak_one / 2**20:.0f}", flush=True)
        r = ingest(db, [feed], "--workers", str(workers), timeout=4 * 3600)
        got = {i for (i,) in rows(db, "SELECT id FROM documents")}
        dup_sources = rows(db, "SELECT count(*) FROM (SELECT doc_id FROM document_sources GROUP BY doc_id"
                               " HAVING count(*) > 1)")[0][0]
        print(f"stream: re-run exit={r['rc']} seconds={r['seconds']:.0f} "
              f"peak_total_mb={max(peak_total / 2**20, r['peak_total_mb']):.0f} "
              f"peak_process_mb={max(peak_one / 2**20, r['peak_process_mb']):.0f} documents={len(got)} "
              f"expected={len(want)} same_documents={got == want} stored_twice={dup_sources} consistent={consistent(db)}")
        print("stream: " + (r["err"].splitlines() or ["(no lines)"])[0][:200])
        print("stream: " + (r["err"].splitlines() or ["(no lines)"])[-1][:200])
        return 0 if got == want and r["rc"] == 0 else 1


# ---- kills ------------------------------------------------------------------------------------------------------

def run_kills(trials: int, n: int, seed: int) -> int:
    rnd = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.jsonl"
        write_jsonl(feed, n, seed=seed, span_days=120)
        whole = Path(tmp) / "whole.db"
        r = ingest(whole, [feed], "--workers", "2", "--batch-size", "16")
        full_time = r["seconds"]
        reference = content(whole)
        same = consistent_all = 0
        for t in range(trials):
            db = Path(tmp) / f"k{t}.db"
            env = {k: v for k, v in os.environ.items() if k != "CLAIMWATCH_DB"}
            p = subprocess.Popen([CLAIMWATCH, "--db", str(db), "ingest", "--no-progress", "--workers", "2",
                                  "--batch-size", "16", str(feed)], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, env=env)
            at = rnd.uniform(3, full_time)
            _watch(p, 3600, kill_after=at)
            stored = rows(db, "SELECT count(*) FROM documents")[0][0] if db.exists() else 0
            ok_after_kill = consistent(db) if db.exists() else True
            r2 = ingest(db, [feed], "--workers", "2", "--batch-size", "16")
            equal = content(db) == reference
            same += equal
            consistent_all += ok_after_kill
            print(f"kills: trial={t + 1} killed_after_s={at:.1f} stored_then={stored} consistent_then={ok_after_kill} "
                  f"rerun_exit={r2['rc']} equal_to_uninterrupted={equal}", flush=True)
        print(f"kills: trials={trials} articles={n} consistent_after_kill={consistent_all}/{trials} "
              f"equal_after_rerun={same}/{trials}")
        return 0 if same == trials == consistent_all else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("fuzz")
    p.add_argument("--per-kind", type=int, default=60)
    p.add_argument("--seed", type=int, default=1)
    sub.add_parser("growth")
    p = sub.add_parser("stream")
    p.add_argument("--articles", type=int, default=100_000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=9)
    p = sub.add_parser("kills")
    p.add_argument("--trials", type=int, default=10)
    p.add_argument("--articles", type=int, default=400)
    p.add_argument("--seed", type=int, default=3)
    a = ap.parse_args()
    if a.cmd == "fuzz":
        return run_fuzz(a.per_kind, a.seed)
    if a.cmd == "growth":
        return run_growth()
    if a.cmd == "stream":
        return run_stream(a.articles, a.workers, a.seed)
    return run_kills(a.trials, a.articles, a.seed)


if __name__ == "__main__":
    sys.exit(main())
