"""The ingest spine: files and folders -> clean documents, sentences and days in the store.

All article text here is invented wire-style copy; none comes from the sample corpus.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import claimwatch.pipeline as pipeline
import claimwatch.read as read
from claimwatch import clean
from claimwatch.cli import main
from claimwatch.models import Claim, RawArticle
from claimwatch.pipeline import ingest_paths
from claimwatch.store import Store

from conftest import write_file

REPO = Path(__file__).resolve().parents[1]
CLAIMWATCH_BIN = REPO / ".venv" / "bin" / "claimwatch"
SAMPLE_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TODAY = date.today().isoformat()

# ---- invented inputs -------------------------------------------------------------------------

# A web page saved as text: " date" header, navigation, "N hours ago" teasers, the headline and its
# date line printed twice, the story, then a "Related" footer and the site's links.
NAV_HEADLINE = "Azerbaijan Says It Repelled Attack Near Terter"
NAV_PAGE = f""" date 2020-10-14 {NAV_HEADLINE} • Caucasus Wire
Home
World
Politics
Caucasus
Opinion
Video
5 minutes ago Georgia Opens Border Crossing for Trucks Stranded at Lars
3 hours ago Turkish Lira Slides as Investors Weigh Regional Risks
3 hours ago Armenian Diaspora Rallies in Los Angeles for Second Day
Home
World
Politics
Caucasus
Opinion
Video

{NAV_HEADLINE}

Oct 14, 2020 — 09:12

{NAV_HEADLINE}

Oct 14, 2020 — 09:12

BAKU — Azerbaijan said on Wednesday its forces had repelled an attack by ethnic Armenian units near the town of Terter, and accused them of shelling civilian areas overnight.

The defence ministry in Baku said several armoured vehicles had been destroyed in the fighting, which lasted into the early hours of the morning.

Officials in Stepanakert, the main town of the breakaway region, denied that their forces had launched any attack and said Azerbaijani artillery had struck residential districts.

Neither side's account could be independently verified.

Related
Georgia Opens Border Crossing for Trucks Stranded at Lars
Turkish Lira Slides as Investors Weigh Regional Risks
About Us
Privacy Policy
Contact
"""

# No header: the headline and a date line above the story; the outlet only in a copyright line.
GANJA_HEADLINE = "Missile Strike Hits Apartment Block in Ganja"
GANJA_PAGE = f"""World
Europe
Middle East

{GANJA_HEADLINE}

October 11, 2020

{GANJA_HEADLINE}

October 11, 2020

Azerbaijan said an Armenian missile had struck an apartment block in the city of Ganja, killing at least seven civilians, hours after a Russian-brokered truce was due to take effect.

Armenia's defence ministry denied firing at the city and accused Azerbaijan of continuing to shell settlements in Nagorno-Karabakh.

Rescue workers searched the rubble through the night for survivors, the city's governor said.

© 2020 Al Jazeera
"""

# Text converted from PDF: lines hard-wrapped near 100 characters, no blank lines between
# paragraphs, words hyphenated across lines, a page break of bare URLs in mid-sentence,
# and a "With reporting by" credit wrapped over two lines.
PDF_REPORT = """Armenian officials said on Monday that security services had foiled a plot to organise the assassi-
nation of a senior commander, days after heavy fighting resumed along the front line in Nagorno-
Karabakh. The National Security Service said three suspects had been detained in Yerevan and that
weapons and explosives had been seized from a flat on the outskirts of the capital.
The service said the group had planned to seize power by force and install a government that would
reject the ceasefire. A spokeswoman declined to name the commander who had been targeted, citing an
ongoing investigation, but said he had been placed under additional protection on Sunday evening.
Opposition politicians dismissed the announcement as an attempt to distract attention from the
military setbacks of recent weeks and demanded that the evidence be made public. Several hundred
protesters gathered outside the government building in central Yerevan late on Monday, chanting
slogans and calling on the prime minister to step down. Police said the rally had been
https://www.example-caucasus.org/politics/2020/11/armenia-plot
https://www.example-caucasus.org/live/ceasefire-updates
https://twitter.com/example_reporter/status/1328000000000000000
peaceful and that no arrests had been made by the time the crowd dispersed around midnight.
Analysts in the capital said the timing of the announcement suggested the government was under
growing pressure from both the street and the armed forces, whose commanders have publicly urged
politicians to put aside their differences until a lasting settlement is reached.
With reporting by Open Caucasus Media, Radio Azatutyun and the
Armenian Public Television newsroom.
"""

# Three wire stories run together in one file.
WIRE_TITLES = [
    "Azerbaijan says it repelled attack near Terter",
    "Georgia offers to host talks on Karabakh prisoner exchange",
    "Turkey calls for Armenian withdrawal as fighting rages",
]
WIRE_ROUNDUP = f"""{WIRE_TITLES[0]}

By Anna Petrosyan

BAKU (Reuters) - Azerbaijan said on Tuesday its forces had repelled an attack by ethnic Armenian units near the town of Terter, and that two of its soldiers had been wounded in the fighting.

The defence ministry said the attack was beaten back before dawn and accused Armenian forces of shelling villages in the Agdam district overnight.

Armenia's defence ministry denied that its forces had staged any attack and said the Azerbaijani statement was aimed at justifying a new offensive.

(Reporting by Anna Petrosyan; Editing by Mark Heinrich)

{WIRE_TITLES[1]}

By Giorgi Lomidze and Anna Petrosyan

TBILISI (Reuters) – Georgia offered on Wednesday to host talks between Armenia and Azerbaijan on an exchange of prisoners and the bodies of soldiers killed in the fighting over Nagorno-Karabakh.

Prime Minister Giorgi Gakharia told reporters that Tbilisi was ready to provide a venue at short notice, and that both governments had been informed of the offer.

Neither Yerevan nor Baku commented on the proposal, but a senior Armenian official said any talks would have to be held under international mediation.

(Reporting by Giorgi Lomidze; Writing by Tom Balmforth; Editing by Angus MacSwan)

{WIRE_TITLES[2]}

ANKARA (Reuters) - Turkey said on Thursday that a lasting ceasefire in Nagorno-Karabakh could only follow the withdrawal of ethnic Armenian forces from territory recognised internationally as part of Azerbaijan.

