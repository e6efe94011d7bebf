"""Constructions that name a speaker without a plain "X said" (sentences written for these tests in
the style of wire copy)."""
from __future__ import annotations

from extraction_helpers import claims_in, run


def names(claims, fragment):
    return sorted(c.claimant for c in claims_in(claims, fragment))


def test_nouns_of_speech_name_their_owner():
    text = ("The offensive went on, drawing sharp warnings from aid agencies.\n\n"
            "Earlier accusations by UN investigators have implicated both the army and the militias.\n\n"
            "In the opinion of Human Rights Watch, the strikes may amount to war crimes.\n")
    _, claims, _, _ = run(text, "nouns.txt")
    assert names(claims, "drawing sharp warnings") == ["aid agencies"]
    accusation = claims_in(claims, "Earlier accusations")
    assert [c.claimant for c in accusation] == ["UN investigators"] and accusation[0].stance == "accuse"
    assert names(claims, "may amount to war crimes") == ["Human Rights Watch"]


def test_a_peoples_claims_are_their_countrys():
    text = "Despite Israeli claims of hitting the main reactor hall, satellite images show little damage.\n"
    _, claims, _, _ = run(text, "claims.txt")
    assert names(claims, "Israeli claims") == ["Israel"]


def test_documents_show_what_their_authors_say_but_events_show_nothing():
    text = ("Estimates by the United Nations show that thousands of civilians may have been killed.\n\n"
            "The war showed that drones can decide a battle.\n")
    _, claims, _, _ = run(text, "show.txt")
    assert names(claims, "thousands of civilians") == ["United Nations"]
    assert claims_in(claims, "drones can decide") == []


def test_investigators_found_that():
    text = "Investigators found that the bus had been hit by an artillery shell, not a rocket.\n"
    _, claims, _, _ = run(text, "found.txt")
    assert names(claims, "hit by an artillery shell") == ["Investigators"]


OUR = """ date 2025-03-02 Gunmen raid villages in Borno • Example FM

Gunmen killed seven farmers in two villages near Biu on Saturday night.

Our correspondent gathered that the attackers arrived on motorcycles before dawn.

Some residents told our news men that the gunmen accused the villagers of informing on them.
"""


def test_our_correspondent_is_the_articles_outlet():
    _, claims, _, _ = run(OUR, "our.txt")
    gathered = claims_in(claims, "arrived on motorcycles")
    assert [(c.claimant, c.claimant_type) for c in gathered] == [("Example FM", "outlet")]
    told = claims_in(claims, "told our news men")
    assert [(c.claimant, c.outlet) for c in told] == [("residents", "Example FM")]


BOTH = """ date 2020-10-13 Truce frays • Example Wire

Armenia and Azerbaijan agreed to a ceasefire on Saturday after talks in Moscow.

Both sides accused each other of breaking the truce within hours.

No side reported major gains on Sunday.

Yerevan accused Baku of shelling a school, and both sides claimed the other had fired first.
"""


def test_both_sides_are_the_two_parties_named_together():
    _, claims, _, _ = run(BOTH, "both.txt")
    assert names(claims, "breaking the truce") == ["Armenia", "Azerbaijan"]
    assert claims_in(claims, "No side reported") == []
    # one claim per party: Yerevan already speaks for Armenia in that sentence
    assert names(claims, "shelling a school") == ["Azerbaijan", "Yerevan"]


def test_what_a_speaker_reports_others_pledged_is_the_speakers_claim():
    text = ("The two sides pledged to stop shelling towns, the mediators said in a statement.\n\n"
            "Rebels said they had seized the airport, the state news agency SUNA reported.\n")
    _, claims, _, _ = run(text, "content.txt")
    assert names(claims, "stop shelling towns") == ["mediators"]
    seized = claims_in(claims, "seized the airport")
    assert [(c.claimant, c.outlet) for c in seized] == [("Rebels", "SUNA")]


def test_an_outlet_reporting_something_of_its_own_is_a_speaker():
    text = ("No breakthrough has been reported since Monday, when the army said it was near the town, but "
            "rebels have been advancing in recent days, Asia Times reported.\n")
    _, claims, _, _ = run(text, "own.txt")
    assert "Asia Times" in names(claims, "rebels have been advancing")


def test_a_medium_that_cites_officials_carries_their_words():
    text = "Interfax cited regional officials as saying that three drones were shot down over Kursk.\n"
    _, claims, _, _ = run(text, "cited.txt")
    found = claims_in(claims, "three drones were shot down")
    assert [(c.claimant, c.outlet) for c in found] == [("regional officials", "Interfax")]


def test_what_is_reported_of_someone_is_not_their_claim():
    text = ("The militia is reported to have shelled the camp twice this week.\n\n"
            "The army responded with air strikes on the hills above the town.\n")
    _, claims, _, _ = run(text, "reported.txt")
    assert claims == []


def test_more_words_of_the_reported_clause_stay_the_speakers():
    text = ("The defence ministry stated that rebel units had suffered heavy losses and described their "
            "morale as collapsing.\n")
    _, claims, _, _ = run(text, "conj.txt")
    assert names(claims, "suffered heavy losses") == ["defence ministry"]


def test_speakers_after_the_last_comma_may_have_a_place():
    text = "Shelling killed eleven people in the market, medical authorities in Gaza said on Monday.\n"
    _, claims, _, _ = run(text, "place.txt")
    assert names(claims, "killed eleven people") == ["medical authorities in Gaza"]
