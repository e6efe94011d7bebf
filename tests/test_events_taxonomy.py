"""Events: every ACLED sub-event type detected and typed from its arguments, every place of a coordinated
list, and what is no incident at all (threats, habits, floods, court cases).

Every sentence here is written for these tests in the style of wire copy; each runs through the real
pipeline stages (clean, annotate, extract, link) with extraction_helpers.run.
"""
from __future__ import annotations

import pytest

from extraction_helpers import run

# Published on Monday 2024-03-11; every paragraph a separate report, at a different place.
TAXONOMY = """ date 2024-03-11 Around the wars • Example Wire

Government troops clashed with al-Shabaab fighters near Baidoa on Tuesday, a military officer said.

Iraqi forces recaptured the town of Tal Afar from Islamic State militants on Thursday, the army said.

Jihadist fighters seized the town of Djibo in northern Burkina Faso on Monday, residents said.

A Turkish drone strike hit a car near Qamishli on Sunday, killing two fighters, a war monitor said.

Russian forces shelled Nikopol with heavy artillery on Saturday, the regional governor said.

A suicide bomber blew himself up at a police checkpoint in Kandahar on Friday, killing four officers.

A roadside bomb struck an army patrol near Gao on Wednesday, wounding three soldiers.

Attackers hurled a grenade into a crowded bar in Bujumbura on Saturday, police said.

Government helicopters dropped chlorine gas on the town of Saraqib on Tuesday, rescue workers said.

Gunmen killed 12 villagers in an attack on Kajuru on Sunday, the state police said.

Armed men abducted 30 students from a school in Kankara on Friday, the governor said.

Soldiers raped at least ten women in the town of Bentiu on Thursday, a United Nations official said.

Thousands of people marched through Nairobi on Tuesday to protest against new taxes.

Police fired tear gas at hundreds of protesters in Dakar on Friday.

Security forces opened fire on demonstrators in Mandalay on Saturday, killing three people, witnesses said.

Rioters set fire to police vehicles and looted shops in Kinshasa on Monday.

A mob lynched two men accused of theft in Goma on Wednesday, local officials said.

The warring parties signed a ceasefire agreement in Addis Ababa on Wednesday.

Police arrested 15 opposition activists in Harare on Thursday, their lawyer said.

Two armed groups announced a merger at a ceremony in Kidal on Sunday.

Air defence systems shot down 12 drones over Belgorod on Friday, the governor said.

Army engineers defused an explosive device near Kismayo on Tuesday, a police officer said.

French troops set up a new military base near Mopti on Friday, the army said.

Paramilitary fighters looted the central market in Nyala on Saturday, residents said.

Rebel forces withdrew from the town of Beni on Thursday, a local official said.

The army deployed hundreds of troops to Bamako on Sunday, the defence ministry said.
"""


@pytest.fixture(scope="module")
def taxonomy():
    return run(TAXONOMY, "taxonomy.txt")[3]