Foreign Minister Mevlut Cavusoglu said Ankara would stand by Azerbaijan "on the field and at the table", and dismissed criticism from France and Russia of Turkey's role in the conflict.

(Reporting by Ece Toksabay; Editing by Jonathan Spicer)
"""

# A live blog converted from PDF: dated sections, the year only in an embedded tweet's signature,
# a block of bare URLs, and a wrapped "With reporting by" credit.
LIVE_TWEET = "We have opened a humanitarian centre in Stepanakert and the first families are coming back."
LIVE_TWEET_SIG = "— Lena Markarian (@lena_markarian) November 16, 2020"
LIVE_BLOG = f"""Fighting over Nagorno-Karabakh has subsided since the truce brokered by Moscow took effect, but
the deployment of Russian peacekeepers and the return of displaced families are moving slowly.
Nov. 16: what you need to know today
Russian peacekeepers set up two more observation posts along the Lachin corridor, the Russian
Defence Ministry said. The ministry said convoys carrying tents and medicine had reached the
region's main town overnight.
Armenia's foreign ministry said talks on the return of prisoners of war would begin this week.
{LIVE_TWEET}
{LIVE_TWEET_SIG}
https://twitter.com/lena_markarian/status/1328400000000000001
https://www.example-caucasus.org/live/karabakh-ceasefire
Nov. 13
Azerbaijan's president said his country would rebuild the towns it had retaken, and promised that
displaced Azerbaijanis would be able to return within months. Armenian officials said hundreds of
families had left villages due to be handed over to Azerbaijan under the truce.
With reporting by AFP, Interfax, Open Caucasus Media and Radio Azatutyun in Yerevan and
Sky News.
Oct. 29: Analysis
The capture of the hills above Shusha would give Azerbaijani forces control of the road linking the
region to Armenia, military analysts said, and could decide the outcome of the war within weeks.
"""

# The same live blog with no full date anywhere: the sections' year cannot be known.
LIVE_BLOG_NO_YEAR = "\n".join(
    l for l in LIVE_BLOG.splitlines() if l not in (LIVE_TWEET, LIVE_TWEET_SIG)) + "\n"

# The only time named is "on Thursday": the published day is unknown.
THURSDAY_ONLY = """Armenia's defence ministry said on Thursday that its air defences had shot down three Azerbaijani drones over the southern part of the front line.

Azerbaijan denied losing any aircraft and said its forces had destroyed an Armenian artillery battery near the town of Fizuli.

Neither account could be independently confirmed, and international observers have not been allowed into the area since the fighting began.
"""

# A photo caption with a full date (a Wednesday) and a story that says "on Wednesday".
CAPTION_STORY = """Smoke rises over the outskirts of Stepanakert after overnight shelling, October 28, 2020.

STEPANAKERT — Ethnic Armenian officials said on Wednesday that Azerbaijani forces had shelled the region's main town through the night, damaging a maternity hospital and several homes.

Azerbaijan's defence ministry said its forces had targeted only military positions and accused Armenian units of firing on the town of Barda.

The claims could not be independently verified.
"""

HTML_STORY = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Drone strike hits fuel depot near Stepanakert | Caucasus Monitor</title>
<meta property="og:site_name" content="Caucasus Monitor">
<meta property="og:title" content="Drone strike hits fuel depot near Stepanakert">
<meta property="article:published_time" content="2020-10-19T08:30:00+00:00">
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/caucasus">Caucasus</a></li></ul></nav>
<article>
<h1>Drone strike hits fuel depot near Stepanakert</h1>
<p>STEPANAKERT — A drone strike set fire to a fuel depot on the edge of Stepanakert early on Monday, local officials said, sending a column of black smoke over the city as residents sheltered in basements.</p>
<p>The emergency services of the self-proclaimed republic said firefighters had brought the blaze under control by mid-morning and that no one had been killed, although two workers were treated for burns.</p>
<p>Azerbaijan's defence ministry said its forces had struck only military targets and accused Armenian units of using civilian infrastructure to store fuel for armoured vehicles.</p>
<p>The claims could not be independently verified. Foreign journalists have been allowed into the region only in small groups escorted by officials.</p>
</article>
<footer><p>About Us</p><p>Privacy Policy</p></footer>
</body>
</html>
"""

JSONL_RECORDS = [
    {"text": "Azerbaijan's defence ministry said on Monday that its forces had taken control of several villages "
             "in the Jabrayil district after heavy fighting with ethnic Armenian units.\n\nArmenian officials "
             "denied that any villages had been lost and said the attack had been repelled.",
     "title": "Azerbaijan says it took villages in Jabrayil district",
     "url": "https://news.example.com/world/2020/10/05/azerbaijan-jabrayil-villages", "outlet": "Example News"},
    {"text": "Russian President Vladimir Putin said on Thursday that nearly 5,000 people had been killed in the "
             "fighting over Nagorno-Karabakh, a far higher toll than either side has acknowledged.\n\nHe said Moscow "
             "was in constant contact with the leaders of Armenia and Azerbaijan and urged both to stop the bloodshed.",
     "published": "2020-10-22", "outlet": "Interfax", "title": "Putin says nearly 5,000 killed in Karabakh fighting"},
    {"text": "Iran said on Friday that several shells fired during the fighting in Nagorno-Karabakh had landed in "
             "villages on its side of the border, and warned both sides to respect its territory.\n\nNo one was hurt, "
             "the governor of the border province said."},
]


