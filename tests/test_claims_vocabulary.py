"""Claims' language data: read from data files through lexicon.py, compiled into the cue patterns."""
from __future__ import annotations

import re

import pytest

from claimwatch import claims, lexicon


def test_phrase_regex_matches_whole_phrases_with_alternatives_and_optional_words():
    pattern = re.compile(lexicon.phrase_regex(["could not (independently) verify|confirm", "not true"]), re.I)
    assert pattern.search("The agency could not independently verify the footage.")
    assert pattern.search("Officials COULD NOT confirm the toll.")
    assert pattern.search("could not\n verify")  # any white space between words
    assert pattern.search("That is not true, he said.")
    assert not pattern.search("could not independently reach the town")
    assert not pattern.search("It is nottrue")  # whole words only


def test_phrase_regex_apostrophes_match_straight_and_curly():
    pattern = re.compile(lexicon.phrase_regex(["can't confirm"]), re.I)
    assert pattern.search("We can't confirm it")
    assert pattern.search("We can’t confirm it")


def test_phrase_regex_prefers_the_longest_phrase():
    pattern = re.compile("(" + lexicon.phrase_regex(["reported", "reported by"]) + ")", re.I)
    assert pattern.search("as reported by TASS").group(1) == "reported by"


def test_phrase_regex_refuses_a_phrase_that_starts_with_an_optional_word():
    with pytest.raises(ValueError):
        lexicon.phrase_regex(["(independently) verify"])


def test_by_class_reads_every_class_of_a_word():
    words = lexicon.by_class("claim_words.tsv")
    assert "officials" in words["speaker"] and "officials" in words["anonymous"]
    assert words["platform"]["telegram"] == "Telegram"


def test_speech_verbs_carry_what_they_need_from_the_data_file():
    assert claims.SPEECH_VERBS["say"].needs == "subject" and claims.SPEECH_VERBS["say"].core
    assert claims.SPEECH_VERBS["add"].needs == "content"
    assert claims.SPEECH_VERBS["cite"].medium
    assert claims.SPEECH_VERBS["deny"].stance == "deny"


def test_cue_patterns_come_from_the_phrase_file():
    assert claims.VERIFY_RE.search("Reuters was unable to independently verify the claims")
    assert claims.DENY_CONTENT_RE.search("the reports were groundless")
    assert claims.DOUBT_CONTENT_RE.search("Moscow does not trust the figures")
    m = claims.OUTLET_VERB_RE.search("the minister told the state news agency SANA")
    assert m and m.group("a") == "SANA"
