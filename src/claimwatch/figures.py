"""extract (figures): the numbers someone puts on people and military things.

A number (digits, words, "two dozen", "a" before a singular noun) is a figure when it counts
people, military equipment, attacks, places or buildings and something says what happened to
them: a verb ("three residents were killed"), a noun that names the metric ("542 deaths"), an
idiom ("left 20 people dead", "claimed the lives of 26"), a clause whose subject names it ("the
death toll rose to 633", "among the dead were 92 members"), or a neighbour in a list ("four women
and 10 children" after "among the victims were"). Counted persons come from an open rule: nouns
listed in data/figure_nouns.tsv, nationality words, and nouns that end like words for persons.
Dates, years, times, ages, distances, percentages and money are not figures. The claimant is the
speaker of the attribution in the same sentence; None when the text attributes the number to nobody.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Optional

from . import dates
from .figure_lexicon import (ARTICLES, DOZENS, IDIOMS, LIST_JOINERS, MIXED_RE, MULTIPLIERS, NOMINALS,
                             NOT_COUNT_AFTER, NOT_COUNT_BEFORE, NUMBER_MARK, NUMBER_WORDS, QUALIFIER_RE, QUALIFIERS,
                             SPAN_WORDS, SUBJECT_VERBS, THING_KINDS, TIME_WORDS, TOTAL_CUE_RE, UNITS, VERBS, NounClass,
                             listed_noun, metric_noun, sounds_like_persons)
from .models import Claim, Figure
from .nlp import span_text

PEOPLE_METRICS = {"killed", "wounded", "displaced", "detained", "participants"}
EXCLUDED_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"}
NAME_ENTS = {"ORG", "PERSON", "FAC", "PRODUCT", "WORK_OF_ART", "LAW", "EVENT"}  # "Channel 12", "Resolution 2254"
PEOPLE = NounClass("people", "people")


@dataclass
class _Count:
    """A number in a sentence and what it counts, before it is known to be a figure."""
    value: float
    first: int
    last: int
    noun: object = None          # the counted noun token, if any
    cls: Optional[NounClass] = None
    metric: Optional[str] = None


def parse_number(tok) -> Optional[tuple[float, int, int]]:
    """(value, first token index, last token index) of the number starting at tok."""
    doc = tok.doc
    low = tok.lower_.replace(",", "")
    end = tok.i
    if re.fullmatch(r"\d+(?:\.\d+)?\+?", low):
        value = float(low.rstrip("+"))
    elif low in NUMBER_WORDS:
        value, end = _word_number(doc, tok.i)
    elif low in ARTICLES and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in MULTIPLIERS | DOZENS.keys():
        value = 1.0  # "a hundred", "a dozen"
    else:
        return None
    while end + 1 < len(doc) and doc[end + 1].lower_ in MULTIPLIERS:
        value *= MULTIPLIERS[doc[end + 1].lower_]
        end += 1
    if end + 1 < len(doc) and doc[end + 1].lower_ in DOZENS:
        value *= DOZENS[doc[end + 1].lower_]  # "two dozen" is 24; "dozens" is no number
        end += 1
    return value, tok.i, end


def _word_number(doc, i: int) -> tuple[float, int]:
    """A number written in words: "twenty", "twenty-one" (twenty - one), "thirty one"."""
    value = float(NUMBER_WORDS[doc[i].lower_])
    end = i
    if value >= 20 and value % 10 == 0:
        if end + 2 < len(doc) and doc[end + 1].text == "-" and NUMBER_WORDS.get(doc[end + 2].lower_, 99) < 10:
            return value + NUMBER_WORDS[doc[end + 2].lower_], end + 2
        if end + 1 < len(doc) and NUMBER_WORDS.get(doc[end + 1].lower_, 99) < 10:
            return value + NUMBER_WORDS[doc[end + 1].lower_], end + 1
    return value, end


def extract_figures(ann, claims: list[Claim]) -> list[Figure]:
    from .gazetteer import side_of
    by_start: dict[int, list[Claim]] = {}
    for c in claims:
        by_start.setdefault(c.start, []).append(c)
    figures: list[Figure] = []
    intro: Optional[str] = None  # the metric of a line that opens a list ("The toll includes:")
    intro_claims: list[Claim] = []  # and whose statement the list goes on with
    for off, doc in ann.parsed:
        for sent in doc.sents:
            start = off + sent.start_char
            sent_claims = by_start.get(start, [])
            if _is_list_item(sent) and intro is not None:
                sent_claims = sent_claims or intro_claims
            else:
                intro = None
            figures += _sentence_figures(ann, off, sent, sent_claims, side_of, intro)
            if sent.text.rstrip().endswith(":"):
                intro = _list_intro_metric(sent)
                intro_claims = sent_claims or _latest_claims(claims, start)
    return figures


def _latest_claims(claims: list[Claim], before: int) -> list[Claim]:
    """The attribution a list goes on with when its opening line has none of its own: the last one before."""
    earlier = [c for c in claims if c.start < before]
    return [max(earlier, key=lambda c: c.start)] if earlier else []


def _is_list_item(sent) -> bool:
    """A line of a list of counts: "- 637 from the town", "79 fighters"."""
    toks = [t for t in sent if not (t.is_punct or t.is_space)]
    return bool(toks) and (toks[0].like_num or toks[0].lower_ in NUMBER_WORDS)


def _list_intro_metric(span) -> Optional[str]:
    """The metric a line that opens a list names: "The reported fatalities include:", "Those killed were:"."""
    for t in span:
        metric = metric_noun(t.text, t.lemma_) if t.pos_ in ("NOUN", "ADJ") else None
        if metric is None and t.pos_ == "VERB":
            metric = _verb_metric(t, False)
        if metric is not None and metric != "present":
            return metric
    return None


def _sentence_figures(ann, off, sent, sent_claims, side_of, intro: Optional[str] = None) -> list[Figure]:
    doc = sent.doc
    counts = _counts(sent)
    _take_list_intro(sent, counts, intro)
    _name_combined_counts(doc, sent, counts)
    _share_metrics_along_lists(doc, counts)
    figures: list[Figure] = []
    prev: Optional[Figure] = None
    for count, high in counts:
        like = prev if prev is not None and count.metric is None and _running_total_cue(doc, count.first) else None
        if count.metric is None and like is None:
            continue
        fig = _figure(ann, off, sent, count, sent_claims, side_of, like=like, prev=prev)
        if fig is None:
            continue
        if high is not None:
            fig.high = high
        if prev is not None and _running_total_cue(doc, count.first):
            prev.total_of = fig.id  # the increment points to the running total it brings about
        figures.append(fig)
        prev = fig
    return figures


def _counts(sent) -> list[tuple[_Count, Optional[float]]]:
    """Every number of the sentence that counts something, with its metric when the sentence says it,
    and the high end of a range ("between 50 and 60 people": one count, 50 with high 60)."""
    doc = sent.doc
    out = []
    skip_to = -1
    for tok in sent:
        if tok.i <= skip_to:
            continue
        parsed = parse_number(tok) if (tok.like_num or tok.lower_ in NUMBER_WORDS or tok.lower_ in ARTICLES) else None
        if parsed is None:
            continue
        value, first, last = parsed
        high = None
        rng = _range_end(doc, first, last)
        if rng is not None:
            high, last = rng
        skip_to = last
        if _is_not_a_count(doc, value, first, last):
            continue
        count = _Count(value, first, last)
        count.noun = _counted_noun(doc, first, last)
        count.cls = _noun_class(count.noun) if count.noun is not None else _elided_class(doc, last, out)
        if count.noun is not None and count.cls is None:
            continue  # "three weeks", "seven surrounding regions of the plan": not a count of anything we record
        if count.cls is not None and count.cls.kind == "ignore":
            continue
        count.metric = _metric(doc, sent, count)
        out.append((count, high))
    return out


def _elided_class(doc, last, earlier) -> Optional[NounClass]:
    """"36 drones were destroyed over one region, 21 over another": a bare number beside an earlier
    count, and no argument of a verb of its own, counts what that count counts."""
    num = doc[last]
    if num.dep_ not in ("npadvmod", "conj", "appos", "meta", "ROOT", "dep") and not (
            num.dep_ == "pobj" and num.head.lower_ in ("including", "among")):
        return None
    named = [c for c, _ in earlier if c.noun is not None and c.cls is not None]
    return named[-1].cls if named else None


def _range_end(doc, first, last) -> Optional[tuple[float, int]]:
    """(high value, its last token) when the number opens a range: "50 to 60", "between 50 and 60", "50-60",
    "one or two"."""
    if last + 2 >= len(doc):
        return None
    joiner = doc[last + 1].lower_
    between = first > 0 and doc[first - 1].lower_ == "between"
    if first > 0 and doc[first - 1].lower_ == "from":
        return None  # "the toll climbed from 40 to 52": a change, two counts
    if joiner in ("to", "-", "–", "or") or (joiner == "and" and between):
        nxt = parse_number(doc[last + 2]) if doc[last + 2].lower_ not in ARTICLES else None
        if nxt and nxt[0] > 0:
            value = parse_number(doc[first])[0]
            if nxt[0] > value and (joiner != "or" or nxt[0] - value <= 2):
                return nxt[0], nxt[2]
    return None


def _running_total_cue(doc, first) -> bool:
    return bool(TOTAL_CUE_RE.search(doc[max(0, first - 7):first].text))


# ---- what is not a count ---------------------------------------------------------------------

def _is_not_a_count(doc, value, first, last) -> bool:
    """Years, times, dates, ages, distances, percentages, money, labels."""
    tok = doc[first]
    if tok.ent_type_ in EXCLUDED_ENTS and not _counts_people_inside(doc, last) and _entity_names_no_count(doc, first, last):
        return True
    nxt = doc[last + 1] if last + 1 < len(doc) else None
    prv = doc[first - 1] if first > 0 else None
    if nxt is not None and (nxt.lower_ in UNITS or nxt.text in NOT_COUNT_AFTER or
                            (nxt.text == "-" and last + 2 < len(doc) and doc[last + 2].lower_ in UNITS)):
        return True
    if prv is not None and (prv.text in NOT_COUNT_BEFORE or prv.text.rstrip(".").lower() in dates.MONTHS):
        return True  # "$5", "No. 3", "Oct. 7 attack"
    if _gallery_counter(doc, first):
        return True
    if tok.ent_type_ in NAME_ENTS and first > 0 and doc[first - 1].ent_type_ == tok.ent_type_:
        return True  # a number inside a name
    if re.fullmatch(r"(1[89]|20)\d\d", tok.text) and value >= 1800:
        return True  # a year
    return bool(re.fullmatch(r"\d+[-–]\d+", tok.text) or ":" in tok.text)


def _entity_names_no_count(doc, first, last) -> bool:
    """spaCy puts bare tolls in DATE or QUANTITY entities ("the toll was 45", "reached 330 overnight"):
    such an entity names a day, a time or a measure only when it has a word for one besides the number."""
    ent = next((e for e in doc.ents if e.start <= first < e.end), None)
    if ent is None or ent.label_ in ("MONEY", "PERCENT", "ORDINAL"):
        return True
    others = [t for t in ent if not (first <= t.i <= last)]
    return any(t.lower_ in UNITS or t.lower_ in TIME_WORDS or t.text.rstrip(".").lower() in dates.MONTHS
               or t.lower_ in dates.WEEKDAY_NUMBERS or t.is_digit for t in others)


def _gallery_counter(doc, first) -> bool:
    """"1 of 6 | Residents inspect ...": a photo gallery's counter at the start of a line."""
    start = first - 2 if first >= 2 and doc[first - 1].lower_ == "of" else first
    opens_line = start == 0 or doc[start - 1].is_punct or doc[start - 1].is_space
    return opens_line and bool(re.match(r"\d+ of \d+\s*[|•]", doc[start:min(start + 4, len(doc))].text))


