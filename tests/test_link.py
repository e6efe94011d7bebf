"""The link stage on hand-written wire copy: which place an event mention is coded at.

Same-named places are told apart by the article's countries and the words around the name;
a village the gazetteer lacks is coded at the district or province the text puts it in; a
place named in one sentence does not place an unrelated one; a dateline is not a place.
"""
from __future__ import annotations

import pytest

from claimwatch import link
from claimwatch.gazetteer import Gazetteer
from claimwatch.models import PlaceRef
from extraction_helpers import run


def placed(text: str) -> list[tuple[str, str, str]]:
    """(location, country, admin level) of every linked event mention, in text order."""
    _, _, _, mentions = run(text)
    return [(m.location, m.country, m.admin_level) for m in mentions]


def evidence_at(text: str) -> dict[str, str]:
    """Evidence sentence -> location of the linked event mentions."""
    _, _, _, mentions = run(text)
    return {m.evidence: m.location for m in mentions}


# --------------------------------------------------------------------------- same-named places


def test_tripoli_follows_the_story_country():
    lebanon = placed(
        "BEIRUT (Example News) – An Israeli drone strike hit a car in Tripoli on Tuesday, killing two "
        "men, Lebanon's state news agency said.\n\n"
        "Lebanese army units sealed off the area, a security source said.\n"
    )
    libya = placed(
        "Armed groups clashed in Tripoli on Tuesday, killing four people, Libya's health ministry "
        "said.\n\nResidents of the Libyan capital reported heavy gunfire overnight.\n"
    )
    assert ("Tripoli", "Lebanon", "city") in lebanon
    assert ("Tripoli", "Libya", "city") in libya


def test_ukrainian_village_is_not_the_foreign_city_of_that_name():
    mentions = placed(
        "Russian drones struck the village of Poznan in Ukraine's Rivne region on Sunday, wounding "
        "a woman, the regional governor said.\n"
    )
    assert mentions and mentions[0][:2] == ("Poznan", "Ukraine")
    assert mentions[0][2] == "village"


def test_big_foreign_city_stays_itself():
    gaz = Gazetteer.default()
    ctx = link.Context(countries=["Ukraine"])
    moscow = link.pick(gaz, gaz.matches("Moscow", ctx.countries), ctx)
    assert moscow.country == "Russia" and moscow.admin_level == "city"


def test_small_place_abroad_is_not_trusted():
    gaz = Gazetteer.default()
    ctx = link.Context(countries=["Syria"], anchors=[(36.2, 37.16)])  # a story about Aleppo
    # "Levant" is only a Maine village in GeoNames; in a Syrian story it places nothing
    assert link.pick(gaz, gaz.matches("Levant", ctx.countries), ctx) is None


def test_small_place_near_the_story_is_trusted():
    gaz = Gazetteer.default()
    # a story datelined Yerevan about shelling across the border
    ctx = link.Context(countries=["Armenia"], anchors=[(40.18, 44.51)])
    barda = link.pick(gaz, gaz.matches("Barda", ctx.countries), ctx)
    assert barda.country == "Azerbaijan"


# --------------------------------------------------------------------------- kinds and containers


@pytest.mark.parametrize(
    ("text", "location", "level"),
    [
        # the region word after a city's name makes it the oblast
        ("Russian artillery shelled eleven settlements in the Kherson region on Saturday, the "
         "regional administration said.\n", "Kherson Oblast", "region"),
        # a village the gazetteer lacks is coded at the district the text puts it in...
        ("Soldiers clashed with bandits near the village of Dantsoho-Kwari in Zurmi district of "
         "Zamfara state on Thursday, killing nine of them, police said.\n", "Zurmi", "district"),
        # ...or at the province, when no district is named
        ("Government forces shelled the village of Qaryat al-Nakhil in Deir ez-Zor province on "
         "Wednesday, killing three civilians, a war monitor said.\n", "Deir ez-Zor Governorate", "region"),
        # a spelling of the story country's transliteration
        ("Air strikes killed 12 people in the Syrian city of Deir az-Zour on Monday, a monitoring "
         "group said.\n", "Deir ez-Zor", "city"),
    ],
)
def test_coded_at_the_place_and_level_the_words_give(text, location, level):
    mentions = placed(text)
    assert mentions, "the event must be placed"
    assert mentions[0][0].startswith(location) and mentions[0][2] == level, mentions


def test_known_village_is_taken_inside_the_named_province():
    gaz = Gazetteer.default()
    ctx = link.Context(countries=["Syria"])
    ref = PlaceRef("Saraqib", 0, 7)
    saraqib = link.resolve_ref(gaz, ref, ctx, ([], ["in", "Idlib", "province"]))
    assert saraqib.name == "Saraqib" and saraqib.admin1 == "Idlib Governorate"


# --------------------------------------------------------------------------- carrying places over


def test_place_not_carried_into_an_unrelated_sentence():
    at = evidence_at(
        "Russian missiles struck an apartment block in Kharkiv on Monday, killing five people, the "
        "governor said. Meanwhile, air defences shot down 14 drones overnight, the air force said.\n"
    )
    strike = next(loc for ev, loc in at.items() if ev.startswith("Russian missiles"))
    assert strike == "Kharkiv"
    assert not any(ev.startswith("Meanwhile") for ev in at), at