def jsonl(records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


CORPUS_FILES = {
    "web/terter_attack.txt": NAV_PAGE,
    "web/ganja_strike.txt": GANJA_PAGE,
    "web/deep/pdf/security_service_report.txt": PDF_REPORT,  # found by recursion
    "wire/roundup.txt": WIRE_ROUNDUP,
    "live/karabakh_live.txt": LIVE_BLOG,
    "live/karabakh_live_no_year.txt": LIVE_BLOG_NO_YEAR,
    "drones_thursday.txt": THURSDAY_ONLY,
    "stepanakert_caption.txt": CAPTION_STORY,
    "web/fuel_depot.html": HTML_STORY,
    "feeds/caucasus_feed.jsonl": jsonl(JSONL_RECORDS),
}


def table_digest(conn: sqlite3.Connection, table: str, where: str = "", args=()) -> str:
    h = hashlib.sha256()
    for row in conn.execute(f"SELECT * FROM {table} {where} ORDER BY 1, 2", args):
        h.update(repr(tuple(row)).encode("utf-8"))
    return h.hexdigest()


def rows_for(s: Store, doc_id: str) -> dict[str, int]:
    q = lambda t: s.conn.execute(f"SELECT count(*) FROM {t} WHERE doc_id = ?", (doc_id,)).fetchone()[0]
    return {"documents": s.conn.execute("SELECT count(*) FROM documents WHERE id = ?", (doc_id,)).fetchone()[0],
            "document_sources": q("document_sources"), "sentences": q("sentences"), "sections": q("sections"),
            "claims": q("claims"), "figures": q("figures"), "event_mentions": q("event_mentions"),
            "search": s.conn.execute("SELECT count(*) FROM search WHERE kind = 'document' AND ref = ?",
                                     (doc_id,)).fetchone()[0]}


def doc_by_source(s: Store, source: str) -> list[dict]:
    return [d for d in s.documents() if d["source"] == source]


def one_doc(s: Store, source: str) -> dict:
    docs = doc_by_source(s, source)
    assert len(docs) == 1, [d["title"] for d in docs]
    return docs[0]


def sentence_texts(s: Store, doc: dict) -> list[str]:
    return [doc["text"][r["start"]:r["end"]] for r in s.sentences(doc["id"])]


def body(doc) -> str:
    """The text after the headline, which the cleaner may keep as the first paragraph.

    `doc` is a stored document (dict) or a clean.Article."""
    text, title = (doc["text"], doc["title"]) if isinstance(doc, dict) else (doc.text, doc.title)
    if title and text.startswith(title + "\n\n"):
        return text[len(title) + 2:]
    return text


def body_sentences(s: Store, doc: dict) -> list[str]:
    sents = sentence_texts(s, doc)
    if doc["title"] and body(doc) != doc["text"]:
        assert sents[0] == doc["title"]  # the kept headline is a sentence of its own
        return sents[1:]
    return sents


# ---- the shared store: one ingest of all the invented inputs, read by many tests ---------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("inputs")
    for rel, text in CORPUS_FILES.items():
        write_file(root / rel, text)
    db = tmp_path_factory.mktemp("db") / "shared.db"
    lines: list[str] = []
    with Store(db) as s:
        report = ingest_paths(s, [str(root)], report_line=lines.append)
    s = Store(db)
    yield {"root": root, "db": db, "store": s, "report": report, "lines": lines}
    s.close()


def test_folder_is_ingested_recursively_without_failures(corpus):
    report, s = corpus["report"], corpus["store"]
    assert report.failed == []
    assert corpus["lines"] == []
    # 3 web pages + 3 wire + 2 live blogs + 2 plain + 1 html + 3 jsonl
    assert report.stored == 14 == len(s.documents())
    assert {d["source"] for d in s.documents()} == {Path(p).name for p in CORPUS_FILES}
    assert one_doc(s, "security_service_report.txt")["path"].endswith("web/deep/pdf/security_service_report.txt")


def test_web_page_navigation_and_repeated_headline_removed(corpus):
    d = one_doc(corpus["store"], "terter_attack.txt")
    assert d["title"] == NAV_HEADLINE
    assert d["outlet"] == "Caucasus Wire"
    assert d["published"] == "2020-10-14"
    text = body(d)
    assert text.startswith("BAKU — Azerbaijan said on Wednesday its forces had repelled an attack")
    assert text.endswith("Neither side's account could be independently verified.")
    for junk in ("Home", "Opinion", "hours ago", "minutes ago", "Georgia Opens Border", NAV_HEADLINE,
                 "Oct 14, 2020", "09:12", "Related", "About Us", "Privacy Policy", "Contact"):
        assert junk not in text, junk
    assert d["text"].count(NAV_HEADLINE) <= 1  # the headline at most once, never the repeats
    # clean paragraphs, no stray whitespace
    assert text.count("\n\n") == 3
    assert "  " not in d["text"]


def test_title_and_day_from_repeated_headline_and_date_line_outlet_from_copyright(corpus):
    d = one_doc(corpus["store"], "ganja_strike.txt")
    assert d["title"] == GANJA_HEADLINE
    assert d["published"] == "2020-10-11"
    assert "date line" in d["published_reason"]
    assert d["outlet"] == "Al Jazeera"
    assert body(d).startswith("Azerbaijan said an Armenian missile had struck")
    assert body(d).endswith("the city's governor said.")
    for junk in ("Middle East", GANJA_HEADLINE, "October 11, 2020", "©"):
        assert junk not in body(d), junk
    assert d["text"].count(GANJA_HEADLINE) <= 1


def test_pdf_text_unwrapped_dehyphenated_and_joined_across_url_block(corpus):
    s = corpus["store"]
    d = one_doc(s, "security_service_report.txt")
    text = d["text"]
    assert "the assassination of a senior commander" in text
    assert "assassi-" not in text
    assert "front line in Nagorno-Karabakh." in text          # a real hyphen stays
    assert "Nagorno-\n" not in text and "Nagorno- " not in text
    assert re.search(r"(?<!\n)\n(?!\n)", text) is None          # no hard line breaks left
    assert "http" not in text and "example-caucasus" not in text
    assert "With reporting by" not in text and "Public Television newsroom" not in text
    assert text.endswith("until a lasting settlement is reached.")
    sents = sentence_texts(s, d)
    assert ("Police said the rally had been peaceful and that no arrests had been made by the time "
            "the crowd dispersed around midnight.") in sents
    assert ("The National Security Service said three suspects had been detained in Yerevan and that weapons "
            "and explosives had been seized from a flat on the outskirts of the capital.") in sents
    # only weekdays are named: no day, and a reason
    assert d["published"] is None and d["published_reason"]


def test_wire_stories_run_together_become_separate_documents(corpus):
    s = corpus["store"]
    docs = doc_by_source(s, "roundup.txt")
    assert [d["title"] for d in docs] == WIRE_TITLES
    datelines = ["BAKU (Reuters) - Azerbaijan said on Tuesday", "TBILISI (Reuters) – Georgia offered on Wednesday",
                 "ANKARA (Reuters) - Turkey said on Thursday"]
    for d, dateline, title in zip(docs, datelines, WIRE_TITLES):
        assert d["outlet"] == "Reuters"
        assert body(d).startswith(dateline)
        assert d["published"] is None and d["published_reason"]  # weekdays only
        for junk in ("By Anna Petrosyan", "By Giorgi", "Reporting by", "Editing by", "Writing by"):
            assert junk not in d["text"], (title, junk)
        for other in WIRE_TITLES:
            assert other not in body(d)
            assert other == title or other not in d["text"]
    assert docs[0]["text"].endswith("aimed at justifying a new offensive.")
    assert docs[2]["text"].endswith("Turkey's role in the conflict.")
    assert "Gakharia" in docs[1]["text"] and "Gakharia" not in docs[0]["text"] + docs[2]["text"]


def test_live_blog_sections_carry_their_own_days_year_from_tweet_signature(corpus):
    s = corpus["store"]
    d = one_doc(s, "karabakh_live.txt")
    assert d["published"] is None and d["published_reason"]
    sections = s.sections(d["id"])
    assert [(x["heading"], x["day"]) for x in sections] == [
        ("Nov. 16: what you need to know today", "2020-11-16"), ("Nov. 13", "2020-11-13"),
        ("Oct. 29: Analysis", "2020-10-29")]
    assert all(x["day_reason"] for x in sections)
    text = d["text"]
    # each section spans its own heading and entries
    assert text[sections[1]["start"]:sections[1]["end"]].startswith("Nov. 13\n\nAzerbaijan's president said")
    assert "Shusha" in text[sections[2]["start"]:sections[2]["end"]]
    # embedded tweet kept; URLs and the wrapped credit removed
    assert LIVE_TWEET in text and LIVE_TWEET_SIG in text
    assert "http" not in text and "twitter.com" not in text
    assert "With reporting by" not in text and "Sky News" not in text
    # sentences know their section
    by_text = {text[r["start"]:r["end"]]: r["section"] for r in s.sentences(d["id"])}
    assert by_text["Armenian officials said hundreds of families had left villages due to be handed over to "
                   "Azerbaijan under the truce."] == 1
    assert by_text["Fighting over Nagorno-Karabakh has subsided since the truce brokered by Moscow took effect, "
                   "but the deployment of Russian peacekeepers and the return of displaced families are moving "
                   "slowly."] is None


def test_live_blog_without_any_year_has_null_section_days_with_reason(corpus):
    s = corpus["store"]
    d = one_doc(s, "karabakh_live_no_year.txt")
    sections = s.sections(d["id"])
    assert [x["heading"] for x in sections] == ["Nov. 16: what you need to know today", "Nov. 13",
                                                "Oct. 29: Analysis"]
    assert all(x["day"] is None for x in sections)
    assert all(x["day_reason"] for x in sections)
    assert d["published"] is None and d["published_reason"]


def test_only_on_thursday_gives_no_published_day_and_a_reason(corpus):
    d = one_doc(corpus["store"], "drones_thursday.txt")
    assert d["published"] is None
    assert d["published_reason"].strip()


def test_published_from_caption_date_whose_weekday_the_story_names(corpus):
    d = one_doc(corpus["store"], "stepanakert_caption.txt")
    assert d["published"] == "2020-10-28"  # a Wednesday; the story says "on Wednesday"
    assert "Wednesday" in d["published_reason"]


def test_html_main_text_title_site_and_day(corpus):
    d = one_doc(corpus["store"], "fuel_depot.html")
    assert d["title"] == "Drone strike hits fuel depot near Stepanakert"
    assert d["outlet"] == "Caucasus Monitor"
    assert d["published"] == "2020-10-19"
    assert body(d).startswith("STEPANAKERT — A drone strike set fire to a fuel depot")
    assert d["text"].endswith("escorted by officials.")
    for junk in ("<", "Home", "About Us", "Privacy Policy", "Caucasus Monitor"):
        assert junk not in d["text"], junk


def test_jsonl_one_document_per_line_with_its_fields(corpus):
    s = corpus["store"]
    docs = doc_by_source(s, "caucasus_feed.jsonl")
    assert len(docs) == 3
    by_title = {d["title"]: d for d in docs}
    a = by_title["Azerbaijan says it took villages in Jabrayil district"]
    assert a["outlet"] == "Example News"
    assert a["url"] == JSONL_RECORDS[0]["url"]
    assert a["published"] == "2020-10-05"  # from /2020/10/05/ in the url
    assert "url" in a["published_reason"].lower()
    b = by_title["Putin says nearly 5,000 killed in Karabakh fighting"]
    assert (b["outlet"], b["published"]) == ("Interfax", "2020-10-22")
    c = next(d for d in docs if body(d).startswith("Iran said on Friday"))
    assert c["published"] is None and c["published_reason"]
    assert c["outlet"] is None
    for d in docs:
        assert d["path"].startswith(str(corpus["root"] / "feeds" / "caucasus_feed.jsonl"))
        assert "\n\n" in d["text"]


def test_no_document_is_dated_today(corpus):
    for d in corpus["store"].documents():
        assert d["published"] != TODAY
        if d["published"] is None:
            assert d["published_reason"].strip(), d["source"]
        else:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", d["published"])
        for sec in corpus["store"].sections(d["id"]):
            assert sec["day"] != TODAY


def test_sentences_are_spans_slicing_the_stored_text_into_real_sentences(corpus):
    s = corpus["store"]
    for d in s.documents():
        text = d["text"]
        rows = s.sentences(d["id"])
        assert rows, d["source"]
        assert [r["idx"] for r in rows] == list(range(len(rows)))
        prev_end = 0
        for r in rows:
            assert prev_end <= r["start"] < r["end"] <= len(text), (d["source"], r)
            piece = text[r["start"]:r["end"]]
            assert piece == piece.strip() and "\n\n" not in piece, (d["source"], piece)
            prev_end = r["end"]
        # nothing but white space between sentences
        covered = "".join(text[a["end"]:b["start"]] for a, b in zip(rows, rows[1:]))
        assert covered.strip() == "", d["source"]
        assert text[:rows[0]["start"]].strip() == "" and text[rows[-1]["end"]:].strip() == ""
    d = one_doc(s, "terter_attack.txt")
    assert body_sentences(s, d) == [
        "BAKU — Azerbaijan said on Wednesday its forces had repelled an attack by ethnic Armenian units near the "
        "town of Terter, and accused them of shelling civilian areas overnight.",
        "The defence ministry in Baku said several armoured vehicles had been destroyed in the fighting, which "
        "lasted into the early hours of the morning.",
        "Officials in Stepanakert, the main town of the breakaway region, denied that their forces had launched any "
        "attack and said Azerbaijani artillery had struck residential districts.",
        "Neither side's account could be independently verified.",
    ]
    html = one_doc(s, "fuel_depot.html")
    assert sentence_texts(s, html)[-2:] == [
        "The claims could not be independently verified.",
        "Foreign journalists have been allowed into the region only in small groups escorted by officials."]


def test_text_is_stored_once_per_document(corpus):
    s = corpus["store"]
    cols = [r[1] for r in s.conn.execute("PRAGMA table_info(sentences)")]
    assert "text" not in cols  # sentences are spans, not copies
    n = s.conn.execute("SELECT count(*), count(DISTINCT text) FROM documents").fetchone()
    assert n[0] == n[1]


def test_export_jsonl_document_records(corpus, capsys):
    assert main(["--db", str(corpus["db"]), "export", "--format", "jsonl"]) == 0
    out = capsys.readouterr().out
    recs = [json.loads(l) for l in out.splitlines()]
    docs = [r for r in recs if r["kind"] == "document"]
    assert len(docs) == 14
    for r in docs:
        for key in ("id", "source", "title", "outlet", "published"):
            assert key in r, key
        assert "/" not in r["source"]
        assert r["published"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["published"])
    stored = {d["id"]: d for d in corpus["store"].documents()}
    assert {r["id"] for r in docs} == set(stored)
    for r in docs:
        d = stored[r["id"]]
        assert (r["source"], r["title"], r["outlet"], r["published"]) == (
            d["source"], d["title"], d["outlet"], d["published"])
    wire = [r for r in docs if r["source"] == "roundup.txt"]
    assert [r["title"] for r in wire] == WIRE_TITLES and {r["outlet"] for r in wire} == {"Reuters"}
    assert sorted(r["source"] for r in docs if r["source"] == "caucasus_feed.jsonl") == ["caucasus_feed.jsonl"] * 3
    html = next(r for r in docs if r["source"] == "fuel_depot.html")
    assert (html["title"], html["outlet"], html["published"]) == (
        "Drone strike hits fuel depot near Stepanakert", "Caucasus Monitor", "2020-10-19")


# ---- re-ingest and duplicates ------------------------------------------------------------------

def test_reingesting_the_same_file_adds_nothing(store, write):
    f = write("in/drones.txt", THURSDAY_ONLY)
    r1 = ingest_paths(store, [str(f)])
    assert (r1.stored, r1.skipped, r1.failed) == (1, 0, [])
    counts = store.counts()
    digest = table_digest(store.conn, "documents")
    r2 = ingest_paths(store, [str(f)])
    assert (r2.stored, r2.duplicates, r2.skipped, r2.failed) == (0, 0, 1, [])
    assert store.counts() == counts
    assert table_digest(store.conn, "documents") == digest
    # the folder holding it: the same file is recognised again
    r3 = ingest_paths(store, [str(f.parent)])
    assert (r3.stored, r3.skipped) == (0, 1)
    assert store.counts() == counts


def test_duplicate_under_another_file_name_is_linked_not_stored_twice(store, write):
    a = write("in/a_wire.txt", WIRE_ROUNDUP)
    ingest_paths(store, [str(a)])
    counts = store.counts()
    assert counts["documents"] == 3
    b = write("elsewhere/copy_of_wire.txt", WIRE_ROUNDUP)
    r = ingest_paths(store, [str(b)])
    assert (r.stored, r.duplicates, r.failed) == (0, 3, [])
    assert store.counts() == counts
    for d in store.documents():
        assert d["source"] == "a_wire.txt"
        assert sorted(x["path"] for x in store.document_sources(d["id"])) == sorted([str(a), str(b)])


def test_duplicate_in_the_same_batch_is_linked(store, write):
    a = write("in/a_story.txt", THURSDAY_ONLY)
    b = write("in/b_copy.txt", THURSDAY_ONLY)
    r = ingest_paths(store, [str(a.parent)])
    assert (r.stored, r.duplicates) == (1, 1)
    (d,) = store.documents()
    assert sorted(x["path"] for x in store.document_sources(d["id"])) == [str(a), str(b)]


# ---- bad input -------------------------------------------------------------------------------

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00" + bytes(range(256))
RUSSIAN = ("Министерство обороны Азербайджана заявило во вторник, что его войска отразили атаку армянских "
           "подразделений возле города Тертер. По словам представителя ведомства, противник понёс потери, а "
           "несколько единиц бронетехники были уничтожены. В Ереване эти сообщения опровергли.\n")
CP1252_ENGLISH = ("The defence ministry in Baku said on Tuesday that its forces had repelled an attack near Terter. "
                  "\u201cThe enemy was driven back with heavy losses,\u201d a ministry spokesman told reporters, "
                  "adding that Armenian artillery had shelled villages in the Agdam district for the third night "
                  "in a row. Officials in Yerevan called the statement \u2018pure fiction\u2019 and said their "
                  "forces had not launched any attack.\n")
BIG_ENGLISH = ("Azerbaijan said on Tuesday that the fighting near Terter had continued through the night and that "
               "the ethnic Armenian forces had suffered heavy losses in the attack.\n\n") * 40


def test_bad_inputs_are_reported_one_line_each_and_the_rest_goes_on(tmp_path, write, monkeypatch, capsys):
    db = tmp_path / "cw.db"
    good1 = write("good/drones.txt", THURSDAY_ONLY)
    good2 = write("good/ganja.txt", GANJA_PAGE)
    assert main(["--db", str(db), "ingest", "--no-progress", str(good1), str(good2)]) == 0
    capsys.readouterr()
    with Store(db) as s:
        before_counts = s.counts()
        before_docs = table_digest(s.conn, "documents")
        before_sents = table_digest(s.conn, "sentences")
    assert before_counts["documents"] == 2

    monkeypatch.setattr(read, "MAX_FILE_BYTES", 4000)
    bad = {  # path -> a word the reason must contain
        write("batch/empty.txt", b""): "empty",
        write("batch/blank_lines.txt", b"\n  \n\t\n"): "empty",
        write("batch/photo.png", PNG_BYTES): "binary",
        write("batch/nul_bytes.txt", b"Azerbaijan said\x00\x00\x00 on Tuesday\x00\x01\x02 its forces"): "binary",
        write("batch/russian_cp1251.txt", RUSSIAN, encoding="cp1251"): "English",
        write("batch/too_big.txt", BIG_ENGLISH): "too large",
        write("batch/broken.html", "<html><body><div><p>unclosed"): "HTML",
        write("batch/all_bad.jsonl", "{not json at all\n" + json.dumps({"title": "No text field"}) + "\n"):
            "no usable article",
        tmp_path / "batch" / "no_such_file.txt": "no such file",
    }
    good_new = write("batch/new_story.txt", CAPTION_STORY)
    legacy = write("batch/legacy_cp1252.txt", CP1252_ENGLISH, encoding="cp1252")
    mixed = write("batch/mixed.jsonl", "{oops\n" + jsonl(JSONL_RECORDS[2:]) + json.dumps({"url": "x"}) + "\n")
    assert len(BIG_ENGLISH.encode()) > 4000 > max(len(CAPTION_STORY.encode()), len(THURSDAY_ONLY.encode()))

    paths = [str(p) for p in bad] + [str(good_new), str(legacy), str(mixed), str(good1)]
    rc = main(["--db", str(db), "ingest", "--no-progress", *paths])
    err = capsys.readouterr().err.splitlines()
    assert rc == 1

    for path, why in bad.items():
        mine = [l for l in err if str(path) in l]
        assert len(mine) == 1, (path, err)
        assert why.lower() in mine[0].lower(), mine[0]
        assert mine[0].startswith("claimwatch: ")
    # the legacy-encoded English file: decoded, with a warning naming the file
    warn = [l for l in err if str(legacy) in l]
    assert len(warn) == 1 and "warning" in warn[0] and "UTF-8" in warn[0]
    # the JSONL file with two bad lines and one good: a line for each bad one, naming the file and line
    jl = [l for l in err if str(mixed) in l]
    assert len(jl) == 2 and any("line 1" in l and "JSON" in l for l in jl) and any(
        "line 3" in l and "text" in l for l in jl)
    assert err[-1].startswith("ingested: 3 new documents")  # summary line
    assert f"{len(bad)} failed" in err[-1]

    with Store(db) as s:
        # nothing already stored was touched
        assert s.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == before_counts["documents"] + 3
        old_ids = tuple(d["id"] for d in s.documents() if d["source"] in ("drones.txt", "ganja.txt"))
        assert len(old_ids) == 2
        where = f"WHERE {{}} IN ({','.join('?' * len(old_ids))})"
        assert table_digest(s.conn, "documents", where.format("id"), old_ids) == before_docs
        assert table_digest(s.conn, "sentences", where.format("doc_id"), old_ids) == before_sents
        sources = {d["source"] for d in s.documents()}
        assert sources == {"drones.txt", "ganja.txt", "new_story.txt", "legacy_cp1252.txt", "mixed.jsonl"}
        leg = one_doc(s, "legacy_cp1252.txt")
        assert "\u201cThe enemy was driven back with heavy losses,\u201d" in leg["text"]
        assert "\u2018pure fiction\u2019" in leg["text"]
        assert one_doc(s, "mixed.jsonl")["text"].startswith("Iran said on Friday")


def test_ingest_paths_reports_through_the_callback(store, write):
    ok = write("in/ok.txt", THURSDAY_ONLY)
    empty = write("in/zero.txt", b"")
    lines: list[str] = []
    r = ingest_paths(store, [str(ok), str(empty), str(ok.parent / "missing.txt")], report_line=lines.append)
    assert r.stored == 1 and not r.ok
    assert sorted(p for p, _ in r.failed) == sorted([str(empty), str(ok.parent / "missing.txt")])
    assert len(lines) == 2 and all(l.startswith("claimwatch: ") and "\n" not in l for l in lines)
    assert any(str(empty) in l and "empty file" in l for l in lines)


def test_folder_without_permission_is_reported(store, write):
    ok = write("in/ok.txt", THURSDAY_ONLY)
    locked = ok.parent / "locked"
    write("in/locked/secret.txt", THURSDAY_ONLY.replace("three", "four"))
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK | os.X_OK):
            pytest.skip("running as root: a chmod 000 folder is still readable")
        lines: list[str] = []
        r = ingest_paths(store, [str(ok.parent)], report_line=lines.append)
        assert r.stored == 1
        assert r.failed == [(str(locked), "permission denied (folder)")]
        assert len(lines) == 1 and str(locked) in lines[0] and "permission denied" in lines[0]
    finally:
        locked.chmod(0o755)


