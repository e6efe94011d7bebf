"""Nothing an input holds ends the run (issue 14): every crash, hang and bad field an attacker or a
careless operator found, as a regression case. All article text is invented wire copy."""
from __future__ import annotations

import json
import os
import threading

import pytest

from claimwatch import nlp, pipeline, registry
from claimwatch.pipeline import ingest_articles, ingest_paths
from claimwatch.models import RawArticle
from claimwatch.store import Store

from conftest import write_file

STORY = ("Azerbaijan's defence ministry said on Tuesday that Armenian forces had shelled the town of Terter "
         "overnight, killing two civilians. Armenia denied the report and said its units had not fired.\n")
STORY_B = ("Ukraine's air force said on Friday that Russian drones had struck the city of Kharkiv, wounding "
           "five people. Moscow did not comment on the report.\n")
STORY_C = ("The Syrian Observatory for Human Rights said on Monday that government shelling had killed four "
           "people in Idlib province. Damascus said it had targeted militant positions.\n")


def run(store, paths, **kw):
    lines: list[str] = []
    report = ingest_paths(store, [str(p) for p in paths], report_line=lines.append, **kw)
    return report, lines


def mine(lines, fragment):
    return [l for l in lines if fragment in l]


def jsonl(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def documents(store):
    return {d["source"]: d for d in store.documents()}


# ---- file names ------------------------------------------------------------------------------------

def test_file_name_that_is_not_utf8_is_stored_under_an_escaped_name(tmp_path, store):
    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), b"caf\xe9_report.txt")
    with open(bad, "wb") as fh:
        fh.write(STORY.encode())
    write_file(folder / "other.txt", STORY_B)
    report, lines = run(store, [folder])
    assert (report.stored, report.failed) == (2, [])
    assert set(documents(store)) == {"caf\\xe9_report.txt", "other.txt"}
    # the name is recognised again: nothing is read twice
    assert run(store, [folder])[0].skipped == 2


def test_newline_in_a_file_name_gives_one_line(tmp_path, store):
    f = write_file(tmp_path / "in" / "two\nlines.txt", b"")
    report, lines = run(store, [f.parent])
    assert len(lines) == 1 and "two\\nlines.txt" in lines[0] and "empty file" in lines[0]
    assert report.failed == [(str(f.parent / "two\\nlines.txt"), "empty file")]


def test_the_same_file_under_another_spelling_is_read_once(tmp_path, store, monkeypatch):
    f = write_file(tmp_path / "in" / "story.txt", STORY)
    monkeypatch.chdir(tmp_path)
    report, _ = run(store, ["in/story.txt", "./in/../in/story.txt", str(f)])
    assert report.stored == 1 and report.duplicates == 0
    again, _ = run(store, ["in/./story.txt"])
    assert again.skipped == 1
    (d,) = store.documents()
    assert [s["path"] for s in store.document_sources(d["id"])] == [str(f.resolve())]


# ---- what is not a regular file --------------------------------------------------------------------

def _in_thread(fn, timeout=120):
    """Run fn in a thread; a hang fails the test instead of blocking the suite."""
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("r", fn()), daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), "the ingest did not return"
    return out["r"]


def test_fifo_and_dev_zero_are_refused_not_read_forever(tmp_path, store):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    ok = write_file(tmp_path / "ok.txt", STORY)
    report, lines = _in_thread(lambda: run(store, [fifo, "/dev/zero", ok]))
    assert report.stored == 1
    assert dict(report.failed) == {str(fifo): "not a regular file (FIFO)",
                                   "/dev/zero": "not a regular file (character device)"}


