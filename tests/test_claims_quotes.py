"""Quotations: which words are inside quotation marks, and who spoke them (sentences written for
these tests in the style of wire copy)."""
from __future__ import annotations

from claimwatch.quotations import quote_spans
from extraction_helpers import claims_in, run


def _quoted(text):
    return [text[a:b] for a, b in quote_spans(text)]


def test_straight_quotes_open_after_a_space_and_close_after_a_word():
    text = 'The army called it a "clearing operation" and said "order has been restored."'
    assert _quoted(text) == ['"clearing operation"', '"order has been restored."']


def test_an_unbalanced_straight_quote_does_not_turn_the_rest_inside_out():
    text = ('Officials called the area a "buffer zone, though no map was published. '
            '"We will hold it," the commander told reporters. Shelling continued overnight.')
    spans = _quoted(text)
    assert '"We will hold it,"' in spans
    assert not any("Shelling continued" in s for s in spans)


def test_single_quotes_are_quotations_and_apostrophes_are_not():
    text = "'We have no choice but to leave,' a resident said of the army's advance."
    assert _quoted(text) == ["'We have no choice but to leave,'"]
    assert _quoted("Russia’s army and the rebels’ positions") == []


def test_curly_single_quotes_and_nesting():
    text = "“The general told us ‘hold the bridge’ and left,” the soldier said."
    assert _quoted(text) == ["“The general told us ‘hold the bridge’ and left,”"]


def test_a_quote_opening_a_paragraph_and_left_open_runs_to_its_end():
    text = "“We buried eleven people today. Tomorrow there will be more."
    assert _quoted(text) == [text]


def test_single_quoted_sentences_take_the_speaker():
    text = ("Shelling hit the eastern districts of Kharkiv overnight.\n\n"
            "'We have no choice but to leave,' a teacher from the Saltivka district told AFP. "
            "'The shelling never stops.'\n")
    _, claims, _, _ = run(text, "single.txt")
    second = claims_in(claims, "The shelling never stops")
    assert [c.claimant for c in second] == ["teacher from the Saltivka district"]


def test_quote_before_its_attribution_goes_to_the_speaker_named_after_it():
    text = ("Police spokesman Ivan Boyko said two men were detained near the air base on Monday.\n\n"
            "“Both were carrying explosives and maps of the perimeter.” Interior Minister Lena Marsh added.\n")
    _, claims, _, _ = run(text, "tag.txt")
    quote = claims_in(claims, "Both were carrying explosives")
    assert [c.claimant for c in quote] == ["Interior Minister Lena Marsh"]
    # the sentence that only names her is not a claim of its own
    assert not claims_in(claims, "Lena Marsh added")


def test_a_name_inside_the_quotation_is_not_the_speaker_outside_it():
    text = ("A member of the district council described the night to reporters by phone.\n\n"
            "“Colonel Petrenko’s men opened fire on the checkpoint without warning,” he said.\n")
    _, claims, _, _ = run(text, "inside.txt")
    c = claims_in(claims, "opened fire on the checkpoint")
    assert c and all("Petrenko" not in x.claimant for x in c)
    assert c[0].claimant.startswith("member of the district council")


def test_said_this_attributes_the_sentence_before():
    text = ("Russian drones struck a fuel depot in the region overnight, wounding two workers. "
            "Governor Oleh Syniehubov said this in a post on Telegram.\n")
    _, claims, _, _ = run(text, "this.txt")
    depot = claims_in(claims, "struck a fuel depot")
    assert [c.claimant for c in depot] == ["Governor Oleh Syniehubov"]
    assert depot[0].outlet == "Telegram"
    assert not claims_in(claims, "said this in a post")


def test_narration_after_a_closed_quotation_is_not_quoted():
    text = ('Officials called the area a "buffer zone, though no map was published. '
            '"We will hold it," the commander told reporters. Shelling continued overnight near the village.\n')
    _, claims, _, _ = run(text, "unbalanced.txt")
    assert not claims_in(claims, "Shelling continued")


def test_a_quotation_of_whole_sentences_left_open_runs_to_the_paragraph_end():
    text = 'He spoke to the agency by phone. "We will hold the city. They will not pass. We need more shells'
    assert _quoted(text) == [text[text.index('"'):]]


def test_a_stray_mark_inside_a_sentence_ends_with_its_sentence():
    text = 'Officials called the area a "buffer zone, though no map was published. Shelling went on overnight.'
    assert _quoted(text) == ['"buffer zone, though no map was published.']


WRAPPED = """ date 2020-11-12 Analysts weigh the truce • Example Wire

The truce signed on Monday has held for three days, with no shelling reported along the
front line since Tuesday morning, according to monitors from both sides of the conflict.
Thousands of displaced families have begun to return to villages near the old front line,
where many houses were damaged or destroyed during six weeks of heavy artillery fire.
Both leaders would face heavy consequences at home should they be seen to back
down, a Moscow analyst, Pavel Orlov, told the state news agency RIA Novosti. "If the
town falls, there will be a wave of refugees into the capital. There is strong opposition
to the deal in the army. The president needs a victory before the winter. He needs
victory."
"""


def test_every_sentence_of_a_wrapped_quotation_takes_the_speaker_even_its_short_last_line():
    art, claims, _, _ = run(WRAPPED, "wrapped.txt")
    assert art.text.rstrip().endswith('victory."')
    for fragment in ("wave of refugees", "strong opposition", "He needs victory"):
        found = claims_in(claims, fragment)
        assert len(found) == 1 and found[0].claimant.endswith("Pavel Orlov"), fragment
        assert found[0].outlet == "RIA Novosti"