@pytest.mark.parametrize("fragment, event_type, sub_event_type, location, day", [
    ("clashed with al-Shabaab fighters", "Battles", "Armed clash", "Baidoa", "2024-03-05"),
    ("recaptured the town of Tal Afar", "Battles", "Government regains territory", "Tal Afar", "2024-03-07"),
    ("seized the town of Djibo", "Battles", "Non-state actor overtakes territory", "Djibo", "2024-03-11"),
    ("drone strike hit a car near Qamishli", "Explosions/Remote violence", "Air/drone strike", "Qamishli",
     "2024-03-10"),
    ("shelled Nikopol with heavy artillery", "Explosions/Remote violence", "Shelling/artillery/missile attack",
     "Nikopol", "2024-03-09"),
    ("suicide bomber blew himself up", "Explosions/Remote violence", "Suicide bomb", "Kandahar", "2024-03-08"),
    ("roadside bomb struck an army patrol", "Explosions/Remote violence", "Remote explosive/landmine/IED", "Gao",
     "2024-03-06"),
    ("hurled a grenade into a crowded bar", "Explosions/Remote violence", "Grenade", "Bujumbura", "2024-03-09"),
    ("dropped chlorine gas", "Explosions/Remote violence", "Chemical weapon", "Saraqib", "2024-03-05"),
    ("Gunmen killed 12 villagers", "Violence against civilians", "Attack", "Kajuru", "2024-03-10"),
    ("abducted 30 students", "Violence against civilians", "Abduction/forced disappearance", "Kankara",
     "2024-03-08"),
    ("raped at least ten women", "Violence against civilians", "Sexual violence", "Bentiu", "2024-03-07"),
    ("marched through Nairobi", "Protests", "Peaceful protest", "Nairobi", "2024-03-05"),
    ("fired tear gas at hundreds of protesters", "Protests", "Protest with intervention", "Dakar", "2024-03-08"),
    ("opened fire on demonstrators", "Protests", "Excessive force against protesters", "Mandalay", "2024-03-09"),
    ("Rioters set fire to police vehicles", "Riots", "Violent demonstration", "Kinshasa", "2024-03-11"),
    ("A mob lynched two men", "Riots", "Mob violence", "Goma", "2024-03-06"),
    ("signed a ceasefire agreement", "Strategic developments", "Agreement", "Addis Ababa", "2024-03-06"),
    ("arrested 15 opposition activists", "Strategic developments", "Arrests", "Harare", "2024-03-07"),
    ("announced a merger", "Strategic developments", "Change to group/activity", "Kidal", "2024-03-10"),
    ("shot down 12 drones", "Strategic developments", "Disrupted weapons use", "Belgorod", "2024-03-08"),
    ("defused an explosive device", "Strategic developments", "Disrupted weapons use", "Kismayo", "2024-03-05"),
    ("set up a new military base", "Strategic developments", "Headquarters or base established", "Mopti",
     "2024-03-08"),
    ("looted the central market", "Strategic developments", "Looting/property destruction", "Nyala",
     "2024-03-09"),
    ("withdrew from the town of Beni", "Strategic developments", "Non-violent transfer of territory", "Beni",
     "2024-03-07"),
    ("deployed hundreds of troops to Bamako", "Strategic developments", "Other", "Bamako", "2024-03-10"),
])
def test_every_sub_event_type_is_detected_and_typed(taxonomy, fragment, event_type, sub_event_type, location, day):
    found = [m for m in taxonomy if fragment in m.evidence]
    assert len(found) == 1, f"expected one mention for {fragment!r}, got {found}"
    m = found[0]
    assert (m.event_type, m.sub_event_type) == (event_type, sub_event_type)
    assert m.location == location
    assert m.date == day


# ---- the arguments decide the type ------------------------------------------------------------------

# Published on Monday 2024-03-11.
ARGUMENTS = """ date 2024-03-11 Attacks across the Sahel • Example Wire

Militants attacked an army convoy near Mopti on Sunday, killing five soldiers, the army said.

Militants attacked worshippers at a mosque in Sokoto on Friday, killing nine people, residents said.

Militants attacked the town of Gao with mortars on Thursday, the governor said.

A bomb attack on a military convoy near Kidal killed four soldiers on Saturday.

A blast at a border crossing near Herat wounded six people on Wednesday.

Insurgents ambushed a police patrol outside Maiduguri on Tuesday, police said.

At least 20 fighters were killed in clashes with the army in Marib on Sunday, a local official said.
"""


@pytest.fixture(scope="module")
def arguments():
    return run(ARGUMENTS, "arguments.txt")[3]


@pytest.mark.parametrize("fragment, event_type, sub_event_type, location", [
    # an attack on armed forces is a battle
    ("attacked an army convoy", "Battles", "Armed clash", "Mopti"),
    # on civilians, violence against civilians
    ("attacked worshippers", "Violence against civilians", "Attack", "Sokoto"),
    # with mortars, an explosion from afar, whoever was hit
    ("attacked the town of Gao with mortars", "Explosions/Remote violence", "Shelling/artillery/missile attack",
     "Gao"),
    ("A bomb attack on a military convoy", "Explosions/Remote violence", "Remote explosive/landmine/IED", "Kidal"),
    ("A blast at a border crossing", "Explosions/Remote violence", "Remote explosive/landmine/IED", "Herat"),
    ("ambushed a police patrol", "Battles", "Armed clash", "Maiduguri"),
    ("were killed in clashes with the army", "Battles", "Armed clash", "Marib"),
])
def test_the_arguments_decide_the_type(arguments, fragment, event_type, sub_event_type, location):
    found = [m for m in arguments if fragment in m.evidence]
    assert [(m.event_type, m.sub_event_type, m.location) for m in found] == [(event_type, sub_event_type, location)]


def test_the_death_toll_of_the_sentence_is_the_incidents(arguments):
    assert [m.fatalities for m in arguments if "army convoy near Mopti" in m.evidence] == [5]
    assert [m.fatalities for m in arguments if "killed in clashes" in m.evidence] == [20]


# ---- every place, every weapon, every incident of a sentence ---------------------------------------

