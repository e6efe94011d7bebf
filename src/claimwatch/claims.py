"""extract (claims): who is reported as saying, denying, accusing, confirming or doubting what.

Rules over the dependency parse, in the open:
- a speech or stance verb (data/attribution.tsv) and its subject: "Azerbaijan said ...",
  "..., the ministry said", "Peskov was cited by Interfax telling reporters ..." (the subject
  of a passive "cited"/"quoted" is the speaker; "was stated by X": the agent);
- "according to X"; "X's statement"; "X told Reuters" (outlet Reuters); "as reported by TASS";
- an outlet's own verification note ("Reuters could not independently verify ...": doubt);
- a tweet's signature line ("— Name (@handle) November 9, 2020") for the tweet above it;
- quotations running over several sentences take the speaker named where the quote ends.
Pronouns and short references ("he", "it", "the ministry") are resolved to the most recent
compatible speaker or name in the same article; unresolved ones give no claim.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Optional

from . import dates, lexicon
from .lexicon import canonical_outlet
from .models import Claim

def _load_cues() -> tuple[dict[str, str], dict[str, str]]:
    verbs, nouns = {}, {}
    for lemma, stance, kind in (r[:3] for r in lexicon.rows("attribution.tsv", 3)):
        (verbs if kind == "verb" else nouns)[lemma] = stance
    return verbs, nouns


SPEECH_VERBS, STATEMENT_NOUNS = _load_cues()
# verbs whose subject is the medium, not the speaker, when the verb is passive ("was cited by X")
PASSIVE_MEDIUM = {"cite", "quote", "report"}
CORE_SPEECH = {"say", "tell", "claim", "deny", "accuse", "report", "announce", "add", "confirm", "state", "insist",
               "warn", "reject", "blame", "admit", "write", "tweet", "urge", "call", "demand", "suggest", "encourage",
               "welcome", "express", "estimate", "trust", "describe", "condemn", "criticize", "criticise"}
# words that name a speaker when they head a noun phrase without a proper name
SPEAKER_NOUNS = set("""ministry ministries office official officials spokesman spokeswoman spokesperson president
minister ministers government authorities authority army military forces force troops command commander
commanders service services agency agencies group groups observatory committee council prosecutor
prosecutors police source sources observer observers analyst analysts expert experts resident residents
witness witnesses diplomat diplomats leader leaders leadership kremlin parliament lawmaker lawmakers mp mps
representative representatives envoy ambassador secretary chief head director general colonel
administration embassy mission organisation organization ombudsman monitor monitors statement report
reports journalist journalists correspondent editor newspaper daily channel broadcaster people side sides
party parties rebels separatists militants fighters activists officer officers soldier soldiers man men
woman women doctor doctors medics hospital rescuers coalition alliance union bloc country countries state
states republic website member members governor governors mayor staff workers medics paramedics
rescuers volunteers campaigners lawyer lawyers judge judges court prosecutors investigators inspectors tv
television radio broadcaster broadcasters newspaper newspapers media outlet outlets watchdog body""".split())
# documents whose author is the speaker: "a tweet from X", "X's statement"
DOC_NOUNS = {"tweet", "statement", "post", "letter", "communique", "communiqué", "message", "release", "video"}
NON_SPEAKER_HEADS = set("""deal agreement ceasefire truce plan document text report video footage map maps data
figures figure number numbers toll study survey poll law bill resolution treaty move decision""".split())
PRONOUNS_PERSON = {"he", "she", "him", "her"}
PRONOUNS_BODY = {"it", "they", "them"}
VERIFY_RE = re.compile(
    r"\b(?:could not|couldn't|cannot|can't|was unable to|were unable to|has not been able to|have not been able to|"
    r"did not|was not able to)\s+(?:independently\s+)?(?:verify|confirm)\b|\bunable (?:independently )?to "
    r"(?:independently )?verify\b", re.I)
DENY_CONTENT_RE = re.compile(
    r"\b(?:disagree|never agree|categorically|not true|untrue|misinformation|disinformation|fake|groundless|"
    r"baseless|lies|no (?:incidents?|truth|evidence|basis)|nothing to do with|had no role|no one can)\b", re.I)
DOUBT_CONTENT_RE = re.compile(r"\b(?:doesn't trust|does not trust|hardly be taken|can hardly|skeptical|sceptical|"
                              r"not convinced|cannot confirm|can't confirm)\b", re.I)
TWEET_SIG_RE = re.compile(r"^\s*[—–-]\s*(?P<name>.{1,60}?)\s*\(@(?P<handle>\w{1,30})\)\s+\w+\.? \d{1,2}, \d{4}\s*$")
QUOTE_OPEN = "“\""
QUOTE_CLOSE = "”\""

_outlet_names = sorted({n for n in lexicon.outlets() if len(n) >= 3}, key=len, reverse=True)
_OUTLET_ALT = "|".join(re.escape(n) for n in _outlet_names)
OUTLET_RE = re.compile(r"\b(" + _OUTLET_ALT + r")\b", re.I)
OUTLET_VERB_RE = re.compile(
    r"(?:\b(?:as reported by|reported by|cited by|quoted by|according to|told|in an interview with|carried by|"
    r"broadcast by|published by)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?P<a>" + _OUTLET_ALT + r"))\b|"
    r"\b(?P<b>" + _OUTLET_ALT + r")(?:\s+news agency)?\s+(?:reported|reports|said|cited|quoted|added|wrote)\b",
    re.I)


@dataclass
class _Context:
    """What the article has named so far, for resolving "he", "it", "the ministry"."""
    persons: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    last_plural_subject: Optional[tuple[str, str]] = None
    medium_for: dict[str, str] = field(default_factory=dict)  # speaker -> the outlet that carried them
    orgs: list[str] = field(default_factory=list)  # organisations named so far, for "the organization"
    speakers: list[tuple[str, str]] = field(default_factory=list)  # (name, type)

    def note_person(self, name: str):
        self.persons.append(name)

    def note_body(self, name: str):
        self.bodies.append(name)


def _claim_id(doc: str, start: int, claimant: str, cue: str) -> str:
    h = hashlib.sha1(f"{doc}:{start}:{claimant}:{cue}".encode()).hexdigest()[:12]
    return f"c-{h}"


def extract_claims(ann) -> list:
    from .gazetteer import side_of
    art = ann.article
    ctx = _Context()
    claims: list[Claim] = []
    doc_outlet = art.outlet
    for off, doc in ann.parsed:
        para_text = doc.text
        sig = TWEET_SIG_RE.match(para_text)
        if sig:
            # a tweet's signature: the tweet is the paragraph before it
            found_days = dates.full_dates(para_text)
            tweet_day = found_days[0][0] if found_days else None
            for p_off, p_doc in _tweet_paragraphs(ann, off):
                for sent in p_doc.sents:
                    words = re.sub(r"(?:pic\.twitter\.com|https?://)\S+|[@#]\w+", "", sent.text).split()
                    if len(words) >= 3:
                        claims.append(_make(art, ann.doc_id, p_off, sent, sig.group("name").strip(), "assert",
                                            "tweet", "person", "Twitter", tweet_day, side_of))
            continue
        pending_quote: list = []   # sentences inside a quotation not yet attributed
        in_quote = False
        last_in_para: Optional[tuple[str, str]] = None
        for sent in doc.sents:
            if not sent.text.strip():
                continue
            found = _attributions(sent, ctx)
            starts_in_quote = in_quote or sent.text.lstrip()[:1] in QUOTE_OPEN
            in_quote = _quote_open_after(sent.text, in_quote)
            _note_names(sent, ctx)
            if found:
                for claimant, ctype, stance, cue, outlet in found:
                    named = outlet or _outlet_in(sent.text)
                    if named and ctype != "outlet":
                        ctx.medium_for[claimant] = named  # "Peskov said, TASS reports": his later words too
                    claims.append(_make(art, ann.doc_id, off, sent, claimant, stance, cue, ctype,
                                        named or ctx.medium_for.get(claimant) or doc_outlet, None, side_of))
                    ctx.speakers.append((claimant, ctype))
                    if ctype == "person":
                        ctx.note_person(claimant)
                    else:
                        ctx.note_body(claimant)
                claimant, ctype, stance, cue, outlet = found[0]
                for q in pending_quote:
                    claims.append(_make(art, ann.doc_id, off, q, claimant, _content_stance(q.text, "assert"),
                                        "quotation", ctype, outlet or ctx.medium_for.get(claimant) or doc_outlet,
                                        None, side_of))
                pending_quote = []
                last_in_para = (claimant, ctype)
            elif starts_in_quote:
                pending_quote.append(sent)
            if not in_quote and pending_quote:
                # a quotation that closed with no attribution of its own: the speaker named just before
                speaker = last_in_para or (ctx.speakers[-1] if ctx.speakers and pending_quote[0].start == 0 else None)
                if speaker:
                    for q in pending_quote:
                        claims.append(_make(art, ann.doc_id, off, q, speaker[0], _content_stance(q.text, "assert"),
                                            "quotation", speaker[1], ctx.medium_for.get(speaker[0]) or doc_outlet,
                                            None, side_of))
                pending_quote = []
    return _dedupe(_full_names(claims))


def _full_names(claims: list[Claim]) -> list[Claim]:
    """A person named by surname alone ("Putin said") is the person named in full before
    ("Russian President Vladimir Putin"): one speaker, one name, one series in the charts."""
    full: dict[str, str] = {}
    for c in claims:
        words = c.claimant.split()
        if c.claimant_type != "person":
            continue
        if len(words) >= 2:
            full[words[-1].lower()] = c.claimant
        elif words and words[0].lower() in full:
            c.claimant = full[words[0].lower()]
    return claims


def _tweet_paragraphs(ann, off):
    """The paragraphs of the tweet above its signature line: at most 300 characters in all."""
    before = [(p_off, p_doc) for p_off, p_doc in ann.parsed if p_off < off]
    out, size = [], 0
    for p_off, p_doc in reversed(before):
        text = p_doc.text.strip()
        size += len(text)
        if TWEET_SIG_RE.match(text) or (out and size > 300):
            break
        # the tweet is the paragraph above the signature; lines above it belong to it only when they
        # lead into it ("Winners of the deal:" above "-Russia. ...")
        if out and not (len(text) < 200 and (text.endswith((":", ";")) or text[:1] in "-•–"
                                             or out[0][1].text.lstrip()[:1] in "-•–")):
            break
        out.insert(0, (p_off, p_doc))
    return out


def _make(art, doc_id, off, sent, claimant, stance, cue, ctype, outlet, said_on, side_of) -> Claim:
    """A claim on one sentence; said_on from the verb's time words against the section's or article's day,
    or the day given (a tweet's signature)."""
    start = off + sent.start_char
    text = sent.text.rstrip()
    anchor, anchor_reason = dates.anchor_day(art, start)
    when_text = _time_words(sent, cue)
    day, precision, reason = dates.resolve_expression(when_text, anchor) if when_text else (
        anchor, "report", f"no day named; the {anchor_reason}" if anchor else anchor_reason)
    if anchor is None and not when_text:
        day, reason = None, anchor_reason
    if said_on is not None:
        day, reason = said_on, "the date the text gives for it (a tweet's signature)"
    return Claim(doc=doc_id, start=start, end=start + len(text), evidence=text, claimant=claimant,
                 stance=stance, cue=cue, claimant_affiliation=side_of(POSTING_RE.sub("", claimant)),
                 claimant_type=ctype,
                 outlet=outlet, said_on=day.isoformat() if day else None,
                 said_on_reason=reason,
                 id=_claim_id(doc_id, start, claimant, cue))


# "NPR Moscow correspondent Lucian Kim": where a journalist is posted is not the side they speak for
POSTING_RE = re.compile(r"\b[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?\s+(?=(?:correspondent|bureau|reporter)\b)")
CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "advcl", "conj", "parataxis", "dative"}


