"""Unit tests of claimwatch.dates: days come from what the text says, with a reason, or are None."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from claimwatch import dates

# Weekdays of the anchors used below (checked in test_anchor_weekdays).
WED_OCT_14 = date(2020, 10, 14)
THU_OCT_15 = date(2020, 10, 15)
SAT_OCT_17 = date(2020, 10, 17)
SUN_OCT_18 = date(2020, 10, 18)
MON_OCT_19 = date(2020, 10, 19)
MON_NOV_16 = date(2020, 11, 16)


def test_anchor_weekdays():
    assert [d.strftime("%A") for d in (WED_OCT_14, THU_OCT_15, SAT_OCT_17, SUN_OCT_18, MON_OCT_19, MON_NOV_16)] == [
        "Wednesday", "Thursday", "Saturday", "Sunday", "Monday", "Monday"]


# ---- full_dates ------------------------------------------------------------------------------

def test_full_dates_finds_every_written_form_with_offsets():
    text = ("The truce signed on 10 November 2020 in Moscow replaced the Oct. 10, 2020 agreement, "
            "which had collapsed within hours; fighting began on September 27th, 2020 "
            "and the statement was dated 2020-11-10.")
    found = dates.full_dates(text)
    assert sorted(d for d, _ in found) == [date(2020, 9, 27), date(2020, 10, 10), date(2020, 11, 10),
                                           date(2020, 11, 10)]
    for d, off in found:
        assert text[off].isalnum()  # the offset points at the date itself
    assert (date(2020, 10, 10), text.index("Oct. 10, 2020")) in found
    assert (date(2020, 11, 10), text.index("10 November 2020")) in found


def test_full_dates_ignores_impossible_days_and_dates_without_year():
    assert dates.full_dates("Officials said on February 30, 2020 that the border was closed.") == []
    assert dates.full_dates("The talks resumed on Nov. 9 and ended on Nov. 10.") == []
    assert dates.full_dates("He said 1,960 soldiers would be deployed for five years.") == []


# ---- date_line -------------------------------------------------------------------------------

@pytest.mark.parametrize("line, expected", [
    ("Oct 14, 2020 — 09:12", date(2020, 10, 14)),
    ("  October 11, 2020  ", date(2020, 10, 11)),
    ("11 October 2020 | 08:15 GMT", date(2020, 10, 11)),
    ("2020-10-11", date(2020, 10, 11)),
    ("Nov. 9, 2020, 10:15 a.m. EST", date(2020, 11, 9)),
])
def test_date_line_accepts_a_date_with_an_optional_time(line, expected):
    assert dates.date_line(line) == expected


@pytest.mark.parametrize("line", [
    "Azerbaijan said the war began on October 27, 2020.",  # the date is inside a sentence
    "Armenia and Azerbaijan agreed a humanitarian truce that would take effect on October 10, 2020",  # > 60
    "Shelling resumed near Terter",
    "",
])
def test_date_line_rejects_lines_that_are_not_a_date(line):
    assert dates.date_line(line) is None


@pytest.mark.parametrize("line", [
    "Nov. 10, 2020 — Russia brokers a ceasefire.",
    "October 27, 2020 was the deadliest day.",
])
def test_date_line_rejects_a_sentence_that_starts_with_a_date(line):
    assert dates.date_line(line) is None


# ---- published_from_text ---------------------------------------------------------------------

def test_published_from_a_date_line_under_the_headline():
    day, reason = dates.published_from_text(
        "Azerbaijan said on Sunday an Armenian missile had struck Ganja.",
        ["Shelling hits Ganja as Karabakh truce falters", "Oct 11, 2020 — 14:05"])
    assert day == "2020-10-11"
    assert "date line" in reason


def test_published_from_an_explicit_date_whose_weekday_the_article_names():
    # a photo caption dated October 28, 2020 (a Wednesday) and a story about "Wednesday"
    text = ("Smoke rises over the outskirts of Stepanakert after shelling, October 28, 2020.\n\n"
            "Ethnic Armenian officials said on Wednesday that Azerbaijani forces had shelled the town overnight.")
    day, reason = dates.published_from_text(text, [])
    assert day == "2020-10-28"
    assert "2020-10-28" in reason and "Wednesday" in reason


def test_published_takes_the_latest_date_matching_the_named_weekday():
    text = ("The ceasefire agreed on Saturday, October 10, 2020 collapsed within hours. "
            "The new truce announced on October 17, 2020 was also broken on Saturday, officials said.")
    day, _ = dates.published_from_text(text, [])
    assert day == "2020-10-17"


def test_published_is_none_when_the_named_weekday_matches_no_full_date():
    text = "Russia said on Thursday that talks would continue under the agreement of November 10, 2020."
    # November 10, 2020 was a Tuesday: it is a date the article mentions, not the day of the report
    day, reason = dates.published_from_text(text, [])
    assert day is None
    assert reason and "weekday" in reason


def test_published_is_none_with_a_reason_when_only_a_weekday_is_named():
    day, reason = dates.published_from_text(
        "Armenia's defence ministry said on Thursday that its air defences had shot down three drones.", [])
    assert day is None
    assert reason


def test_published_is_none_with_a_reason_when_nothing_is_said():
    day, reason = dates.published_from_text("The claims could not be independently verified.", [])
    assert day is None
    assert reason
    assert day != date.today().isoformat()


# ---- infer_year ------------------------------------------------------------------------------

def test_infer_year_from_the_known_dates_of_the_document():
    known = [MON_NOV_16]  # e.g. a tweet signature "November 16, 2020"
    assert dates.infer_year(11, 13, known) == date(2020, 11, 13)
    assert dates.infer_year(10, 29, known) == date(2020, 10, 29)
    assert dates.infer_year(11, 16, known) == date(2020, 11, 16)


def test_infer_year_a_heading_long_after_the_latest_date_is_the_year_before():
    # a live blog running back from January 2021 into December 2020
    assert dates.infer_year(12, 30, [date(2021, 1, 5)]) == date(2020, 12, 30)
    # but a few weeks after the latest full date stays in the same year
    assert dates.infer_year(12, 1, [date(2020, 11, 16)]) == date(2020, 12, 1)


def test_infer_year_without_any_known_date_is_none():
    assert dates.infer_year(11, 16, []) is None


# ---- resolve_weekday -------------------------------------------------------------------------

def test_resolve_weekday_same_weekday_is_the_anchor_day_itself():
    assert dates.resolve_weekday(3, THU_OCT_15) == THU_OCT_15  # "on Thursday" in a Thursday report


def test_resolve_weekday_is_the_most_recent_one_before_the_anchor():
    assert dates.resolve_weekday(0, THU_OCT_15) == date(2020, 10, 12)  # Monday
    assert dates.resolve_weekday(4, THU_OCT_15) == date(2020, 10, 9)   # Friday: last week's
    assert dates.resolve_weekday(6, MON_OCT_19) == SUN_OCT_18


def test_resolve_weekday_not_same_goes_a_week_back():
    assert dates.resolve_weekday(3, THU_OCT_15, allow_same=False) == THU_OCT_15 - timedelta(days=7)


# ---- resolve_expression ----------------------------------------------------------------------

@pytest.mark.parametrize("text, anchor, expected, precision", [
    ("Azerbaijan said on Thursday its forces had repelled an attack", THU_OCT_15, THU_OCT_15, "day"),
    ("Armenia said on Thursday that three drones were shot down", SAT_OCT_17, THU_OCT_15, "day"),
    ("Shelling resumed near Martuni on Monday evening", THU_OCT_15, date(2020, 10, 12), "day"),
    ("Ganja was hit by missiles overnight", SUN_OCT_18, SUN_OCT_18, "days"),
    ("The ministry said yesterday that two soldiers had been killed", THU_OCT_15, WED_OCT_14, "day"),
    ("Drone strikes on Stepanakert intensified over the weekend", MON_OCT_19, SAT_OCT_17, "days"),
    ("Drone strikes on Stepanakert intensified over the weekend", SUN_OCT_18, SAT_OCT_17, "days"),
    ("Hundreds of families fled the town last week", THU_OCT_15, THU_OCT_15, "week"),
    ("The peace deal was signed on Nov. 9", MON_NOV_16, date(2020, 11, 9), "day"),
    ("The first convoy left Yerevan on October 27, 2020", MON_NOV_16, date(2020, 10, 27), "day"),
])
def test_resolve_expression(text, anchor, expected, precision):
    day, prec, reason = dates.resolve_expression(text, anchor)
    assert day == expected
    assert prec == precision
    assert reason


def test_resolve_expression_no_time_named_is_the_report_day():
    day, prec, reason = dates.resolve_expression("The claims could not be independently verified", THU_OCT_15)
    assert (day, prec) == (THU_OCT_15, "report")
    assert reason


def test_resolve_expression_explicit_date_needs_no_anchor():
    day, prec, _ = dates.resolve_expression("The truce was signed on November 10, 2020 in Moscow", None)
    assert (day, prec) == (date(2020, 11, 10), "day")


@pytest.mark.parametrize("text", ["Azerbaijan said on Thursday its forces had repelled an attack",
                                  "Ganja was hit by missiles overnight", "The peace deal was signed on Nov. 9",
                                  "yesterday"])
def test_resolve_expression_without_anchor_is_none_with_a_reason(text):
    day, prec, reason = dates.resolve_expression(text, None)
    assert day is None
    assert prec == "unknown"
    assert reason