def test_folder_with_dot_files_links_and_a_fifo(tmp_path, store):
    root = tmp_path / "in"
    write_file(root / "a.txt", STORY)
    write_file(root / ".hidden.txt", STORY_B)
    (root / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(root / "queue")
    elsewhere = write_file(tmp_path / "other" / "c.txt", STORY_C).parent
    (root / "linked").symlink_to(elsewhere, target_is_directory=True)
    (root / "loop").symlink_to(root, target_is_directory=True)
    report, lines = _in_thread(lambda: run(store, [root]))
    assert set(documents(store)) == {"a.txt", "c.txt"}  # the linked folder is followed, the loop is not
    assert dict(report.failed) == {str(root / "dangling.txt"): "broken symbolic link",
                                   str(root / "queue"): "not a regular file (FIFO)"}
    assert dict(report.notices) == {str(root / ".hidden.txt"): "skipped: hidden file"}
    assert len(lines) == 3 and not report.ok


def test_a_store_inside_the_ingested_folder_is_not_an_input(tmp_path):
    root = tmp_path / "work"
    write_file(root / "a.txt", STORY)
    with Store(root / "claimwatch.db") as s:
        first, lines = run(s, [root])
        assert (first.stored, first.failed, lines) == (1, [], [])
        second, lines = run(s, [root])
        assert (second.skipped, second.failed) == (1, [])


# ---- encodings and bytes ---------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
def test_utf16_and_utf32_text_is_read(tmp_path, store, encoding):
    f = write_file(tmp_path / f"{encoding}.txt", STORY + STORY_B, encoding=encoding)
    report, lines = run(store, [f])
    assert (report.stored, report.failed) == (1, []), lines
    assert documents(store)[f.name]["text"].startswith("Azerbaijan's defence ministry")


@pytest.mark.parametrize("encoding", ["latin-1", "mac_roman", "cp1252"])
def test_western_legacy_encodings_of_english_are_read(tmp_path, store, encoding):
    text = ("The ministry said the caf\u00e9 near the station had been hit \u2014 again \u2014 on Tuesday, "
            "and that the shelling of Terter had killed two civilians. Armenia\u2019s officials denied it.\n")
    if encoding == "latin-1":
        text = text.replace("\u2014", "-").replace("\u2019", "'")
    f = write_file(tmp_path / "legacy.txt", text, encoding=encoding)
    report, lines = run(store, [f])
    assert report.stored == 1 and len(lines) == 1 and "warning" in lines[0] and "not UTF-8" in lines[0]
    assert documents(store)["legacy.txt"]["text"] == text.strip()


def test_nul_byte_after_the_first_8_kb_is_binary(tmp_path, store):
    data = (STORY * 60).encode()
    assert len(data) > 8192
    f = write_file(tmp_path / "late_nul.txt", data[:9000] + b"\x00" + data[9000:])
    report, lines = run(store, [f])
    assert report.stored == 0 and "binary" in report.failed[0][1] and "9,000" in report.failed[0][1]


def test_nul_and_lone_surrogate_in_jsonl_text_are_cleaned_and_spans_match(tmp_path, store):
    f = write_file(tmp_path / "feed.jsonl", jsonl(
        '{"text": "' + STORY.strip().replace("Tuesday", "Tues\\u0000day") + ' \\ud800"}',
        {"text": STORY_B}))
    report, lines = run(store, [f])
    assert (report.stored, report.failed) == (2, [])
    assert len(mine(lines, "lone surrogate escapes replaced")) == 1
    assert len(mine(lines, "control characters removed")) == 1
    doc = next(d for d in store.documents() if "Terter" in d["text"])
    assert "\x00" not in doc["text"] and "Tuesday" in doc["text"] and doc["text"].endswith("\ufffd")
    # every span of the document reads back in SQL exactly as in Python
    for row in store.conn.execute("SELECT start, end, substr(d.text, start + 1, end - start) AS sql FROM sentences s"
                                  " JOIN documents d ON d.id = s.doc_id WHERE d.id = ?", (doc["id"],)):
        assert row["sql"] == doc["text"][row["start"]:row["end"]]


# ---- bad fields ----------------------------------------------------------------------------------------

def test_bad_fields_of_a_jsonl_record_are_named_and_the_record_kept(tmp_path, store):
    deep = '{"text": "x", "nested": ' + "[" * 100_000 + "]" * 100_000 + "}"
    f = write_file(tmp_path / "feed.jsonl", jsonl(
        {"text": STORY, "title": 42, "outlet": ["not", "a", "name"]},
        deep,
        {"text": STORY_B, "published": "2020-13-45"},
        {"text": STORY_C, "published": "0000-00-00", "title": "T" * 1_100_000},
        {"text": STORY.replace("Terter", "Fizuli"), "published": "9999-12-31"},
        {"text": STORY_B.replace("Kharkiv", "Sumy"), "published": "2020-02-30"},
    ))
    report, lines = run(store, [f])
    assert (report.stored, report.failed) == (5, []), lines
    assert mine(lines, "line 1: field 'title' is not text (int)")
    assert mine(lines, "line 1: field 'outlet' is not text (list)")
    assert mine(lines, "line 2: not JSON (nested too deeply)")
    assert mine(lines, "line 4: field 'title' too long (1,100,000 characters")
    for n, day in ((3, "2020-13-45"), (4, "0000-00-00"), (5, "9999-12-31"), (6, "2020-02-30")):
        assert len(mine(lines, f"line {n}: 'published' is not a real day")) == 1, (n, lines)
        assert day in mine(lines, f"line {n}: 'published'")[0]
    assert all(d["published"] is None for d in store.documents() if d["title"] is None)
    assert all(d["title"] is None and d["outlet"] is None for d in store.documents())


def test_impossible_day_in_a_file_header_is_unknown_with_a_reason(tmp_path, store):
    f = write_file(tmp_path / "page.txt", " date 2020-13-45 Shelling reported near Terter • Example Wire\n\n" + STORY)
    report, lines = run(store, [f])
    assert (report.stored, report.failed) == (1, [])
    d = documents(store)["page.txt"]
    assert d["published"] is None and "does not exist" in d["published_reason"]
    assert mine(lines, "published day '2020-13-45' does not exist")


def test_articles_from_anyone_are_checked_at_the_boundary(store):
    """ingest_articles takes already-read articles (a fetcher's): their fields are checked too."""
    raw = RawArticle(source="page\n1", path="https://example.org/a", text=STORY + "\ud800", title=7,
                     outlet="Example Wire", published="2020-02-30")
    lines: list[str] = []
    report = ingest_articles(store, [("https://example.org/a", [raw]), ("https://example.org/b",
                                                                       OSError("connection reset"))],
                             report_line=lines.append)
    assert report.stored == 1 and report.failed == [("https://example.org/b", "OSError: connection reset")]
    (d,) = store.documents()
    assert (d["source"], d["title"], d["published"]) == ("page\\n1", None, None)
    assert mine(lines, "field 'title' is not text (int)") and mine(lines, "'published' is not a real day")


# ---- bounded work ----------------------------------------------------------------------------------------

def test_a_paragraph_longer_than_the_models_limit_is_parsed_in_units(tmp_path, store, monkeypatch):
    model = nlp.load()
    monkeypatch.setattr(model, "max_length", 3000)
    monkeypatch.setattr(nlp, "MAX_UNIT_CHARS", 2500)
    # one line, ~10,000 characters; each round's tolls differ, so that no sentence is a repeated line
    line = " ".join(" ".join([STORY.strip().replace("two civilians", f"{k + 2} civilians"),
                              STORY_B.strip().replace("five people", f"{k + 5} people"),
                              STORY_C.strip().replace("four people", f"{k + 4} people")]) for k in range(20))
    assert len(line) > 3 * 3000
    f = write_file(tmp_path / "one_line.txt", line + "\n")
    report, lines = run(store, [f])
    assert (report.stored, report.failed) == (1, []), lines
    d = documents(store)["one_line.txt"]
    spans = [(s["start"], s["end"]) for s in store.sentences(d["id"])]
    assert spans[-1][1] == len(d["text"]) and all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    assert store.counts()["claims"] >= 12


def test_runs_of_punctuation_are_broken_for_the_tokenizer_offsets_kept():
    for ch in "’(“!&":
        text = f"Officials said {ch * 5000} the town was shelled."
        safe = nlp.safe_text(text)
        assert len(safe) == len(text)
        assert max(len(w) for w in safe.split()) <= nlp.MAX_WORD_CHARS
        assert safe.startswith("Officials said ") and safe.endswith(" the town was shelled.")
    assert nlp.safe_text(STORY) == STORY


def test_punctuation_run_in_an_article_is_stored_whole(tmp_path, store):
    text = STORY.strip() + " " + "!" * 20_000 + " " + STORY_B
    f = write_file(tmp_path / "noise.txt", text)
    report, lines = run(store, [f])
    assert (report.stored, report.failed) == (1, [])
    d = documents(store)["noise.txt"]
    assert "!" * 20_000 in d["text"]


@registry.register("claims", backend="test-endless")
def _endless_claims(ann, found):
    if "Kharkiv" in ann.article.text:
        while True:  # a rule that never finishes on one article
            pass
    return registry.extractor("claims")(ann, found)


def test_a_document_over_its_time_budget_is_reported_and_the_rest_stored(tmp_path, store):
    a = write_file(tmp_path / "in" / "a.txt", STORY)
    b = write_file(tmp_path / "in" / "b.txt", STORY_B)
    write_file(tmp_path / "in" / "c.txt", STORY_C)
    report, lines = _in_thread(lambda: run(store, [a.parent], seconds=2, backend="test-endless"))
    assert report.stored == 2 and [p for p, _ in report.failed] == [str(b)]
    assert "time budget exceeded: extraction took over 2 s" in report.failed[0][1]
    assert set(documents(store)) == {"a.txt", "c.txt"}
    assert store.counts()["claims"] > 0  # the others went through the real rules


# ---- streams: bounded batches, committed batch by batch ---------------------------------------------

def test_jsonl_is_committed_batch_by_batch_and_a_rerun_goes_on(tmp_path, store, monkeypatch):
    from article_factory import write_jsonl
    f = tmp_path / "feed.jsonl"
    write_jsonl(f, 12)
    real = pipeline.process_batch
    calls = []

    def stop_after_two(batch, *a, **kw):
        calls.append(len(batch))
        if len(calls) == 3:
            raise KeyboardInterrupt  # as if the run were killed while the third batch was in the workers
        return real(batch, *a, **kw)

    monkeypatch.setattr(pipeline, "process_batch", stop_after_two)
    with pytest.raises(KeyboardInterrupt):
        run(store, [f], batch_size=4)
    assert calls == [4, 4, 4] and store.counts()["documents"] == 8
    monkeypatch.setattr(pipeline, "process_batch", real)
    report, lines = run(store, [f], batch_size=4)
    assert report.stored == 4 and report.duplicates == 0
    assert lines == [f"claimwatch: {f}: going on after line 8, where an earlier run stopped"]
    assert store.counts()["documents"] == 12
    assert run(store, [f])[0].skipped == 1