def _time_words(sent, cue: Optional[str]) -> str:
    """The time words that say when the statement was made: those hanging on the verb of saying,
    not those inside what was said ("a delegation will visit on Friday, the minister said")."""
    verb = next((t for t in sent if t.lower_ == (cue or "").lower() and t.lemma_.lower() in SPEECH_VERBS), None)
    if verb is None:
        return ""
    content = {t.i for c in verb.children if c.dep_ in CONTENT_DEPS for t in c.subtree}
    if verb.dep_ in ("ccomp", "parataxis"):
        content |= {t.i for t in verb.head.subtree if t.i not in {x.i for x in verb.subtree}}
    # "said on Thursday they had ...", "on Sunday said": right beside the verb, whatever the parse says
    beside = set(range(verb.i - 3, verb.i)) | set(range(verb.i + 1, verb.i + 4))
    parts = [e.text for e in sent.ents if e.label_ in ("DATE", "TIME")
             and (e.root.i not in content or (e.start in beside and not (e.start > verb.i and any(
                 t.lower_ == "that" or t.dep_ == "nsubj" for t in sent.doc[verb.i + 1:e.start]))))]
    return " | ".join(parts)


def _dedupe(claims: list[Claim]) -> list[Claim]:
    seen = set()
    out = []
    for c in claims:
        key = (c.start, c.claimant.lower())
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


