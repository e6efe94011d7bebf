"""Claims: each attribution construction, on sentences written in the style of wire copy."""
from __future__ import annotations

import pytest

from extraction_helpers import claims_in, run

ARTICLE = """ date 2021-03-12 Fighting flares near Marib • Example Wire

SANAA (Reuters) – Houthi forces said on Thursday they had captured two districts south of Marib, as Saudi-led coalition air strikes continued for a third day.

The Saudi-led coalition denied that its positions had fallen. “These claims are completely baseless,” coalition spokesman Turki al-Maliki told Reuters.

According to local medical officials, 14 fighters were killed overnight.

“We will not stop until the city is liberated. Our fighters are advancing on every front,” said Mohammed Abdulsalam, the group's chief negotiator.

He added that talks in Muscat had stalled.

Yemen's government accused Iran of supplying the drones used in the attack, the state news agency SABA reported.

Reuters could not independently verify the reports.

The United Nations envoy, Martin Griffiths, confirmed that a delegation had visited Muscat on Wednesday.

Washington and London urged both sides to return to talks.

The ministry said it had not authorised any new strikes.
"""


@pytest.fixture(scope="module")
def extracted():
    return run(ARTICLE, "marib.txt")


def by(claims, fragment):
    found = claims_in(claims, fragment)
    assert found, f"no claim on the sentence with {fragment!r}"
    return found


def test_indirect_speech_with_subject_and_day(extracted):
    _, claims, _, _ = extracted
    c = by(claims, "they had captured two districts")[0]
    assert "Houthi" in c.claimant
    assert c.stance == "assert"
    assert c.said_on == "2021-03-11"  # "on Thursday" before the published Friday 2021-03-12
    assert c.evidence.startswith("SANAA (Reuters)")


def test_denial_is_deny(extracted):
    _, claims, _, _ = extracted
    c = by(claims, "denied that its positions had fallen")[0]
    assert "coalition" in c.claimant.lower()
    assert c.stance == "deny"


def test_told_reuters_names_the_outlet_and_the_person(extracted):
    _, claims, _, _ = extracted
    c = by(claims, "completely baseless")[0]
    assert "Maliki" in c.claimant
    assert c.outlet == "Reuters"
    assert c.stance == "deny"  # "baseless" in what he says


def test_according_to(extracted):
    _, claims, _, _ = extracted
    c = by(claims, "According to local medical officials")[0]
    assert "medical officials" in c.claimant


def test_quotation_over_two_sentences_takes_the_speaker_named_at_its_end(extracted):
    _, claims, _, _ = extracted
    first = by(claims, "We will not stop until the city is liberated")
    assert any("Abdulsalam" in c.claimant for c in first)
    # the sentence inside the quotation, before the attribution, gets the same speaker
    second = by(claims, "Our fighters are advancing")
    assert any("Abdulsalam" in c.claimant for c in second)


def test_pronoun_resolves_to_the_person_named_before(extracted):
    _, claims, _, _ = extracted
    c = by(claims, "talks in Muscat had stalled")[0]
    assert "Abdulsalam" in c.claimant


def test_accusation_with_outlet_reporting_it(extracted):
    _, claims, _, _ = extracted
    cs = by(claims, "accused Iran of supplying the drones")
    assert len(cs) == 1, "the reporting outlet is the medium, not a second claimant"
    assert "Yemen" in cs[0].claimant
    assert cs[0].stance == "accuse"
    assert cs[0].outlet == "SABA" or cs[0].outlet is not None


def test_outlet_verification_note_is_doubt(extracted):
    _, claims, _, _ = extracted
    c = by(claims, "could not independently verify")[0]
    assert c.claimant == "Reuters"
    assert c.stance == "doubt"


def test_confirmation(extracted):
    _, claims, _, _ = extracted
    c = by(claims, "confirmed that a delegation had visited")[0]
    assert c.stance == "confirm"
    assert "Griffiths" in c.claimant or "envoy" in c.claimant


def test_conjoined_speakers_each_get_a_claim(extracted):
    _, claims, _, _ = extracted
    names = {c.claimant for c in by(claims, "urged both sides to return to talks")}
    assert {"Washington", "London"} <= names


def test_every_claim_points_back_to_its_sentence(extracted):
    art, claims, _, _ = extracted
    for c in claims:
        assert art.text[c.start:c.end] == c.evidence


def test_short_reference_resolves_or_gives_no_claim(extracted):
    _, claims, _, _ = extracted
    for c in claims_in(claims, "had not authorised any new strikes"):
        # "the ministry" was never named before: a claim may only name someone the text named
        assert c.claimant.lower() not in ("ministry", "the ministry")


def test_tweet_signature_attributes_the_tweet():
    text = """Feb. 3

The shelling went on through the night.

We heard explosions near the hospital all night long. Stay safe everyone.

— Jane Reporter (@janereports) February 3, 2022
"""
    _, claims, _, _ = run(text, "blog.txt")
    c = by(claims, "explosions near the hospital")[0]
    assert c.claimant == "Jane Reporter"
    assert c.said_on == "2022-02-03"


