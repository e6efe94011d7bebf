"""extract (events): event mentions, coded in the ACLED taxonomy, with day, place and actors.

A mention is a sentence with an event trigger (data/event_triggers.tsv) that is asserted as
happening (not "would have", not negated, not a future plan), the places the sentence names for
it (resolved by `link`, which drops mentions it cannot place), and a day resolved from the
sentence's time words against the right anchor (the section's day in a live blog, the published
day otherwise). Mentions are merged into events across
sentences and articles by `resolve`.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from . import dates, lexicon
from .models import Claim, EventMention, Figure, PlaceRef

def _load_triggers():
    single, phrases = {}, {}
    for word, etype, sub in (r[:3] for r in lexicon.rows("event_triggers.tsv", 3)):
        (phrases if " " in word else single)[word] = (etype, sub)
    return single, phrases


TRIGGERS, PHRASE_TRIGGERS = _load_triggers()
AGREEMENT_VERBS = {"strike", "sign", "agree", "reach", "broker", "conclude", "seal"}
IRREALIS = {"would", "could", "might", "may", "should", "will", "shall", "must"}
# gerunds are background after these ("weeks of fighting"); "with 3,000 people converging" is not
GERUND_BACKGROUND_PREPS = {"of", "by", "since", "after", "before", "during", "amid", "despite", "following"}
# "thousands of demonstrators": a quantity, not a background phrase
QUANTITY_HEADS = {"thousands", "hundreds", "dozens", "scores", "tens", "millions", "number", "group", "crowd",
                  "crowds", "wave", "series", "spate"}
FORCE_WORDS = re.compile(r"\b(forces?|troops|army|military|soldiers|servicemen|units?|artillery|drones?|jets?)\b", re.I)
# prepositions that put an event somewhere ("in Shusha", "near the town of", "on Stepanakert")
LOC_PREPS = {"in", "near", "on", "at", "around", "outside", "into", "over", "across", "towards", "toward", "inside",
             "of", "from", "along", "between", "within", "throughout", "to"}
PLACE_NOUNS = {"town", "city", "village", "capital", "district", "region", "province", "area", "territory",
               "settlement", "settlements", "positions", "enclave", "corridor", "center", "centre", "streets",
               "outskirts", "suburbs", "frontline", "front"}
TERRITORY_SUBS = {"Non-state actor overtakes territory", "Government regains territory"}
# "displaced by the fighting", "weeks of fighting", "died in ongoing fighting": a trigger inside such a
# phrase names the circumstance of something else, not an event
BACKGROUND_PREPS = {"by", "since", "during", "amid", "after", "before", "in", "of", "from", "throughout",
                    "despite", "over", "following", "with", "without"}
# a mention this long before its report is background ("a 1994 ceasefire"), not news
BACKGROUND_DAYS = 60


def extract_mentions(ann, claims: list[Claim], figures: list[Figure]) -> list[EventMention]:
    """Event mentions with the places the text names for them (`place_refs`); `link` resolves the places."""
    from .gazetteer import side_of
    art = ann.article
    claims_at: dict[int, list[Claim]] = {}
    for c in claims:
        claims_at.setdefault(c.start, []).append(c)
    figs_at: dict[int, list[Figure]] = {}
    for f in figures:
        figs_at.setdefault(f.start, []).append(f)
    out: list[EventMention] = []
    for off, doc in ann.parsed:
        earlier: list[PlaceRef] = []  # places named before in this paragraph, most recent first
        for sent in doc.sents:
            trig = _trigger(sent)
            if trig is None:
                earlier = _carried(_place_refs(sent, off)) + earlier
                continue
            tok, etype, sub = trig
            if sub in TERRITORY_SUBS and not _takes_territory(tok):
                continue  # "captured two fighters" is not territory changing hands
            own = _place_refs(sent, off, tok)
            if etype == "Protests" and RIOT_RE.search(sent.text):
                etype, sub = "Riots", "Violent demonstration"
            start = off + sent.start_char
            anchor, anchor_reason = dates.anchor_day(art, start)
            when = _event_time_words(sent, tok)
            day, precision, reason = dates.resolve_expression(when, anchor) if when else (
                anchor, "report", f"no day named; the {anchor_reason}")
            if anchor is None and not when:
                day, precision, reason = None, "unknown", anchor_reason
            if day is not None and anchor is not None and (anchor - day).days > BACKGROUND_DAYS:
                earlier = _carried(own) + earlier
                continue
            speaker_side = next((c.claimant_affiliation for c in claims_at.get(start, [])
                                 if c.claimant_affiliation), None)
            actor1, actor2 = _actors(tok, sent, lambda text: side_of(text) or (
                speaker_side if re.search(r"\b(its|their|our)\b", text, re.I) else None))
            killed = [f.value for f in figs_at.get(start, []) if f.metric == "killed"]
            text = sent.text.rstrip()
            out.append(EventMention(
                doc=ann.doc_id, start=start, end=start + len(text), evidence=text, event_type=etype,
                sub_event_type=sub, date=day.isoformat() if day else None, date_precision=precision,
                date_reason=reason, location=None, actor1=actor1, actor2=actor2,
                fatalities=int(min(killed)) if killed else None,
                claim_ids=[c.id for c in claims_at.get(start, [])], trigger=tok.text,
                place_refs=own + earlier))
            earlier = _carried(own) + earlier
    return out


def _carried(refs: list[PlaceRef]) -> list[PlaceRef]:
    """A sentence's places as the fallback of later sentences, the last named first."""
    return [replace(r, carried=True) for r in sorted(refs, key=lambda r: -r.start)]