def _quote_open_after(text: str, was_open: bool) -> bool:
    state = was_open
    for ch in text:
        if ch == "“":
            state = True
        elif ch == "”":
            state = False
        elif ch == '"':
            state = not state
    return state


def _outlet_in(text: str) -> Optional[str]:
    m = OUTLET_VERB_RE.search(text)
    if m:
        return canonical_outlet(m.group("a") or m.group("b"))
    return None


def _content_stance(text: str, stance: str) -> str:
    if stance == "assert":
        if DENY_CONTENT_RE.search(text):
            return "deny"
        if DOUBT_CONTENT_RE.search(text):
            return "doubt"
    return stance


def _note_names(sent, ctx: _Context) -> None:
    root = sent.root
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    ctx.last_plural_subject = None
    if subj is not None and subj.tag_ in ("NNS", "NNPS") and subj.lower_ in SPEAKER_NOUNS | {"protesters",
                                                                                             "protestors",
                                                                                             "demonstrators"}:
        ctx.last_plural_subject = (_np_text(subj), "group")
    for e in sent.ents:
        if e.label_ == "PERSON":
            ctx.note_person(e.text)
        elif e.label_ in ("ORG", "GPE", "NORP"):
            ctx.note_body(e.text)
            if e.label_ == "ORG" and not canonical_outlet(e.text):
                ctx.orgs.append(re.sub(r"^the\s+", "", e.text, flags=re.I))


