"""Events: detection and ACLED coding, the event's own day and place, merging across articles, status, CLI.

Every article here is written for these tests in the style of wire copy. Sentence-level behaviour
is checked through the real pipeline stages (extraction_helpers.run); merging, status and the
`events`/`disputes` commands on one store built once from several files with ingest_paths.
"""
from __future__ import annotations

import json

import pytest

from claimwatch.cli import main
from claimwatch.pipeline import ingest_paths
from claimwatch.store import Store
from conftest import write_file
from extraction_helpers import run

ACLED_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
               "Strategic developments"}


def mentions_in(mentions, fragment: str):
    return [m for m in mentions if fragment in m.evidence]


def one(mentions, fragment: str):
    found = mentions_in(mentions, fragment)
    assert len(found) == 1, f"expected one event mention on the sentence with {fragment!r}, got {found}"
    return found[0]


# ---- detection and ACLED coding -----------------------------------------------------------------

# Published on Friday 2022-10-14.
UKRAINE_REPORT = """ date 2022-10-14 Missiles hit Kyiv as fighting rages in the east • Example Wire

KYIV (Example Wire) – Russian missiles struck the centre of Kiev on Thursday morning, killing at least three people and wounding 12, Ukrainian officials said.

Russian artillery shelled Kharkiv overnight, the regional governor said.

Ukrainian forces recaptured the town of Kupiansk on Monday evening, the general staff said.

Heavy fighting broke out around Bakhmut on Wednesday, with both sides reporting heavy losses.

A Russian drone strike hit a power station in Odesa over the weekend, the city's mayor said.

Hundreds of people rallied in Zaporizhzhia on Tuesday to demand more air defences for the city.

Ukrainian air defences shot down a Russian fighter jet over Kherson on Tuesday, the air force said.

Russia deployed more troops to Donetsk on Wednesday, according to British intelligence.

The town of Balakliia was retaken by Ukrainian troops on Sunday, the defence ministry said.

Ukrainian troops retook the town of Lyman on Saturday after encircling it, the defence ministry said.
"""

# Published on Monday 2023-05-08.
SUDAN_REPORT = """ date 2023-05-08 Sudan's war spreads to Darfur • Example Wire

Fighting between the army and the Rapid Support Forces raged in Omdurman on Sunday, residents said.

Gunmen abducted 12 aid workers in Nyala on Saturday, the United Nations said.

RSF fighters executed at least 20 civilians in the town of Geneina on Friday, a rights group said.

Police arrested 30 demonstrators in Wad Madani on Sunday, witnesses said.

Protesters stormed the governor's office in Port Sudan on Saturday and set cars on fire.

Army and RSF envoys signed a ceasefire agreement in Jeddah on Saturday, Saudi mediators said.

Thousands of demonstrators marched in Khartoum on Thursday against the war.
"""

# Published on Monday 2020-10-12; the Moscow truce was agreed on Saturday 2020-10-10.
TRUCE_REPORT = """ date 2020-10-12 Truce in Nagorno-Karabakh frays within hours • Example Wire

Armenia and Azerbaijan agreed a humanitarian truce in Moscow on Saturday after ten hours of talks, the Russian foreign ministry said.
"""


@pytest.fixture(scope="module")
def ukraine():
    return run(UKRAINE_REPORT, "ukraine.txt")[3]


@pytest.fixture(scope="module")
def sudan():
    return run(SUDAN_REPORT, "sudan.txt")[3]


@pytest.fixture(scope="module")
def truce():
    return run(TRUCE_REPORT, "truce.txt")[3]


@pytest.mark.parametrize("fragment, event_type, sub_event_type, location, day", [
    ("Russian missiles struck the centre of Kiev", "Explosions/Remote violence",
     "Shelling/artillery/missile attack", "Kyiv", "2022-10-13"),
    ("Russian artillery shelled Kharkiv", "Explosions/Remote violence",
     "Shelling/artillery/missile attack", "Kharkiv", "2022-10-14"),
    ("recaptured the town of Kupiansk", "Battles", "Government regains territory", "Kupiansk", "2022-10-10"),
    ("Heavy fighting broke out around Bakhmut", "Battles", "Armed clash", "Bakhmut", "2022-10-12"),
    ("rallied in Zaporizhzhia", "Protests", "Peaceful protest", "Zaporizhzhia", "2022-10-11"),
    ("shot down a Russian fighter jet over Kherson", "Strategic developments", "Disrupted weapons use", "Kherson",
     "2022-10-11"),
    ("Russia deployed more troops to Donetsk", "Strategic developments", "Other", "Donetsk", "2022-10-12"),
    ("Balakliia was retaken by Ukrainian troops", "Battles", "Government regains territory", "Balakliya",
     "2022-10-09"),
])
def test_ukraine_report_events_are_coded_in_the_acled_taxonomy(ukraine, fragment, event_type, sub_event_type,
                                                                location, day):
    m = one(ukraine, fragment)
    assert (m.event_type, m.sub_event_type) == (event_type, sub_event_type)
    assert m.location == location
    assert m.country == "Ukraine"
    assert m.date == day