def _event_time_words(sent, trigger) -> str:
    """When the event happened: the time words of the trigger's own clause ("said on Friday that forces
    had shelled Shusha on Thursday" -> Thursday), else those of the sentence (the report's day)."""
    clause = {t.i for t in _clause_root(trigger).subtree}
    ents = [e for e in sent.ents if e.label_ in ("DATE", "TIME")]
    own = [e for e in ents if e.root.i in clause]
    words = [e.text for e in (own or ents)]
    text = sent.text if not own else sent.doc[min(clause):max(clause) + 1].text
    for cue in ("overnight", "the weekend"):
        if re.search(rf"\b{cue}\b", text, re.I) and not any(cue in w.lower() for w in words):
            words.append(cue)
    return " | ".join(words)


def _trigger(sent):
    lemmas = [t.lemma_.lower() for t in sent]
    for k in range(len(lemmas) - 1):
        for n in (3, 2):
            if k + n > len(lemmas):
                continue
            phrase = " ".join(lemmas[k:k + n])
            if phrase in PHRASE_TRIGGERS and _asserted(sent[k]):
                etype, sub = PHRASE_TRIGGERS[phrase]
                head = sent[k + n - 1] if sent[k].pos_ != "VERB" else sent[k]  # "missile strike" -> strike
                if sub == "Agreement" and not _concluded(head):
                    continue
                return head, etype, sub
    for t in sent:
        lemma = t.lemma_.lower()
        if lemma not in TRIGGERS and t.lower_ in TRIGGERS:
            lemma = t.lower_  # irregular forms the lemmatizer leaves alone ("retook")
        if t.dep_ in ("pobj", "pcomp") and t.head.lower_ in (BACKGROUND_PREPS if t.pos_ == "NOUN"
                                                             else GERUND_BACKGROUND_PREPS) and not (
                t.head.lower_ == "of" and t.head.head.lower_ in QUANTITY_HEADS):
            continue  # "weeks of fighting", "displaced by the fighting"
        if lemma in TRIGGERS and t.pos_ in ("NOUN", "VERB") and _asserted(t):
            etype, sub = TRIGGERS[lemma]
            if sub == "Agreement" and not _concluded(t):
                continue
            if etype == "Strategic developments" and sub == "Arrests" and t.pos_ != "VERB":
                continue
            if lemma in NOUN_ONLY_TRIGGERS and t.pos_ != "NOUN":
                continue  # "strikes on Kharkiv" is an attack; "jets strike" is left to the weapon rule
            return t, etype, sub
    return _weapon_trigger(sent)


NOUN_ONLY_TRIGGERS = {"strike"}
# "missiles slammed into apartment buildings", "a drone hit a power station": the weapon is the subject
WEAPON_VERBS = {"hit", "strike", "slam", "pound", "target", "rain", "struck", "land", "explode"}
WEAPONS = {"missile": "Shelling/artillery/missile attack", "rocket": "Shelling/artillery/missile attack",
           "shell": "Shelling/artillery/missile attack", "artillery": "Shelling/artillery/missile attack",
           "drone": "Air/drone strike", "airstrike": "Air/drone strike", "bomb": "Air/drone strike",
           "warplane": "Air/drone strike", "jet": "Air/drone strike"}


def _weapon_trigger(sent):
    for t in sent:
        if t.pos_ == "VERB" and (t.lemma_.lower() in WEAPON_VERBS or t.lower_ in WEAPON_VERBS) and _asserted(t):
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.lemma_.lower() in WEAPONS:
                return t, "Explosions/Remote violence", WEAPONS[subj.lemma_.lower()]
    return None


def _concluded(tok) -> bool:
    """An agreement is an event when it is struck, signed or agreed, not when it is only talked about."""
    if tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
        tok = tok.head  # "a ceasefire agreement was signed"
    if tok.head.lemma_.lower() in AGREEMENT_VERBS and tok.dep_ in ("nsubjpass", "dobj", "nsubj", "pobj"):
        return True
    return any(c.lemma_.lower() in AGREEMENT_VERBS and c.dep_ in ("relcl", "acl") for c in tok.children)