def test_invalid_utf8_is_rejected_not_stored_as_mojibake(store, write):
    good = CP1252_ENGLISH.encode("utf-8")  # valid UTF-8 with curly quotes...
    f = write("in/broken_utf8.txt", good + b"The ministry said \xe2\x80 the ceasefire had collapsed.\n")  # ...cut
    lines: list[str] = []
    r = ingest_paths(store, [str(f)], report_line=lines.append)
    assert store.counts()["documents"] == 0, store.documents()[0]["text"][:160]
    assert r.failed and "UTF-8" in r.failed[0][1]
    assert len(lines) == 1 and str(f) in lines[0]


# ---- no half-written documents ----------------------------------------------------------------

def test_failure_inside_extraction_leaves_no_trace_of_that_document(store, write, monkeypatch):
    marker = "Khachmaz-7"
    real_extract = pipeline.extract

    def flaky_extract(ann):
        if marker in ann.article.text:
            raise RuntimeError("simulated extractor crash")
        return real_extract(ann)

    monkeypatch.setattr(pipeline, "extract", flaky_extract)
    roundup = WIRE_ROUNDUP.replace("near the town of Terter", f"near the {marker} checkpoint")
    wire = write("in/roundup.txt", roundup)
    other = write("in/drones.txt", THURSDAY_ONLY)
    lines: list[str] = []
    r = ingest_paths(store, [str(wire), str(other)], report_line=lines.append)
    assert r.stored == 3 and len(r.failed) == 1
    path, reason = r.failed[0]
    assert path == str(wire) and "simulated extractor crash" in reason
    assert len(lines) == 1 and str(wire) in lines[0] and "extraction failed" in lines[0]

    titles = {d["title"] for d in store.documents()}
    assert titles == {WIRE_TITLES[1], WIRE_TITLES[2], None}
    failed_doc = pipeline.document_id(clean.split_raw(RawArticle("roundup.txt", str(wire), roundup))[0])
    assert set(rows_for(store, failed_doc).values()) == {0}
    # the input was not marked done: once the extractor is fixed, ingesting again stores the missing story
    monkeypatch.setattr(pipeline, "extract", real_extract)
    r2 = ingest_paths(store, [str(wire)])
    assert (r2.stored, r2.duplicates, r2.skipped, r2.failed) == (1, 2, 0, [])
    assert store.has_document(failed_doc)
    assert ingest_paths(store, [str(wire)]).skipped == 1


