"""Speakers: who is named as saying something, however the sentence is built (sentences written
for these tests in the style of wire copy)."""
from __future__ import annotations

from extraction_helpers import claims_in, run


def names(claims, fragment):
    return sorted(c.claimant for c in claims_in(claims, fragment))


def test_speakers_after_the_last_comma_each_get_a_claim():
    text = "An air strike on the market in Maban killed nine people, residents and a local official said on Sunday.\n"
    _, claims, _, _ = run(text, "tail.txt")
    assert names(claims, "killed nine people") == ["local official", "residents"]


def test_a_dateline_is_not_the_speaker():
    text = ("Kramatorsk (Donetsk region): Local officials and volunteers say at least four people were "
            "wounded when a drone hit a bus.\n")
    _, claims, _, _ = run(text, "dateline.txt")
    assert names(claims, "drone hit a bus") == ["Local officials", "volunteers"]


def test_a_role_in_apposition_makes_a_name_a_person_whatever_the_tagger_thinks():
    text = ("Hassan Ali Farah, a senior police officer, said the blast killed three guards at the gate. "
            "“It was a car bomb,” he said.\n")
    _, claims, _, _ = run(text, "appos.txt")
    assert names(claims, "It was a car bomb") == ["Hassan Ali Farah"]


def test_he_or_she_is_the_person_who_spoke_last_even_when_described_not_named():
    text = ("Army spokesman Nabil Osman said the town had been secured.\n\n"
            "A nurse at the district hospital said twelve wounded people had arrived overnight. "
            "She said most of them were children.\n")
    _, claims, _, _ = run(text, "nurse.txt")
    assert names(claims, "most of them were children") == ["nurse at the district hospital"]


def test_a_name_in_the_content_is_not_who_he_refers_to():
    text = ("The defence ministry said a soldier, Artur Hakobyan, was killed at an outpost on Monday.\n\n"
            "The mayor of the nearby village told reporters he heard gunfire in the afternoon. "
            "He said the shooting stopped by the evening.\n")
    _, claims, _, _ = run(text, "mayor.txt")
    assert names(claims, "shooting stopped by the evening") == ["mayor of the nearby village"]


def test_a_statement_by_a_named_spokesman_set_off_by_commas():
    text = ("Troops repelled an attack on the outpost near the border, a statement by the brigade's spokesman, "
            "Captain Omar Diallo, said. He said weapons and two vehicles were recovered.\n")
    _, claims, _, _ = run(text, "statement.txt")
    for fragment in ("repelled an attack", "weapons and two vehicles"):
        found = names(claims, fragment)
        assert len(found) == 1 and found[0].endswith("Captain Omar Diallo"), fragment


def test_one_of_a_group_of_speakers():
    text = "Two guards were killed when gunmen stormed the depot, one of the officials said.\n"
    _, claims, _, _ = run(text, "partitive.txt")
    assert names(claims, "gunmen stormed the depot") == ["one of the officials"]


def test_any_noun_for_people_can_say_something():
    text = "A vigilante said the gunmen burned the market before dawn. Critics say the raid was a pretext.\n"
    _, claims, _, _ = run(text, "nouns.txt")
    assert names(claims, "burned the market") == ["vigilante"]
    assert names(claims, "the raid was a pretext") == ["Critics"]


def test_the_group_is_the_organisation_described_as_a_group():
    text = ("The Civilian Protection Monitor, a group that tracks abuses in the region, said on Monday that "
            "fourteen civilians were killed. The group added that dozens more were wounded.\n")
    _, claims, _, _ = run(text, "group.txt")
    assert names(claims, "dozens more were wounded") == ["Civilian Protection Monitor"]
    # "a group that tracks abuses" describes the group; it is not a claim of its own
    assert names(claims, "fourteen civilians were killed") == ["Civilian Protection Monitor"]


def test_acts_described_with_speech_verbs_are_not_claims():
    text = ("The junta, which has ruled the country since 2021, maintained a blockade of the town through "
            "the winter.\n")
    _, claims, _, _ = run(text, "acts.txt")
    assert claims == []


def test_an_attack_claimed_by_a_group_is_its_claim():
    text = ("Eleven Malian soldiers were killed in an ambush near Menaka claimed by the Islamic State group, "
            "the army said. Mali has been ruled by a junta since 2020, and Malian troops are stretched thin.\n")
    _, claims, _, _ = run(text, "claimed.txt")
    assert names(claims, "ambush near Menaka") == ["Islamic State group", "Malian army"]


LIBYA = """ date 2025-05-13 Clashes in Tripoli • Example Wire

Heavy fighting broke out in the Libyan capital Tripoli overnight, officials said.

The clashes spread to the Libyan port, and the officials said at least four people were killed.

Libya has been divided between rival governments since 2014, and Libyan authorities have struggled to disarm the militias.

A spokesman for the armed group said its fighters had pulled back from the port.
"""

TWO_COUNTRIES = """ date 2025-01-28 Fighting in Goma • Example Wire

Rwandan troops and Congolese soldiers clashed near Goma, as Rwanda and Congo traded blame.

The government said Rwandan forces were present in the city.

Congo and Rwanda have accused each other of backing armed groups, and Rwanda denies sending troops.
"""


def test_generic_speakers_take_the_one_country_an_article_is_about():
    _, claims, _, _ = run(LIBYA, "libya.txt")
    assert names(claims, "Heavy fighting broke out") == ["Libyan officials"]
    assert names(claims, "at least four people were killed") == ["Libyan officials"]
    assert all(c.claimant_affiliation == "Libya" for c in claims_in(claims, "Heavy fighting"))
    # a group's spokesman is not the country's
    assert names(claims, "pulled back from the port") == ["spokesman for the armed group"]


def test_the_government_of_an_article_about_two_countries_is_not_guessed():
    _, claims, _, _ = run(TWO_COUNTRIES, "two.txt")
    assert names(claims, "Rwandan forces were present") == []


def test_a_medium_among_several_subjects_speaks_with_them_and_carries_no_one():
    text = "A drone strike killed six farmers near the village, residents and local media said on Monday.\n"
    _, claims, _, _ = run(text, "cosubjects.txt")
    found = {c.claimant: c for c in claims_in(claims, "killed six farmers")}
    assert set(found) == {"residents", "local media"}
    assert found["local media"].claimant_type == "outlet"
    assert found["residents"].outlet != "local media"


def test_a_title_coordinated_with_another_is_one_person():
    text = ("“The deal is painful,” former ambassador and co-chair of the mediation group Carey Lindqvist "
            "writes for the newspaper.\n")
    _, claims, _, _ = run(text, "titles.txt")
    assert len(claims_in(claims, "The deal is painful")) == 1


def test_a_comma_ends_the_name_before_a_speaker_set_off_after_the_content():
    text = ("Gunmen opened fire on the checkpoint near the border, killing soldier Aram Petrosyan, "
            "Armenia's Defence Ministry said.\n")
    _, claims, _, _ = run(text, "comma.txt")
    assert names(claims, "opened fire on the checkpoint") == ["Armenia's Defence Ministry"]


def test_it_is_the_body_the_sentence_is_about():
    text = ("Armenia's Defence Ministry said a soldier was killed at an outpost on Monday.\n\n"
            "Armenia's Foreign Ministry issued a statement condemning the attack, which it said was meant "
            "to derail the talks.\n")
    _, claims, _, _ = run(text, "it.txt")
    assert names(claims, "meant to derail the talks") == ["Armenia's Foreign Ministry"]
