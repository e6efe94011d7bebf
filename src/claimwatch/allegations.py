"""extract (allegations): who accuses whom of what, who denies it, who says a truce was broken.

From the claims of a document and the parse of their sentences: for every accusation ("Azerbaijan
accused Armenian forces of shelling Barda"), every denial ("Yerevan denied carrying out the
attack") and every statement that an agreement was violated ("monitors said government forces
breached the truce"; "our forces are not violating the ceasefire, he added"), one `Allegation`:
the accuser as named and the side it speaks for, the side accused (for a denial, the side that
denies doing it), what of (a ceasefire violation, the ACLED sub-event type of the incident the
sentence reports, or the act as written), and the day it was said. The blame matrix and the
ceasefire monitor are built on these. No accused side is invented: when the sentence names none,
it stays empty.
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Optional

from .agreements import VOCAB, agreement_nouns
from .models import Allegation, Claim, EventMention
from .nlp import doc_text

CEASEFIRE_VIOLATION = "ceasefire violation"
MAX_ACT_WORDS = 6
MUTUAL = {"other", "another"}  # "accused each other", "blamed one another"
# the accused of a mutual accusation whose parties the sentence does not name ("both sides accused
# each other"): the ceasefire monitor reads it as each party of the agreement accusing the other
EACH_OTHER = "each other"


def extract_allegations(ann, claims: Iterable[Claim], mentions: Iterable[EventMention] = ()) -> list[Allegation]:
    """One allegation per claim that accuses, denies, or says an agreement was (not) violated."""
    from .gazetteer import side_of
    incident_at: dict[int, str] = {}
    for m in mentions:
        incident_at.setdefault(m.start, m.sub_event_type or m.event_type)
    claims = list(claims)
    states = _states_speaking(claims)
    out = []
    for claim in claims:
        sent = _sentence_of(ann, claim.start)
        if sent is None:
            continue
        about_agreement = bool(agreement_nouns(sent)) and _violation_words(sent)
        negated_violation = _negated_violation(sent)
        violator = _violator(sent, side_of) if about_agreement else None
        stance = _stance(claim, about_agreement, negated_violation, violator)
        if stance is None:
            continue
        accused, accused_text = _accused(sent, claim, stance, negated_violation, side_of)
        if claim.stance != "accuse" and stance == "accuse":
            accused, accused_text = violator, None
        if accused is None and accused_text:
            accused = _state_meant(accused_text, states, claim.claimant_affiliation)
        what = CEASEFIRE_VIOLATION if about_agreement else incident_at.get(claim.start) or _act(sent, claim)
        a = Allegation(doc=claim.doc, claim_id=claim.id, start=claim.start, end=claim.end, evidence=claim.evidence,
                       stance=stance, accuser=claim.claimant, accuser_side=claim.claimant_affiliation,
                       accused=accused, accused_text=accused_text if accused is None else None, what=what, day=claim.said_on, about_agreement=about_agreement)
        a.id = "g-" + hashlib.sha1(f"{claim.id}:{stance}".encode()).hexdigest()[:12]
        out.append(a)
    return out


def _states_speaking(claims: list[Claim]) -> list[str]:
    """The states whose forces speak in the article ("Sudan's army said"), in the order they first speak;
    failing those, every state a speaker speaks for."""
    from .gazetteer import sides
    known = sides()
    found = dict.fromkeys(c.claimant_affiliation for c in claims if c.claimant_affiliation)
    states = [s for s in found if s in known and known[s].kind == "country"]
    forces = dict.fromkeys(c.claimant_affiliation for c in claims if c.claimant_affiliation in states
                           and _names_state_force(c.claimant))
    return list(forces) or states


def _names_state_force(text: str) -> bool:
    words = text.lower().replace("'s", "").split()
    return any(" ".join(words[k:k + n]) in VOCAB["state"] for n in (1, 2) for k in range(len(words)))


def _state_meant(text: str, states: list[str], accuser_side: Optional[str]) -> Optional[str]:
    """"the army", "government forces": the one state of the article that is not the accuser's own side."""
    if not _names_state_force(text):
        return None
    others = [s for s in states if s != accuser_side]
    return others[0] if len(others) == 1 else None


def _sentence_of(ann, pos: int):
    for off, doc in ann.parsed:
        if off <= pos < off + len(doc_text(doc)):
            return next((s for s in doc.sents if s.start_char <= pos - off < s.end_char + 1), None)
    return None


def _violation_words(sent) -> bool:
    """A word of violating an agreement ("violated", "breach"), not of its collapse ("broke down")."""
    return any(t.lemma_.lower() in VOCAB["violation"] and not any(c.dep_ == "prt" for c in t.children) for t in sent)


