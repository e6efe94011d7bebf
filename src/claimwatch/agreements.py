"""extract (agreements): what each sentence says of a ceasefire, truce, humanitarian pause or peace deal.

For every sentence that names an agreement (data/agreements.tsv), one `AgreementMention`: its
family, what the sentence says happened to it (agreed, took effect, holding, violated, collapsed,
or only referred to), and what it tells of it: the day it was agreed, when it takes effect, who
agreed and who brokered it, and its terms as written. Agreements that are only wished for or
talked about ("called for a truce", "to help arrange a ceasefire"), several past ones at once
("three previous ceasefires") and old ones ("a 1994 ceasefire") are not mentions of a current
agreement. The ceasefire monitor (`ceasefires`) resolves mentions across articles.
"""
from __future__ import annotations

import hashlib
from datetime import date
from typing import Iterable, Optional

from . import dates, lexicon
from .models import AgreementMention, Claim
from .nlp import memo

# an agreement mentioned this long before its report is history ("a 1994 ceasefire"), not news
HISTORY_DAYS = 60
IRREALIS = {"would", "could", "might", "may", "should", "will", "shall", "must"}
TIME_WORDS = {"midnight", "noon", "dawn", "midday", "sunrise", "sunset", "gmt", "utc"}
EFFECT_PREPS = {"from", "at", "starting", "as", "effective", "beginning"}
MAX_TERM_TOKENS = 30
PHASE_ORDER = ("violated", "collapsed", "effect", "holding", "agreed", "reference")


def _vocabulary() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for kind, phrase, value in (r[:3] for r in lexicon.rows("agreements.tsv", 3)):
        out.setdefault(kind, {})[phrase] = value
    return out


VOCAB = _vocabulary()
NOUNS = VOCAB["noun"]
NOUN_LENGTHS = sorted({len(p.split()) for p in NOUNS}, reverse=True)


def extract_agreements(ann, claims: Iterable[Claim] = ()) -> list[AgreementMention]:
    """One mention per sentence that names a current agreement (the first such name decides). Once an
    article has named one, "the deal" or "the agreement" alone refers back to it."""
    claims_at: dict[int, list[str]] = {}
    for c in claims:
        claims_at.setdefault(c.start, []).append(c.id)
    out: list[AgreementMention] = []
    for off, doc in ann.parsed:
        for sent in doc.sents:
            m = _mention(ann, off, sent, claims_at, out[-1].kind if out else None)
            if m is not None:
                out.append(m)
    return out


def _mention(ann, off: int, sent, claims_at: dict[int, list[str]], named: Optional[str]) -> Optional[AgreementMention]:
    art = ann.article
    start = off + sent.start_char
    report, _ = dates.anchor_day(art, start)
    for head, family in agreement_nouns(sent) or _references(sent, named):
        if not _current(head, report):
            continue
        agreed_verb = _agreed_verb(head)
        phase = _phase(head, agreed_verb)
        agreed_on, reason, precision = _agreed_day(head, agreed_verb, report, phase)
        if agreed_on is not None and report is not None and (report - agreed_on).days > HISTORY_DAYS:
            continue
        eff_day, eff_time = _effective(head, agreed_verb, agreed_on or report)
        text = sent.text.rstrip()
        m = AgreementMention(
            doc=ann.doc_id, start=start, end=start + len(text), evidence=text,
            kind=_family(head, family), phase=phase, report_day=report.isoformat() if report else None,
            agreed_on=agreed_on.isoformat() if agreed_on else None, agreed_precision=precision, agreed_reason=reason,
            effective_from=eff_day.isoformat() if eff_day else None, effective_time=eff_time,
            parties=_parties(head, agreed_verb), brokers=_brokers(head, agreed_verb, sent),
            terms=_terms(head, agreed_verb), ordinal=_ordinal(head), claim_ids=list(claims_at.get(start, [])))
        m.id = "a-" + hashlib.sha1(f"{ann.doc_id}:{start}".encode()).hexdigest()[:12]
        return m
    return None


