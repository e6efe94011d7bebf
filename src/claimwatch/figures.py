"""extract (figures): the numbers someone puts on people and military things.

A number (digits or words) is a figure when it counts a noun of the lexicon (data/figures.tsv)
or when a metric verb or noun governs it ("three residents were killed", "542 servicemen had
been killed", "the death toll rose to 633", "more than 2,000 demonstrators"). Dates, years,
times, ages, distances, percentages and money are not figures. The claimant is the speaker of
the attribution in the same sentence; None when the text attributes the number to nobody.
"""
from __future__ import annotations

import hashlib
import re
from typing import Optional

from . import dates, lexicon
from .models import Claim, Figure

def _load():
    nouns, verbs, metric_nouns, qualifiers = {}, {}, {}, {}
    for kind, word, value in (r[:3] for r in lexicon.rows("figures.tsv", 3)):
        {"noun": nouns, "verb": verbs, "metricnoun": metric_nouns, "qualifier": qualifiers}[kind][word] = value
    return nouns, verbs, metric_nouns, qualifiers


NOUNS, VERBS, METRIC_NOUNS, QUALIFIERS = _load()
QUALIFIER_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, QUALIFIERS), key=len, reverse=True)) + r")\s*$", re.I)
WORD_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
WORD_NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                     "ninety": 90})
PEOPLE_METRICS = {"killed", "wounded", "displaced", "detained", "participants"}
# nouns naming what happened to the counted: "the deployment of 2,000 peacekeepers"
NOMINAL_METRICS = {"deployment": "deployed", "arrival": "deployed", "body": "killed", "death": "killed",
                   "killing": "killed", "execution": "killed", "evacuation": "displaced", "exodus": "displaced",
                   "detention": "detained", "arrest": "detained", "capture": "detained", "release": "detained"}
MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
NOT_COUNTS = {"km", "kilometers", "kilometres", "miles", "mile", "meters", "metres", "percent", "per", "%", "years",
              "year", "months", "month", "weeks", "week", "days", "day", "hours", "hour", "minutes", "times",
              "dollars", "euros", "rubles", "roubles", "manat", "drams", "pounds", "tons", "tonnes", "degrees",
              "points", "seats", "votes", "cases", "am", "pm", "a.m.", "p.m.", "o'clock", "gmt", "km2"}
EXCLUDED_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"}


def parse_number(tok) -> Optional[tuple[float, int, int]]:
    """(value, first token index, last token index) of the number starting at tok."""
    doc = tok.doc
    text = tok.text.lower().replace(",", "")
    value: Optional[float] = None
    end = tok.i
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        value = float(text)
    elif text in WORD_NUMBERS:
        value = float(WORD_NUMBERS[text])
        # "twenty-one" is tokenized as twenty - one
        if end + 2 < len(doc) and doc[end + 1].text == "-" and doc[end + 2].lower_ in WORD_NUMBERS:
            value += WORD_NUMBERS[doc[end + 2].lower_]
            end += 2
    if value is None:
        return None
    while end + 1 < len(doc) and doc[end + 1].lower_ in MULTIPLIERS:
        value *= MULTIPLIERS[doc[end + 1].lower_]
        end += 1
    return value, tok.i, end


def extract_figures(ann, claims: list[Claim]) -> list[Figure]:
    from .gazetteer import side_of
    art = ann.article
    by_start: dict[int, list[Claim]] = {}
    for c in claims:
        by_start.setdefault(c.start, []).append(c)
    figures: list[Figure] = []
    for off, doc in ann.parsed:
        for sent in doc.sents:
            start = off + sent.start_char
            sent_claims = by_start.get(start, [])
            prev: Optional[Figure] = None
            skip_to = -1
            for tok in sent:
                if tok.i <= skip_to or not (tok.like_num or tok.lower_ in WORD_NUMBERS):
                    continue
                parsed = parse_number(tok)
                if not parsed:
                    continue
                value, first, last = parsed
                high = None
                rng = _range_end(doc, first, last)
                if rng is not None:
                    # "between 50 and 60 people", "50 to 60 soldiers": one figure, value the low end
                    high, last = rng
                skip_to = last
                fig = _figure(ann, art, off, sent, doc, value, first, last, sent_claims, side_of)
                if fig is not None and high is not None:
                    fig.high = high
                    fig.value_text = doc[first:last + 1].text
                if fig is not None and prev is not None and fig.population == "unknown" and (
                        fig.subject is None or fig.subject.lower() in ("others", "other", "more")):
                    fig.population = prev.population  # "47 civilians had been killed and 222 wounded"
                    fig.subject = prev.subject
                if fig is None and prev is not None and _running_total_cue(doc, first):
                    # "15 more deaths, bringing to 942 the number ...": the total counts what the increment counts
                    fig = _figure(ann, art, off, sent, doc, value, first, last, sent_claims, side_of,
                                  like=prev)
                if fig is None:
                    continue
                if prev is not None and _running_total_cue(doc, first):
                    prev.total_of = fig.id  # the increment points to the running total it brings about
                figures.append(fig)
                prev = fig
    return figures