def test_undated_article_gives_null_said_on():
    text = "KYIV (Reuters) – Ukraine's defence ministry said on Monday it had shot down nine drones over the Kharkiv region.\n\nThe ministry added that two people were wounded."
    _, claims, _, _ = run(text, "undated.txt")
    c = by(claims, "shot down nine drones")[0]
    assert c.said_on is None
    assert c.said_on_reason
    added = by(claims, "two people were wounded")[0]
    assert "defence ministry" in added.claimant.lower()


CONSTRUCTIONS = """ date 2023-05-18 Strikes on Kherson • Example Wire

The governor of the Kherson region, Oleksandr Prokudin, was cited by the Ukrinform news agency as saying that four residents were wounded.

A bridge near Kakhovka was destroyed overnight, the Russian Defence Ministry said, as reported by TASS.

The ministry's statement gave no figures for Russian losses.

This was stated by the spokesperson of the Ukrainian air force, Yuriy Ihnat, on Wednesday.

Moscow denied that its forces had targeted civilians, while Kyiv accused Russia of shelling a hospital.
"""


@pytest.fixture(scope="module")
def constructions():
    return run(CONSTRUCTIONS, "kherson.txt")


def test_cited_by_names_the_speaker_and_the_outlet(constructions):
    _, claims, _, _ = constructions
    c = by(claims, "cited by the Ukrinform news agency")[0]
    assert "Prokudin" in c.claimant or "governor" in c.claimant.lower()
    assert c.outlet == "Ukrinform"


def test_as_reported_by_is_the_outlet_not_the_speaker(constructions):
    _, claims, _, _ = constructions
    cs = by(claims, "as reported by TASS")
    assert [c.claimant for c in cs] == ["Russian Defence Ministry"]
    assert cs[0].outlet == "TASS"
    assert cs[0].claimant_affiliation == "Russia"


def test_possessive_statement_resolves_to_the_body_named_before(constructions):
    _, claims, _, _ = constructions
    c = by(claims, "statement gave no figures")[0]
    assert c.claimant == "Russian Defence Ministry"


def test_passive_stated_by_takes_the_agent(constructions):
    _, claims, _, _ = constructions
    c = by(claims, "This was stated by")[0]
    assert "Ihnat" in c.claimant or "spokesperson" in c.claimant
    assert c.said_on == "2023-05-17"


def test_denial_and_accusation_in_one_sentence_are_two_claims(constructions):
    _, claims, _, _ = constructions
    cs = {c.claimant: c.stance for c in by(claims, "Moscow denied that its forces")}
    assert cs.get("Moscow") == "deny"
    assert cs.get("Kyiv") == "accuse"
    sides = {c.claimant: c.claimant_affiliation for c in by(claims, "Moscow denied that its forces")}
    assert sides == {"Moscow": "Russia", "Kyiv": "Ukraine"}


def test_noisy_text_without_apostrophes_or_sentence_breaks_degrades_gracefully():
    # punctuation and apostrophes stripped, sentences run together, as in scraped or OCR'd copy
    text = ("Ukraines defence ministry said on Monday its forces had shot down nine drones over the Kharkiv "
            "region\n\nthe regional governor said three civilians were killed and at least 11 wounded in shelling "
            "of Kupiansk according to local officials\n")
    _, claims, figures, _ = run(text, "noisy.txt")
    first = by(claims, "shot down nine drones")[0]
    assert first.claimant.lower().startswith("ukraines defence ministry")
    assert first.claimant_affiliation == "Ukraine"
    governor = [c for c in by(claims, "three civilians were killed") if "governor" in c.claimant]
    assert governor, "the speaker is still found without sentence punctuation"
    killed = [f for f in figures if f.metric == "killed"]
    assert [(f.value, f.population) for f in killed] == [(3, "civilian")]
    assert any(f.metric == "wounded" and f.value == 11 and f.qualifier == "at_least" for f in figures)


@pytest.mark.parametrize("text", [
    "The ministry said three soldiers were wounded, Interfax reported.",
    "The governor told Reuters that the road was closed, TASS  said later.",
    "Casualties were reported by the state news agency SANA, which AFP said it could not verify.",
    "As reported by Anadolu, the convoy was hit; the Islamic Republic News Agency\nreported the same.",
    "REUTERS News Agency said the strike hit a depot, the minister told AFP.",
    "Witnesses said the market burned.",
    "xAFP said nothing, AFP saidx and told the press.",
])
def test_the_outlet_before_or_after_a_verb_is_the_one_the_whole_pattern_finds(text):
    from claimwatch import claims
    m = claims.OUTLET_VERB_RE.search(text)
    assert claims._outlet_verb_name(text) == ((m.group("a") or m.group("b")) if m else None)