# ---- the agreement's name -------------------------------------------------------------------------

def agreement_nouns(sent) -> list[tuple[object, str]]:
    """(head token, family) of every agreement name in the sentence, longest phrase first at a position
    (read once per sentence: agreements and allegations both ask)."""
    return list(memo(sent.doc, f"agreements.nouns.{sent.start}.{sent.end}", lambda: _find_agreement_nouns(sent)))


def _find_agreement_nouns(sent) -> list[tuple[object, str]]:
    lemmas = [t.lemma_.lower() for t in sent]
    found, i = [], 0
    while i < len(lemmas):
        for n in NOUN_LENGTHS:
            phrase = " ".join(lemmas[i:i + n])
            if i + n <= len(lemmas) and phrase in NOUNS and sent[i + n - 1].pos_ in ("NOUN", "PROPN"):
                found.append((sent[i + n - 1], NOUNS[phrase]))
                i += n - 1
                break
        i += 1
    return found


def _references(sent, named: Optional[str]) -> list[tuple[object, str]]:
    """"the deal", "the agreement": a definite bare name refers to the agreement the article named before."""
    if named is None:
        return []
    return [(t, named) for t in sent if t.lemma_.lower() in VOCAB["anaphor"] and t.tag_ == "NN"
            and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in t.children)]


def _modifiers(head) -> list:
    """The words that modify the agreement's name, its compound parts' included: in "the latest
    U.S.-brokered ceasefire deal" the parser hangs "latest" and "U.S.-brokered" on "ceasefire"."""
    parts = [head] + [c for c in head.children if c.dep_ == "compound"]
    return [c for p in parts for c in p.children if c.i not in {x.i for x in parts}]


def _family(head, family: str) -> str:
    if family == "ceasefire" and any(c.lower_ == "humanitarian" for c in _modifiers(head)):
        return "humanitarian ceasefire"
    return family


def _current(head, report: Optional[date]) -> bool:
    """A specific, current agreement: not several past ones, not an old one, not one only wished for."""
    mods = _modifiers(head)
    if head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "nummod" and c.ent_type_ not in ("DATE", "TIME")
                                           for c in head.children):
        return False  # "three previous ceasefires", "ceasefires have failed" (not "a 24-hour truce")
    for c in mods:
        if c.like_num and len(c.text) == 4 and c.text.isdigit() and (report is None or int(c.text) < report.year):
            return False  # "a 1994 ceasefire": a year names a past agreement, unless it is this year's
        if c.dep_ == "det" and c.lower_ in ("no", "any"):
            return False
    return not _wished_for(head)


def _wished_for(head) -> bool:
    """"called for a truce", "demanded a ceasefire", "to help arrange a truce", "has not agreed to a truce"."""
    unreal, agreed = VOCAB["unreal"], VOCAB["agreed"]
    t = head
    for _ in range(4):
        if t.head.i == t.i:
            break
        t = t.head
        lemma = t.lemma_.lower()
        if lemma in unreal or t.lower_ in unreal or t.lower_.rstrip("s") in unreal:
            return True
        if t.pos_ in ("VERB", "AUX"):
            if lemma in agreed:
                return _unrealised(t)
            if lemma in VOCAB["collapse"] or lemma in VOCAB["violation"]:
                return False
    return False


def _unrealised(verb) -> bool:
    """An agreeing that did not happen: negated, conditional, future, an infinitive of purpose ("to
    broker a truce"), or only approached ("the sides could be close to agreeing a truce")."""
    if verb.tag_ == "VBG" and verb.dep_ in ("pcomp", "xcomp"):
        return verb.head.lower_ not in ("for", "after", "since")  # "close to agreeing" (not "for brokering")
    t = verb
    for _ in range(4):
        for c in t.children:
            if c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in IRREALIS | {"to"}):
                return True
        if t.dep_ in ("relcl", "acl", "amod") or t.head.i == t.i:
            break
        t = t.head
    return False


