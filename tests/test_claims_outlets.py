"""Outlets: the medium a claim came through, wherever the attribution names it (sentences written
for these tests in the style of wire copy)."""
from __future__ import annotations

from extraction_helpers import claims_in, run


def one(claims, fragment):
    found = claims_in(claims, fragment)
    assert len(found) == 1, (fragment, [(c.claimant, c.outlet) for c in found])
    return found[0]


def test_told_state_television():
    text = "The junta's spokesman, General Thant Zin, told state television that the village was a rebel base.\n"
    _, claims, _, _ = run(text, "tv.txt")
    c = one(claims, "village was a rebel base")
    assert "Thant Zin" in c.claimant and c.outlet == "state television"


def test_a_medium_that_speaks_is_its_own_outlet():
    text = "Iranian state media reported that three engineers were killed in an overnight strike near Isfahan.\n"
    _, claims, _, _ = run(text, "media.txt")
    c = one(claims, "three engineers were killed")
    assert c.claimant == "Iranian state media" and c.outlet == "Iranian state media"
    assert c.claimant_type == "outlet"


def test_according_to_a_news_agency_is_the_channel_not_a_second_speaker():
    text = ("The interior ministry said two police stations were attacked near Homs, according to the "
            "state news agency SANA.\n")
    _, claims, _, _ = run(text, "sana.txt")
    c = one(claims, "police stations were attacked")
    assert "ministry" in c.claimant.lower() and c.outlet == "SANA"


def test_quoted_by_described_news_agencies():
    text = ("Deputy Foreign Minister Mikhail Galuzin was quoted by Russian news agencies as saying that "
            "talks would resume next week.\n")
    _, claims, _, _ = run(text, "agencies.txt")
    c = one(claims, "talks would resume")
    assert "Galuzin" in c.claimant and c.outlet == "Russian news agencies"


def test_platforms_named_anywhere_in_the_attribution():
    text = ("“Shelling of the border villages must stop now,” EU envoy Toivo Laar wrote on X. "
            "“Both sides must return to talks.”\n\n"
            "Armenian Prime Minister Nikol Pashinyan, in a Facebook post, said the troops would stay.\n")
    _, claims, _, _ = run(text, "platforms.txt")
    assert one(claims, "border villages must stop").outlet == "X"
    assert one(claims, "Both sides must return to talks").outlet == "X"
    assert one(claims, "the troops would stay").outlet == "Facebook"


def test_the_reporting_agency_wins_over_the_platform_it_quotes():
    text = ("“Heavy fighting continues near the airport,” army spokeswoman Ana Ruiz said on Telegram on "
            "Monday, AFP reported.\n")
    _, claims, _, _ = run(text, "afp.txt")
    c = one(claims, "Heavy fighting continues")
    assert "Ruiz" in c.claimant and c.outlet == "AFP"


def test_the_medium_of_an_interview_carries_to_the_speaker_named_by_surname_later():
    text = ("In an interview with the BBC, Foreign Minister Hakan Demir said the corridor would reopen.\n\n"
            "Demir said the talks had been constructive.\n")
    _, claims, _, _ = run(text, "interview.txt")
    assert one(claims, "corridor would reopen").outlet == "BBC"
    assert one(claims, "talks had been constructive").outlet == "BBC"


def test_an_article_without_an_outlet_takes_the_medium_it_names_for_its_speaker():
    text = ("Russia remains committed to the ceasefire in the region. This was stated by the Kremlin "
            "spokesman. \"We will keep talking to Baku and Yerevan,\" Dmitry Peskov said, TASS reports.\n")
    _, claims, _, _ = run(text, "tass.txt")
    assert one(claims, "committed to the ceasefire").outlet == "TASS"
    assert one(claims, "keep talking to Baku").outlet == "TASS"


def test_a_platform_is_not_the_channel_of_an_article_without_an_outlet():
    text = ("The governor said in a Facebook post that two schools were hit overnight. "
            "Witnesses said four people were detained near the market.\n")
    _, claims, _, _ = run(text, "platform.txt")
    assert one(claims, "two schools were hit").outlet == "Facebook"
    assert one(claims, "four people were detained").outlet is None