def _asserted(tok) -> bool:
    """Not negated, not conditional or future: "would have been captured" is not an event.

    Nor a purpose ("recruited to fight"), nor the background of a time clause ("before
    Azerbaijani forces had captured Shusha").
    """
    if tok.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return False
    if tok.pos_ == "VERB" and any(c.dep_ == "mark" and c.lower_ in ("before", "since", "until", "once", "if", "unless")
                                  for c in tok.children):
        return False
    for t in (tok, tok.head):
        if any(c.dep_ == "det" and c.lower_ in ("no", "any") for c in t.children):
            return False  # "no incidents linked with any capture"
    verb = tok if tok.pos_ == "VERB" else tok.head
    for t in (verb, verb.head):
        for c in t.children:
            if c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in IRREALIS):
                return False
    return True


def _takes_territory(tok) -> bool:
    """The object of "captured"/"retook" is a place, not people."""
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "pobj")]
    for o in objs:
        if o.ent_type_ in ("GPE", "LOC", "FAC") or o.lemma_.lower() in PLACE_NOUNS or o.lower_ in PLACE_NOUNS:
            return True
        if any(t.ent_type_ in ("GPE", "LOC", "FAC") for t in o.subtree) and o.pos_ != "NOUN":
            return True
        if o.lemma_.lower() in ("control",):
            return True
    if tok.pos_ == "NOUN":
        for of in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
            for o in of.children:
                if o.dep_ == "pobj" and (o.ent_type_ in ("GPE", "LOC", "FAC") or o.lemma_.lower() in PLACE_NOUNS):
                    return True
    return False


def _located(ent) -> bool:
    """A place used as a location, not as an actor ("Baku said", "Moscow's peacekeepers")."""
    root = ent.root
    for _ in range(3):
        if root.dep_ == "pobj" and root.head.lower_ in LOC_PREPS:
            return True
        if root.dep_ in ("dobj", "nsubjpass", "attr", "npadvmod"):
            return True
        if root.dep_ in ("compound", "appos", "conj", "nmod", "amod") or (
                root.dep_ == "poss" and root.head.lemma_.lower() in PLACE_NOUNS):
            root = root.head
            continue
        return False
    return False


RIOT_RE = re.compile(r"\b(storm(?:ed|ing)?|riot\w*|violent|clash(?:ed|es)? with police|beaten|torched|looted)\b", re.I)


def _place_refs(sent, off: int, trigger=None) -> list[PlaceRef]:
    """The places a sentence names as locations; with a trigger, those of its own clause first, nearest first."""
    clause = {t.i for t in _clause_root(trigger).subtree} if trigger is not None else set()
    refs = []
    for e in sent.ents:
        if e.label_ not in ("GPE", "LOC", "FAC") or not _located(e):
            continue
        if trigger is not None:
            if e.root.i not in clause and abs(e.root.i - trigger.i) > 10:
                continue  # a place in another clause, far from the trigger, is another matter
            noun = e.root if e.root.lemma_.lower() in PLACE_NOUNS else e.root.head
            if noun.lemma_.lower() in PLACE_NOUNS and (noun.i == e.root.i or e.root.dep_ in ("compound", "amod", "nmod")) \
                    and any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children):
                continue  # "the southern Gaza city of Rafah": the place is Rafah
        refs.append(PlaceRef(e.text, off + e.start_char, off + e.end_char,
                             in_clause=trigger is None or e.root.i in clause,
                             distance=abs(e.root.i - trigger.i) if trigger is not None else 0))
    return refs


def _clause_root(tok):
    t = tok
    while t.head.i != t.i and t.dep_ not in ("ROOT", "ccomp", "advcl", "relcl", "conj", "parataxis"):
        t = t.head
    return t


def _actors(tok, sent, side_of) -> tuple[Optional[str], Optional[str]]:
    """Initiator and target as sides: the agent ("by Azeri forces") or subject, and the object."""
    verb = tok if tok.pos_ == "VERB" else tok.head
    actor1 = actor2 = None
    for c in list(tok.children) + (list(verb.children) if verb is not tok else []):
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None:
                actor1 = _side_phrase(obj, side_of)
        elif c.dep_ == "nsubj" and actor1 is None:
            actor1 = _side_phrase(c, side_of)
        elif c.dep_ in ("dobj",) and actor2 is None:
            actor2 = _side_phrase(c, side_of)
    if actor1 is None:
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "poss"):
                actor1 = _side_phrase(c, side_of)
                if actor1:
                    break
    return actor1, actor2 if actor2 != actor1 else None


def _side_phrase(tok, side_of) -> Optional[str]:
    phrase = " ".join(t.text for t in tok.subtree)
    # "DEIR AL-ZOR, Syria (Example News) – Islamic State fighters": the dateline is not the actor
    phrase = re.sub(r"^.*?\([^)]*\)\s*[–—-]+\s*", "", phrase)
    side = side_of(phrase)
    if not side:
        return None
    return f"Military Forces of {side}" if FORCE_WORDS.search(phrase) else side