# ---- what happened to it --------------------------------------------------------------------------

def _agreed_verb(head):
    """The verb that concluded the agreement: "signed a truce", "agreed to a ceasefire", "a truce
    brokered by Qatar", "the ceasefire, which was agreed on Saturday", "a Russian-brokered truce"."""
    agreed = VOCAB["agreed"]
    h = head.head
    if h.pos_ == "VERB" and h.lemma_.lower() in agreed and head.dep_ in ("dobj", "nsubjpass", "nsubj", "attr"):
        return h
    if head.dep_ == "pobj" and h.dep_ == "prep" and h.head.pos_ == "VERB" and h.head.lemma_.lower() in agreed:
        return h.head
    described = next((c for c in head.children if c.dep_ in ("acl", "relcl", "amod") and c.lemma_.lower() in agreed),
                     None)
    if described is not None:
        return described
    # "violating a ceasefire agreed three days ago": a participle right after the name describes it,
    # however the small parser hangs it
    nxt = head.doc[head.i + 1] if head.i + 1 < head.sent.end else None
    if nxt is not None and nxt.tag_ in ("VBN", "VBD") and nxt.lemma_.lower() in agreed and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in nxt.children):
        return nxt
    return None


def _governs(verb, head) -> bool:
    """The sentence reports the agreeing itself: the agreement is the verb's own object or subject
    ("signed a truce", "agreed to a truce"), and the verb is not a description of someone else
    ("Russia, which brokered the truce, ...")."""
    if verb is None or verb.dep_ in ("relcl", "acl", "amod") and verb.head.i != head.i:
        return False
    if verb.tag_ == "VBG" and verb.dep_ == "pcomp":
        return False  # "grateful for brokering the ceasefire" looks back at it
    return head.head.i == verb.i or (head.dep_ == "pobj" and head.head.head.i == verb.i)


def _phase(head, agreed_verb) -> str:
    """What the sentence says happened to the agreement, the gravest first."""
    found = set()
    for t in _governors(head):
        lemma = _phrase_lemma(t)
        if lemma in VOCAB["violation"] or t.lemma_.lower() in VOCAB["violation"]:
            found.add("violated")
        if _collapses(t) and (lemma in VOCAB["collapse"] or head.dep_ in ("nsubj", "nsubjpass")):
            found.add("collapsed")
        if lemma in VOCAB["effect"]:
            found.add("effect")
        if t.lemma_.lower() in VOCAB["holding"] and t.pos_ in ("VERB", "AUX"):
            found.add("holding")
    if _violation_nearby(head):
        found.add("violated")
    if _collapse_after(head):
        found.add("collapsed")
    if _governs(agreed_verb, head):
        found.add("agreed")
    return next((p for p in PHASE_ORDER if p in found), "reference")


def _governors(head) -> list:
    """The words the agreement's name depends on, up to its clause (its predicate and the chain to it),
    and the clauses that describe it ("the ceasefire, which collapsed this week")."""
    out = [c for c in head.children if c.dep_ in ("relcl", "acl")]
    t = head
    for _ in range(4):
        if t.head.i == t.i:
            break
        t = t.head
        out.append(t)
        if t.lemma_.lower() in ("appear", "seem") and t.pos_ == "VERB":
            out.extend(c for c in t.children if c.dep_ == "xcomp")
        if t.pos_ == "VERB" and t.dep_ in ("ROOT", "ccomp", "advcl", "conj", "relcl"):
            break
    return out


def _phrase_lemma(verb) -> str:
    """"took effect", "broke down", "came into force": the verb with its particle or fixed object."""
    parts = [verb.lemma_.lower()]
    for c in verb.children:
        if c.dep_ == "prt":
            parts.append(c.lower_)
        elif c.dep_ == "dobj" and c.lower_ == "effect":
            parts.append("effect")
        elif c.dep_ == "prep" and c.lower_ == "into":
            parts.extend(["into"] + [g.lower_ for g in c.children if g.dep_ == "pobj"][:1])
    return " ".join(parts)