# ---- attributions in one sentence -------------------------------------------------------------

def _attributions(sent, ctx: _Context) -> list[tuple[str, str, str, str, Optional[str]]]:
    """(claimant, claimant_type, stance, cue, outlet) for each attribution in the sentence."""
    out = []
    text = sent.text
    # an outlet's own verification note
    m = VERIFY_RE.search(text)
    if m:
        subj = _verify_subject(sent, m.start())
        if subj:
            out.append((subj, "outlet", "doubt", "verification", canonical_outlet(subj)))
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") and lemma in SPEECH_VERBS:
            r = _verb_attribution(tok, ctx)
            if r:
                out.append(r)
                subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                # "Armenia and Azerbaijan accused each other": one claim per conjoined speaker
                for conj in (subj.conjuncts if subj is not None else ()):
                    name, ctype = _speaker(conj, ctx)
                    if name:
                        out.append((name, ctype, r[2], r[3], r[4]))
        elif tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to":
            obj = next((c for c in tok.nbor(1).children if c.dep_ == "pobj"), None)
            if obj is not None:
                name, ctype = _speaker(obj, ctx)
                if name:
                    outlet = canonical_outlet(name)
                    out.append((name, "outlet" if outlet else ctype, "assert", "according to", outlet))
        elif lemma in STATEMENT_NOUNS and tok.pos_ == "NOUN":
            owner = next((c for c in tok.children if c.dep_ == "poss"), None)
            if owner is not None:
                name, ctype = _speaker(owner, ctx)
                if name:
                    out.append((name, ctype, "assert", tok.lower_, None))
    # "X said ..., AFP reported": the outlet is the medium of X's claim, not a second claimant
    speakers = [r for r in out if r[1] != "outlet"]
    if speakers:
        media = [r[4] or r[0] for r in out if r[1] == "outlet" and r[3] != "verification"]
        if media:
            medium = canonical_outlet(media[-1]) or media[-1]
            out = [r if r[1] == "outlet" and r[3] == "verification" else (*r[:4], r[4] or medium)
                   for r in out if r[1] != "outlet" or r[3] == "verification"]
    # one claim per claimant: the strongest stance wins (deny/accuse/confirm/doubt over assert)
    merged: dict[str, tuple] = {}
    for r in out:
        key = (canonical_outlet(r[0]) or r[0]).lower()  # "AP" and "Associated Press" are one speaker
        if key not in merged or (merged[key][2] == "assert" and r[2] != "assert"):
            merged[key] = r
    return [(*r[:2], _content_stance(text, r[2]), *r[3:]) for r in merged.values()]