def test_failure_while_writing_a_document_rolls_it_back(store, write, monkeypatch):
    """add_document fails after the document row is written: nothing of it may remain."""
    marker = "Khachmaz-7"
    real_extract = pipeline.extract

    def colliding_claims(ann):
        if marker not in ann.article.text:
            return real_extract(ann)
        s = ann.sentences[0]
        ev = ann.article.text[s.start:s.end]
        twice = [Claim(doc=ann.doc_id, start=s.start, end=s.end, evidence=ev, claimant="Azerbaijan",
                       stance="assert", cue="said", id="same-id") for _ in range(2)]
        return twice, [], []

    monkeypatch.setattr(pipeline, "extract", colliding_claims)
    f = write("in/marked.txt", THURSDAY_ONLY.replace("near the town of Fizuli", f"near the {marker} road"))
    g = write("in/fine.txt", CAPTION_STORY)
    r = ingest_paths(store, [str(f), str(g)])
    assert r.stored == 1 and [p for p, _ in r.failed] == [str(f)]
    assert "IntegrityError" in r.failed[0][1]
    (kept,) = store.documents()
    assert kept["source"] == "fine.txt"
    (marked,) = clean.split_raw(RawArticle("marked.txt", str(f), f.read_text(encoding="utf-8")))
    failed_doc = pipeline.document_id(marked)
    assert set(rows_for(store, failed_doc).values()) == {0}
    assert store.conn.execute("SELECT count(*) FROM claims WHERE id = 'same-id'").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM search WHERE ref IN (?, 'same-id')",
                              (failed_doc,)).fetchone()[0] == 0
    for t in ("document_sources", "sentences", "claims", "figures", "sections"):
        assert {r[0] for r in store.conn.execute(f"SELECT DISTINCT doc_id FROM {t}")} <= {kept["id"]}, t