def _collapses(verb) -> bool:
    """"the truce collapsed", "fell through", "has frayed": not "a peace deal ended the war", not "may fail"."""
    collapse = VOCAB["collapse"]
    return verb.pos_ in ("VERB", "AUX") and (_phrase_lemma(verb) in collapse or verb.lemma_.lower() in collapse) \
        and not any(c.dep_ == "dobj" for c in verb.children) and not _unrealised(verb)


def _violation_nearby(head) -> bool:
    """"violations of the truce", "in breach of the ceasefire", "with total disregard for the truce"."""
    h = head.head
    if head.dep_ == "pobj" and h.lower_ in ("of", "for") and h.head.lemma_.lower() in VOCAB["violation"]:
        return True
    return any(c.dep_ in ("compound", "amod") and c.lemma_.lower() in VOCAB["violation"] for c in head.children) or \
        any(c.dep_ == "compound" and c.head.i == head.i for c in head.children if c.lemma_.lower() == "violation") or \
        (head.head.lemma_.lower() in VOCAB["violation"] and head.dep_ == "compound")


def _collapse_after(head) -> bool:
    """"a ceasefire agreed on Saturday ... had all but collapsed": a collapse verb later in the sentence
    with no subject of its own (the small parser often hangs it elsewhere)."""
    for t in head.sent:
        if t.i > head.i and t.pos_ == "VERB" and t.lemma_.lower() != "end" and _collapses(t) and \
                not any(c.dep_ in ("nsubj", "nsubjpass") and c.i != head.i for c in t.children) and \
                any(c.dep_ == "aux" and c.lemma_ == "have" for c in t.children):
            return True
    return False


# ---- days -----------------------------------------------------------------------------------------

def _agreed_day(head, agreed_verb, report: Optional[date], phase: str) -> tuple[Optional[date], str, Optional[str]]:
    """The day it was agreed: the time words on the verb that concluded it ("agreed on Saturday",
    "agreed three days ago"), or on the name ("last Saturday's ceasefire", "a two-day-old truce");
    a sentence reporting the agreeing itself with no time word gives the day of the report."""
    words = []
    if agreed_verb is not None:
        words = [t for t in agreed_verb.children if t.dep_ in ("npadvmod", "prep", "advmod", "tmod")
                 and not _is_effect_prep(t) and any(x.ent_type_ == "DATE" for x in t.subtree)]
    words += [c for c in head.children if c.dep_ in ("poss", "amod", "compound", "npadvmod", "nmod")
              and any(x.ent_type_ == "DATE" for x in c.subtree)]
    text = " ".join(" ".join(x.text for x in w.subtree) for w in words)
    if text:
        day, precision, reason = dates.resolve_expression(text, report)
        if day is not None and precision != "report":
            return day, reason, precision
    if phase == "agreed" and report is not None:
        return report, "no day named; the day of the report", "report"
    return None, "the sentence does not say when it was agreed", None


def _is_effect_prep(tok) -> bool:
    return tok.dep_ == "prep" and tok.lower_ in EFFECT_PREPS


def _effective(head, agreed_verb, anchor: Optional[date]) -> tuple[Optional[date], Optional[str]]:
    """When it takes effect, when the sentence says: "from midnight on Saturday", "at noon (0900 GMT)",
    "took effect at 0700 GMT on Friday"."""
    hosts = [head] + ([agreed_verb] if agreed_verb is not None else [])
    hosts += [t for t in _governors(head) if _phrase_lemma(t) in VOCAB["effect"]]
    hosts += [c for h in list(hosts) for c in h.children if c.dep_ in ("acl", "advcl")
              and c.lemma_.lower() in VOCAB["effect"]]  # "a truce starting at 6 a.m."
    hosts = list({h.i: h for h in hosts}.values())
    preps = [c for h in hosts for c in h.children if c.dep_ == "prep" and c.lower_ not in ("to", "of", "for") and (
        _is_effect_prep(c) or any(x.ent_type_ == "TIME" or x.lower_ in TIME_WORDS for x in c.subtree))]
    if any(_phrase_lemma(t) in VOCAB["effect"] for t in hosts[1:]):
        preps += [c for h in hosts[1:] for c in h.children if c.dep_ == "prep" and c.lower_ == "on"]
    if not preps:
        return None, None
    text = " ".join(" ".join(x.text for x in p.subtree) for p in preps)
    day, precision, _ = dates.resolve_expression(text, anchor, nearest=True)
    time = "; ".join(filter(None, (_clock(p) for p in preps))) or None
    if day is not None and precision == "report" and time is None:
        return None, None
    return day, time