@pytest.mark.parametrize("fragment, event_type, sub_event_type, location, day", [
    ("Fighting between the army and the Rapid Support Forces", "Battles", "Armed clash", "Omdurman", "2023-05-07"),
    ("Gunmen abducted 12 aid workers", "Violence against civilians", "Abduction/forced disappearance", "Nyala",
     "2023-05-06"),
    ("RSF fighters executed at least 20 civilians", "Violence against civilians", "Attack", "El Geneina",
     "2023-05-05"),
    ("Police arrested 30 demonstrators", "Strategic developments", "Arrests", "Wad Madani", "2023-05-07"),
    ("Protesters stormed the governor's office", "Riots", "Violent demonstration", "Port Sudan", "2023-05-06"),
])
def test_sudan_report_events_are_coded_in_the_acled_taxonomy(sudan, fragment, event_type, sub_event_type,
                                                              location, day):
    m = one(sudan, fragment)
    assert (m.event_type, m.sub_event_type) == (event_type, sub_event_type)
    assert m.location == location
    assert m.country == "Sudan"
    assert m.date == day


def test_agreed_truce_is_an_agreement_where_and_when_it_was_struck(truce):
    m = one(truce, "agreed a humanitarian truce in Moscow")
    assert (m.event_type, m.sub_event_type) == ("Strategic developments", "Agreement")
    assert (m.location, m.country) == ("Moscow", "Russia")
    assert m.date == "2020-10-10"
    assert m.date_precision == "day"


def test_signed_ceasefire_agreement_is_an_agreement(sudan):
    m = one(sudan, "signed a ceasefire agreement in Jeddah")
    assert (m.event_type, m.sub_event_type) == ("Strategic developments", "Agreement")
    assert m.location == "Jeddah"
    assert m.date == "2023-05-06"


def test_thousands_of_demonstrators_marching_is_a_protest(sudan):
    m = one(sudan, "Thousands of demonstrators marched in Khartoum")
    assert (m.event_type, m.sub_event_type) == ("Protests", "Peaceful protest")
    assert m.location == "Khartoum"
    assert m.date == "2023-05-04"


def test_retook_is_government_regaining_territory(ukraine):
    m = one(ukraine, "Ukrainian troops retook the town of Lyman")
    assert (m.event_type, m.sub_event_type) == ("Battles", "Government regains territory")
    assert m.location == "Lyman"
    assert m.date == "2022-10-08"


def test_event_types_are_acled_types_and_every_mention_points_back_to_its_sentence(ukraine, sudan, truce):
    for ms, text in ((ukraine, UKRAINE_REPORT), (sudan, SUDAN_REPORT), (truce, TRUCE_REPORT)):
        assert ms
        for m in ms:
            assert m.event_type in ACLED_TYPES
            assert m.evidence.strip() and m.evidence in text


def test_actors_are_sides(ukraine, sudan):
    retaken = one(ukraine, "recaptured the town of Kupiansk")
    assert retaken.actor1 == "Military Forces of Ukraine"
    executed = one(sudan, "RSF fighters executed")
    assert executed.actor1 == "Rapid Support Forces"


def test_killed_figure_of_the_sentence_is_the_fatalities(ukraine, sudan):
    assert one(ukraine, "struck the centre of Kiev").fatalities == 3  # "at least three", not the 12 wounded
    assert one(sudan, "RSF fighters executed").fatalities == 20
    assert one(ukraine, "Heavy fighting broke out around Bakhmut").fatalities is None


def test_attributed_event_mention_links_its_claim(ukraine):
    assert one(ukraine, "Russian artillery shelled Kharkiv").claim_ids
    assert not one(ukraine, "rallied in Zaporizhzhia").claim_ids  # stated by the outlet itself