def _range_end(doc, first, last) -> Optional[tuple[float, int]]:
    """(high value, its last token) when the number opens a range: "50 to 60", "between 50 and 60", "50-60"."""
    if last + 2 >= len(doc):
        return None
    joiner = doc[last + 1].lower_
    between = first > 0 and doc[first - 1].lower_ == "between"
    if joiner in ("to", "-", "–") or (joiner == "and" and between):
        nxt = parse_number(doc[last + 2])
        if nxt and nxt[0] > 0:
            value = parse_number(doc[first])[0]
            if nxt[0] > value:
                return nxt[0], nxt[2]
    return None


TOTAL_CUE_RE = re.compile(r"\b(?:bringing|brings|brought|raising|raises|raised|taking|takes|pushing|rose|risen|"
                          r"climbed|total)\b(?:\s+\w+){0,4}\s+to\s*$", re.I)


def _running_total_cue(doc, first) -> bool:
    return bool(TOTAL_CUE_RE.search(doc[max(0, first - 7):first].text))


def _figure(ann, art, off, sent, doc, value, first, last, sent_claims, side_of, like=None):
    tok, end_tok = doc[first], doc[last]
    if tok.ent_type_ in EXCLUDED_ENTS and not _counts_people_inside(doc, first, last):
        return None
    nxt = doc[last + 1] if last + 1 < len(doc) else None
    prv = doc[first - 1] if first > 0 else None
    if nxt is not None and (nxt.lower_ in NOT_COUNTS or nxt.text in ("%", "-year-old") or
                            (nxt.text == "-" and last + 2 < len(doc) and doc[last + 2].lower_ in ("year", "km"))):
        return None
    if prv is not None and prv.text in ("$", "€", "£", "No.", "No", "#", "number"):
        return None
    if re.fullmatch(r"(1[89]|20)\d\d", tok.text) and value >= 1800:
        return None  # a year
    if re.fullmatch(r"\d+[-–]\d+", tok.text) or ":" in tok.text:
        return None
    noun, metric, population = _counted(doc, first, last)
    if metric is None and like is not None:
        noun, metric, population = None, like.metric, like.population
    if metric is None:
        return None
    # qualifier: the words right before the number
    before = doc[max(sent.start, first - 4):first].text
    q = QUALIFIER_RE.search(before)
    qualifier = QUALIFIERS[q.group(1).lower()] if q else "exact"
    if noun is not None and population == "unknown":
        population = NOUNS.get(noun.lower_, "unknown")
        population = "unknown" if population == "thing" else population
    subject = _subject_text(doc, noun, first, last) if noun is not None else (like.subject if like else None)
    claim = _claim_for(sent_claims, doc, first)
    start = off + sent.start_char
    text = sent.text.rstrip()
    if claim is not None:
        as_of, reason = claim.said_on, f"the day of {claim.claimant}'s statement ({claim.said_on_reason})"
    else:
        anchor, anchor_reason = dates.anchor_day(art, start)
        when = " ".join(e.text for e in sent.ents if e.label_ in ("DATE", "TIME"))
        day, _, reason = dates.resolve_expression(when, anchor) if when else (anchor, "", anchor_reason)
        as_of = day.isoformat() if day else None
    side = side_of(subject) if subject else None
    if side is None and subject and re.search(r"\b(its|their|our)\b", subject, re.I) and claim is not None:
        side = claim.claimant_affiliation
    vs = off + tok.idx
    ve = off + end_tok.idx + len(end_tok.text)
    fid = "f-" + hashlib.sha1(f"{ann.doc_id}:{vs}:{value}".encode()).hexdigest()[:12]
    return Figure(doc=ann.doc_id, start=start, end=start + len(text), evidence=text, value=value, metric=metric,
                  value_text=doc[first:last + 1].text, value_start=vs, value_end=ve, qualifier=qualifier,
                  population=population, subject=subject, side=side,
                  claimant=claim.claimant if claim is not None else None, as_of=as_of, as_of_reason=reason, id=fid)