def _clock(prep) -> Optional[str]:
    """The time of day a preposition names, as written: "at 0700 GMT", "from midnight (2000 GMT)"."""
    days = {x.i for c in prep.children if c.dep_ == "prep" for x in c.subtree}
    words = [x for x in prep.subtree if x.i != prep.i and x.i not in days and x.lower_ != "on"
             and x.lower_ not in dates.WEEKDAYS and x.lower_.rstrip(".") not in dates.MONTHS]
    if not any(x.ent_type_ == "TIME" or x.lower_ in TIME_WORDS or (x.like_num and len(x.text) == 4)
               for x in words):
        return None
    return " ".join(x.text for x in words).replace("( ", "(").replace(" )", ")")


# ---- who and what ---------------------------------------------------------------------------------

def _parties(head, agreed_verb) -> list[str]:
    """Who agreed or signed: the subjects of a party verb ("Armenia and Azerbaijan agreed"), the
    agents of a passive one ("signed by"), and "between X and Y"."""
    names = []
    if agreed_verb is not None and VOCAB["agreed"].get(agreed_verb.lemma_.lower()) == "party":
        for c in agreed_verb.children:
            if c.dep_ == "nsubj" and c.lower_ not in ("which", "that", "it") and c.i != head.i:
                names += _conjuncts(c)
            elif c.dep_ == "agent":
                names += [n for g in c.children if g.dep_ == "pobj" for n in _conjuncts(g)]
    for h in filter(None, (head, agreed_verb)):
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ == "between":
                names += _between(c)
    return _names(names)


def _between(prep) -> list:
    """The heads of the names listed after "between", read left to right ("between warring Armenia and
    Azerbaijan overnight to end ..."): the parser often garbles the list itself."""
    heads, i, sent = [], prep.i + 1, prep.sent
    while i < sent.end:
        t = prep.doc[i]
        if t.pos_ in ("PROPN", "NOUN") and (i + 1 >= sent.end or prep.doc[i + 1].pos_ not in ("PROPN", "NOUN")):
            heads.append(t)
        elif not (t.pos_ in ("DET", "ADJ", "CCONJ", "PROPN", "NOUN") or t.tag_ == "VBG" or t.text in "-,"):
            break
        i += 1
    return heads


def _brokers(head, agreed_verb, sent) -> list[str]:
    """Who brokered or mediated: "Russia-brokered", "brokered by Qatar and Egypt", "Russia, which
    brokered the ceasefire", "under Qatari mediation"."""
    names = []
    suffix = {w for w, how in VOCAB["broker"].items() if how == "suffix"}
    joined = []
    for c in _modifiers(head):
        if c.lower_ in suffix:
            names += [g for g in c.children if g.dep_ in ("npadvmod", "compound", "amod", "nmod")]
        elif "-" in c.text and c.lower_.rsplit("-", 1)[1] in suffix:
            joined.append(c.text.rsplit("-", 1)[0])  # "U.S.-brokered" is one token
    brokering = [agreed_verb] if agreed_verb is not None and VOCAB["agreed"].get(
        agreed_verb.lemma_.lower()) == "broker" else []
    brokering += [c for h in filter(None, (head, agreed_verb)) for c in h.children
                  if c.dep_ in ("acl", "relcl", "advcl") and VOCAB["agreed"].get(c.lemma_.lower()) == "broker"]
    for v in brokering:
        for c in v.children:
            if c.dep_ == "agent":
                names += [n for g in c.children if g.dep_ == "pobj" for n in _conjuncts(g)]
            elif c.dep_ == "nsubj":
                names += [v.head] if c.lower_ in ("which", "who", "that") and v.dep_ == "relcl" else _conjuncts(c)
    nouns = {w for w, how in VOCAB["broker"].items() if how == "noun"}
    for t in sent:
        if t.lemma_.lower() in nouns:
            names += [c for c in t.children if c.dep_ in ("poss", "amod", "compound")]
    from .gazetteer import side_of
    return list(dict.fromkeys([side_of(j) or j for j in joined] + _names(names)))


