"""One long paragraph: the speaker search reads the paragraph's entities through an index, and
gives the same speakers as when each sentence stands alone (speed is measured by hand, not here)."""
from __future__ import annotations

from extraction_helpers import run

SENTENCES = [
    "Regional governor Oleh Kyrylenko said on Monday that six civilians were killed in shelling of Sloviansk.",
    "“We will hold the line near Izium,” Colonel Ivan Petrenko told Reuters.",
    "According to local officials, the strikes hit a school and a market in Kramatorsk.",
    "Russian forces shelled Kupiansk overnight, damaging 12 houses.",
    "He added that the attack had been repelled.",
    "Ukraine's defence ministry denied that its units had withdrawn from Bakhmut.",
]


def _speakers(claims, fragment):
    return sorted(c.claimant for c in claims if fragment in c.evidence)


def test_long_single_line_paragraph_finds_the_same_speakers_as_short_ones():
    one_line = " ".join(SENTENCES * 8)  # one paragraph of 48 sentences
    _, long_claims, _, _ = run(one_line, "long.txt")
    _, short_claims, _, _ = run("\n\n".join(SENTENCES), "short.txt")
    assert len({c.start for c in long_claims}) >= 8 * 4
    for fragment in ("six civilians were killed", "hold the line", "strikes hit a school",
                     "the attack had been repelled", "denied that its units"):
        assert _speakers(long_claims, fragment)[:1] == _speakers(short_claims, fragment)[:1], fragment
    # "He added" resolves to the person who spoke last, never to a name from a later sentence
    added = [c for c in long_claims if "attack had been repelled" in c.evidence]
    assert added and all(c.claimant == "Ivan Petrenko" or "Petrenko" in c.claimant for c in added)