# ---- the command line ---------------------------------------------------------------------------

def test_cli_default_store_in_working_folder_env_and_option(tmp_path, write, monkeypatch, capsys):
    f = write("in/drones.txt", THURSDAY_ONLY)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("CLAIMWATCH_DB", raising=False)
    assert main(["ingest", "--no-progress", str(f)]) == 0
    assert (work / "claimwatch.db").exists()
    assert "ingested: 1 new documents" in capsys.readouterr().err
    with Store(work / "claimwatch.db") as s:
        assert s.counts()["documents"] == 1

    env_db = tmp_path / "env" / "from_env.db"
    env_db.parent.mkdir()
    monkeypatch.setenv("CLAIMWATCH_DB", str(env_db))
    g = write("in/ganja.txt", GANJA_PAGE)
    assert main(["ingest", "--no-progress", str(g)]) == 0
    with Store(env_db) as s:
        assert [d["source"] for d in s.documents()] == ["ganja.txt"]
    with Store(work / "claimwatch.db") as s:
        assert s.counts()["documents"] == 1  # the default store was not used

    opt_db = tmp_path / "opt.db"
    assert main(["--db", str(opt_db), "ingest", "--no-progress", str(f)]) == 0  # --db wins over the env
    with Store(opt_db) as s:
        assert [d["source"] for d in s.documents()] == ["drones.txt"]
    with Store(env_db) as s:
        assert s.counts()["documents"] == 1

    # the same again: nothing new, still status 0
    assert main(["--db", str(opt_db), "ingest", "--no-progress", str(f)]) == 0
    assert "1 inputs unchanged" in capsys.readouterr().err