def _counts_people_inside(doc, first, last) -> bool:
    """spaCy often tags "three residents"/"nearly 2,000 troops" as part of a DATE or QUANTITY; keep those."""
    nxt = doc[last + 1] if last + 1 < len(doc) else None
    return nxt is not None and (nxt.lower_ in NOUNS or nxt.lower_ in METRIC_NOUNS)


def _counted(doc, first, last):
    """(counted noun token, metric, population) for the number at doc[first:last+1]."""
    num = doc[last]
    head = num.head
    noun = None
    # "542 servicemen", "three residents": the number modifies the noun
    if num.dep_ in ("nummod", "amod", "compound", "quantmod") and head.pos_ in ("NOUN", "PROPN", "ADJ"):
        noun = head
    # "429 of its servicemen", "10 of the 16 posts": the number heads an of-phrase
    of = next((c for c in num.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None:
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None)
        if pobj is not None:
            noun = pobj
    # a noun right after the number (parser misses in noisy text)
    if noun is None and last + 1 < len(doc) and (doc[last + 1].lower_ in NOUNS or doc[last + 1].lower_ in METRIC_NOUNS):
        noun = doc[last + 1]
    if noun is None and last + 2 < len(doc) and doc[last + 1].pos_ == "ADJ" and doc[last + 2].lower_ in NOUNS:
        noun = doc[last + 2]
    if noun is None:
        # "the number of mercenaries ... was approaching 2,000"
        m = re.search(r"\bnumber of (?:\w+\s){0,2}?(\w+)", doc[num.sent.start:first].text, re.I)
        if m:
            noun = next((t for t in doc[num.sent.start:first] if t.text == m.group(1)), None)
    metric = None
    population = "unknown"
    if noun is not None:
        population = NOUNS.get(noun.lower_, "unknown")
        # "military casualties", "civilian deaths", "losses among its fighters"
        for c in noun.children:
            if c.dep_ in ("amod", "compound") and c.lower_ in ("military", "civilian", "civil"):
                population = "military" if c.lower_ == "military" else "civilian"
            if c.dep_ == "prep" and c.lower_ in ("among", "of"):
                inner = next((g for g in c.children if g.dep_ == "pobj"), None)
                if inner is not None and NOUNS.get(inner.lower_) in ("military", "civilian"):
                    population = NOUNS[inner.lower_]
        if noun.lower_ in METRIC_NOUNS:
            metric = METRIC_NOUNS[noun.lower_]
        # "two men captured by Islamic State", "30 soldiers that died", "civilians who have fled"
        for c in noun.children:
            if metric is None and c.dep_ in ("acl", "relcl") and c.lemma_.lower() in VERBS:
                metric = VERBS[c.lemma_.lower()]
        # "the deployment of almost 2,000 peacekeepers", "the bodies of 30 soldiers"
        if metric is None and noun.head.lower_ == "of" and noun.head.head.lemma_.lower() in NOMINAL_METRICS:
            metric = NOMINAL_METRICS[noun.head.head.lemma_.lower()]
    # the verb the counted phrase belongs to: "were killed", "had been captured", "were deployed"
    anchor = noun if noun is not None else num
    verb = _governing_verb(anchor)
    if verb is not None and metric is None:
        lemma = verb.lemma_.lower()
        if lemma in VERBS:
            metric = VERBS[lemma]
        elif lemma == "take" and re.search(r"\b(hostage|captive|prisoner)s?\b", verb.sent.text[verb.idx - verb.sent.start_char:], re.I):
            metric = "detained"  # "253 were taken hostage"
        elif lemma == "become":
            # "860,000 Azeris became refugees"
            attr = next((c for c in verb.children if c.dep_ in ("attr", "acomp")), None)
            if attr is not None and attr.lower_ in METRIC_NOUNS:
                metric = METRIC_NOUNS[attr.lower_]
                population = NOUNS.get(attr.lower_, population)
    if metric is None:
        # "killed 21 civilians", "injured three": the number or noun is the object of a metric verb
        h = anchor.head
        if anchor.dep_ in ("dobj", "pobj", "attr", "nsubjpass", "nsubj") and h.lemma_.lower() in VERBS:
            metric = VERBS[h.lemma_.lower()]
    if metric is None:
        # "the death toll rose to 633", "raising the death toll to five"
        window = doc[max(anchor.sent.start, anchor.i - 8):anchor.i].text.lower()
        if re.search(r"\b(death toll|toll|casualt\w+|fatalit\w+|killed)\b", window) and noun is None:
            metric = "killed"
    if metric is None and noun is not None and noun.lower_ in NOUNS:
        if NOUNS[noun.lower_] in ("thing",) or (NOUNS[noun.lower_] == "military" and verb is not None and
                                                  verb.lemma_.lower() in ("be", "remain", "fight", "operate")):
            metric = "other" if NOUNS[noun.lower_] == "thing" else "present"
    if metric is None:
        return None, None, "unknown"
    if noun is not None and metric in PEOPLE_METRICS and noun.lower_ not in METRIC_NOUNS \
            and NOUNS.get(noun.lower_) in (None, "thing") and noun.pos_ != "PROPN":
        # "seven surrounding regions in which ... people have been killed": the count is not of people
        if NOUNS.get(noun.lower_) == "thing":
            metric = "other"
        else:
            return None, None, "unknown"
    if population == "thing":
        population = "unknown"
    if population == "mixed" and metric == "displaced":
        population = "civilian"  # people who flee are counted as civilians
    return noun, metric, population


def _governing_verb(tok):
    """The nearest verb above tok in the parse (through nouns and prepositions, at most 4 steps)."""
    t = tok
    for _ in range(4):
        if t.head.i == t.i:
            return t if t.pos_ in ("VERB", "AUX") else None
        t = t.head
        if t.pos_ == "VERB":
            return t
    return None


def _subject_text(doc, noun, first, last) -> str:
    """The counted phrase as named: "Nagorno-Karabakh servicemen", "its soldiers"."""
    left = [c for c in noun.lefts if c.dep_ in ("amod", "compound", "poss", "nmod") and not (first <= c.i <= last)]
    start = min([c.left_edge.i for c in left] + [noun.i])
    right_end = noun.i
    for c in noun.rights:
        if c.dep_ == "prep" and c.lower_ in ("from", "of", "in"):
            right_end = max(right_end, c.right_edge.i)
            break
    span = doc[start:right_end + 1]
    if len(span) > 12:
        span = doc[start:noun.i + 1]
    return span.text


def _claim_for(claims: list[Claim], doc, num_i: int) -> Optional[Claim]:
    """The claim whose statement contains the number: the verb of saying that governs it
    ("Azerbaijan said ... killed 21 civilians, but Yerevan denied ..." -> Azerbaijan), else the
    nearest attribution before the number, else the nearest after it."""
    if not claims:
        return None
    num = doc[num_i]
    if len(claims) == 1:
        verb = _cue_token(doc, claims[0], num.sent)
        if verb is not None and verb.i > num_i and num not in verb.subtree and verb.dep_ not in ("ROOT", "parataxis"):
            return None  # "strikes kill 7 as Ukraine reports gains": the number is not in what was said
        return claims[0]
    for c in claims:
        verb = _cue_token(doc, c, num.sent)
        if verb is not None and verb.i != num_i and num in verb.subtree and not any(
                other is not c and (v := _cue_token(doc, other, num.sent)) is not None and v is not verb
                and num in v.subtree and verb in v.ancestors for other in claims):
            return c
    before = [c for c in claims if 0 <= _cue_pos(doc, c, num.sent) < num_i]
    pool = before or claims
    return min(pool, key=lambda c: abs(_cue_pos(doc, c, num.sent) - num_i))


def _cue_token(doc, claim: Claim, sent):
    cue = (claim.cue or "").lower()
    return next((t for t in sent if t.lower_ == cue), None)


def _cue_pos(doc, claim: Claim, sent=None) -> int:
    t = _cue_token(doc, claim, sent if sent is not None else doc[:])
    return t.i if t is not None else -1
