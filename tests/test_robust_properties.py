"""Property-based tests of the readers and cleaners (hypothesis): whatever bytes, JSON or text they
are given, they answer with an article or one clear InputError, never another exception, and what
they give is text every later stage takes (UTF-8, no NUL, days that exist, spans inside the text).
The adversarial inputs of issue 14 are pinned as examples."""
from __future__ import annotations

import json
import os
from datetime import timedelta

from hypothesis import HealthCheck, example, given, settings, strategies as st

from claimwatch import nlp, pipeline, read
from claimwatch.models import InputError, RawArticle

BUDGET = settings(max_examples=150, deadline=timedelta(seconds=20), database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
ENGLISH = ("The ministry said on Tuesday that the town had been shelled overnight and that two people "
           "were killed. Officials in the capital denied the report. ")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
field_values = st.one_of(json_values, st.sampled_from(
    ["2020-13-45", "2020-02-30", "0000-00-00", "9999-12-31", "2020-10-05", "\ud800", "x\x00y", "T" * 5000]))


def usable_text(s: str) -> None:
    s.encode("utf-8")  # no lone surrogate
    assert "\x00" not in s


def assert_article(art: RawArticle) -> None:
    usable_text(art.text)
    for name in ("title", "outlet", "url"):
        value = getattr(art, name)
        assert value is None or (isinstance(value, str) and len(value) <= read.MAX_FIELD_CHARS[name])
        if value:
            usable_text(value)
    assert art.published is None or read.plausible_day(art.published) == art.published


@BUDGET
@given(st.binary(max_size=3000))
@example(b"\x00" * 10)
@example((ENGLISH * 80).encode()[:9000] + b"\x00" + b"more text")
@example("\ufeff".encode("utf-16-le") + (ENGLISH * 3).encode("utf-16-le"))
@example((ENGLISH * 3).encode("utf-32"))
@example((ENGLISH + "\u2019quoted\u2019 caf\u00e9").encode("mac_roman"))
def test_decode_gives_clean_text_or_one_input_error(data):
    try:
        text, warnings = read.decode(data)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    usable_text(text)
    assert not read._CONTROL_RE.search(text)


@BUDGET
@given(st.dictionaries(st.sampled_from(["text", "title", "outlet", "url", "published", "date", "other"]),
                       field_values, max_size=6) | json_values)
@example({"text": ENGLISH + "\ud800"})
@example({"text": ENGLISH, "title": 42, "outlet": ["x"], "published": "2020-13-45"})
@example({"text": ENGLISH, "published": "9999-12-31", "title": "T" * 1_100_000})
@example({"text": "<html><body><p>" + ENGLISH * 3 + "</p></body></html>"})
def test_a_jsonl_record_gives_a_checked_article_or_a_problem(value):
    if isinstance(value, dict) and isinstance(value.get("text"), str) and len(value) % 2:
        value = {**value, "text": ENGLISH + value["text"]}  # now and then English enough to pass
    line = json.dumps(value).encode() + b"\n"
    out = read.record(line, 3, "feed.jsonl", "/in/feed.jsonl")
    if isinstance(out, read.Problem):
        assert out.message.startswith("line 3: ") and "\n" not in out.message
    else:
        assert_article(out)


@BUDGET
@given(st.lists(st.binary(max_size=200) | st.sampled_from(
    [b"[" * 50_000 + b"]" * 50_000, b'{"text": "' + ENGLISH.encode() + b'\\ud800"}', b"\xff\xfe", b"{}"]),
    max_size=8))
def test_a_jsonl_stream_never_raises_but_input_errors(tmp_path_factory, lines):
    f = tmp_path_factory.mktemp("jl") / "feed.jsonl"
    f.write_bytes(b"\n".join(lines))
    try:
        for n, offset, item in read.iter_jsonl(f):
            assert offset <= f.stat().st_size
            if not isinstance(item, read.Problem):
                assert_article(item)
    except InputError as exc:
        assert "empty" in str(exc)


@BUDGET
@given(st.text(max_size=3000) | st.lists(st.sampled_from(
    [ENGLISH, "\n", "\n\n", " date 2020-13-45 A title • Wire\n", "Nov. 16\n", "BAKU (Reuters) - ", "!" * 300,
     "\u00a0", "\r", "https://example.org/a\n", "By Anna Petrosyan\n", "\ud800", "\x00", "-\n"]),
    max_size=40).map("".join))
@example(" date 0000-00-00 Shelling in Terter • Example Wire\n\n" + ENGLISH)
@example(ENGLISH + "’" * 20_000)
@example((ENGLISH * 200).replace("\n", ""))
def test_cleaning_gives_articles_whose_spans_lie_in_their_text(text):
    raw = RawArticle(source="in.txt", path="/in/in.txt", text=text)
    try:
        articles = pipeline.clean_raw(raw)
    except InputError:
        return
    for art in articles:
        usable_text(art.text)
        assert art.published is None or read.plausible_day(art.published) == art.published
        last = 0
        for s, e in art.paragraphs:
            assert last <= s < e <= len(art.text)
            last = e
            for us, ue in nlp.unit_spans(art.text, s, e):
                assert s <= us < ue <= e and ue - us <= nlp.MAX_UNIT_CHARS
        for sec in art.sections:
            assert 0 <= sec.start <= sec.end <= len(art.text)
            assert sec.day is None or read.plausible_day(sec.day) == sec.day
        pipeline.document_id(art)


@BUDGET
@given(st.text(max_size=2000), st.integers(5, 400))
@example("x" * 25_000, 10_000)
@example("Word. " * 3000, 1000)
def test_units_cover_the_text_and_the_tokenizer_gets_short_words(text, limit):
    spans = nlp.unit_spans(text, 0, len(text), limit)
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())  # only the spaces at the cuts are left out
    assert all(e - s <= limit for s, e in spans)
    safe = nlp.safe_text(text)
    assert len(safe) == len(text)
    assert all(len(w) <= nlp.MAX_WORD_CHARS for w in safe.split())


@BUDGET
@given(st.binary(min_size=1, max_size=60))
@example(b"two\nlines.txt")
@example(b"caf\xe9.txt")
def test_file_names_print_as_one_line(name):
    shown = read.display_name(os.fsdecode(name))
    shown.encode("utf-8")
    assert "\n" not in shown and "\r" not in shown and "\x00" not in shown


@BUDGET
@given(st.text(max_size=30) | st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True) | json_values)
def test_a_published_day_exists_or_is_none(value):
    day = read.plausible_day(value)
    assert day is None or (read.FIRST_YEAR <= int(day[:4]) <= read.LAST_YEAR and len(day) == 10)