def _violator(sent, side_of) -> Optional[str]:
    """The side said to violate: the subject of "violated"/"breached", or "Armenian violations of the truce"."""
    for t in sent:
        if t.lemma_.lower() not in VOCAB["violation"] or any(c.dep_ in ("prt", "neg") for c in t.children):
            continue
        who = [c for c in t.children if c.dep_ in (("nsubj", "agent") if t.pos_ == "VERB" else ("poss", "amod", "compound"))]
        for w in who:
            w = next((g for g in w.children if g.dep_ == "pobj"), w) if w.dep_ == "agent" else w
            side = _side(w, side_of)
            if side:
                return side
    return None


def _negated_violation(sent):
    """The violating verb of "our forces are not violating the truce", if the sentence has one."""
    for t in sent:
        if t.lemma_.lower() in VOCAB["violation"] and t.pos_ == "VERB" and any(c.dep_ == "neg" for c in t.children):
            return t
    return None


def _stance(claim: Claim, about_agreement: bool, negated_violation, violator: Optional[str]) -> Optional[str]:
    if claim.stance == "deny" or (negated_violation is not None and claim.stance in ("assert", "deny")):
        return "deny"
    if claim.stance == "accuse":
        return "accuse"
    if claim.stance == "confirm" and about_agreement:
        return "confirm"
    if claim.stance == "assert" and about_agreement and violator:
        return "accuse"  # "monitors said government forces breached the truce"
    return None


def _accused(sent, claim: Claim, stance: str, negated_violation, side_of) -> tuple[Optional[str], Optional[str]]:
    """The side accused (for a denial, the side denying that it did it), and the accused as written
    when it names no side ("the army")."""
    if stance == "deny":
        if negated_violation is not None:
            subj = next((c for c in negated_violation.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.lower_ not in ("we", "it", "they"):
                return _side(subj, side_of) or claim.claimant_affiliation, None
        return claim.claimant_affiliation, None
    cue = _cue_token(sent, claim)
    named = None
    if cue is not None:
        for c in cue.children:
            if c.dep_ in ("dobj", "obj"):
                if c.lower_ in MUTUAL:
                    return _other_party(cue, claim, side_of) or (None if claim.claimant_affiliation else EACH_OTHER), None
                side = _side(c, side_of)
                if side and side != claim.claimant_affiliation:
                    return side, None
                named = named or _phrase(c)
        for c in cue.children:
            if c.dep_ in ("ccomp", "xcomp"):
                subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
                side = _side(subj, side_of) if subj is not None else None
                if side and side != claim.claimant_affiliation:
                    return side, None
    return _other_side_named(sent, claim, side_of), named


def _cue_token(sent, claim: Claim):
    cue = (claim.cue or "").lower().split()
    if not cue:
        return None
    return next((t for t in sent if t.pos_ in ("VERB", "NOUN") and (t.lower_ == cue[0] or t.lemma_.lower() == cue[0])),
                None)


def _other_party(cue, claim: Claim, side_of) -> Optional[str]:
    """"Armenia and Azerbaijan accused each other": for Armenia's claim, Azerbaijan."""
    subj = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return None
    for t in [subj] + list(subj.conjuncts):
        side = _side(t, side_of)
        if side and side != claim.claimant_affiliation and side != side_of(claim.claimant):
            return side
    return None


def _other_side_named(sent, claim: Claim, side_of) -> Optional[str]:
    """The first side the sentence names that is not the accuser's own (nor its outlet)."""
    own = {claim.claimant_affiliation, side_of(claim.claimant or ""), side_of(claim.outlet or "")}
    for e in sent.ents:
        if e.label_ in ("GPE", "NORP", "ORG"):
            side = side_of(e.text)
            if side and side not in own:
                return side
    return None


def _side(tok, side_of) -> Optional[str]:
    words = [t for t in tok.subtree if t.dep_ not in ("relcl", "acl", "prep") or t.i == tok.i]
    phrase = " ".join(t.text for t in sorted(words, key=lambda t: t.i))
    return side_of(phrase) or side_of(tok.text)


def _phrase(tok) -> str:
    """A verb or noun with its object, without the clauses and places hung on it: "launching new attacks"."""
    keep = [tok]
    stack = list(tok.children)
    while stack:
        t = stack.pop()
        if t.dep_ in ("prep", "relcl", "acl", "advcl", "punct", "cc", "conj", "appos", "mark", "advmod"):
            continue
        keep.append(t)
        stack.extend(t.children)
    words = sorted(keep, key=lambda t: t.i)[:MAX_ACT_WORDS]
    return " ".join(t.lower_ for t in words)


def _act(sent, claim: Claim) -> str:
    """What the accused is said to have done, as written: "accused X of shelling ..." -> "shelling"."""
    cue = _cue_token(sent, claim)
    if cue is not None:
        for p in [c for c in cue.children if c.dep_ == "prep"] + [
                g for c in cue.children if c.dep_ == "dobj" for g in c.children if g.dep_ == "prep"]:
            if p.lower_ in ("of", "for"):
                obj = next((g for g in p.children if g.dep_ in ("pcomp", "pobj")), None)
                if obj is not None:
                    return _phrase(obj)
    return "unspecified"
