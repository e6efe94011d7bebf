"""Generated wire-style articles for scale and order tests (invented text, seeded, reproducible).

Each article is a few sentences built from templates: a strike or a clash at a real place, a
claim by one side and a denial by the other, a casualty figure, a day. Used by the tests and by
scripts/robustness.py (100,000 articles).
"""
from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

PLACES = [("Terter", "Azerbaijan", "Armenia"), ("Stepanakert", "Armenia", "Azerbaijan"),
          ("Aleppo", "Syria", "the rebels"), ("Idlib", "the rebels", "Syria"), ("Kharkiv", "Ukraine", "Russia"),
          ("Donetsk", "Russia", "Ukraine"), ("Gaza", "Hamas", "Israel"), ("Maiduguri", "Nigeria", "Boko Haram"),
          ("Goma", "Congo", "the M23 rebels"), ("Tripoli", "Libya", "the armed groups"),
          ("Mosul", "Iraq", "Islamic State"), ("Sanaa", "the Houthis", "Saudi Arabia")]
ACTS = [("shelled", "shelling"), ("struck with drones", "drone strike"), ("attacked", "attack"),
        ("bombed", "air strike")]
SPEAKERS = ["the defence ministry of {side}", "a spokesman for {side}", "officials in {side}"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def article(k: int, seed: int = 0, start: date = date(2020, 1, 1), span_days: int = 900) -> dict:
    """The k-th generated article: a JSONL record (text, title, outlet, published)."""
    r = random.Random(seed * 1_000_003 + k)
    place, side, other = r.choice(PLACES)
    verb, noun = r.choice(ACTS)
    day = start + timedelta(days=r.randrange(span_days))
    speaker = r.choice(SPEAKERS).format(side=side)
    dead = r.randint(2, 40)
    wounded = r.randint(1, 90)
    sentences = [
        f"{speaker[0].upper()}{speaker[1:]} said on {WEEKDAYS[day.weekday()]} that forces of {other} had {verb} "
        f"the city of {place}, killing at least {dead} civilians.",
        f"{other[0].upper()}{other[1:]} denied carrying out the {noun} and accused {side} of staging it.",
        f"Hospital staff in {place} said {wounded} people had been wounded.",
    ]
    if r.random() < 0.5:
        sentences.append(f"The claims could not be independently verified, report {k} of the day added.")
    return {"text": " ".join(sentences), "title": f"{noun.title()} reported in {place} ({k})",
            "outlet": "Example Wire", "published": day.isoformat()}


def articles(n: int, seed: int = 0, **kw) -> Iterator[dict]:
    for k in range(n):
        yield article(k, seed, **kw)


def write_jsonl(path, n: int, seed: int = 0, **kw) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for rec in articles(n, seed, **kw):
            fh.write(json.dumps(rec) + "\n")
