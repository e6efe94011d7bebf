"""Publication days written inline at the head of an article (date stamps), and the date vocabulary
read from data/dates.tsv."""
from __future__ import annotations

from datetime import date

import pytest

from claimwatch import dates
from extraction_helpers import run


@pytest.mark.parametrize("head, expected", [
    ("Tue 12 Mar 2019 Shelling kills four near Idlib. At least four people were killed ...", date(2019, 3, 12)),
    ("Posted on March 3 2018 by Staff Writer Rebels retake two villages in Hama countryside", date(2018, 3, 3)),
    ("Date of publication 14 May 2018 Government forces shelled a market town on Sunday ...", date(2018, 5, 14)),
    ("Published June 9 2017 Aid convoy reaches besieged suburb for the first time in months", date(2017, 6, 9)),
    ("Last updated: 21 November 2019 | 09:40 Militia fighters withdrew from the town", date(2019, 11, 21)),
    ("Convoy hit near Deraa kills 9 Monitor AFP Thursday 8 Feb 2018 Nine civilians were killed ...",
     date(2018, 2, 8)),
    ("Car bomb kills 12 at checkpoint near Azaz 3 April 2019 Aleppo NNA - A car bomb exploded ...",
     date(2019, 4, 3)),
    ("Wed Jan 16 2019 081502 Warplanes struck positions of the armed groups near Khan Sheikhoun",
     date(2019, 1, 16)),
    ("18 September 2018 Two rockets struck a residential quarter of the city overnight", date(2018, 9, 18)),
])
def test_a_date_stamp_written_inline_at_the_head(head, expected):
    found = dates.date_stamp(head)
    assert found is not None, head
    assert found[0] == expected


@pytest.mark.parametrize("head", [
    "Three soldiers were killed on 12 March 2019 when their patrol hit a mine near Deraa.",
    "The truce of 10 November 2020 has largely held, residents of the town said.",
    "Rebels said the offensive launched on Sunday 3 June 2018 had stalled outside the town.",
    "5 July 2016 was the deadliest day of the siege, according to the monitor.",
    "Aid workers said talks that began in Geneva since 2 May 2018 had made no progress.",
    "A convoy left the town at dawn.",
    "Smoke rises over the town after a night of shelling, 4 March 2018. Residents fled on Sunday.",
])
def test_a_date_inside_a_sentence_is_no_stamp(head):
    assert dates.date_stamp(head) is None


def test_a_stamp_must_sit_in_the_opening_characters():
    filler = "Fighting resumed along the front line north of the city, residents and officials said. " * 5
    assert dates.date_stamp(filler + "Posted on March 3 2018 by Staff Writer") is None


def test_published_from_an_inline_stamp_with_its_reason():
    head = "Posted on March 3 2018 by Staff Writer Rebels retake two villages. Fighting went on on Friday."
    day, reason = dates.published_from_text(head, [head])
    assert day == "2018-03-03"
    assert "stamp" in reason and "posted on" in reason


def test_the_stamp_wins_over_a_caption_date_matching_a_weekday():
    # a caption of the day before names a Friday; the stamp says the report is of Saturday
    head = ("Sat 10 Feb 2018 Airstrikes hit rebel-held town. A man walks past rubble in Douma, February 9 2018. "
            "Warplanes struck the town on Friday, a monitor said.")
    day, _ = dates.published_from_text(head, [head])
    assert day == "2018-02-10"


def test_an_article_with_an_inline_stamp_is_dated_by_clean():
    text = ("Mon 19 Feb 2018 Dozens killed in strikes on besieged enclave. At least 44 civilians were killed "
            "in air strikes on the enclave on Monday, a war monitor said.\n")
    art, _, figs, _ = run(text, "enclave.txt")
    assert art.published == "2018-02-19"
    assert "stamp" in art.published_reason
    killed = [f for f in figs if f.value == 44 and f.metric == "killed"]
    assert killed and killed[0].as_of == "2018-02-19"


def test_no_stamp_leaves_the_day_unknown_with_a_reason():
    text = "Dozens killed in strikes on besieged enclave. Warplanes struck the enclave on Monday, a monitor said.\n"
    art, _, _, _ = run(text, "enclave.txt")
    assert art.published is None
    assert art.published_reason
    assert art.published != date.today().isoformat()


def test_month_and_weekday_vocabulary_comes_from_the_data_file():
    assert dates.MONTHS["sept"] == 9 and dates.MONTHS["december"] == 12
    assert dates.WEEKDAYS[0] == "monday" and dates.WEEKDAYS[6] == "sunday"
    assert dates.WEEKDAY_NUMBERS["thurs"] == 3
    assert "posted on" in dates.STAMP_WORDS and "on" in dates.PROSE_WORDS
    # capitalised month names only: the modal verb "may" is no month
    assert dates.full_dates("Officials said fighting may 5 2019 resume") == []
    text = "Officials said fighting on May 5 2019 resumed"
    assert dates.full_dates(text) == [(date(2019, 5, 5), text.index("May"))]


@pytest.mark.parametrize("text, offset, precision", [
    ("The ministry said yesterday that two soldiers had died", -1, "day"),
    ("Militants attacked the post last night", -1, "day"),
    ("Rockets fell on the town overnight", 0, "days"),
    ("Families fled the district earlier this week", 0, "week"),
])
def test_relative_days_from_the_data_file(text, offset, precision):
    anchor = date(2019, 3, 14)
    day, prec, reason = dates.resolve_expression(text, anchor)
    assert (day - anchor).days == offset
    assert prec == precision
    assert reason