def _counts_people_inside(doc, last) -> bool:
    """spaCy often tags "three residents"/"nearly 2,000 troops" as part of a DATE or QUANTITY; keep those."""
    nxt = doc[last + 1] if last + 1 < len(doc) else None
    if nxt is None:
        return False
    cls = _noun_class(nxt)
    return (cls is not None and cls.kind == "people") or metric_noun(nxt.text, nxt.lemma_) is not None


# ---- what is counted -------------------------------------------------------------------------

def _counted_noun(doc, first, last):
    """The noun the number at doc[first:last+1] counts, or None for a bare number ("killed 11")."""
    num = doc[last]
    head = num.head
    noun = None
    # "542 servicemen", "three residents": the number modifies the noun
    if num.dep_ in ("nummod", "amod", "compound", "quantmod", "det") and head.pos_ in ("NOUN", "PROPN", "ADJ") \
            and head.i > num.i:
        noun = _phrase_head(head)
    # "429 of its servicemen", "10 of the 16 posts": the number heads an of-phrase
    of = next((c for c in num.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None:
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None)
        if pobj is not None and pobj.lower_ not in ("them", "whom", "those"):
            noun = pobj
    if noun is None or _noun_class(noun) is None:
        noun = _noun_after(doc, last) or noun
    if noun is None:
        noun = _number_of_noun(doc, num.sent.start, first)
    return noun


def _number_of_noun(doc, start, first):
    """"the number of mercenaries ... was approaching 2,000": the noun of "number of" before the number."""
    m = re.search(r"\bnumber of (?:\w+\s){0,2}?(\w+)", doc[start:first].text, re.I)
    if m is None:
        return None
    noun = next((t for t in doc[start:first] if t.text == m.group(1)), None)
    return noun if noun is not None and _noun_class(noun) is not None else None


def _phrase_head(tok):
    """"Twenty Nigerien soldiers": spaCy may attach the number to a modifier; the counted noun is its head."""
    while tok.dep_ in ("compound", "amod") and tok.head.i > tok.i and tok.head.pos_ in ("NOUN", "PROPN"):
        tok = tok.head
    return tok


def _noun_after(doc, last):
    """A counted noun right after the number, or after one adjective (the parse of noisy text fails)."""
    for j in (last + 1, last + 2):
        if j >= len(doc) or doc[j].is_punct:
            return None
        if j == last + 2 and doc[last + 1].pos_ not in ("ADJ", "PROPN"):
            return None
        t = doc[j]
        if t.dep_ == "compound" and t.head.i > t.i:
            return None  # "3,238 hospital admissions" counts admissions, not hospitals
        if t.pos_ in ("NOUN", "PROPN") and (_noun_class(t) is not None or metric_noun(t.text, t.lemma_)):
            return t
        if j == last + 1 and t.lower_ in ("dead", "wounded", "injured", "killed"):
            return t  # "20 bodies and 90 wounded": the participle names the counted
    return None


def _noun_class(tok) -> Optional[NounClass]:
    """What a counted noun counts: listed nouns, the metric nouns (counted persons), nationality words
    ("Palestinians"), and unlisted nouns that end like words for persons ("loyalists", "volunteers")."""
    listed = listed_noun(tok.text, tok.lemma_)
    if listed is not None:
        return listed
    if metric_noun(tok.text, tok.lemma_) is not None:
        return PEOPLE
    if tok.ent_type_ == "NORP" and tok.pos_ in ("NOUN", "PROPN"):
        return NounClass("people", "mixed")  # "639 Iranians", "21 Sunni Bedouin"
    if tok.pos_ in ("NOUN", "PROPN") and tok.text.endswith("s") and sounds_like_persons(tok.text):
        return NounClass("people", "unknown")
    return None


# ---- the metric ------------------------------------------------------------------------------

def _metric(doc, sent, count: _Count) -> Optional[str]:
    """What the sentence says happened to the counted, or None."""
    things = count.cls is not None and count.cls.kind in THING_KINDS
    anchor = count.noun if count.noun is not None else doc[count.last]
    for rule in (_verb_on_noun, _idiom, _named_metric, _partitive, _nominal, _governing_metric,
                 _clause_subject_metric, _toll_window):
        metric = rule(doc, sent, count, anchor, things)
        if metric is not None:
            return metric
    return _default_metric(doc, count, anchor, things)


def _is_agent(anchor, verb) -> bool:
    """"Three gunmen killed five people": the active subject of a verb with an object did it, it was
    not done to them."""
    if verb.lemma_.lower() in SUBJECT_VERBS:
        return False  # "3,000 people fled the town": the ones who flee are counted
    return anchor.dep_ == "nsubj" and anchor.head.i == verb.i and any(c.dep_ == "dobj" for c in verb.children)


def _verb_metric(verb, things: bool) -> Optional[str]:
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    entry = (VERBS.get(f"{verb.lemma_.lower()} {particle}") if particle else None) \
        or VERBS.get(verb.lemma_.lower()) or VERBS.get(verb.lower_)
    if entry is None:
        return None
    people_metric, thing_metric = entry
    return thing_metric if things else people_metric


def _verb_on_noun(doc, sent, count, anchor, things) -> Optional[str]:
    """"two men captured by ...", "30 soldiers that died", "17 others injured", "civilians who have fled"."""
    for c in anchor.children:
        if c.dep_ in ("acl", "relcl") and c.pos_ in ("VERB", "AUX", "ADJ"):
            metric = _verb_metric(c, things)
            if metric is not None:
                return metric
    return None


def _idiom(doc, sent, count, anchor, things) -> Optional[str]:
    """Phrases whose metric no single word gives: "left 20 people dead", "claimed the lives of 26"."""
    if things:
        return None
    text, base = span_text(sent), sent.start_char
    start, end = doc[count.first].idx - base, doc[count.last].idx + len(doc[count.last].text) - base
    marked = text[:start] + NUMBER_MARK + text[end:]
    for pattern, metric in IDIOMS:
        if pattern.search(marked):
            return metric
    return None


def _named_metric(doc, sent, count, anchor, things) -> Optional[str]:
    """The counted noun names the metric: "542 deaths", "13 wounded", "four bodies"."""
    if count.noun is None:
        return None
    if doc[count.first].lower_ == "one" and count.noun.i > count.last + 1:
        return None  # "one of the captives": a partitive names no toll
    metric = metric_noun(count.noun.text, count.noun.lemma_)
    return metric if metric != "present" else None  # a weak name: a verb ("captured two mercenaries") says more


def _partitive(doc, sent, count, anchor, things) -> Optional[str]:
    """"Nearly 130 of those who were killed": the whole the number is part of names the metric (a metric
    noun as the whole does not: "recognised one of the captives" counts no captives)."""
    of = next((c for c in doc[count.last].children if c.dep_ == "prep" and c.lower_ == "of"), None)
    whole = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if whole is None or things or whole.lower_ not in ("those", "them", "ones", "whom"):
        return None
    return _metric_of_phrase(whole)


def _nominal(doc, sent, count, anchor, things) -> Optional[str]:
    """"the deployment of almost 2,000 peacekeepers", "the killing of one person", "the death of eight"."""
    if anchor.dep_ == "pobj" and anchor.head.lower_ in ("of", "over"):
        nominal = anchor.head.head
        for key in (nominal.lemma_.lower(), nominal.lower_):
            if key in NOMINALS:
                people_metric, thing_metric = NOMINALS[key]
                return thing_metric if things else people_metric
    return None


def _governing_metric(doc, sent, count, anchor, things) -> Optional[str]:
    """The verb the counted phrase belongs to: "were killed", "had been captured", "killed 21 civilians"."""
    verb = _governing_verb(anchor)
    if verb is not None and _is_agent(anchor, verb):
        return None
    if verb is not None:
        metric = _verb_metric(verb, things)
        if metric is not None:
            return metric
        lemma = verb.lemma_.lower()
        if lemma == "take" and re.search(r"\b(hostage|captive|prisoner)s?\b", doc[verb.i:sent.end].text, re.I):
            return "detained"  # "253 were taken hostage"
        if lemma == "become":
            attr = next((c for c in verb.children if c.dep_ in ("attr", "acomp")), None)
            if attr is not None and metric_noun(attr.text, attr.lemma_):
                return metric_noun(attr.text, attr.lemma_)  # "860,000 Azeris became refugees"
    h = anchor.head
    if anchor.dep_ in ("dobj", "pobj", "attr", "nsubjpass", "nsubj", "conj"):
        return _verb_metric(h, things) if h.pos_ in ("VERB", "AUX") else None
    return None


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


def _clause_subject_metric(doc, sent, count, anchor, things) -> Optional[str]:
    """A metric noun heading the clause the number sits in: "the death toll climbed from 558 to 569",
    "the dead were five men", "among the dead are 92 members", "those killed included six women"."""
    if things:
        return None
    path = {anchor.i}
    clause = anchor
    for _ in range(4):
        if clause.head.i == clause.i:
            break
        if clause.i != anchor.i and clause.pos_ in ("NOUN", "PROPN") and clause.dep_ not in ("conj", "appos"):
            return None  # "tensions between the two neighbours": the number belongs to another noun's phrase
        clause = clause.head
        path.add(clause.i)
        if clause.pos_ in ("VERB", "AUX"):
            break
    if clause.pos_ not in ("VERB", "AUX"):
        return None
    for c in clause.children:
        if c.i in path:
            continue
        if c.dep_ in ("nsubj", "nsubjpass", "attr"):
            metric = _metric_of_phrase(c)
        elif c.dep_ == "prep" and c.lower_ == "among":
            metric = _metric_of_phrase(next((g for g in c.children if g.dep_ == "pobj"), None))
        else:
            continue
        if metric is not None:
            return metric
    return None


def _metric_of_phrase(tok) -> Optional[str]:
    """The metric a noun phrase names: "the dead", "the death toll", "the number of deaths", "those killed"."""
    if tok is None:
        return None
    metric = metric_noun(tok.text, tok.lemma_)
    if metric is None:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of" and tok.lower_ in ("number", "tally", "count", "total"):
                inner = next((g for g in c.children if g.dep_ == "pobj"), None)
                metric = _metric_of_phrase(inner)
            elif c.dep_ in ("acl", "relcl", "amod") and (tok.lower_ in ("those", "ones") or _is_people(tok)):
                metric = _most_telling([_verb_metric(v, False) for v in [c] + list(c.conjuncts)])
            if metric is not None:
                break
    return metric


METRIC_ORDER = ("killed", "wounded", "detained", "displaced", "deployed", "participants", "present", "other")


def _most_telling(metrics: list) -> Optional[str]:
    """Of the metrics of verbs in one phrase ("who arrived here and passed away"), the one that says most."""
    found = [m for m in metrics if m is not None]
    return min(found, key=METRIC_ORDER.index) if found else None


def _toll_window(doc, sent, count, anchor, things) -> Optional[str]:
    """"raising the death toll to five": a word for the dead named just before a bare number."""
    if count.noun is not None:
        return None
    window = doc[max(sent.start, anchor.i - 8):anchor.i]
    return "killed" if any(metric_noun(t.text, t.lemma_) == "killed" for t in window) else None


def _default_metric(doc, count: _Count, anchor, things: bool) -> Optional[str]:
    """Equipment, attacks and buildings counted with no verb that says more are `other` (places only
    when a verb or "control" acts on them, or "two cities" would be a figure); troops that are
    somewhere are `present`, and so are counts of a noun that names them so ("2,000 mercenaries")."""
    if things:
        return "other" if count.cls.kind != "place" else None
    if count.noun is not None and metric_noun(count.noun.text, count.noun.lemma_) == "present":
        return "present"
    if count.cls is not None and count.cls.population == "military":
        verb = _governing_verb(anchor)
        if verb is not None and verb.lemma_.lower() in ("be", "remain", "fight", "operate"):
            return "present"
    return None


def _take_list_intro(sent, counts, intro: Optional[str]) -> None:
    """Counts of a list take the metric its opening line names: "The updated toll includes: 79 fighters;
    154 civilians ..." (the opener ends the sentence before, or comes before a colon in this one)."""
    colon = next((t.i for t in sent if t.text == ":"), None)
    if colon is not None and intro is None:
        intro = _list_intro_metric(sent.doc[sent.start:colon])
        start = colon
    else:
        start = sent.start - 1
    if intro is None:
        return
    for count, _ in counts:
        if count.metric is None and count.first > start and _personal(count):
            count.metric = intro
            break  # the first count of the item; its parts ("including 83 ...") follow it along the list


def _name_combined_counts(doc, sent, counts) -> None:
    """A count of the killed and wounded together is `other`: "100 people had been killed and wounded",
    "434 casualties, including 321 fatalities and 113 injuries"."""
    for count, _ in counts:
        if count.metric not in ("killed", "wounded"):
            continue
        verb = _governing_verb(count.noun if count.noun is not None else doc[count.last])
        if verb is not None and _verb_metric(verb, False) == count.metric and any(
                c.dep_ == "conj" and c.i == verb.i + 2 and doc[verb.i + 1].lower_ in ("and", "or") and
                _verb_metric(c, False) in ("killed", "wounded") and _verb_metric(c, False) != count.metric
                for c in verb.children):
            count.metric = "other"  # "killed and wounded" side by side: one count of both
        elif count.noun is not None and count.noun.lemma_.lower() in ("casualty", "casualties"):
            later = {c.metric for c, _ in counts if c.first > count.last}
            if {"killed", "wounded"} <= later:
                count.metric = "other"


def _share_metrics_along_lists(doc, counts) -> None:
    """Counts in one list share the metric one of them has: "Among the victims were 4 women and 10
    children", "leaving 23 civilians - including nine children - and 16 fighters dead"."""
    for order in (counts, list(reversed(counts))):
        known: Optional[_Count] = None
        for count, _ in order:
            if count.metric is None and known is not None and _in_one_list(doc, known, count) and _personal(count):
                count.metric = known.metric
            if count.metric is not None:
                known = count if count.metric in PEOPLE_METRICS and _personal(count) else None


def _is_people(tok) -> bool:
    cls = _noun_class(tok)
    return cls is not None and cls.kind == "people"


def _personal(count: _Count) -> bool:
    return count.cls is None or count.cls.kind == "people"


def _in_one_list(doc, a: _Count, b: _Count) -> bool:
    """Only list words, and the words of the earlier count's noun phrase, stand between two counts."""
    left, right = (a, b) if a.first < b.first else (b, a)
    phrase_end = left.noun.i if left.noun is not None and left.noun.i > left.last else left.last
    between = doc[phrase_end + 1:right.first]
    if len(between) > 6:
        return False
    return all(t.lower_ in LIST_JOINERS or t.is_punct for t in between)


# ---- the figure ------------------------------------------------------------------------------

def _figure(ann, off, sent, count: _Count, sent_claims, side_of, like=None, prev=None) -> Optional[Figure]:
    doc = sent.doc
    first, last = count.first, count.last
    metric = count.metric or like.metric
    population = _population(doc, sent, count, metric, prev) if count.metric else like.population
    noun = count.noun
    subject = _subject_text(doc, noun, first, last) if noun is not None else (like.subject if like else None)
    if noun is not None and noun.lower_ in ("others", "other", "more") and prev is not None:
        subject = prev.subject
    claim = _claim_for(sent_claims, doc, first)
    as_of, reason = _as_of(ann.article, off, sent, count, claim)
    side = side_of(subject) if subject else None
    if side is None and subject and re.search(r"\b(its|their|our)\b", subject, re.I) and claim is not None:
        side = claim.claimant_affiliation
    start = off + sent.start_char
    text = sent.text.rstrip()
    vs, ve = off + doc[first].idx, off + doc[last].idx + len(doc[last].text)
    fid = "f-" + hashlib.sha1(f"{ann.doc_id}:{vs}:{count.value}".encode()).hexdigest()[:12]
    return Figure(doc=ann.doc_id, start=start, end=start + len(text), evidence=text, value=count.value,
                  metric=metric, value_text=doc[first:last + 1].text, value_start=vs, value_end=ve,
                  qualifier=_qualifier(doc, sent, first), population=population, subject=subject, side=side,
                  claimant=claim.claimant if claim is not None else None, as_of=as_of, as_of_reason=reason,
                  id=fid)


def _incident_when(sent, count: _Count, claim) -> Optional[str]:
    """The words naming the day of what the number counts: a day attached to the verb the counted
    belong to, not to the verb of saying ("said on Monday") nor a stretch ("since Monday")."""
    doc = sent.doc
    cue = _cue_token(doc, claim, sent) if claim is not None else None
    own_verb = _governing_verb(count.noun if count.noun is not None else doc[count.last])
    if own_verb is None or (cue is not None and own_verb.i == cue.i):
        return None
    for ent in sent.ents:
        if ent.label_ not in ("DATE", "TIME") or (ent.start > 0 and doc[ent.start - 1].lower_ in SPAN_WORDS):
            continue
        if ent[0].lower_ in SPAN_WORDS or count.first <= ent.start <= count.last:
            continue
        verb = _governing_verb(ent.root)
        if verb is not None and verb.i == own_verb.i:
            return ent.text
    return None


def _qualifier(doc, sent, first) -> str:
    """The words right before the number: "at least", "more than", "nearly"; "exact" when none."""
    q = QUALIFIER_RE.search(doc[max(sent.start, first - 4):first].text)
    return QUALIFIERS[q.group(1).lower()] if q else "exact"


def _as_of(art, off, sent, count: _Count, claim) -> tuple[Optional[str], str]:
    """The day the number holds for: the incident's day when the clause of the counted names it
    ("were killed Sunday", "in Thursday's attacks"), else the day of the statement, else the day the
    sentence names or the report's day."""
    incident = _incident_when(sent, count, claim)
    if incident is not None:
        anchor = dates.day(claim.said_on) if claim is not None else dates.anchor_day(art, off + sent.start_char)[0]
        day, precision, reason = dates.resolve_expression(incident, anchor)
        if day is not None and precision in ("day", "days"):
            return day.isoformat(), f"the day of the incident: {reason}"
    if claim is not None:
        return claim.said_on, f"the day of {claim.claimant}'s statement ({claim.said_on_reason})"
    anchor, anchor_reason = dates.anchor_day(art, off + sent.start_char)
    when = " ".join(e.text for e in sent.ents if e.label_ in ("DATE", "TIME"))
    day, _, reason = dates.resolve_expression(when, anchor) if when else (anchor, "", anchor_reason)
    return (day.isoformat() if day else None), reason


# ---- population ------------------------------------------------------------------------------

def _population(doc, sent, count: _Count, metric: str, prev: Optional[Figure]) -> str:
    """Military, civilian, mixed or unknown: said by the counted noun or its modifiers; persons of any
    kind ("people", "bodies") are civilians counted in an attack and mixed counted in fighting."""
    population = _population_said(count, doc)
    if population == "people":
        if prev is not None and _carries_over(count):
            population = prev.population  # "47 civilians had been killed and 222 wounded"
        else:
            population = "mixed" if MIXED_RE.search(sent.text) else "civilian"
    if population == "mixed" and metric == "displaced":
        population = "civilian"  # people who flee are counted as civilians
    return population


def _carries_over(count: _Count) -> bool:
    """A count that names no one of its own ("and 222 wounded", "17 others") counts the people before it."""
    if count.noun is None:
        return True
    return count.noun.lower_ in ("others", "other", "more", "wounded", "injured", "dead", "killed")


def _population_said(count: _Count, doc) -> str:
    noun = count.noun
    population = count.cls.population if count.cls is not None else "people"
    if noun is None:
        return _population_of_bare_number(count, doc)
    # "military casualties", "civilian deaths", "losses among its fighters"
    for c in noun.children:
        if c.dep_ in ("amod", "compound") and c.lower_ in ("military", "civilian", "civil"):
            population = "military" if c.lower_ == "military" else "civilian"
        if c.dep_ == "prep" and c.lower_ in ("among", "of", "from"):
            inner = next((g for g in c.children if g.dep_ == "pobj"), None)
            said = _noun_class(inner) if inner is not None else None
            if said is not None and said.population in ("military", "civilian"):
                population = said.population
    if noun.lower_ in ("others", "other", "more") and population == "unknown":
        population = "people"
    return population


def _population_of_bare_number(count: _Count, doc) -> str:
    """"killed 260 from the enemy forces": a bare number takes the population of its from/of/among phrase."""
    num = doc[count.last]
    nxt = doc[count.last + 1] if count.last + 1 < len(doc) else None
    preps = [c for c in num.children if c.dep_ == "prep"] + ([nxt] if nxt is not None and nxt.dep_ == "prep" else [])
    for prep in preps:
        if prep.lower_ in ("from", "of", "among"):
            inner = next((g for g in prep.children if g.dep_ == "pobj"), None)
            said = _noun_class(_phrase_head(inner)) if inner is not None else None
            if said is not None and said.population in ("military", "civilian"):
                return said.population
    return "people"


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


# ---- the claimant ----------------------------------------------------------------------------

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