# ---- statements, conditionals, negations, purposes and background are not events ------------

NON_EVENTS = """ date 2022-10-14 Leaders vow to fight on as winter nears • Example Wire

President Volodymyr Zelenskiy said the war must end with the liberation of every Ukrainian town.

Without the reinforcements, Avdiivka would have been captured within days, the brigade's commander said.

Russian forces did not shell Kharkiv on Tuesday, the Russian defence ministry said.

Dozens of men from Afrin were recruited to fight around Fizuli, a war monitor said.

Russian missiles struck Ukraine on Monday, officials said.

Talks on a ceasefire in Nagorno-Karabakh will resume in Geneva next week, the mediators said.

Families displaced by the fighting in Omdurman are sheltering in schools in Wad Madani.

After weeks of fighting around Bakhmut, the front line has barely moved.

The UN envoy said the fighting in Omdurman must stop.
"""


@pytest.fixture(scope="module")
def non_events():
    return run(NON_EVENTS, "non_events.txt")


@pytest.mark.parametrize("fragment", [
    "the war must end",                        # a statement, no event
    "Avdiivka would have been captured",       # counterfactual
    "did not shell Kharkiv",                   # negated
    "recruited to fight around Fizuli",        # a purpose, not a battle
    "Russian missiles struck Ukraine",         # a country alone does not place an event
    "Talks on a ceasefire",                    # an agreement only talked about
    "displaced by the fighting in Omdurman",   # the circumstance of something else
])
def test_no_event(non_events, fragment):
    mentions = non_events[3]
    assert any(fragment in line for line in NON_EVENTS.splitlines())
    assert mentions_in(mentions, fragment) == []


def test_statements_are_still_claims(non_events):
    _, claims, _, _ = non_events
    assert any("the war must end" in c.evidence and "Zelenskiy" in c.claimant for c in claims)


def test_weeks_of_fighting_is_background_not_an_event(non_events):
    assert mentions_in(non_events[3], "After weeks of fighting around Bakhmut") == []


def test_call_that_fighting_must_stop_is_not_an_event(non_events):
    assert mentions_in(non_events[3], "the fighting in Omdurman must stop") == []


# ---- the day of the event -----------------------------------------------------------------------

def test_weekday_resolves_before_the_published_day(ukraine):
    m = one(ukraine, "struck the centre of Kiev")
    assert m.date == "2022-10-13"  # Thursday before the published Friday
    assert m.date_precision == "day"
    assert "Thursday" in m.date_reason


def test_overnight_is_the_published_day_with_a_looser_precision(ukraine):
    m = one(ukraine, "shelled Kharkiv overnight")
    assert m.date == "2022-10-14"
    assert m.date_precision == "days"


def test_weekday_evening_is_that_day(ukraine):
    m = one(ukraine, "Kupiansk on Monday evening")
    assert m.date == "2022-10-10"
    assert m.date_precision == "day"