# Published on Monday 2024-03-11.
MANY = """ date 2024-03-11 A night of strikes • Example Wire

Russian artillery shelled Kherson, Nikopol and Marhanets on Sunday, regional officials said.

Air defences destroyed 41 drones overnight, 20 over the Bryansk region, 12 over the Kursk region and nine over the Belgorod region, the defence ministry said.

Israeli jets struck Jenin on Saturday and troops raided Tulkarm, the Palestinian news agency said.

Russia attacked Zaporizhzhia with missiles and drones on Friday, the regional governor said.

Government helicopters dropped barrel bombs on Idlib on Saturday and Sunday, rescuers said.
"""


@pytest.fixture(scope="module")
def many():
    return run(MANY, "many.txt")[3]


def test_each_place_of_a_coordinated_list_is_an_incident_of_its_own(many):
    shelled = [m for m in many if "shelled Kherson" in m.evidence]
    assert sorted(m.location for m in shelled) == ["Kherson", "Marhanets", "Nikopol"]
    for m in shelled:
        assert m.sub_event_type == "Shelling/artillery/missile attack"
        assert m.date == "2024-03-10"
        assert m.place_refs[0].text == m.location  # each with its own place first


def test_each_place_of_an_elliptical_list_is_an_incident_of_its_own(many):
    downed = [m for m in many if "Air defences destroyed 41 drones" in m.evidence]
    assert sorted(m.location.split()[0] for m in downed) == ["Belgorod", "Bryansk", "Kursk"]  # the regions
    assert {m.sub_event_type for m in downed} == {"Disrupted weapons use"}


def test_each_weapon_of_a_list_is_an_incident_of_its_own(many):
    found = {(m.sub_event_type, m.location, m.date) for m in many if "with missiles and drones" in m.evidence}
    assert found == {("Shelling/artillery/missile attack", "Zaporizhzhia", "2024-03-08"),
                     ("Air/drone strike", "Zaporizhzhia", "2024-03-08")}


def test_each_day_of_a_list_is_an_incident_of_its_own(many):
    found = sorted((m.date, m.sub_event_type, m.location) for m in many if "barrel bombs" in m.evidence)
    assert found == [("2024-03-09", "Air/drone strike", "Idlib"), ("2024-03-10", "Air/drone strike", "Idlib")]


def test_two_clauses_two_incidents(many):
    west_bank = {(m.location, m.event_type) for m in many if "struck Jenin" in m.evidence}
    assert ("Jenin", "Explosions/Remote violence") in west_bank
    assert ("Tulkarm", "Battles") in west_bank


# ---- what is no incident ----------------------------------------------------------------------------

# Published on Monday 2024-03-11.
NONE = """ date 2024-03-11 Threats and habits • Example Wire

Hamas threatened to attack Ashkelon if the raids on Gaza continue.

The villages around Sumy live under daily bombardment.

Residents of Kharkiv say the nonstop attacks have worn them down.

The army denied that it had shelled Avdiivka on Sunday.

Floods killed 23 people in Sylhet on Sunday, the disaster ministry said.

A court in Nairobi sentenced a former police officer to 20 years in prison on Friday.

The rebels plan an offensive on Goma, a senior commander said.

Rebels regularly fire rockets into Mogadishu from the surrounding countryside.

More than 500 people have been killed in Tigray since the war began.
"""


@pytest.fixture(scope="module")
def none():
    return run(NONE, "none.txt")[3]


@pytest.mark.parametrize("fragment", [
    "threatened to attack Ashkelon",       # a threat
    "under daily bombardment",             # a habit
    "nonstop attacks",                     # a habit
    "denied that it had shelled Avdiivka",  # a denial names an incident: kept (status: denied), see below
    "Floods killed 23 people",             # a disaster, no armed actor
    "sentenced a former police officer",   # a court case
    "plan an offensive on Goma",           # a plan
    "regularly fire rockets",              # a habit
    "have been killed in Tigray since",    # a running total
])
def test_no_incident(none, fragment):
    found = [m for m in none if fragment in m.evidence]
    if fragment.startswith("denied"):
        assert [(m.sub_event_type, m.location) for m in found] == [("Shelling/artillery/missile attack", "Avdiivka")]
    else:
        assert found == []


def test_two_full_dates_in_an_undated_article_give_an_incident_each():
    text = "Government jets bombed Aleppo on 18 July 2016 and 19 July 2016, a monitor said.\n"
    mentions = run(text, "undated.txt")[3]
    assert sorted((m.date, m.location) for m in mentions) == [("2016-07-18", "Aleppo"), ("2016-07-19", "Aleppo")]