def test_cli_executable_ingest_and_export(tmp_path, write):
    write("in/wire.txt", WIRE_ROUNDUP)
    write("in/empty.txt", b"")
    db = tmp_path / "sub.db"
    env = {k: v for k, v in os.environ.items() if k != "CLAIMWATCH_DB"}
    p = subprocess.run([str(CLAIMWATCH_BIN), "--db", str(db), "ingest", str(tmp_path / "in")],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert p.returncode == 1, p.stderr
    err = [l for l in p.stderr.splitlines() if l.startswith(("claimwatch:", "ingested:"))]
    assert [l for l in err if "empty.txt" in l] == [f"claimwatch: {tmp_path / 'in' / 'empty.txt'}: empty file"]
    assert "ingested: 3 new documents" in p.stderr
    assert not (tmp_path / "claimwatch.db").exists()

    p = subprocess.run([str(CLAIMWATCH_BIN), "--db", str(db), "export", "--format", "jsonl"],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert p.returncode == 0, p.stderr
    docs = [json.loads(l) for l in p.stdout.splitlines() if json.loads(l)["kind"] == "document"]
    assert [(d["source"], d["title"], d["outlet"], d["published"]) for d in docs] == [
        ("wire.txt", t, "Reuters", None) for t in WIRE_TITLES]
    assert len({d["id"] for d in docs}) == 3


# ---- regressions: cases that once went wrong in clean.py ---------------------------------------

def _split(text: str, name: str = "page.txt"):
    return clean.split_raw(RawArticle(source=name, path=f"/in/{name}", text=text))


def test_copyright_line_followed_by_site_links_gives_the_outlet():
    (art,) = _split(GANJA_PAGE + "About Us\nPrivacy Policy\n")
    assert art.outlet == "Al Jazeera"


def test_sentence_case_teaser_headlines_are_navigation():
    page = NAV_PAGE.replace("3 hours ago Turkish Lira Slides as Investors Weigh Regional Risks",
                            "3 hours ago Armenian protesters storm parliament building after the peace deal")
    (art,) = _split(page)
    assert body(art).startswith("BAKU — Azerbaijan said on Wednesday")
    assert "hours ago" not in art.text


WIRE_WITH_PHOTO_CREDIT = """Aliyev says fighting will stop only if Armenia sets withdrawal timetable

Azerbaijan's President Ilham Aliyev speaks in Baku, Azerbaijan October 7, 2020. Presidential Press Service/Handout via REUTERS

By Nailia Bagirova

BAKU (Reuters) - Azerbaijan's president said on Wednesday that the fighting with ethnic Armenian forces would stop only if Armenia set a timetable for withdrawing its troops from the region.

Ilham Aliyev told a television interviewer that Azerbaijan had the right to restore its territorial integrity and would not accept a freeze of the conflict.

(Reporting by Nailia Bagirova; Editing by Alex Richardson)
"""


def test_wire_story_with_photo_credit_caption_keeps_its_headline():
    arts = _split(WIRE_WITH_PHOTO_CREDIT)
    assert [a.title for a in arts] == ["Aliyev says fighting will stop only if Armenia sets withdrawal timetable"]
    assert arts[0].outlet == "Reuters"


CAPTION_WITH_CREDIT = """Azerbaijan's President Ilham Aliyev speaks during a televised address in Baku, Azerbaijan October 7, 2020. Presidential Press Service/Handout via REUTERS

BAKU — Azerbaijan's president said on Wednesday that the fighting with ethnic Armenian forces would stop only if Armenia set a timetable for withdrawing its troops from the region.

Ilham Aliyev told a television interviewer that Azerbaijan had the right to restore its territorial integrity and would not accept a freeze of the conflict.
"""


def test_published_from_photo_caption_ending_with_its_credit():
    (art,) = _split(CAPTION_WITH_CREDIT)
    assert art.published == "2020-10-07"


# ---- the sample corpus --------------------------------------------------------------------------

SAMPLE_REUTERS_TITLES = [
    "U.S. and France play catch-up on Karabakh after Russia deploys troops",
    "Nagorno-Karabakh says its two largest cities under fierce attack",
    "Armenia calls for probe into ‘foreign mercenaries’ in Karabakh",
    "New clashes in Nagorno-Karabakh; Pompeo says Turkey makes situation worse",
    "Nagorno-Karabakh ceasefire hopes sink as death toll rises",
    "Humanitarian crisis feared as Nagorno-Karabakh ceasefire buckles",
    "Nagorno-Karabakh ceasefire strained by new fighting reports",
    "Russia’s Putin arrives in Iran to discuss Syria, nuclear deal",
]


@pytest.mark.skipif(not SAMPLE_CORPUS.is_dir(), reason="sample corpus not present")
def test_sample_corpus(tmp_path):
    with Store(tmp_path / "corpus.db") as s:
        r = ingest_paths(s, [str(SAMPLE_CORPUS)], report_line=lambda l: None)
        assert r.failed == []
        docs = s.documents()
        assert len(docs) == 12
        by_source: dict[str, list[dict]] = {}
        for d in docs:
            by_source.setdefault(d["source"], []).append(d)
        multi = max(by_source.values(), key=len)
        assert len(multi) == 8
        assert [d["title"] for d in multi] == SAMPLE_REUTERS_TITLES
        assert {d["outlet"] for d in multi} == {"Reuters"}
        # the 7 stories that only name weekdays are undated; the Iran visit is dated by its caption
        assert [d["published"] for d in multi] == [None] * 7 + ["2017-11-01"]
        assert all(d["published_reason"] for d in docs)
        assert all(d["published"] != TODAY for d in docs)
        undated = [d for d in docs if d["published"] is None]
        assert len(undated) == 9  # 7 wire stories, the untitled TASS-sourced piece, the live blog
        live = [d for d in docs if s.sections(d["id"])]
        assert len(live) == 1
        days = [x["day"] for x in s.sections(live[0]["id"])]
        assert len(days) >= 10 and all(day and day.startswith("2020-") for day in days)
        assert "2020-11-16" in days and "2020-10-29" in days
        dated = {d["source"]: d["published"] for d in docs if d["published"] and d["source"] not in
                 {m["source"] for m in multi}}
        assert sorted(dated.values()) == ["2017-10-04", "2020-11-06"]


def test_a_paragraph_printed_twice_is_stored_once(tmp_path):
    from claimwatch import clean
    from claimwatch.models import RawArticle
    caption = "Smoke rises over the city of Mariupol after overnight shelling, local officials said."
    text = (f"{caption}\n\nUkrainian forces said on Tuesday they had held their positions in the east.\n\n"
            f"{caption}\n\nThe ministry gave no figures for its losses.\n")
    art = clean.split_raw(RawArticle(source="gallery.txt", path="gallery.txt", text=text))[0]
    assert art.text.count("Smoke rises over the city") == 1
    assert "held their positions" in art.text and "gave no figures" in art.text


def test_a_short_line_finishing_a_wrapped_sentence_is_kept_even_when_it_recurs():
    from claimwatch import clean
    from claimwatch.models import RawArticle
    wrapped = (
        "Armenian officials said fighting continued overnight along the whole front line, AFP\n"
        "reported.\n"
        "Azerbaijan said its forces had repelled several attacks near the town of Fuzuli, AFP\n"
        "reported.\n"
        "The ceasefire announced last week in Moscow has not held for a single day, observers in the\n"
        "region said, and both sides have accused each other of targeting civilians in residential areas.\n"
        "Turkey repeated its support for Baku on Tuesday and called on Armenia to withdraw its troops.\n"
        "Russia said it was ready to send observers if both sides agreed to a new truce this week.\n")
    art = clean.split_raw(RawArticle(source="blog.txt", path="blog.txt", text=wrapped))[0]
    assert "front line, AFP reported." in art.text
    assert "near the town of Fuzuli, AFP reported." in art.text
