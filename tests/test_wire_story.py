"""An AP-style story end to end: headline, byline, dateline, quotes, a verification note."""
from __future__ import annotations

import pytest

from extraction_helpers import run

STORY = """Russian strikes on Kharkiv kill 7 as Ukraine reports gains near Bakhmut

By Hanna Arhirova

KYIV, Ukraine (AP) — Russian missiles slammed into apartment buildings in Kharkiv overnight, killing at least seven people and wounding 22 others, regional Gov. Oleh Syniehubov said Thursday.

Ukraine's military said its troops had recaptured the village of Klishchiivka south of Bakhmut on Sunday. The Russian Defense Ministry denied the claim, saying its forces had repelled all attacks in the area.

"The enemy is trying to break through our defenses, but they are failing," Col. Oleksandr Shtupun, a military spokesman, told The Associated Press. He added that more than 300 Russian soldiers had been killed in the past day.

Kremlin spokesman Dmitry Peskov told reporters that Moscow would not comment on losses. The AP could not independently verify the battlefield claims of either side.

Hundreds of protesters gathered in Tbilisi on Saturday to demand the government's resignation, police said.
"""


@pytest.fixture(scope="module")
def story():
    return run(STORY, "ap_kharkiv.txt")


def test_title_outlet_and_undated(story):
    art, _, _, _ = story
    assert art.title == "Russian strikes on Kharkiv kill 7 as Ukraine reports gains near Bakhmut"
    assert art.outlet == "Associated Press"
    assert art.published is None and art.published_reason


def test_the_outlets_own_verification_note_is_one_doubt(story):
    _, claims, _, _ = story
    notes = [c for c in claims if "could not independently verify" in c.evidence]
    assert [(c.claimant, c.stance) for c in notes] == [("Associated Press", "doubt")]


def test_denial_and_speakers(story):
    _, claims, _, _ = story
    by_speaker = {c.claimant: c.stance for c in claims}
    assert by_speaker.get("Russian Defense Ministry") == "deny"
    assert any("Shtupun" in name for name in by_speaker)
    assert any("Peskov" in name for name in by_speaker)
    added = [c for c in claims if c.evidence.startswith("He added")]
    assert added and "Shtupun" in added[0].claimant


def test_figures_with_their_claimants(story):
    _, _, figures, _ = story
    killed = {(f.value, f.claimant) for f in figures if f.metric == "killed"}
    assert (7, None) in killed  # the headline attributes its number to nobody
    assert any(v == 7 and c and "Syniehubov" in c for v, c in killed)
    wounded = [f for f in figures if f.metric == "wounded"]
    # people hurt when missiles hit apartment buildings are civilians (ANNOTATION: people in an attack)
    assert [(f.value, f.population) for f in wounded] == [(22, "civilian")]
    soldiers = [f for f in figures if f.value == 300]
    assert soldiers and soldiers[0].qualifier == "more_than" and soldiers[0].population == "military"


def test_weapon_as_subject_is_a_strike_and_recapture_is_territory(story):
    _, _, _, mentions = story
    kinds = {(m.sub_event_type, m.location) for m in mentions}
    assert ("Shelling/artillery/missile attack", "Kharkiv") in kinds
    assert any(m.sub_event_type == "Government regains territory" and m.actor1 == "Military Forces of Ukraine"
               for m in mentions)
    assert ("Peaceful protest", "Tbilisi") in kinds
    assert all(m.date is None for m in mentions)  # undated story: no made-up days


GAZA = """ date 2024-03-02 Overnight strikes hit Rafah • Example Times

Israeli air strikes on the southern Gaza city of Rafah killed at least 11 people overnight, including five children, the Hamas-run health ministry said on Saturday.

The Israeli military said it had struck militant targets in Rafah and accused Hamas of using civilian buildings.

Israel says about 250 people were taken hostage in the October attack.
"""


@pytest.fixture(scope="module")
def gaza():
    return run(GAZA, "rafah.txt")


def test_city_of_names_the_city(gaza):
    _, _, _, mentions = gaza
    strikes = [m for m in mentions if m.sub_event_type == "Air/drone strike" and "killed" in m.evidence]
    assert strikes and strikes[0].location == "Rafah"
    assert strikes[0].date == "2024-03-02" and strikes[0].fatalities == 11


def test_it_in_the_same_sentence_is_the_body_that_spoke(gaza):
    _, claims, _, _ = gaza
    accused = [c for c in claims if c.stance == "accuse" and "accused Hamas" in c.evidence]
    assert accused and accused[0].claimant == "Israeli military"


def test_taken_hostage_is_detained(gaza):
    _, _, figures, _ = gaza
    hostages = [f for f in figures if f.value == 250]
    assert hostages and hostages[0].metric == "detained" and hostages[0].qualifier == "about"
    assert hostages[0].claimant == "Israel"