def test_drone_strike_is_coded_as_one(ukraine):
    m = one(ukraine, "drone strike hit a power station in Odesa")
    assert (m.event_type, m.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert m.location == "Odesa"


def test_over_the_weekend_is_the_weekend_before_the_report(ukraine):
    m = one(ukraine, "Odesa over the weekend")
    assert m.date in ("2022-10-08", "2022-10-09")  # the weekend before Friday 2022-10-14
    assert m.date_precision == "days"


SAID_ON_FRIDAY = """ date 2020-10-16 Armenia reports more shelling • Example Wire

Armenian officials said on Friday that Azerbaijani forces had shelled Shusha on Thursday.
"""


def test_day_of_the_event_not_of_the_statement():
    m = one(run(SAID_ON_FRIDAY, "said_on_friday.txt")[3], "shelled Shusha on Thursday")
    assert m.date == "2020-10-15"


# ---- places: aliases across languages and sides -------------------------------------------------

ALIASES = """ date 2020-10-30 Shelling reported across the front • Example Wire

Azerbaijani forces shelled Shushi on Monday, Armenian officials said.

Armenian officials said Azerbaijani forces shelled Shusha on Tuesday.

Azerbaijani drones struck Stepanakert on Monday.

Azerbaijani drones struck Khankendi on Tuesday.

Armenian forces shelled Terter on Monday, Azerbaijan's defence ministry said.

Armenian forces shelled Tartar on Tuesday.

Russian air strikes hit Deir Ezzor on Monday.

Russian air strikes hit Deir al-Zor on Tuesday.

Russian missiles struck Kyiv on Monday.

Russian missiles struck Kiev on Tuesday.
"""


@pytest.fixture(scope="module")
def aliases():
    return run(ALIASES, "aliases.txt")[3]


@pytest.mark.parametrize("name_a, name_b, canonical, country", [
    ("Shushi", "Shusha", "Shusha", "Azerbaijan"),
    ("Stepanakert", "Khankendi", "Stepanakert", "Azerbaijan"),
    ("Terter", "Tartar", "Tartar", "Azerbaijan"),
    ("Deir Ezzor", "Deir al-Zor", "Deir ez-Zor", "Syria"),
    ("Kyiv", "Kiev", "Kyiv", "Ukraine"),
])
def test_aliases_resolve_to_one_canonical_place_with_coordinates(aliases, name_a, name_b, canonical, country):
    a = one(aliases, f"{name_a} on Monday")
    b = one(aliases, f"{name_b} on Tuesday")
    for m in (a, b):
        assert m.location == canonical
        assert m.country == country
        assert m.admin_level in ("city", "town", "village")
    assert (a.latitude, a.longitude) == (b.latitude, b.longitude)
    assert -90 <= a.latitude <= 90 and -180 <= a.longitude <= 180


def test_most_precise_place_of_the_sentence(sudan):
    # "in the town of Geneina" in a report that names Sudan: the town, not the country
    m = one(sudan, "in the town of Geneina")
    assert m.location == "El Geneina"
    assert m.admin_level != "country"


# ---- one store from several files: merging, status, live blog, undated, CLI ----------------------

FILES = {
    # the same shelling, reported the day it happened and the day after, under two names of the town
    "shusha_thu.txt": """ date 2020-10-15 Shelling hits Shushi as Karabakh fighting enters third week • Caucasus Wire

STEPANAKERT (Caucasus Wire) – Azerbaijani artillery shelled the town of Shushi on Thursday, killing two civilians and wounding five, ethnic Armenian officials said.

The officials said a cathedral in the town had been damaged.
""",
    "shusha_fri.txt": """ date 2020-10-16 Azerbaijan says it struck only military targets • Baku Daily

BAKU (Baku Daily) – Azerbaijani forces shelled Shusha on Thursday, killing at least four people, according to the Armenian side.

Azerbaijan's defence ministry said on Friday its forces had hit only military targets.
""",
    # two protests in one city on two consecutive, exactly named days
    "yerevan_protests.txt": """ date 2020-11-13 Protests grow in Yerevan over Karabakh deal • Example News

YEREVAN (Example News) – Thousands of people protested in Yerevan on Wednesday against the deal that ended six weeks of war over Nagorno-Karabakh.

Opposition supporters rallied again in Yerevan on Thursday, demanding the resignation of Prime Minister Nikol Pashinyan.
""",
    # one side says it was shelled, the other denies
    "terter.txt": """ date 2020-10-20 Azerbaijan accuses Armenia of shelling Terter • Example News

BAKU (Example News) – Azerbaijan's defence ministry said Armenian forces shelled the town of Terter on Monday, killing one civilian.

Armenia's defence ministry denied that its artillery had shelled Tartar, calling the accusation a provocation.
""",
    # only a denial
    "barda_denial.txt": """ date 2020-10-25 Armenia rejects Azerbaijani accusations • Example News

YEREVAN (Example News) – Armenia's defence ministry denied that its forces had shelled Barda on Saturday.

The ministry said Armenian units were observing the ceasefire.
""",
    # a live blog: dated sections, the year only in a tweet's signature
    "karabakh_live.txt": """Nagorno-Karabakh live: drones over Stepanakert

Our live coverage of the war over Nagorno-Karabakh continues.

Nov. 4

Azerbaijani drones struck Khankendi overnight, the region's emergency service said.

Residents spent the night in basements as sirens sounded across the city.

— Anna Petrosyan (@anna_reports) November 4, 2020

Nov. 3

Armenian forces shelled the city of Barda on Monday evening, Azerbaijan's prosecutor's office said.

Heavy fighting raged near Martuni on Tuesday, both sides said.
""",
    # no date anywhere
    "deir_undated.txt": """DEIR AL-ZOR, Syria (Example News) – Islamic State fighters clashed with Syrian government forces in Deir al-Zor on Thursday, killing seven soldiers, a war monitor said.

The monitor said the fighting lasted several hours.
""",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("events_corpus")
    paths = [str(write_file(root / "in" / name, text)) for name, text in FILES.items()]
    db = root / "events.db"
    with Store(db) as s:
        report = ingest_paths(s, paths, report_line=lambda line: None)
    assert report.ok and report.stored == len(FILES), report
    return db, paths


@pytest.fixture(scope="module")
def events(corpus):
    db, _ = corpus
    with Store(db) as s:
        return [s.event(e["id"]) for e in s.events(limit=1000)]


def find(events, location, sub_event_type=None, date=...):
    return [e for e in events if e["location"] == location
            and (sub_event_type is None or e["sub_event_type"] == sub_event_type)
            and (date is ... or e["date"] == date)]


def test_same_shelling_from_two_articles_is_one_event_with_both_documents_and_sources(events):
    shusha = find(events, "Shusha")
    assert len(shusha) == 1, shusha
    e = shusha[0]
    assert (e["event_type"], e["sub_event_type"]) == ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert e["date"] == "2020-10-15"  # "on Thursday" in the Thursday report and in the Friday one
    assert e["date_precision"] == "day"
    assert e["sources"] == ["shusha_fri.txt", "shusha_thu.txt"]
    assert len(e["documents"]) == 2
    assert e["country"] == "Azerbaijan"
    assert e["latitude"] is not None and e["longitude"] is not None


def test_merged_event_fatalities_are_the_most_conservative_killed_figure(events):
    e = find(events, "Shusha")[0]
    assert e["fatalities"] == 2  # "killing two civilians" and "killing at least four people"


def test_protests_on_two_named_days_in_one_city_stay_two_events(events):
    protests = sorted(find(events, "Yerevan", "Peaceful protest"), key=lambda e: e["date"])
    assert [e["date"] for e in protests] == ["2020-11-11", "2020-11-12"]
    assert all(e["event_type"] == "Protests" and e["country"] == "Armenia" for e in protests)


def test_claim_and_denial_from_the_two_sides_make_the_event_disputed(events):
    terter = find(events, "Tartar")  # "Terter" and "Tartar" are one town
    assert len(terter) == 1, terter
    e = terter[0]
    assert e["date"] == "2020-10-19"  # Monday before the published Tuesday
    assert e["status"] == "disputed"
    stances = {(c["claimant_affiliation"], c["stance"]) for c in e["claims"]}
    assert ("Azerbaijan", "assert") in stances and ("Armenia", "deny") in stances
    assert e["fatalities"] == 1


def test_denial_alone_makes_the_event_denied(events):
    e = find(events, "Barda", date="2020-10-24")
    assert len(e) == 1, e
    assert e[0]["status"] == "denied"
    assert {c["stance"] for c in e[0]["claims"]} == {"deny"}


def test_attributed_without_denial_is_reported(events):
    assert find(events, "Shusha")[0]["status"] == "reported"
    assert find(events, "Martuni")[0]["status"] == "reported"


def test_live_blog_events_take_the_day_of_their_section(events):
    drones = find(events, "Stepanakert")  # "Khankendi" in the text
    assert len(drones) == 1
    assert drones[0]["sub_event_type"] == "Air/drone strike"
    assert drones[0]["date"] == "2020-11-04"  # "overnight" under "Nov. 4", the year from the tweet signature
    barda = find(events, "Barda", date="2020-11-02")  # "Monday evening" under "Nov. 3"
    assert len(barda) == 1 and barda[0]["status"] == "reported"
    martuni = find(events, "Martuni")
    assert [e["date"] for e in martuni] == ["2020-11-03"]  # "on Tuesday" under "Nov. 3", a Tuesday
    assert martuni[0]["sub_event_type"] == "Armed clash"


def test_undated_article_gives_an_event_without_a_day(events):
    deir = find(events, "Deir ez-Zor")  # "Deir al-Zor" in the text
    assert len(deir) == 1
    e = deir[0]
    assert e["date"] is None
    assert (e["event_type"], e["sub_event_type"]) == ("Battles", "Armed clash")
    assert e["country"] == "Syria"
    assert e["fatalities"] == 7


def test_actor_is_not_taken_from_the_dateline(events):
    e = find(events, "Deir ez-Zor")[0]
    assert e["actor1"] and "Islamic State" in e["actor1"]


def test_every_event_is_in_the_acled_taxonomy_and_placed_below_country_level(events):
    assert len(events) == 9
    for e in events:
        assert e["event_type"] in ACLED_TYPES
        assert e["admin_level"] != "country"
        assert e["status"] in ("reported", "disputed", "denied", "confirmed")


def test_ingesting_the_same_files_again_adds_no_event(corpus, events):
    db, paths = corpus
    with Store(db) as s:
        report = ingest_paths(s, paths, report_line=lambda line: None)
        assert report.stored == 0
        assert s.counts()["events"] == len(events)


# ---- the CLI ------------------------------------------------------------------------------------

def cli(capsys, db, *args) -> list[str]:
    capsys.readouterr()
    assert main(["--db", str(db), *args]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    return lines[1:] if lines and lines[0].startswith("ID ") else lines  # the rows, after the table's header


def test_cli_events_lists_every_event_oldest_first_undated_last(corpus, events, capsys):
    lines = cli(capsys, corpus[0], "events", "--sort", "oldest")
    assert len(lines) == len(events)
    days = [line.split()[1] for line in lines]
    assert days[-1] == "?"
    assert days[:-1] == sorted(days[:-1])
    assert "Deir ez-Zor (Syria)" in lines[-1]
    shusha = [line for line in lines if "in Shusha (Azerbaijan)" in line]
    assert len(shusha) == 1 and "2020-10-15" in shusha[0] and "fatalities=2" in shusha[0]


def test_cli_events_since_until(corpus, capsys):
    lines = cli(capsys, corpus[0], "events", "--since", "2020-10-16", "--until", "2020-11-03", "--sort", "oldest")
    assert [line.split()[1] for line in lines] == ["2020-10-19", "2020-10-24", "2020-11-02", "2020-11-03"]
    assert not any("Shusha" in line or "Stepanakert" in line or "?" == line.split()[1] for line in lines)


def test_cli_events_by_place_and_type(corpus, capsys):
    lines = cli(capsys, corpus[0], "events", "--place", "Barda", "--sort", "oldest")
    assert [line.split()[1] for line in lines] == ["2020-10-24", "2020-11-02"]
    lines = cli(capsys, corpus[0], "events", "--type", "Protests")
    assert len(lines) == 2 and all("Peaceful protest in Yerevan (Armenia)" in line for line in lines)
    lines = cli(capsys, corpus[0], "events", "--type", "Air/drone strike")
    assert len(lines) == 1 and "Stepanakert" in lines[0] and "2020-11-04" in lines[0]
    lines = cli(capsys, corpus[0], "events", "--place", "Barda", "--type", "Battles")
    assert lines == []


def test_cli_events_json(corpus, capsys):
    rows = [json.loads(line) for line in cli(capsys, corpus[0], "events", "--json", "--place", "Tartar")]
    assert len(rows) == 1
    assert rows[0]["status"] == "disputed"
    assert rows[0]["location"] == "Tartar" and rows[0]["date"] == "2020-10-19"


def test_cli_disputes_lists_disputed_and_denied_newest_first(corpus, capsys):
    lines = cli(capsys, corpus[0], "disputes")
    assert len(lines) == 2
    assert "2020-10-24" in lines[0] and "denied" in lines[0] and "Barda" in lines[0]
    assert "2020-10-19" in lines[1] and "disputed" in lines[1] and "Tartar" in lines[1]


def test_cli_disputes_filters(corpus, capsys):
    lines = cli(capsys, corpus[0], "disputes", "--since", "2020-10-21")
    assert len(lines) == 1 and "Barda" in lines[0]
    lines = cli(capsys, corpus[0], "disputes", "--until", "2020-10-20")
    assert len(lines) == 1 and "Tartar" in lines[0]
    lines = cli(capsys, corpus[0], "disputes", "--place", "Tartar", "--type", "Shelling/artillery/missile attack")
    assert len(lines) == 1 and "disputed" in lines[0]
    assert cli(capsys, corpus[0], "disputes", "--type", "Protests") == []


def test_cli_place_filter_accepts_an_alias(corpus, capsys):
    lines = cli(capsys, corpus[0], "events", "--place", "Shushi")
    assert len(lines) == 1 and "in Shusha (Azerbaijan)" in lines[0]