def test_an_undated_report_placed_at_a_region_is_an_event_without_a_day():
    # a single-incident report with no date line: its region is where it happened, its day unknown
    mentions = run("Ukrainian drones struck the Belgorod region on Sunday, killing two people, the governor said.\n",
                   "undated_region.txt")[3]
    assert [(m.sub_event_type, m.location, m.admin_level, m.date) for m in mentions] == [
        ("Air/drone strike", "Belgorod Oblast", "region", None)]


# ---- an article tells one incident in several sentences ---------------------------------------------

# Published on Monday 2024-03-11; each paragraph a sentence, as wire copy is laid out.
ONE_INCIDENT = """ date 2024-03-11 Drones hit Kherson • Example Wire

At least nine civilians were killed in an attack by Russian forces in Kherson on Sunday, the regional governor said.

Russian forces launched a swarm of drones at the city, the governor said.
"""


def test_an_attack_and_the_drones_of_the_next_paragraph_are_one_drone_strike_at_the_named_city():
    mentions = run(ONE_INCIDENT, "one_incident.txt")[3]
    assert {(m.event_type, m.sub_event_type, m.location) for m in mentions} == {
        ("Explosions/Remote violence", "Air/drone strike", "Kherson")}


# Published on Wednesday 2024-05-15. Wire copy that gives every sentence a paragraph of its own.
PLACED_LATER = """ date 2024-05-15 Army says it downed a border patrol drone by mistake • Example Wire

TBILISI (Example Wire) - Border troops shot down a surveillance drone flying over Georgia on Tuesday evening, the defence ministry said.

The ministry called it a regrettable error and said an inquiry had begun.

The incident happened near the village of Sadakhlo, close to the Armenian border, a ministry statement said.

The second drone belonged to a squadron stationed in Rustavi, the ministry added. Air defences shot down the second drone on Wednesday, a ministry official said.
"""


@pytest.fixture(scope="module")
def placed_later():
    return run(PLACED_LATER)[3]


def test_a_later_sentence_saying_where_the_incident_happened_places_it(placed_later):
    downed = [m for m in placed_later if "shot down a surveillance drone" in m.evidence]
    assert [(m.sub_event_type, m.location, m.date) for m in downed] == [
        ("Disrupted weapons use", "Sadakhlo", "2024-05-14")]


def test_where_something_is_stationed_is_not_where_the_incident_is(placed_later):
    # the squadron's home, named in the sentence before, does not place the downing
    second = [m for m in placed_later if "shot down the second drone" in m.evidence]
    assert second == []


def test_a_given_name_before_a_surname_is_no_place():
    text = """ date 2024-05-15 Protesters attack speaker • Example Wire

The speaker of parliament Armavir Mkrtchyan was pushed and beaten on Monday by protesters, a spokesman said.
"""
    mentions = run(text)[3]
    assert [m.location for m in mentions if "beaten" in m.evidence] == []


def test_new_attacks_take_no_place_from_the_strike_told_before():
    text = """ date 2024-05-16 Shelling of market town kills nine • Example Wire

Rockets hit the market town of Kupiansk on Wednesday, killing nine civilians, the governor said. Rescue workers in Kupiansk finished clearing the rubble overnight. Both sides accused each other of launching new attacks on Thursday morning, though no casualties were reported.
"""
    mentions = run(text)[3]
    assert [m.location for m in mentions if "Rockets hit" in m.evidence] == ["Kupiansk"]
    assert [m.location for m in mentions if "new attacks" in m.evidence] == []


def test_each_region_of_a_tally_is_an_incident_even_two_names_before_one_plural():
    text = """ date 2024-12-20 Drones downed over four regions • Example Wire

MOSCOW (Example Wire) - "Air defences destroyed 40 Ukrainian drones overnight," the ministry said, adding that 20 drones were destroyed over the Smolensk Region, 12 over the Pskov Region, and four over each of the Ryazan and Saratov Regions.
"""
    mentions = run(text)[3]
    assert sorted({m.location for m in mentions}) == [
        "Pskov Oblast", "Ryazan Oblast", "Saratov Oblast", "Smolensk Oblast"]
    assert {m.sub_event_type for m in mentions} == {"Disrupted weapons use"}


def test_a_news_agency_named_like_a_town_is_no_place_unless_something_happened_in_it():
    text = """ date 2023-10-08 Toll rises • Example Wire

In a statement sent to Xinhua on Sunday, the health ministry said 52 people were killed in the air strikes.

Government forces clashed with militants in Al Mayadeen on Saturday, killing 12 fighters, the monitor said.
"""
    mentions = run(text)[3]
    assert [m.location for m in mentions if "Xinhua" in m.evidence] == []
    assert [m.location for m in mentions if "Al Mayadeen" in m.evidence] == ["Mayadin"]
