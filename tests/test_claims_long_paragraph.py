"""One long paragraph: the speaker search reads the paragraph's entities through an index, and
gives the same speakers as when each sentence stands alone (speed is measured by hand, not here)."""
from __future__ import annotations

from extraction_helpers import run

SENTENCES = [
    "Regional governor Oleh Kyrylenko said on Monday that {n} civilians were killed in shelling of Sloviansk.",
    "“We will hold the line near Izium for {n} more days,” Colonel Ivan Petrenko told Reuters.",
    "According to local officials, {n} strikes hit a school and a market in Kramatorsk.",
    "Russian forces shelled Kupiansk overnight, damaging {n} houses.",
    "He added that attack number {n} had been repelled.",
    "Ukraine's defence ministry denied that {n} of its units had withdrawn from Bakhmut.",
]


def _speakers(claims, fragment):
    return sorted(c.claimant for c in claims if fragment in c.evidence)


def test_long_single_line_paragraph_finds_the_same_speakers_as_short_ones():
    one_line = " ".join(s.format(n=k + 2) for k in range(8) for s in SENTENCES)  # one paragraph, 48 sentences
    _, long_claims, _, _ = run(one_line, "long.txt")
    _, short_claims, _, _ = run("\n\n".join(s.format(n=2) for s in SENTENCES), "short.txt")
    assert len({c.start for c in long_claims}) >= 8 * 4
    for fragment in ("civilians were killed", "hold the line", "strikes hit a school",
                     "had been repelled", "had withdrawn from Bakhmut"):
        assert _speakers(long_claims, fragment)[:1] == _speakers(short_claims, fragment)[:1], fragment
    # "He added" resolves to the person who spoke last, never to a name from a later sentence
    added = [c for c in long_claims if "had been repelled" in c.evidence]
    assert len(added) == 8 and all("Petrenko" in c.claimant for c in added)