def _verify_subject(sent, char_pos: int) -> Optional[str]:
    """Who could not verify: a named outlet before the words, else the subject of "verify"/"confirm"
    ("The AP could not independently verify ...")."""
    before = sent.text[:char_pos]
    m = OUTLET_RE.search(before)
    if m:
        return canonical_outlet(m.group(1)) or m.group(1)
    for t in sent:
        if t.lemma_.lower() in ("verify", "confirm") and sent.start_char + char_pos <= t.idx + sent.doc[0].idx + 200:
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if subj is None:
                for a in (c for c in t.children if c.dep_ == "aux"):
                    subj = next((g for g in a.children if g.dep_ == "nsubj"), subj)
            if subj is not None and subj.pos_ in ("PROPN", "NOUN"):
                name = _np_text(subj)
                return canonical_outlet(name) or name
    return None


MEDIA_WORDS_RE = re.compile(r"\b(?:news|agency|agencies|newspaper|daily|weekly|broadcaster|channel|TV|television|"
                            r"radio|outlet|website|site|magazine|media|wire|service)\b", re.I)
PLATFORMS = {"twitter": "Twitter", "facebook": "Facebook", "telegram": "Telegram", "instagram": "Instagram",
             "youtube": "YouTube", "x": "X"}


def _subject_words(verb) -> str:
    """All the words of the verb's subject(s) ("the state news agency SABA" parsed as two subjects)."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return ""
    return verb.doc[min(c.left_edge.i for c in subjects):max(c.right_edge.i for c in subjects) + 1].text


def _media_name(tok) -> Optional[str]:
    """The proper name inside a described medium: "Germany's Bild newspaper" -> "Bild"."""
    names = [t for t in tok.subtree if t.pos_ == "PROPN" and t.ent_type_ not in ("GPE", "NORP")]
    if not names:
        return None
    return tok.doc[names[0].i:names[-1].i + 1].text


def _platform_or_interviewer(verb) -> Optional[str]:
    if verb.lemma_.lower() == "tweet":
        return "Twitter"
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("on", "in", "with")):
        for obj in (g for g in prep.children if g.dep_ == "pobj"):
            words = {t.lower_ for t in obj.subtree}
            platform = next((PLATFORMS[w] for w in words if w in PLATFORMS and w != "x"), None)
            if platform:
                return platform
            if obj.lemma_.lower() == "interview":
                inner = next((p for p in obj.children if p.dep_ == "prep" and p.lower_ == "with"), None)
                target = next((g for g in inner.children if g.dep_ == "pobj"), None) if inner is not None else None
                if target is not None:
                    return canonical_outlet(_np_text(target)) or _media_name(target)
    return None


def _inside_reported_clause(tok) -> bool:
    """True for a verb inside what another speech verb reports ("Azerbaijan said it had agreed ..."):
    the nested verb is part of the content, not a second attribution."""
    t = tok
    for _ in range(6):
        if t.head.i == t.i:
            return False
        if t.dep_ in ("ccomp", "xcomp") and t.head.lemma_.lower() in SPEECH_VERBS and t.head.pos_ in ("VERB", "AUX") \
                and t.head.i < tok.i:
            # only content that follows its speech verb; in "X said ..., AFP reported" the later verb
            # names the medium, and X's verb is the attribution
            return True
        if t.dep_ in ("conj",):
            return False
        t = t.head
    return False


def _verb_attribution(tok, ctx: _Context):
    lemma = tok.lemma_.lower()
    stance = SPEECH_VERBS[lemma]
    if _inside_reported_clause(tok):
        return None
    negated = any(c.dep_ == "neg" for c in tok.children)
    if lemma == "trust":
        if not negated:
            return None
        stance = "doubt"  # "The Kremlin doesn't trust reports that ..."
    elif stance == "assert" and negated:
        return None  # "Azerbaijan does not disclose ...", "Turkey has not called for a truce"
    elif stance == "confirm" and negated:
        stance = "doubt"  # "could not confirm", "did not verify"
    # non-speech senses
    if lemma in ("call",) and not any(c.lower_ in ("for", "on") for c in tok.children) and not any(
            c.dep_ in ("ccomp", "oprd", "xcomp", "attr", "acomp") for c in tok.children) and not (
            any(c.dep_ == "dobj" for c in tok.children) and any(t.text in QUOTE_OPEN for t in tok.doc[tok.i:])):
        return None  # "called X the capital" is naming; "called the claims “groundless”" is speech
    if lemma in ("add", "post", "report", "state", "express", "question", "charge", "expect", "hope", "agree",
                 "fear", "believe", "welcome", "praise", "dismiss", "quote", "cite", "describe", "indicate", "signal",
                 "threaten", "demand", "ask", "propose", "note", "respond", "reply", "recall", "dispute"):
        # these count only when they govern something said (a clause, a quote) or have a clear speaker object
        has_content = any(c.dep_ in ("ccomp", "xcomp", "dobj", "advcl", "prep", "dative", "parataxis", "npadvmod")
                          for c in tok.children) or tok.dep_ in ("parataxis",)
        if not has_content:
            return None
    if lemma == "report" and tok.dep_ in ("amod", "acl"):
        return None
    subj = None
    outlet = None
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            subj = c
    if subj is None:
        # "Armenian officials have for weeks accused": the parser hangs the subject on the auxiliary
        for a in (c for c in tok.children if c.dep_ == "aux"):
            subj = next((g for g in a.children if g.dep_ in ("nsubj", "nsubjpass")), subj)
    if passive:
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        agent_obj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
        if lemma in PASSIVE_MEDIUM:
            # "Peskov was cited by Interfax": the subject speaks, the agent is the medium
            if agent_obj is not None:
                outlet = canonical_outlet(_np_text(agent_obj)) or None
        elif agent_obj is not None:
            subj = agent_obj  # "This was stated by the spokesperson ..."
        else:
            return None  # "it was reported that ...": no speaker named
    if subj is None:
        # participles and conjuncts take the subject of the verb they hang on: "..., saying that", "and added"
        head = tok
        for _ in range(3):
            # "..., saying that" / "and added": a participle or a conjunct shares its subject; an infinitive
            # of purpose ("called up to defend") does not speak for anyone
            if (head.dep_ == "conj" or (head.dep_ in ("advcl", "xcomp", "acl", "pcomp") and head.tag_ == "VBG")) \
                    and head.head.i != head.i:
                head = head.head
                subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None:
                    if head.lemma_.lower() in PASSIVE_MEDIUM and any(c.dep_ == "agent" for c in head.children):
                        ag = next(c for c in head.children if c.dep_ == "agent")
                        ao = next((g for g in ag.children if g.dep_ == "pobj"), None)
                        outlet = canonical_outlet(_np_text(ao)) if ao is not None else None
                    break
            else:
                break
    if subj is None:
        return None
    if subj.lower_ in ("it", "they") and lemma not in CORE_SPEECH:
        return None  # "It also threatens the security ...": a pronoun is a speaker only with a verb of saying
    if subj.dep_ == "expl" or subj.lower_ in ("i", "we", "you", "there", "this", "that", "which", "who", "what"):
        if subj.lower_ in ("which", "who") and subj.head.dep_ == "relcl":
            subj = subj.head.head  # "..., which Azerbaijan claims" / "the ministry, which said"
            if subj.lower_ in ("which", "who", "that"):
                return None
        elif subj.lower_ == "this" and passive:
            return None
        else:
            return None
    name, ctype = _speaker(subj, ctx)
    if not name:
        # noisy text with a comma lost ("Since the outbreak of hostilities Armenia has insisted"): the
        # name right before the verb group is the speaker
        left = min([tok.i] + [c.i for c in tok.children if c.dep_ in ("aux", "auxpass", "neg", "advmod")
                              and c.i < tok.i])
        ent = next((e for e in tok.doc.ents if e.end == left and e.label_ in ("PERSON", "ORG", "GPE", "NORP")), None)
        if ent is None:
            return None
        name, ctype = ent.text, "person" if ent.label_ == "PERSON" else "body"
    name = _specific(name, ctx)
    medium = canonical_outlet(name)
    if medium:
        ctype = "outlet"
        outlet = outlet or medium
    elif lemma in ("report", "say") and ctype != "person" and MEDIA_WORDS_RE.search(
            _subject_words(tok) or name) and any(
            c.dep_ == "ccomp" and c.i < tok.i and c.lemma_.lower() in SPEECH_VERBS for c in tok.children):
        # "Yemen's government accused ..., the state news agency SABA reported": the medium
        ctype = "outlet"
        outlet = name
    # "X told Reuters", "told Germany's Bild newspaper": the listener is the medium
    if lemma == "tell":
        dative = next((c for c in tok.children if c.dep_ in ("dative", "dobj")), None)
        if dative is not None:
            listener = _np_text(dative)
            outlet = canonical_outlet(listener) or (_media_name(dative) if MEDIA_WORDS_RE.search(listener)
                                                    else None) or outlet
    # "in an interview with broadcaster WSB Atlanta", "in a Facebook post", "wrote on Twitter"
    if outlet is None:
        outlet = _platform_or_interviewer(tok)
    if lemma == "call" and stance == "assert":
        pass
    return name, ctype, stance, tok.lower_, outlet


_TRIM_DEPS = {"relcl", "acl", "advcl", "punct", "cc", "conj", "prep", "appos"}


GENERIC_WORDS = set("""the of a an and for in on at to by with from its their his her ministry ministries defense
defence foreign spokesman spokeswoman spokesperson president minister prime official officials authorities
authority government forces force service services news agency office state head chief deputy secretary general
army military department committee council group international national security press public media source
sources presidential administration republic region regional leader leaders side country statement online
interior emergency emergencies""".split())


def _specific(name: str, ctx: _Context) -> str:
    """A claimant named only by generic words ("the Defense Ministry", "a Defence Ministry statement")
    is the more specific speaker named before with the same head ("Russia's defence ministry")."""
    words = re.findall(r"[\w-]+", name.lower())
    name = re.sub(r"\s+statement$", "", name)
    if not words or any(w not in GENERIC_WORDS for w in words):
        return name
    head = next((w for w in reversed(words) if w not in ("statement", "online", "the", "a", "an")), words[-1])
    for prev, _ in reversed(ctx.speakers):
        pw = re.findall(r"[\w-]+", prev.lower())
        if head in pw and any(w not in GENERIC_WORDS for w in pw):
            return prev
    return name


def _np_text(tok) -> str:
    """The noun phrase headed by tok: modifiers, compounds, possessives and 'of'-phrases, not clauses."""
    keep = {tok.i}
    def walk(t):
        for c in t.children:
            if c.dep_ in ("relcl", "acl", "advcl", "punct", "cc", "conj", "appos", "det") and c.i > tok.i:
                continue
            if c.dep_ == "det" and c.i < tok.i:
                continue
            if c.dep_ == "prep" and c.lower_ not in ("of", "for", "at", "in") or c.dep_ in ("relcl", "acl", "advcl",
                                                                                            "cc", "conj"):
                continue
            if c.dep_ == "punct" and c.text not in ("-", "’", "'", "–"):
                continue
            keep.add(c.i)
            walk(c)
    walk(tok)
    lo, hi = min(keep), max(keep)
    # contiguous span only
    span = tok.doc[lo:hi + 1]
    text = span.text.strip(" ,;:—–-")
    return re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I) if text.lower().startswith(("the ", "a ", "an ")) \
        and not _proper(span) else text


def _proper(span) -> bool:
    return any(t.pos_ == "PROPN" for t in span)


PERSON_ROLES = set("""analyst director spokesman spokeswoman spokesperson minister official politician leader
president ambassador expert journalist editor correspondent chairman chairwoman chair head chief commander
general colonel secretary envoy adviser advisor aide professor researcher fellow lawmaker mp senator deputy
governor mayor ombudsman negotiator representative activist resident driver doctor witness""".split())
ORG_WORDS = set("""ministry service group army council committee agency office forces force court union bank
organization organisation institute center centre party government administration watch international
command guard guards police""".split())


def _looks_like_person(tok) -> bool:
    """A proper name with a person's role in apposition ("Olesya Vartanyan, Crisis Group's senior analyst"),
    or a two- or three-word proper name with no organisation word, when the NER is unsure."""
    if tok.ent_type_ == "PERSON":
        return True
    if tok.ent_type_ in ("GPE", "LOC", "NORP", "FAC"):
        return False
    for c in tok.children:
        if c.dep_ == "appos" and c.lemma_.lower() in PERSON_ROLES:
            return True
    parts = [c for c in tok.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"] + [tok]
    words = [t.lower_ for t in parts]
    return 2 <= len(parts) <= 3 and not any(w in ORG_WORDS for w in words) and all(t.is_title for t in parts)


def _person_name(ent) -> str:
    return ent.text


def _speaker(tok, ctx: _Context) -> tuple[Optional[str], str]:
    """The speaker named by a subject token: a name, a described body, or a resolved reference."""
    low = tok.lower_
    if tok.pos_ == "PRON" or low in PRONOUNS_PERSON | PRONOUNS_BODY:
        if low in PRONOUNS_PERSON:
            # a person named earlier in the same sentence comes first ("Harutyunyan said ..., he said")
            here = [e for e in tok.sent.ents if e.label_ == "PERSON" and e.end <= tok.i]
            if here:
                return _person_name(here[-1]), "person"
            return (ctx.persons[-1], "person") if ctx.persons else (None, "")
        if low in ("it", "they", "them"):
            # a body that spoke earlier in the same sentence ("The military said it had struck ... and accused")
            for t in tok.sent:
                if t.i >= tok.i:
                    break
                if t.dep_ == "nsubj" and t.pos_ in ("PROPN", "NOUN") and t.head.lemma_.lower() in SPEECH_VERBS:
                    name, ctype = _speaker(t, ctx)
                    if name and ctype != "person":
                        return name, ctype
        if low in ("it",):
            for name, ctype in reversed(ctx.speakers):
                if ctype != "person":
                    return name, ctype
            return (ctx.bodies[-1], "body") if ctx.bodies else (None, "")
        if low in ("they", "them"):
            # the plural subject of the sentence before ("Hundreds of protesters rallied ... They then marched")
            if ctx.last_plural_subject:
                return ctx.last_plural_subject
            for name, ctype in reversed(ctx.speakers):
                if ctype != "person":
                    return name, ctype
            return (None, "")
        return None, ""
    # "Influential Turkish politician Devlet Bahceli, whose party ...": the name in apposition
    appos_name = next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"
                       and (c.ent_type_ == "PERSON" or _looks_like_person(c))), None)
    if appos_name is not None and tok.pos_ == "NOUN":
        name_span = tok.doc[min(t.i for t in tok.subtree if t.i <= tok.i and t.dep_ != "det"):
                            max(t.i for t in appos_name.subtree if t.dep_ in ("compound", "flat") or t is appos_name) + 1]
        return name_span.text.strip(" ,"), "person"
    text = _np_text(tok)
    span_tokens = [t for t in tok.subtree if t.i >= tok.i - 12]
    ents = [e for e in tok.doc.ents if e.start <= tok.i < e.end or (e.start >= min(t.i for t in span_tokens)
                                                                     and e.end <= tok.i + 1)]
    person = next((e for e in ents if e.label_ == "PERSON"), None)
    head_low = tok.lemma_.lower()
    if tok.pos_ == "PROPN" or person is not None or any(e.label_ in ("ORG", "GPE", "NORP") for e in ents):
        if person is not None and len(text.split()) > 8:
            return person.text, "person"
        ctype = "person" if (person is not None and tok.ent_type_ == "PERSON") or _looks_like_person(tok) else "body"
        if ctype == "person" or (person is not None and tok.i == person.end - 1):
            return text, "person"
        if head_low in NON_SPEAKER_HEADS:
            return None, ""
        return text, "body"
    if head_low in DOC_NOUNS:
        # "a tweet from Nagorno-Karabakh's ombudsman", "the ministry's statement": the author speaks
        author = next((c for c in tok.children if c.dep_ == "poss"), None)
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("from", "by", "of")):
            author = next((g for g in prep.children if g.dep_ == "pobj"), author)
        if author is not None and author.lemma_.lower() not in DOC_NOUNS:
            return _speaker(author, ctx)
    if head_low in NON_SPEAKER_HEADS:
        return None, ""
    if tok.lower_ in SPEAKER_NOUNS:
        head_low = tok.lower_
    if head_low in SPEAKER_NOUNS:
        # "the ministry", "the spokesman": a short reference to someone named before
        if len(text.split()) <= 2 and tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("the", "its", "his", "her") \
                and not any(t.pos_ in ("ADJ", "PROPN") for t in tok.subtree if t.i != tok.i):
            for name, ctype in reversed(ctx.speakers):
                if head_low in name.lower():
                    return name, ctype
            if head_low in ("spokesman", "spokeswoman", "spokesperson", "official", "minister", "president"):
                return (ctx.persons[-1], "person") if ctx.persons else (None, "")
            if head_low in ("organization", "organisation", "group", "agency", "body", "watchdog") and ctx.orgs:
                return ctx.orgs[-1], "body"  # "The organization said": the organisation named last
            return None, ""
        ctype = "anonymous" if head_low in ("source", "sources", "official", "officials", "observer", "observers",
                                            "witness", "witnesses", "resident", "residents", "diplomat",
                                            "diplomats", "analyst", "analysts", "expert", "experts") else "body"
        return text, ctype
    return None, ""