def _conjuncts(tok) -> list:
    return [tok] + [c for c in tok.conjuncts if c.i > tok.i]


def _names(tokens) -> list[str]:
    """Sides for the phrases the tokens head ("Armenian forces" -> Armenia), else the phrase as written."""
    from .gazetteer import side_of
    out = []
    for tok in tokens:
        words = [t for t in tok.subtree if t.i == tok.i or (
            t.dep_ not in ("cc", "conj", "punct", "det", "relcl", "acl", "appos")
            and not any(a.dep_ in ("conj", "relcl", "acl", "appos") and a.i != tok.i for a in t.ancestors
                        if a.i in {x.i for x in tok.subtree}))]
        phrase = " ".join(t.text for t in sorted(words, key=lambda t: t.i)) or tok.text
        name = side_of(phrase) or side_of(tok.text) or (phrase if tok.pos_ in ("PROPN", "NOUN") else None)
        if name and name not in out:
            out.append(name)
    return out


def _terms(head, agreed_verb) -> list[str]:
    """What it provides for, as written: "to swap prisoners and bodies", "aimed at letting civilians leave"."""
    opens = VOCAB["term"]
    hosts = [head] + ([agreed_verb] if agreed_verb is not None else [])
    if head.dep_ in ("nsubj", "nsubjpass"):
        # "the truce is meant to allow ...", "the truce takes effect ... and is meant to allow ..."
        hosts += [v for v in (head.head, *head.head.conjuncts) if v.lemma_.lower() in opens]
    clauses = []
    for h in hosts:
        for c in h.children:
            infinitive = c.dep_ in ("xcomp", "advcl", "acl", "relcl") and any(
                g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
            if infinitive or (c.dep_ == "acl" and c.lemma_.lower() in opens):
                clauses.append(c)
            elif opens.get(h.lemma_.lower()) == "object" and h.i != head.i and (
                    c.dep_ == "dobj" or c.dep_ == "prep" and c.lower_ == "for"):
                clauses.append(c)  # "the deal provides for the disarmament of ...": what it provides for
    out = []
    for c in clauses:
        text = _term_text(c)
        if text and text not in out:
            out.append(text)
    return out


def _term_text(clause) -> str:
    """The clause as written, cut before a report of the agreement's fate that the parser hung inside it."""
    fate = set(VOCAB["collapse"]) | set(VOCAB["violation"]) | set(VOCAB["holding"])
    toks = sorted(clause.subtree, key=lambda t: t.i)[:MAX_TERM_TOKENS]
    for k, t in enumerate(toks):
        finite = any(c.dep_ in ("nsubj", "nsubjpass") or (c.dep_ == "aux" and c.lower_ != "to") for c in t.children)
        if k and t.pos_ == "VERB" and t.lemma_.lower() in fate and finite:
            first = min(x.i for x in t.subtree)
            toks = [x for x in toks if x.i < first]
            break
    return " ".join(t.text for t in toks).replace(" ,", ",").strip(" ,")


def _ordinal(head) -> Optional[str]:
    """"second", "new", "earlier" as written: what tells this agreement from the one before or after."""
    for c in _modifiers(head):
        if VOCAB["ordinal"].get(c.lower_) and c.dep_ in ("amod", "det", "advmod", "compound"):
            return c.lower_
    return None
