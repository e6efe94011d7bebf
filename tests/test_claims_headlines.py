"""Headlines, captions, credit lines and the outlet's own doubt (text written for these tests in
the style of news pages)."""
from __future__ import annotations

from claimwatch import clean
from claimwatch.models import RawArticle
from extraction_helpers import claims_in, run


def names(claims, fragment):
    return sorted(c.claimant for c in claims_in(claims, fragment))


PAGE = """Residents: militia fighters looted the market in Kadugli
Shelling hit the town overnight - Sudanese army

Shelling hit the town overnight - Sudanese army

Photo: Anadolu Agency

Residents of Kadugli said militia fighters looted shops and burned the market late on Tuesday.
"""


def test_a_headline_names_its_source_before_a_colon_or_after_a_dash():
    _, claims, _, _ = run(PAGE, "page.txt")
    assert names(claims, "looted the market in Kadugli") == ["Residents"]
    assert [c.cue for c in claims_in(claims, "looted the market in Kadugli")] == ["headline"]
    army = claims_in(claims, "Shelling hit the town overnight")
    assert len(army) == 1, "a headline printed twice counts once"
    assert army[0].claimant == "Sudanese army"


def test_a_credit_line_is_neither_text_nor_a_claim():
    arts = clean.split_raw(RawArticle(source="page.txt", path="page.txt", text=PAGE))
    assert "Photo: Anadolu Agency" not in arts[0].text
    _, claims, _, _ = run(PAGE, "page.txt")
    assert not any("Anadolu" in c.claimant for c in claims)


def test_teasers_of_other_stories_are_dropped():
    text = ("Read also: Army says it retook two villages near the border\n\n"
            "READ ALSO: Ministry says 40 militants killed in air strikes\n\n"
            "The governor said 12 people were wounded when a rocket hit a bus station on Friday.\n")
    arts = clean.split_raw(RawArticle(source="teaser.txt", path="teaser.txt", text=text))
    assert "retook two villages" not in arts[0].text and "40 militants" not in arts[0].text


def test_an_earlier_unfinished_line_gives_way_to_the_sentence_that_contains_it():
    text = ("Rebels said they shot down a government helicopter near Goma\n"
            "Rebels said they shot down a government helicopter near Goma on Sunday.\n")
    _, claims, _, _ = run(text, "teaser.txt")
    found = claims_in(claims, "shot down a government helicopter")
    assert len(found) == 1 and found[0].evidence.endswith("on Sunday.")


def test_the_outlets_own_doubt_without_a_verifying_subject():
    text = ("MOGADISHU (Reuters) - Gunmen stormed a hotel in the capital overnight, police said. "
            "It was not immediately clear how many people were inside. "
            "Reports of a second attack in Baidoa could not be independently verified.\n")
    _, claims, _, _ = run(text, "doubt.txt")
    for fragment in ("not immediately clear", "could not be independently verified"):
        found = claims_in(claims, fragment)
        assert [(c.claimant, c.stance) for c in found] == [("Reuters", "doubt")], fragment


def test_a_doubt_spoken_by_someone_is_theirs_not_the_outlets():
    text = ("MOGADISHU (Reuters) - \"It is not clear who carried out the attack,\" police spokesman "
            "Abdi Hassan told reporters.\n")
    _, claims, _, _ = run(text, "theirs.txt")
    assert names(claims, "who carried out the attack") == ["police spokesman Abdi Hassan"]
