"""The read commands of the CLI as a new user meets them: every bad value is one line on stderr and
exit status 2 (the allowed form named, also in --help); every store-path trap is one line and exit 2
(nothing created); `--db` before or after the command; `export ... | head` ends quietly; `export -o`
says what it wrote; tables have a header line and no dangling "vs".
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from claimwatch.cli import main
from claimwatch.models import Article, Event, EventMention, Sentence
from claimwatch.store import Store
from test_web_api import build_sample_store

BIN = Path(sys.executable).parent / "claimwatch"
READ_COMMANDS = [["summary"], ["documents"], ["events"], ["disputes"], ["claims"], ["figures"], ["brief"],
                 ["export"], ["export", "--format", "acled-csv"]]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "sample.db"
    build_sample_store(path).close()
    return path


def run(capsys, *args) -> tuple[int, list[str], list[str]]:
    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as e:   # argparse's own exits (--help, usage errors)
        code = e.code
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err.splitlines()


# ---- bad values ------------------------------------------------------------------------------------

@pytest.mark.parametrize("args,param,allowed", [
    (["events", "--since", "2020-13-45"], "--since", "YYYY-MM-DD"),
    (["events", "--until", "2020-02-30"], "--until", "no such day in the calendar"),
    (["claims", "--since", "yesterday"], "--since", "YYYY-MM-DD"),
    (["claims", "--stance", "denies"], "--stance", "assert, deny, accuse, confirm, doubt"),
    (["figures", "--metric", "deaths"], "--metric", "killed, wounded, displaced, deployed, present, detained"),
    (["figures", "--population", "civilians"], "--population", "military, civilian, mixed, unknown"),
    (["brief", "--date", "10/11/2020"], "--date", "YYYY-MM-DD"),
    (["brief", "--date", "2021-02-29"], "--date", "no such day in the calendar"),
    (["brief", "--format", "html"], "--format", "text, markdown"),
    (["events", "--status", "bogus"], "--status", "reported, disputed, denied, confirmed"),
    (["disputes", "--status", "reported"], "--status", "disputed, denied"),
    (["events", "--sort", "random"], "--sort", "newest, oldest, fatalities, place"),
    (["claims", "--limit", "0"], "--limit", "a whole number from 1 to 500"),
    (["claims", "--limit", "many"], "--limit", "a whole number"),
    (["documents", "--offset", "-3"], "--offset", "a whole number from 0"),
    (["export", "--format", "xml"], "--format", "jsonl, acled-csv, geojson"),
    (["serve", "--port", "99999"], "--port", "1 to 65535"),
])
def test_a_bad_value_is_one_line_and_status_2(db, capsys, args, param, allowed):
    code, out, err = run(capsys, "--db", str(db), *args)
    assert code == 2
    assert out == []
    assert len(err) == 1, err
    assert param in err[0] and allowed in err[0] and err[0].startswith(f"claimwatch {args[0]}: error:")


def test_until_before_since_is_a_bad_value(db, capsys):
    code, out, err = run(capsys, "--db", str(db), "events", "--since", "2020-11-10", "--until", "2020-11-01")
    assert code == 2 and out == [] and len(err) == 1 and "--until" in err[0]


@pytest.mark.parametrize("command,expected", [
    ("claims", ["YYYY-MM-DD", "assert, deny, accuse, confirm, doubt", "newest", "oldest", "claimant"]),
    ("figures", ["killed, wounded, displaced, deployed, present, detained, participants, other",
                 "military, civilian, mixed, unknown"]),
    ("events", ["reported, disputed, denied, confirmed", "fatalities", "YYYY-MM-DD", "Shushi finds Shusha"]),
    ("brief", ["YYYY-MM-DD", "text or markdown"]),
    ("export", ["jsonl, acled-csv, geojson"]),
])
def test_help_gives_formats_and_choices(capsys, command, expected):
    code, out, _ = run(capsys, command, "--help")
    text = " ".join(" ".join(out).split())   # argparse wraps lines
    assert code == 0
    for e in expected:
        assert e in text, e


def test_empty_values_are_no_filter(db, capsys):
    _, every, _ = run(capsys, "--db", str(db), "events")
    code, out, err = run(capsys, "--db", str(db), "events", "--since", "", "--place", "")
    assert code == 0 and out == every


# ---- store paths -----------------------------------------------------------------------------------

@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: "-".join(c))
def test_a_missing_store_is_refused_and_not_created(tmp_path, capsys, command):
    missing = tmp_path / "nope.db"
    code, out, err = run(capsys, "--db", str(missing), *command)
    assert code == 2 and out == [] and len(err) == 1
    assert err[0].startswith(f"claimwatch: no store at {missing}") and "ingest" in err[0]
    assert not missing.exists()


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: "-".join(c))
def test_store_path_traps_are_one_line(tmp_path, capsys, command):
    not_db = tmp_path / "notes.txt"
    not_db.write_text("Armenia and Azerbaijan agreed a ceasefire.\n" * 20)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    traps = {tmp_path / "no" / "such" / "folder" / "x.db": "its folder does not exist",
             tmp_path: "is a folder, not a store",
             not_db: "not an SQLite database",
             other: "not a claimwatch store"}
    for path, reason in traps.items():
        code, out, err = run(capsys, "--db", str(path), *command)
        assert code == 2 and out == [], (path, out)
        assert len(err) == 1 and reason in err[0], (path, err)
    assert not (tmp_path / "no").exists()


def test_db_before_or_after_the_command(db, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)   # no claimwatch.db here: the store must come from --db
    monkeypatch.delenv("CLAIMWATCH_DB", raising=False)
    _, before, _ = run(capsys, "--db", str(db), "summary")
    code, after, err = run(capsys, "summary", "--db", str(db))
    assert code == 0 and after == before and any("documents=3" in line for line in after)
    code, out, _ = run(capsys, "events", "--db", str(db), "--status", "disputed")
    assert code == 0 and len(out) == 2 and "ev-shell" in out[1]
    assert not (tmp_path / "claimwatch.db").exists()


def test_ingest_into_a_missing_folder_is_one_line(tmp_path, capsys, write):
    f = write("in/a.txt", "Armenia said its forces shelled Tartar on Tuesday.\n")
    code, out, err = run(capsys, "--db", str(tmp_path / "no" / "x.db"), "ingest", "--no-progress", str(f))
    assert code == 2 and len(err) == 1 and "cannot be used" in err[0]


# ---- output ----------------------------------------------------------------------------------------

def test_tables_have_a_header_line(db, capsys):
    for command, header in (("events", "ID"), ("disputes", "ID"), ("claims", "SAID ON"), ("figures", "AS OF"),
                            ("documents", "ID")):
        code, out, _ = run(capsys, "--db", str(db), command)
        assert code == 0 and out[0].startswith(header), (command, out[:1])
    code, out, err = run(capsys, "--db", str(db), "claims", "--limit", "2")
    assert len(out) == 3 and err == ["(2 of 9 claims shown; --limit and --offset for more)"]


def test_events_without_a_first_actor_have_no_dangling_vs(tmp_path, capsys):
    path = tmp_path / "a.db"
    text = "Shells hit Tartar on Tuesday."
    with Store(path) as st:
        st.add_document("d", Article(source="t.txt", path="/t.txt", text=text, title="Tartar shelled", outlet="Wire",
                                     published="2020-10-13", published_reason="test"),
                        [Sentence(0, len(text))], [], [],
                        [EventMention(doc="d", start=0, end=len(text), evidence=text, event_type="Explosions/Remote violence",
                                      sub_event_type="Shelling/artillery/missile attack", date="2020-10-13",
                                      date_precision="day", date_reason="test", location="Tartar")])
        (mid, _), = st.mentions()
        st.replace_events([(Event(id="e1", event_type="Explosions/Remote violence",
                                  sub_event_type="Shelling/artillery/missile attack", date="2020-10-13",
                                  date_precision="day", location="Tartar", latitude=40.3, longitude=46.9,
                                  country="Azerbaijan", admin_level=None, actor1=None,
                                  actor2="Military Forces of Armenia", fatalities=None, status="reported",
                                  status_reason="one report"), [mid])])
    code, out, _ = run(capsys, "--db", str(path), "events")
    assert code == 0 and "  vs " not in out[1] and out[1].endswith("(Azerbaijan)  Military Forces of Armenia")


def test_figures_speak_english(db, capsys):
    code, out, _ = run(capsys, "--db", str(db), "figures", "--metric", "killed", "--sort", "oldest")
    assert code == 0
    assert "Armenia's defense ministry: 532 soldiers of Armenia killed" not in out[1]  # the subject was "Armenian soldiers"
    assert out[1].startswith("2020-10-13  Armenia's defense ministry: 532 Armenian soldiers killed [Armenia's side]")
    assert "at least 1,177 Armenian soldiers killed" in out[2] and "at_least" not in "\n".join(out)
    assert "— Reuters: Armenia, Azerbaijan trade accusations" in out[1]


def test_brief_cites_articles_not_files(db, capsys):
    code, out, _ = run(capsys, "--db", str(db), "brief", "--date", "2020-11-10")
    text = "\n".join(out)
    assert code == 0 and ".txt @" not in text and "002_liveblog.txt" not in text
    assert "Newsweek: Peace deal in Nagorno-Karabakh: “Armenian Prime Minister Nikol Pashinyan said" in text


def test_export_to_a_file_says_what_it_wrote(db, tmp_path, capsys):
    out_file = tmp_path / "events.csv"
    code, out, err = run(capsys, "--db", str(db), "export", "--format", "acled-csv", "-o", str(out_file))
    assert code == 0 and out == []
    assert err == [f"export: wrote 5 events as ACLED-style CSV to {out_file}"]
    assert len(out_file.read_text().splitlines()) == 6
    code, _, err = run(capsys, "--db", str(db), "export", "-o", str(tmp_path / "all.jsonl"))
    assert err == [f"export: wrote 21 records (3 documents, 9 claims, 4 figures, 5 events) as JSONL to "
                   f"{tmp_path / 'all.jsonl'}"]
    code, _, err = run(capsys, "--db", str(db), "export", "-o", str(tmp_path / "none" / "x.csv"))
    assert code == 2 and len(err) == 1 and "folder does not exist" in err[0]


def _big_store(path: Path, n: int = 3000) -> None:
    """A store whose exports are far larger than a pipe's buffer."""
    with Store(path) as st:
        text = " ".join(f"Shelling was reported near village number {i} on Tuesday." for i in range(n))
        sents, mentions, pos = [], [], 0
        for i in range(n):
            s = f"Shelling was reported near village number {i} on Tuesday."
            sents.append(Sentence(pos, pos + len(s)))
            mentions.append(EventMention(doc="big", start=pos, end=pos + len(s), evidence=s,
                                         event_type="Explosions/Remote violence",
                                         sub_event_type="Shelling/artillery/missile attack", date="2020-10-13",
                                         date_precision="day", date_reason="test", location=f"Village {i}",
                                         latitude=40.0, longitude=46.0, country="Azerbaijan"))
            pos += len(s) + 1
        st.add_document("big", Article(source="big.txt", path="/big.txt", text=text, title="Big", outlet="Wire",
                                       published="2020-10-13", published_reason="test"), sents, [], [], mentions)
        st.replace_events([(Event(id=f"e{mid:05d}", event_type=m.event_type, sub_event_type=m.sub_event_type,
                                  date=m.date, date_precision="day", location=m.location, latitude=m.latitude,
                                  longitude=m.longitude, country=m.country, admin_level=None, actor1=None,
                                  actor2=None, fatalities=None, status="reported", status_reason="one report"),
                            [mid]) for mid, m in st.mentions()])


@pytest.mark.parametrize("fmt", ["jsonl", "acled-csv", "geojson"])
def test_export_into_a_closed_pipe_ends_quietly(tmp_path, fmt):
    db = tmp_path / "big.db"
    _big_store(db)
    env = {k: v for k, v in os.environ.items() if k != "CLAIMWATCH_DB"}
    p = subprocess.run(["bash", "-c", f'"{BIN}" --db "{db}" export --format {fmt} | head -c 100 >/dev/null;'
                                      ' echo "status=${PIPESTATUS[0]}"'],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.stdout.strip() == "status=0"
    assert p.stderr == ""   # no BrokenPipeError, no "Exception ignored"