def test_place_carried_into_a_sentence_that_points_back():
    at = evidence_at(
        "Israeli tanks pushed into the outskirts of Khan Younis on Thursday, residents said. Two "
        "people were killed when a shell hit a house in the area, medics said.\n"
    )
    assert any(ev.startswith("Two people were killed") and loc == "Khan Younis" for ev, loc in at.items()), at


def test_dateline_is_not_the_place_of_the_event():
    assert link.is_dateline("WASHINGTON", [], ["(", "Example", "News", ")", "-"])
    assert link.is_dateline("Dakar", [], ["-", "At", "least"])
    assert not link.is_dateline("Kharkiv", ["in"], [",", "officials"])
    mentions = placed(
        "WASHINGTON (Example News) - U.S. forces carried out an air strike on a weapons depot near "
        "Sanaa on Friday, the Pentagon said.\n"
    )
    assert [m[0] for m in mentions] == ["Sanaa"]


@pytest.mark.parametrize(
    "evidence",
    ["Fierce clashes continued in the Donetsk region, the army said.",
     "Fighting raged across Idlib province, activists said."],
)
def test_an_area_with_no_day_and_no_toll_is_background(evidence):
    gaz = Gazetteer.default()
    from claimwatch.models import EventMention
    m = EventMention(doc="d", start=0, end=len(evidence), evidence=evidence, event_type="Battles",
                     sub_event_type="Armed clash", date="2024-05-02", date_precision="report",
                     date_reason="", location=None)
    area = gaz.lookup("Donetsk region") if "Donetsk" in evidence else gaz.lookup("Idlib province")
    assert link.untimed_background(m, area)
    m.fatalities = 6  # "... killing six": an incident, even if only the report's day is known
    assert not link.untimed_background(m, area)
    assert not link.untimed_background(m, gaz.lookup("Saraqib", ["Syria"]))


# --------------------------------------------------------------------------- the article's province, names spelled another way


def test_a_sentence_naming_only_the_country_is_coded_at_the_one_province_of_the_article():
    mentions = placed(
        "BEIRUT (Example News) – A car bomb killed 14 people at a crowded market in eastern Syria on "
        "Sunday, state media said.\n\n"
        "The market lies on the road south of the city of Deir ez-Zor, residents said.\n"
    )
    assert ("Deir ez-Zor Governorate", "Syria", "region") in mentions
    assert not any(level == "country" for _, _, level in mentions)


def test_no_province_is_guessed_when_the_article_names_two():
    mentions = placed(
        "A car bomb killed 14 people at a crowded market in eastern Syria on Sunday, state media said.\n\n"
        "Fighting also went on between Raqqa and the city of Deir ez-Zor, residents said.\n"
    )
    assert not any(level == "region" and "Governorate" in name for name, _, level in mentions)


def test_a_town_alone_does_not_name_the_province_of_a_compass_part():
    # "southern Lebanon" spans two governorates: a town of one of them does not say which
    mentions = placed(
        "Israeli air strikes on southern Lebanon killed 31 people on Tuesday, the health ministry said.\n\n"
        "Separately, a drone hit a car near the hospital of the town of Bint Jbeil, residents said.\n"
    )
    assert not any(level == "region" for _, _, level in mentions)


def test_the_province_fallback_is_only_for_the_story_country():
    mentions = placed(
        "A US-led coalition air strike killed 11 civilians in northern Syria on Monday, a monitor said. "
        "Syrian state media blamed the coalition for the strike on Syria.\n\n"
        "Officials in Washington said they were looking into the report.\n"
    )
    assert not any(country == "United States" for _, country, _ in mentions)


def test_a_body_named_by_a_demonym_tells_the_story_country():
    # the text never writes "Syria": the monitor's name says it, and "Raqa" is then Raqqa
    mentions = placed(
        "A US-led coalition air strike killed 9 civilians on Tuesday in Raqa, the Syrian Observatory "
        "for Human Rights said. The US military said it was checking the report.\n"
    )
    assert ("Raqqa", "Syria", "city") in mentions


def test_a_big_city_abroad_known_under_the_name_only_as_an_alternate_loses_to_the_story_place():
    gaz = Gazetteer.default()
    ctx = link.Context(countries=["Syria", "Jordan", "Iraq"], anchors=[(32.62, 36.10)])  # Daraa
    busra = link.pick(gaz, gaz.matches("Busra", ctx.countries), ctx, text="Busra")
    assert busra.country == "Syria"  # Bosra, not Basrah in Iraq


def test_a_spelling_match_far_from_the_story_is_not_taken():
    gaz = Gazetteer.default()
    ctx = link.Context(countries=["Syria", "Russia"], anchors=[(35.93, 36.63)])  # Idlib
    place = link.pick(gaz, gaz.matches("Meles", ctx.countries), ctx, text="Meles")
    assert place is None or place.country == "Syria"  # not Meleuz, 2,500 km away in Russia


def test_a_lowercase_word_is_no_place_nor_the_container_of_one():
    gaz = Gazetteer.default()
    ctx = link.Context(countries=["United States", "Syria"])
    ref = PlaceRef("countrys", 0, 8)
    assert link.resolve_ref(gaz, ref, ctx, (["strikes", "on", "the"], ["eastern", "Deir", "ezzor", "province"])) is None
