"""Run the real pipeline stages (clean, annotate, extract) over a hand-written article."""
from __future__ import annotations

from claimwatch import clean
from claimwatch.models import RawArticle
from claimwatch.pipeline import annotate, document_id, extract


def run(text: str, source: str = "test.txt"):
    """(article, claims, figures, mentions) for one article given as raw text."""
    arts = clean.split_raw(RawArticle(source=source, path=source, text=text))
    assert arts, "the text did not yield an article"
    art = arts[0]
    ann = annotate([(document_id(art), art)])[0]
    claims, figures, mentions = extract(ann)
    return art, claims, figures, mentions


def claims_in(claims, fragment: str):
    return [c for c in claims if fragment in c.evidence]
