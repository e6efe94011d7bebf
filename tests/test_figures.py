"""Figures: values, metrics, qualifiers, claimants, and what is not a figure."""
from __future__ import annotations

import pytest

from extraction_helpers import run

ARTICLE = """ date 2022-08-19 Toll rises in Donetsk region • Example Wire

The regional governor said on Thursday that 12 civilians had been killed and at least 40 wounded in shelling of Kramatorsk.

Ukraine's general staff said more than 1,200 Russian soldiers had been killed in the past week, a figure Moscow did not comment on.

The military reported 15 more deaths, bringing to 942 the number of servicemen killed since the start of the offensive.

Almost 3,000 people have fled the town since Monday, aid workers said.

About 500 peacekeepers will be deployed under the plan.

Protesters said around 2,000 demonstrators gathered in the capital.

Three residents were detained by police, a local rights group said.

The shelling began at 5 a.m. and lasted 45 minutes, 20 km from the front line, in 2014 fighting that cost $3 million; 60% of homes were damaged and the 45-year-old mayor was unhurt.
"""


@pytest.fixture(scope="module")
def figures():
    _, _, figs, _ = run(ARTICLE, "donetsk.txt")
    return figs


def find(figs, value, metric):
    hits = [f for f in figs if f.value == value and f.metric == metric]
    assert hits, f"no figure {value} {metric}; got {[(f.value, f.metric) for f in figs]}"
    return hits[0]


def test_killed_and_wounded_in_one_sentence(figures):
    k = find(figures, 12, "killed")
    assert k.population == "civilian"
    assert "governor" in (k.claimant or "")
    assert k.as_of == "2022-08-18"
    w = find(figures, 40, "wounded")
    assert w.qualifier == "at_least"


def test_more_than_and_military(figures):
    f = find(figures, 1200, "killed")
    assert f.qualifier == "more_than"
    assert f.population == "military"
    assert "general staff" in (f.claimant or "")


def test_running_total_is_linked(figures):
    inc = find(figures, 15, "killed")
    total = find(figures, 942, "killed")
    assert inc.total_of == total.id


def test_displaced_almost(figures):
    f = find(figures, 3000, "displaced")
    assert f.qualifier == "almost"
    assert "aid workers" in (f.claimant or "")


def test_deployed_about_unattributed(figures):
    f = find(figures, 500, "deployed")
    assert f.qualifier == "about"
    assert f.claimant is None


def test_participants(figures):
    f = find(figures, 2000, "participants")
    assert f.qualifier == "about"


def test_word_number_detained(figures):
    f = find(figures, 3, "detained")
    assert f.population == "civilian"


def test_times_distances_years_money_percent_ages_are_not_figures(figures):
    values = {f.value for f in figures}
    for not_a_figure in (5, 45, 20, 2014, 3_000_000, 60):
        assert not_a_figure not in values, f"{not_a_figure} taken as a figure"


def test_evidence_span(figures):
    for f in figures:
        assert f.start <= f.value_start < f.value_end <= f.end


def test_ranges_give_low_and_high():
    text = (" date 2023-06-10 Clashes in Darfur • Example Wire\n\nBetween 50 and 60 people were killed in clashes "
            "in El Geneina on Friday, a local rights group said. Another 200 to 300 were wounded, medics said.\n")
    _, _, figs, _ = run(text, "darfur.txt")
    killed = find(figs, 50, "killed")
    assert killed.high == 60 and killed.value_text == "50 and 60"
    wounded = find(figs, 200, "wounded")
    assert wounded.high == 300
    assert 60 not in {f.value for f in figs} and 300 not in {f.value for f in figs}
