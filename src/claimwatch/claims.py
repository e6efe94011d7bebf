"""extract (claims): who is reported as saying, denying, accusing, confirming or doubting what.

Rules over the dependency parse, in the open:
- a speech or stance verb (data/attribution.tsv) and its subject: "Azerbaijan said ...",
  "..., the ministry said", "Peskov was cited by Interfax telling reporters ..." (the subject
  of a passive "cited"/"quoted" is the speaker; "was stated by X": the agent); the speakers set
  off after the last comma ("..., locals and media reports said"), past a dateline, or before a
  verb with no subject ("..., a statement by the spokesman, Colonel X, said");
- "according to X"; nouns of speech and their owners ("X's statement", "accusations by X",
  "warnings from X", "Israeli claims"); documents that show what their authors say;
- the medium: "X told Reuters", "as reported by TASS", "Interfax cited officials", "told state
  television", "wrote on X", a medium that speaks is its own outlet;
- an outlet's own verification note or doubt ("Reuters could not independently verify ...",
  "It was not immediately clear ...": doubt); headlines that name their source;
- a tweet's signature line ("— Name (@handle) November 9, 2020") for the tweet above it;
- quotations (quotations.py) running over several sentences take the speaker named where the
  quote ends, before it, or in the sentence after it ("'...' The minister added.").
Pronouns and short references ("he", "it", "the ministry", "both sides") are resolved to the
most recent compatible speaker or name in the same article; unresolved ones give no claim.
Speakers named in generic words only ("officials") keep what the text says of them, else take
the one country the article is about ("Libyan officials"), else give no claim when ambiguous.

The vocabulary lives in data files: verbs and nouns of speech in attribution.tsv, word classes
(speaker nouns, documents, roles, generic words, media words, platforms) in claim_words.tsv, cue
phrases (verification notes, denial words, media cues, the outlet's doubt) in claim_phrases.tsv.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from typing import NamedTuple, Optional

from spacy.attrs import DEP, ENT_TYPE, LEMMA, LOWER, ORTH

from . import dates, lexicon
from .lexicon import canonical_outlet
from .models import Claim
from .nlp import doc_text, span_text
from .quotations import Quotes, quote_spans


# ---- vocabulary ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Verb:
    stance: str
    needs: str            # subject | content | clause | document | negation | call (see attribution.tsv)
    core: bool            # a verb of saying proper: "it"/"they" may be its subject
    medium: bool          # passive: the subject speaks, the agent is the medium


def _load_cues() -> tuple[dict[str, _Verb], dict[str, str], set[str]]:
    verbs, nouns, owned_by_of = {}, {}, set()
    for lemma, stance, kind, needs, flags in (r[:5] for r in lexicon.rows("attribution.tsv", 5)):
        marks = set(flags.split(","))
        if kind == "verb":
            verbs[lemma] = _Verb(stance, needs or "subject", "core" in marks, "medium" in marks)
        else:
            nouns[lemma] = stance
            if "of" in marks:
                owned_by_of.add(lemma)
    return verbs, nouns, owned_by_of


SPEECH_VERBS, STATEMENT_NOUNS, OWNED_BY_OF = _load_cues()
_WORDS = lexicon.by_class("claim_words.tsv")
SPEAKER_NOUNS = set(_WORDS["speaker"])
DOC_NOUNS = set(_WORDS["document"])
NON_SPEAKER_HEADS = set(_WORDS["not_speaker"])
PERSON_ROLES = set(_WORDS["person_role"])
ORG_WORDS = set(_WORDS["org_word"])
GENERIC_WORDS = set(_WORDS["generic"])
ANONYMOUS_NOUNS = set(_WORDS["anonymous"])
CROWD_NOUNS = set(_WORDS["crowd"])
REFERS_PERSON = set(_WORDS["refers_person"])
NATIONAL = set(_WORDS["national"])
NON_STATE = set(_WORDS["non_state"])
PARTITIVES = set(_WORDS["partitive"])
STAFF = set(_WORDS["staff"])
PRONOUNS_PERSON = set(_WORDS["pronoun_person"])
PRONOUNS_BODY = set(_WORDS["pronoun_body"])
REFERS_ORG = set(_WORDS["refers_org"])
PLATFORMS = dict(_WORDS["platform"])
_PLATFORM_NAMES = set(PLATFORMS.values()) | {"X"}
MEDIA_HEADS = set(_WORDS["media_head"])
REPORTERS = set(_WORDS["reporter"])
MEDIA_NAME_ENDS = set(_WORDS["media_name_end"])
_PLATFORM_RE = re.compile(r"\b(?:on|in|via|to)\s+(?:(?:its|his|her|their|the|a|an|official|personal)\s+)*(?P<p>"
                          + "|".join(v for v in PLATFORMS.values()) + r"|X)\b")
MEDIA_WORDS_RE = re.compile(r"\b(?:" + "|".join(map(re.escape, _WORDS["media"])) + r")\b", re.I)
# "NPR Moscow correspondent Lucian Kim": where a journalist is posted is not the side they speak for
POSTING_RE = re.compile(r"\b[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?\s+(?=(?:"
                        + "|".join(map(re.escape, _WORDS["posting"])) + r")\b)")

_PHRASES = lexicon.by_class("claim_phrases.tsv")
VERIFY_RE = re.compile(lexicon.phrase_regex(_PHRASES["verify"]), re.I)
DENY_CONTENT_RE = re.compile(lexicon.phrase_regex(_PHRASES["deny_content"]), re.I)
DOUBT_CONTENT_RE = re.compile(lexicon.phrase_regex(_PHRASES["doubt_content"]), re.I)
OWN_DOUBT_RE = re.compile(lexicon.phrase_regex(_PHRASES["own_doubt"]), re.I)

_outlet_names = sorted({n for n in lexicon.outlets() if len(n) >= 3}, key=len, reverse=True)
_OUTLET_ALT = "|".join(re.escape(n) for n in _outlet_names)
OUTLET_RE = re.compile(r"\b(" + _OUTLET_ALT + r")\b", re.I)
_OUTLET_AFTER = r"(?:\s+news agency)?\s+" + lexicon.phrase_regex(_PHRASES["medium_after"])
_MEDIUM_BEFORE = (r"(?:" + lexicon.phrase_regex(_PHRASES["medium_before"]) + r"\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?P<a>"
                  + _OUTLET_ALT + r"))\b")
_MEDIUM_AFTER = r"\b(?P<b>" + _OUTLET_ALT + r")" + _OUTLET_AFTER
OUTLET_VERB_RE = re.compile(_MEDIUM_BEFORE + "|" + _MEDIUM_AFTER, re.I)
# OUTLET_VERB_RE's two branches apart (see _outlet_verb_name)
_MEDIUM_BEFORE_RE = re.compile(_MEDIUM_BEFORE, re.I)
_MEDIUM_AFTER_RE = re.compile(_MEDIUM_AFTER, re.I)
_NAME_END_RE = re.compile(r"(?=" + _OUTLET_AFTER + ")", re.I)  # where an outlet's name before a verb would end
_NAME_LENGTHS = sorted({len(n) for n in _outlet_names})  # an escaped name matches as many characters as it has

TWEET_SIG_RE = re.compile(r"^\s*[—–-]\s*(?P<name>.{1,60}?)\s*\(@(?P<handle>\w{1,30})\)\s+\w+\.? \d{1,2}, \d{4}\s*$")
QUOTE_OPEN = "“\""
# dependencies under a verb of saying that hold what was said
CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "advcl", "conj", "parataxis", "dative"}
# how far back a short reference ("the ministry") looks for the speaker it stands for
LOOKBACK = 60


class Attribution(NamedTuple):
    """One speaker found in a sentence."""
    claimant: str
    ctype: str                 # person | body | outlet | group | anonymous
    stance: str
    cue: str                   # the word or construction that marks it
    outlet: Optional[str]      # the medium named for it
    tag: bool = False          # the verb says nothing of its own ("he said.", "The minister added.")
    refers_back: bool = False  # "said this", "This was stated by": what was said is the sentence before
    says_more: bool = False    # the verb has words of its own: an outlet saying them speaks, not just carries


# ---- what the article has named so far --------------------------------------------------------------

class _Entities:
    """The named entities of one paragraph, indexed once: a speech verb asks for the entities
    around its subject without scanning the whole paragraph (a 900k-character paragraph has
    tens of thousands of them)."""

    def __init__(self, doc):
        self.ents = list(doc.ents)
        self.starts = [e.start for e in self.ents]
        self.at_token: dict[int, object] = {}
        for e in self.ents:
            for i in range(e.start, e.end):
                self.at_token[i] = e

    def within(self, lo: int, hi: int) -> list:
        """Entities lying wholly inside tokens [lo, hi)."""
        k = bisect.bisect_left(self.starts, lo)
        out = []
        while k < len(self.ents) and self.ents[k].start < hi:
            if self.ents[k].end <= hi:
                out.append(self.ents[k])
            k += 1
        return out

    def covering(self, i: int):
        return self.at_token.get(i)

    def ending_at(self, end: int):
        e = self.at_token.get(end - 1)
        return e if e is not None and e.end == end else None


class _CueWords:
    """Where one paragraph's cue words lie, found once from the parse's arrays (a Token object made
    for every word of every sentence costs more than the rules that read the few that matter): the
    words a sentence's attributions start from (a speech verb's or noun's lemma, "according") and
    the appositions that describe a name."""

    def __init__(self, doc):
        strings = doc.vocab.strings
        lemmas, lowers, deps = (doc.to_array(attr).tolist() for attr in (LEMMA, LOWER, DEP))
        cue_lemmas = _ids_where(strings, lemmas, _is_cue_lemma, _CUE_LEMMA_IDS)
        according = _ids_where(strings, lowers, "according".__eq__, _ACCORDING_IDS)
        appos = _ids_where(strings, deps, "appos".__eq__, _APPOS_IDS)
        self.cues = [i for i, (lemma, lower) in enumerate(zip(lemmas, lowers))
                     if lemma in cue_lemmas or lower in according]
        self.appos = [i for i, dep in enumerate(deps) if dep in appos]

    @staticmethod
    def _within(indices: list[int], sent) -> list:
        lo, hi = bisect.bisect_left(indices, sent.start), bisect.bisect_left(indices, sent.end)
        doc = sent.doc
        return [doc[i] for i in indices[lo:hi]]

    def cues_in(self, sent) -> list:
        """The sentence's tokens whose lemma is a verb or noun of speech, or that read "according"."""
        return self._within(self.cues, sent)

    def appos_in(self, sent) -> list:
        return self._within(self.appos, sent)


def _ids_where(strings, ids: list[int], test, known: dict[int, bool]) -> set[int]:
    """The ids among these (spaCy's ids of strings) whose string passes the test; known keeps each id's
    answer (an id always stands for the same string: a hash of it, or a fixed symbol)."""
    out = set()
    for i in set(ids):
        ok = known.get(i)
        if ok is None:
            ok = known[i] = test(strings[i])
        if ok:
            out.add(i)
    return out


_CUE_LEMMA_IDS: dict[int, bool] = {}
_ACCORDING_IDS: dict[int, bool] = {}
_APPOS_IDS: dict[int, bool] = {}
_DEMONYM_IDS: dict[int, bool] = {}
_NO_ENTITY_IDS: dict[int, bool] = {}


def _is_cue_lemma(lemma: str) -> bool:
    low = lemma.lower()
    return low in SPEECH_VERBS or low in STATEMENT_NOUNS


@dataclass
class _Context:
    """What the article has named so far, for resolving "he", "it", "the ministry"."""
    persons: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    last_plural_subject: Optional[tuple[str, str]] = None
    medium_for: dict[str, str] = field(default_factory=dict)  # speaker -> the outlet that carried them
    orgs: list[str] = field(default_factory=list)  # organisations named so far, for "the organization"
    speakers: list[tuple[str, str]] = field(default_factory=list)  # (name, type)
    quotes: Quotes = field(default_factory=lambda: Quotes([]))   # the current paragraph's quotations
    after_quote: bool = False  # the sentence read follows a quotation that named no speaker
    parties: tuple[str, ...] = ()  # the two sides of "both sides": last named as a pair, else most named
    leading_sides: tuple[str, ...] = ()  # the three sides the article names most
    own_outlet: Optional[str] = None  # the article's outlet, for "our correspondent"
    described_as: dict[str, tuple[str, str]] = field(default_factory=dict)  # "group" -> the group named so
    _entities: dict[int, _Entities] = field(default_factory=dict)
    _cue_words: dict[int, _CueWords] = field(default_factory=dict)

    def entities(self, doc) -> _Entities:
        key = id(doc)
        if key not in self._entities:
            self._entities = {key: _Entities(doc)}  # one paragraph at a time
        return self._entities[key]

    def cue_words(self, doc) -> _CueWords:
        key = id(doc)
        if key not in self._cue_words:
            self._cue_words = {key: _CueWords(doc)}  # one paragraph at a time
        return self._cue_words[key]

    def note_speaker(self, claimant: str, ctype: str) -> None:
        self.speakers.append((claimant, ctype))
        (self.persons if ctype == "person" or _one_person(claimant) else self.bodies).append(claimant)

    def recent_speakers(self):
        return reversed(self.speakers[-LOOKBACK:])


# ---- the article ------------------------------------------------------------------------------------

def extract_claims(ann) -> list[Claim]:
    """Every attributed statement of one annotated article, one claim per sentence and speaker."""
    reader = _ArticleReader(ann)
    for off, doc in ann.parsed:
        sig = TWEET_SIG_RE.match(doc_text(doc))
        if sig:
            reader.read_tweet(off, sig)
        else:
            reader.read_paragraph(off, doc)
    return _dedupe(_full_names(reader.qualified(reader.through_channel(reader.claims))))


class _ArticleReader:
    """Reads an article paragraph by paragraph, keeping what it has named so far."""

    def __init__(self, ann):
        from .gazetteer import side_of
        self.ann = ann
        self.art = ann.article
        self.ctx = _Context()
        self.claims: list[Claim] = []
        self.side_of = side_of
        self.unattributed: Optional[tuple[int, object]] = None  # the last sentence nobody was said to say
        self.side_counts = _side_counts(ann, side_of)
        totals = {side: sum(forms.values()) for side, forms in self.side_counts.items()}
        self.ctx.leading_sides = tuple(sorted(totals.items(), key=lambda kv: -kv[1])[:3])
        self.ctx.own_outlet = self.art.outlet
        self.ctx.parties = _leading_pair(self.ctx.leading_sides)

    def through_channel(self, claims: list[Claim]) -> list[Claim]:
        """An article with no outlet of its own that names one medium as carrying its speakers
        ("..., Dmitry Peskov said, TASS reports") came through that medium: claims that name none
        take it."""
        if self.art.outlet:
            return claims
        channels = set(self.ctx.medium_for.values()) - _PLATFORM_NAMES  # a news medium, not a platform
        if len(channels) == 1:
            channel = channels.pop()
            for c in claims:
                c.outlet = c.outlet or channel
        return claims

    def qualified(self, claims: list[Claim]) -> list[Claim]:
        """Speakers named in generic words only ("officials", "the Defense Ministry") in an article about
        one country are that country's ("Libyan officials"): the text makes plain whom they speak for."""
        home = _home_country(self.side_counts)
        if home is None:
            # "the government said" in an article about two countries: which government is not plain
            return [c for c in claims if c.claimant.lower() not in NATIONAL]
        for c in claims:
            if _generic(c.claimant) and not NON_STATE & set(re.findall(r"\w+", c.claimant.lower())):
                words = c.claimant.split()
                if len(words) > 1 and words[1].islower():
                    words[0] = words[0].lower()  # "Military officials" -> "Somalia military officials"
                c.claimant = " ".join([home] + words)
                c.claimant_affiliation = self.side_of(c.claimant)
                c.id = _claim_id(c.doc, c.start, c.claimant, c.cue)
        return claims

    def add(self, off: int, sent, claimant: str, stance: str, cue: str, ctype: str, outlet: Optional[str],
            said_on=None) -> None:
        self.claims.append(_make(self.art, self.ann.doc_id, off, sent, claimant, stance, cue, ctype, outlet,
                                 said_on, self.side_of, self.ctx))

    def medium_of(self, claimant: str, outlet: Optional[str]) -> Optional[str]:
        """The medium a claim came through: the one named for it, the one that carried this speaker
        before, else the article's own outlet."""
        return outlet or self.ctx.medium_for.get(_speaker_key(claimant)) or self.art.outlet

    def read_tweet(self, off: int, sig) -> None:
        """A tweet's signature: the tweet is the paragraph before it, dated by the signature."""
        found_days = dates.full_dates(sig.string)
        tweet_day = found_days[0][0] if found_days else None
        for p_off, p_doc in _tweet_paragraphs(self.ann, off):
            for sent in p_doc.sents:
                words = _TWEET_NOISE_RE.sub("", span_text(sent)).split()
                if len(words) >= 3:
                    self.add(p_off, sent, sig.group("name").strip(), "assert", "tweet", "person", "Twitter",
                             tweet_day)

    def read_paragraph(self, off: int, doc) -> None:
        ctx = self.ctx
        quotes = Quotes(quote_spans(doc_text(doc)))
        ctx.quotes = quotes
        pending: list = []    # sentences inside a quotation not yet attributed
        closed: list = []     # a quotation that closed with no speaker: "The minister added." may follow
        last_in_para: Optional[tuple[str, str]] = None
        for sent in doc.sents:
            text = span_text(sent)
            if not text.strip():
                continue
            ctx.after_quote = bool(closed)
            found = _attributions(sent, ctx)
            starts_in_quote, open_after = quotes.around(sent.start_char, text)
            _note_names(sent, ctx)
            tag = found[0] if found and found[0].tag and not starts_in_quote else None
            named_only = False   # the sentence only names who spoke words around it
            if closed:
                self.give_quotation(off, closed, tag or self.speaker_before(last_in_para, closed))
                named_only, closed = tag is not None, []
            elif found and found[0].refers_back and self.unattributed is not None:
                # "X said this in a post", "This was stated by X": the sentence before is what was said
                self.give_quotation(self.unattributed[0], [self.unattributed[1]], found[0])
                named_only = tag is not None
            if found:
                if named_only:
                    self.note_only(found)  # "'...' The minister added."
                else:
                    self.add_attributed(off, sent, found)
                self.give_quotation(off, pending, found[0])
                pending = []
                last_in_para = (found[0].claimant, found[0].ctype)
            elif starts_in_quote:
                pending.append(sent)
            elif self.own_doubt(off, sent):
                found = [Attribution(self.art.outlet, "outlet", "doubt", "verification", self.art.outlet)]
            self.unattributed = None if found or starts_in_quote else (off, sent)
            if not open_after and pending:
                closed, pending = pending, []
        if closed or pending:
            self.give_quotation(off, closed + pending, self.speaker_before(last_in_para, closed + pending))

    def speaker_before(self, last_in_para, quoted) -> Optional[Attribution]:
        """The speaker of a quotation with no attribution of its own: the one who spoke last in the
        paragraph, or, for a quotation that opens the paragraph, the one who spoke last."""
        speaker = last_in_para or (self.ctx.speakers[-1] if self.ctx.speakers and quoted[0].start == 0 else None)
        return Attribution(speaker[0], speaker[1], "assert", "quotation", None) if speaker else None

    def note_only(self, found: list[Attribution]) -> None:
        for a in found:
            self.ctx.note_speaker(a.claimant, a.ctype)

    def own_doubt(self, off: int, sent) -> bool:
        """"It was not immediately clear how many were killed": with no one else speaking, the doubt
        is the outlet's own."""
        m = OWN_DOUBT_RE.search(span_text(sent))
        if not self.art.outlet or m is None or self.ctx.quotes.covers(sent.start_char + m.start()):
            return False
        self.add(off, sent, self.art.outlet, "doubt", "verification", "outlet", self.art.outlet)
        return True

    def add_attributed(self, off: int, sent, found: list[Attribution]) -> None:
        reported_by = _outlet_in(span_text(sent))
        for a in found:
            # "said on Telegram, AFP reported": the agency that reported it is the medium
            named = reported_by if a.outlet in _PLATFORM_NAMES and reported_by else a.outlet or reported_by
            if named and a.ctype != "outlet":
                self.ctx.medium_for[_speaker_key(a.claimant)] = named  # "Peskov said, TASS reports": later too
            self.add(off, sent, a.claimant, a.stance, a.cue, a.ctype, self.medium_of(a.claimant, named))
            self.ctx.note_speaker(a.claimant, a.ctype)

    def give_quotation(self, off: int, quoted: list, speaker: Optional[Attribution]) -> None:
        """Sentences of a quotation (or the sentence a "said this" points back to) take its speaker."""
        if speaker is None:
            return
        outlet = self.medium_of(speaker.claimant, speaker.outlet)
        for q in quoted:
            self.add(off, q, speaker.claimant, _content_stance(span_text(q), "assert"), "quotation", speaker.ctype, outlet)


def _side_counts(ann, side_of) -> dict[str, dict[str, int]]:
    """How often the article names each side, by the forms it uses: side -> {form: count}, where an
    adjective for the side's people ("Libyan") is kept as written and a name is marked with "~"."""
    counts: dict[str, dict[str, int]] = {}
    for text, is_adjective in _country_mentions(ann):
        side = side_of(text)
        if side:
            forms = counts.setdefault(side, {})
            form = text if is_adjective else "~" + text
            forms[form] = forms.get(form, 0) + 1
    return counts


def _leading_pair(ranked) -> tuple[str, ...]:
    """The two sides that lead an article together (for "both sides" before any pair is named)."""
    if len(ranked) >= 2 and ranked[1][1] >= 2 and (len(ranked) == 2 or ranked[1][1] >= 2 * ranked[2][1]):
        return ranked[0][0], ranked[1][0]
    return ()


def _speaker_key(claimant: str) -> str:
    """One key for a speaker however fully named: "Secretary of State Mike Pompeo" and "Pompeo"."""
    words = claimant.split()
    return words[-1].lower() if words and words[-1][:1].isupper() else claimant.lower()


def _home_country(side_counts: dict[str, dict[str, int]]) -> Optional[str]:
    """The one country an article is about, as the article names its people ("Libyan"), or as the
    sides lexicon does; None unless one country is named at least three times as often as any other."""
    ranked = sorted(((side, sum(forms.values())) for side, forms in side_counts.items()), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 3 or (len(ranked) > 1 and ranked[0][1] < 3 * ranked[1][1]):
        return None  # two parties to a war are both named often: then neither is "the" country
    side = ranked[0][0]
    adjectives = {f: n for f, n in side_counts[side].items() if not f.startswith("~") and f[:1].isupper()}
    if adjectives:
        return max(adjectives.items(), key=lambda kv: kv[1])[0]
    return _DEMONYMS.get(side, side)  # "Libyan", else the country's own name, not its capital


def _country_mentions(ann):
    """(text, is an adjective) of every country the article names: places and peoples the tagger
    found, and adjectives for peoples it missed ("Malian soldiers")."""
    adjectives = set(_DEMONYMS.values())
    for _, doc in ann.parsed:
        for e in doc.ents:
            if e.label_ in ("GPE", "NORP"):
                yield e.text, e.label_ == "NORP"
        strings = doc.vocab.strings
        orths, ent_types = doc.to_array(ORTH).tolist(), doc.to_array(ENT_TYPE).tolist()  # without a Token each
        named = _ids_where(strings, orths, adjectives.__contains__, _DEMONYM_IDS)
        no_entity = _ids_where(strings, ent_types, "".__eq__, _NO_ENTITY_IDS)
        for orth, ent_type in zip(orths, ent_types):
            if ent_type in no_entity and orth in named:
                yield strings[orth], True


def _load_demonyms() -> dict[str, str]:
    """The adjective for each country's people, from the sides lexicon: the first one-word alias
    with an adjective's ending ("Libya": "Libyan", "Niger": "Nigerien", "Myanmar": "Burmese")."""
    out: dict[str, str] = {}
    for side, kind, _, aliases in (r[:4] for r in lexicon.rows("sides.tsv", 4)):
        if kind != "country" or side in out:
            continue
        for alias in aliases.split("|"):
            if re.fullmatch(r"[A-Z][a-zé]+(?:an|ian|ien|i|ese|ish|ch|be|bé|ic|ine)", alias):
                out[side] = alias
                break
    return out


_DEMONYMS = _load_demonyms()


def _claim_id(doc: str, start: int, claimant: str, cue: str) -> str:
    h = hashlib.sha1(f"{doc}:{start}:{claimant}:{cue}".encode()).hexdigest()[:12]
    return f"c-{h}"


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


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """A sentence counts once per speaker, and so does a headline or caption printed twice or run
    into the page's navigation ("HomeNews<headline>"): a claim whose words repeat, or lie inside,
    an earlier claim of the same speaker is dropped, and an earlier unfinished line (a teaser, a
    headline) gives way to the full sentence that contains it."""
    seen = set()
    out: list[Optional[Claim]] = []
    short: dict[str, list[tuple[str, int]]] = {}   # speaker -> (folded words, index in out) of short claims
    for c in claims:
        key = (c.start, c.claimant.lower())
        folded = re.sub(r"[\W_]+", "", c.evidence.lower())
        if key in seen:
            continue
        earlier = short.get(key[1], [])
        if any(folded in k for k, _ in earlier):
            continue
        for k, idx in earlier:
            if k in folded and out[idx] is not None and not out[idx].evidence.rstrip().endswith(TERMINAL):
                out[idx] = None
        seen.add(key)
        if len(folded) < 400:
            short.setdefault(key[1], []).append((folded, len(out)))
        out.append(c)
    return [c for c in out if c is not None]


TERMINAL = (".", "!", "?", "”", '"', "’", "'", ")")


_TWEET_NOISE_RE = re.compile(r"(?:pic\.twitter\.com|https?://)\S+|[@#]\w+")


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


def _make(art, doc_id, off, sent, claimant, stance, cue, ctype, outlet, said_on, side_of, ctx) -> Claim:
    """A claim on one sentence; said_on from the verb's time words against the section's or article's day,
    or the day given (a tweet's signature)."""
    start = off + sent.start_char
    text = span_text(sent).rstrip()
    anchor, anchor_reason = dates.anchor_day(art, start)
    when_text = _time_words(sent, cue, ctx.entities(sent.doc), ctx.cue_words(sent.doc))
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


def _time_words(sent, cue: Optional[str], entities: _Entities, cue_words: _CueWords) -> str:
    """The time words that say when the statement was made: those hanging on the verb of saying,
    not those inside what was said ("a delegation will visit on Friday, the minister said")."""
    verb = next((t for t in cue_words.cues_in(sent) if t.lower_ == (cue or "").lower() and t.lemma_.lower() in SPEECH_VERBS),
                None)
    if verb is None:
        return ""
    content = {t.i for c in verb.children if c.dep_ in CONTENT_DEPS for t in c.subtree}
    if verb.dep_ in ("ccomp", "parataxis"):
        own = {x.i for x in verb.subtree}
        content |= {t.i for t in verb.head.subtree if t.i not in own}
    # "said on Thursday they had ...", "on Sunday said": right beside the verb, whatever the parse says
    beside = set(range(verb.i - 3, verb.i)) | set(range(verb.i + 1, verb.i + 4))
    parts = [e.text for e in entities.within(sent.start, sent.end) if e.label_ in ("DATE", "TIME")
             and (e.root.i not in content or (e.start in beside and not (e.start > verb.i and any(
                 t.lower_ == "that" or t.dep_ == "nsubj" for t in sent.doc[verb.i + 1:e.start]))))]
    return " | ".join(parts)


# ---- what a sentence names ----------------------------------------------------------------------------

def _outlet_in(text: str) -> Optional[str]:
    name = _outlet_verb_name(text)
    return canonical_outlet(name) if name else None


def _outlet_verb_name(text: str) -> Optional[str]:
    """The outlet OUTLET_VERB_RE.search(text) names, found without trying 200 names at every character:
    its leftmost match is the "told Reuters" branch's leftmost unless a "Reuters reported" match starts
    before it, and such a match can only start a name's length before a place where the verb part
    (_NAME_END_RE) matches."""
    before = _MEDIUM_BEFORE_RE.search(text)
    limit = before.start() if before else len(text)  # at the same start the first branch wins
    ends = [m.start() for m in _NAME_END_RE.finditer(text)]
    for start in sorted({e - n for e in ends for n in _NAME_LENGTHS if 0 <= e - n < limit}):
        after = _MEDIUM_AFTER_RE.match(text, start)
        if after:
            return after.group("b")
    return before.group("a") if before else None


def _content_stance(text: str, stance: str) -> str:
    """A plain statement whose words reject or question something is a denial or a doubt."""
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
    if subj is not None and subj.tag_ in ("NNS", "NNPS") and subj.lower_ in SPEAKER_NOUNS | CROWD_NOUNS:
        ctx.last_plural_subject = (_np_text(subj), "group")
    pair = _named_pair(sent, ctx)
    if pair and set(pair) <= {side for side, _ in ctx.leading_sides}:
        ctx.parties = pair  # "Armenia and Azerbaijan ...": a pair of the sides the article is about
    for t in ctx.cue_words(sent.doc).appos_in(sent):
        if t.dep_ == "appos" and t.pos_ == "NOUN" and t.head.pos_ == "PROPN" and t.head.dep_ in ("nsubj", "nsubjpass"):
            ctx.described_as[t.lemma_.lower()] = (_np_text(t.head), "body")  # "X, a group that ..."
    for e in ctx.entities(sent.doc).within(sent.start, sent.end):
        if ctx.quotes.token_inside(e[0]):
            continue  # a name inside a quotation is not someone the article goes on about
        if e.label_ == "PERSON":
            if _subject_mention(e):
                ctx.persons.append(e.text)
        elif e.label_ in ("ORG", "GPE", "NORP"):
            ctx.bodies.append(e.text)
            if e.label_ == "ORG" and not canonical_outlet(e.text) and _subject_mention(e):
                ctx.orgs.append(re.sub(r"^the\s+", "", e.text, flags=re.I))


# ---- attributions in one sentence -------------------------------------------------------------

def _attributions(sent, ctx: _Context) -> list[Attribution]:
    """Each attribution in the sentence, one per claimant."""
    found = _verification_note(sent, ctx)
    for tok in ctx.cue_words(sent.doc).cues_in(sent):  # no other word starts an attribution
        if ctx.quotes.token_inside(tok):
            continue  # a verb inside a quotation is part of what was said
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") and lemma in SPEECH_VERBS:
            found += _verb_attributions(tok, ctx)
        elif tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to":
            found += _according_to(tok, ctx)
        elif lemma in STATEMENT_NOUNS and tok.pos_ == "NOUN" and not (
                tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_.lower() in SPEECH_VERBS):
            found += _statement_owner(tok, ctx)  # "a ministry statement said" is the verb's
    if not found:
        found = _headline_speaker(sent, ctx)
    found = _media_as_channels(_each_side(found, ctx))
    text = span_text(sent)
    return [a._replace(stance=_content_stance(text, a.stance)) for a in _one_per_claimant(found)]


def _each_side(found: list[Attribution], ctx: _Context) -> list[Attribution]:
    """"Both sides accused each other": one claim for each of the two parties the article names."""
    from .gazetteer import side_of
    out = []
    for a in found:
        if a.ctype == "sides" and ctx.parties:
            spoken = {side_of(b.claimant) for b in found if b.ctype != "sides"}  # "Yerevan ..., as both sides"
            out += [a._replace(claimant=party, ctype="body") for party in ctx.parties if party not in spoken]
        else:
            out.append(a._replace(ctype="body") if a.ctype == "sides" else a)
    return out


_HEADLINE_MARKS = {":", "-", "–", "—"}


def _headline_speaker(sent, ctx: _Context) -> list[Attribution]:
    """A headline that names its source before a colon or after a colon or dash ("Witnesses: troops
    still killing civilians", "1,300 killed in clashes: Syrian watchdog", "... last night - MoD")."""
    for part, rest in _headline_parts(sent):
        source = _headline_source(sent, part, rest)
        if source is not None:
            return [source]
    return []


def _headline_parts(sent) -> list[tuple[list, list]]:
    """(source, claim) candidates of an unfinished line: the words before the first colon, and the
    words after the last colon or spaced dash."""
    words = [t for t in sent if not t.is_space]
    if not words or len(words) > 30 or words[-1].is_punct:
        return []
    marks = [k for k, t in enumerate(words) if 0 < k < len(words) - 1 and (
        t.text == ":" or (t.text in _HEADLINE_MARKS and words[k - 1].whitespace_ and t.whitespace_))]
    if not marks:
        return []
    return [(words[:marks[0]], words[marks[0] + 1:]), (words[marks[-1] + 1:], words[:marks[-1]])]


def _headline_source(sent, part: list, rest: list) -> Optional[Attribution]:
    """The source named by a headline's few words, if they name one and the rest says something
    or counts ("Photo: Anadolu Agency" is a credit, not a claim)."""
    head = next((t for t in reversed(part) if t.pos_ in ("NOUN", "PROPN")), None)
    if not 1 <= len(part) <= 4 or head is None or head.lemma_.lower() in NON_SPEAKER_HEADS or len(rest) < 4 \
            or any(t.text in "()[]" or t.like_url for t in part) \
            or not any(t.pos_ in ("VERB", "NUM") or t.like_num for t in rest):
        return None
    text = _span_text(sent.doc[part[0].i:part[-1].i + 1])
    outlet = canonical_outlet(text)
    named = (head.ent_type_ in ("PERSON", "ORG", "NORP") and head.pos_ == "PROPN"
             or sum(ch.isupper() for ch in head.text) >= 2)  # "MoD", "IDF"
    if not (outlet or named or head.lower_ in SPEAKER_NOUNS | PERSON_ROLES or head.lemma_.lower() in SPEAKER_NOUNS):
        return None
    ctype = "outlet" if outlet else "person" if head.ent_type_ == "PERSON" else "body"
    return Attribution(text, ctype, "assert", "headline", outlet)


def _verification_note(sent, ctx: _Context) -> list[Attribution]:
    """An outlet's own verification note ("Reuters could not independently verify ..."): doubt."""
    m = VERIFY_RE.search(span_text(sent))
    if m and not ctx.quotes.covers(sent.start_char + m.start()):
        subj = _verify_subject(sent, m.start())
        if subj:
            return [Attribution(subj, "outlet", "doubt", "verification", canonical_outlet(subj))]
    return []


def _verb_attributions(tok, ctx: _Context) -> list[Attribution]:
    """The speaker of a speech verb, and each speaker conjoined with it ("Armenia and Azerbaijan
    accused each other": one claim each)."""
    lemma = tok.lemma_.lower()
    if _inside_reported_clause(tok):
        return []
    stance = _speech_stance(tok, lemma, ctx)
    if stance is None:
        return []
    subjects, outlet = _verb_subjects(tok, lemma)
    quoted = _quoted_by_medium(tok, lemma, subjects, ctx)
    if quoted:
        return quoted
    out = []
    for k, subj in enumerate(subjects):
        a = _verb_attribution(tok, lemma, stance, subj, outlet, ctx, first=k == 0)
        if a is not None:
            # "locals and media reports said": a medium among several subjects speaks with them
            out.append(a._replace(says_more=True) if len(subjects) > 1 else a)
    return out


def _according_to(tok, ctx: _Context) -> list[Attribution]:
    obj = next((c for c in tok.nbor(1).children if c.dep_ == "pobj"), None)
    if obj is None:
        return []
    medium = _media_phrase(obj) or next((m for m in (_media_phrase(g) for p in obj.children if p.dep_ == "prep"
                                                      and p.lower_ in ("in", "from", "by", "of")
                                                      for g in p.children if g.dep_ == "pobj") if m), None)
    if medium:
        # "according to state media", "according to reports in the local media": the medium
        return [Attribution(medium, "outlet", "assert", "according to", canonical_outlet(medium) or medium)]
    name, ctype = _speaker(obj, ctx)
    if not name:
        return []
    outlet = canonical_outlet(name)
    return [Attribution(name, "outlet" if outlet else ctype, "assert", "according to", outlet)]


def _statement_owner(tok, ctx: _Context) -> list[Attribution]:
    """A noun of speech and its owner: "X's statement", "accusations by X", "drawing warnings from X",
    "in the opinion of X", "Israeli claims": X speaks."""
    owner = _appositive_name(tok) or _document_author(tok, of=tok.lemma_.lower() in OWNED_BY_OF)
    if owner is None:
        return []
    name, ctype = (owner, "body") if isinstance(owner, str) else _speaker(owner, ctx, open_nouns=True)
    return [Attribution(_specific(name, ctx), ctype, STATEMENT_NOUNS[tok.lemma_.lower()], tok.lower_, None)] \
        if name else []


def _media_as_channels(found: list[Attribution]) -> list[Attribution]:
    """"X said ..., AFP reported": the outlet is the medium of X's claim, not a second claimant."""
    if not any(a.ctype != "outlet" for a in found):
        return found
    media = [a.outlet or a.claimant for a in found
             if a.ctype == "outlet" and a.cue != "verification" and not a.says_more]
    if not media:
        return found
    medium = canonical_outlet(media[-1]) or media[-1]
    # the outlet that reported it is the medium, even of words first posted on a platform
    return [a if a.ctype == "outlet" and (a.cue == "verification" or a.says_more)
            else a._replace(outlet=medium if a.outlet is None or a.outlet in _PLATFORM_NAMES else a.outlet)
            for a in found if a.ctype != "outlet" or a.cue == "verification" or a.says_more]


def _one_per_claimant(found: list[Attribution]) -> list[Attribution]:
    """One claim per claimant: the strongest stance wins (deny/accuse/confirm/doubt over assert)."""
    merged: dict[str, Attribution] = {}
    for a in found:
        key = (canonical_outlet(a.claimant) or a.claimant).lower()  # "AP" and "Associated Press" are one
        if key not in merged or (merged[key].stance == "assert" and a.stance != "assert"):
            merged[key] = a
    return list(merged.values())


def _verify_subject(sent, char_pos: int) -> Optional[str]:
    """Who could not verify: a named outlet before the words, else the subject of "verify"/"confirm"
    ("The AP could not independently verify ...")."""
    before = span_text(sent)[:char_pos]
    m = OUTLET_RE.search(before)
    if m:
        return canonical_outlet(m.group(1)) or m.group(1)
    for t in sent:
        if t.lemma_.lower() in ("verify", "confirm") and sent.start_char + char_pos <= t.idx + sent.doc[0].idx + 200:
            subj = _subject_of(t, ("nsubj",))
            if subj is not None and subj.pos_ in ("PROPN", "NOUN"):
                name = _np_text(subj)
                return canonical_outlet(name) or name
    return None


def _subject_of(verb, deps=("nsubj", "nsubjpass")):
    """The verb's subject, or the one the parser hung on its auxiliary ("Armenian officials have for
    weeks accused")."""
    subj = None
    for c in verb.children:
        if c.dep_ in deps:
            subj = c
    if subj is None:
        for a in (c for c in verb.children if c.dep_ == "aux"):
            subj = next((g for g in a.children if g.dep_ in deps), subj)
    return subj


# ---- a verb of saying and its speaker ----------------------------------------------------------------

def _quoted_by_medium(tok, lemma: str, subjects, ctx: _Context) -> list[Attribution]:
    """"Interfax cited officials as saying ...", "Media outlets affiliated with the group quoted a
    spokesperson as saying ...": the one quoted speaks, through the medium that quotes them."""
    if not (SPEECH_VERBS[lemma].medium and lemma != "report" and subjects and _said_by_medium(tok)):
        return []
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if obj is None:
        return []
    name, ctype = _speaker(obj, ctx, open_nouns=True)
    if not name or ctype == "outlet":
        return []
    subj = subjects[0]
    medium = canonical_outlet(_np_text(subj)) or _media_phrase(subj) or _np_text(subj)
    return [Attribution(_specific(name, ctx), ctype, SPEECH_VERBS[lemma].stance, tok.lower_, medium)]


def _said_by_medium(verb) -> bool:
    """The verb's subject is a news medium ("..., AFP reported", "..., state media said")."""
    subj = _subject_of(verb)
    if subj is None:
        return False
    words = verb.doc[subj.left_edge.i:subj.right_edge.i + 1].text
    return bool(canonical_outlet(_np_text(subj)) or _media_phrase(subj) or OUTLET_RE.search(words)
                or MEDIA_WORDS_RE.search(words) or any(t.lemma_.lower() in REPORTERS for t in subj.subtree))


def _verb_attribution(tok, lemma: str, stance: str, subj, outlet: Optional[str],
                      ctx: _Context, first: bool = True) -> Optional[Attribution]:
    # people nouns speak when they are the active subject (not "casualties were reported")
    open_nouns = SPEECH_VERBS[lemma].core and subj.dep_ not in ("nsubjpass", "pobj") and (
        subj.head.i == tok.i or subj.i < tok.i)
    name, ctype = _speaker(subj, ctx, open_nouns=open_nouns)
    if not name and first:
        name, ctype = _name_left_of_verb(tok, ctx)
    if not name:
        return None
    name = _specific(name, ctx)
    ctype, outlet = _medium_speaker(tok, lemma, name, ctype, outlet, subj)
    return Attribution(name, ctype, stance, tok.lower_, _listener_medium(tok, lemma, outlet, ctx),
                       tag=_says_nothing_itself(tok, lemma, ctx), refers_back=_refers_back(tok),
                       says_more=_says_more_than_carry(tok))


def _verb_subjects(tok, lemma: str) -> tuple[list, Optional[str]]:
    """(the speakers' head tokens, the medium named) of a verb of saying: its subject and those
    conjoined with it, past a dateline ("GOMA – Officials said"), or the noun phrases between the
    last comma and the verb when the parser hung the subject elsewhere ("..., locals and media
    reports said")."""
    subj, outlet = _verb_subject(tok, lemma)
    subj = _acceptable_subject(subj, lemma)
    at_top = tok.dep_ == "ROOT" or (tok.dep_ == "conj" and tok.head.dep_ == "ROOT")
    tail = _speakers_after_last_comma(tok, subj) if at_top else []
    if tail:
        return tail, outlet
    if subj is None:
        inverted = _inverted_speaker(tok) if tok.dep_ == "ROOT" and tok.tag_ in ("VBD", "VBZ", "VBP") else None
        return ([inverted] if inverted is not None else []), outlet
    subj = _past_person_in_content(_past_dateline(subj), tok)
    if subj.dep_ not in ("nsubj", "nsubjpass", "appos"):
        return [subj], outlet  # an agent's conjuncts may belong to the next clause
    return [subj] + [c for c in subj.conjuncts if c.i > subj.i and not _title_word(c)], outlet


def _title_word(tok) -> bool:
    """"former ambassador and co-chair of the Minsk Group Carey Cavanaugh": a singular role with no
    article is part of one person's titles, not a second speaker."""
    return tok.tag_ == "NN" and not any(c.dep_ in ("det", "poss") for c in tok.children)


_DATELINE_PUNCT = {":", "–", "—", "-", "):", "--"}


def _past_dateline(subj):
    """"Deir al-Balah (Gaza Strip): Palestinian health officials say": the parser makes the dateline
    the subject and the speaker its apposition; the speaker is what follows the colon or dash."""
    if not (subj.pos_ == "PROPN" and subj.left_edge.i == subj.sent.start
            and (subj.ent_type_ in ("GPE", "LOC", "FAC") or subj.text.isupper())):
        return subj
    for c in subj.children:
        if c.dep_ == "appos" and c.i > subj.i and any(
                t.text in _DATELINE_PUNCT for t in subj.doc[subj.i + 1:c.left_edge.i]):
            return c
    return subj


def _past_person_in_content(subj, verb):
    """"..., killing soldier Aram Petrosyan, Armenia's Defence Ministry said": the parser makes the
    victim the subject and the ministry its apposition; a body set off by a comma right before the
    verb is the speaker, not an apposition to a person."""
    if subj.ent_type_ != "PERSON":
        return subj
    for c in subj.children:
        if c.dep_ == "appos" and c.i > subj.i and c.right_edge.i == verb.i - 1 \
                and (c.ent_type_ in ("ORG", "GPE", "NORP") or c.lemma_.lower() in ORG_WORDS) \
                and any(t.text == "," for t in subj.doc[subj.i + 1:c.left_edge.i]):
            return c
    return subj


def _phrase_of(tok):
    """The tokens of the noun phrase tok heads, with its relative clauses but without a clause the
    parser hung on it by mistake ("BANGKOK: A strike killed ten civilians": "killed" under "BANGKOK")."""
    out = [tok]
    for c in tok.children:
        if c.dep_ != "ccomp":
            out.extend(c.subtree)
    return out


_CLIMB_DEPS = {"compound", "flat", "appos", "pobj", "prep", "amod", "poss"}


def _inverted_speaker(tok):
    """"Troops neutralised many of them, a statement by the task force's spokesman, Colonel X, said":
    a verb with no subject at all after its content; the speaker is the noun phrase set off by a
    comma right before it."""
    i = tok.i - 1
    while i > tok.sent.start and (tok.doc[i].text == "," or (tok.doc[i].head.i == tok.i and tok.doc[i].dep_ in (
            "aux", "auxpass", "neg", "advmod"))):
        i -= 1
    t = tok.doc[i]
    if t.pos_ not in ("NOUN", "PROPN"):
        return None
    while t.dep_ in _CLIMB_DEPS and t.sent.start <= t.head.i < t.i and not (
            t.dep_ == "appos" and any(x.text == "," for x in t.doc[t.head.i + 1:t.left_edge.i])):
        t = t.head  # within the phrase set off by the comma, not across an earlier apposition
    before = t.left_edge.i - 1
    if before >= tok.sent.start and tok.doc[before].text == "," and (t.pos_ in ("NOUN", "PROPN")
                                                                     or t.lower_ in PARTITIVES):
        return t
    return None


_TAIL_POS = {"NOUN", "PROPN", "ADJ", "DET", "CCONJ", "NUM", "PART", "PRON"}


def _speakers_after_last_comma(tok, subj) -> list:
    """"A strike killed ten civilians, locals and media reports said": the speakers are the noun
    phrases between the last comma and the verb, when the parse put the subject before the comma."""
    tail = _phrase_after_last_comma(tok)
    inside = {t.i for t in tail}
    if not tail or (subj is not None and (subj.i in inside or subj.i > tok.i
                                          or any(t.i in inside for t in _phrase_of(subj)))):
        return []  # the parse found the subject there already, or the phrase belongs to it
    return [t for t in tail if (t.pos_ in ("NOUN", "PROPN", "PRON") or t.lower_ in PARTITIVES)
            and (t.head.i not in inside or (t.dep_ == "conj" and t.head.i in inside))]


_VERB_GROUP = ("aux", "auxpass", "neg", "advmod", "npadvmod")


def _phrase_after_last_comma(tok) -> list:
    """The tokens between the last comma and the verb group, when they are noun phrases ("medical
    authorities in Gaza", "residents and officials") ending where the verb group begins; else []."""
    sent = tok.sent
    comma = next((t.i for t in reversed(sent.doc[sent.start:tok.i]) if t.text == ","), None)
    if comma is None:
        return []
    tail = [t for t in sent.doc[comma + 1:tok.i]
            if not (t.head.i == tok.i and t.dep_ in _VERB_GROUP + ("prep",))
            and not (t.head.i != tok.i and t.head.head.i == tok.i and t.head.dep_ == "prep")]
    inside = {t.i for t in tail}
    if not tail or not any(t.pos_ in ("NOUN", "PROPN") for t in tail) or any(
            t.pos_ not in _TAIL_POS and not (t.pos_ == "ADP" and t.head.i in inside) for t in tail):
        return []
    if any(not (t.head.i == tok.i and t.dep_ in _VERB_GROUP) for t in sent.doc[tail[-1].i + 1:tok.i]):
        return []
    return tail


def _says_more_than_carry(tok) -> bool:
    """"Yemen's government accused Iran ..., SABA reported" only carries the speaker the sentence opens
    with; "No breakthrough was reported, when Armenia said ..., but forces advanced, Asia Times
    reported" reports something of its own."""
    if any(c.dep_ in ("ccomp", "xcomp") and c.i > tok.i for c in tok.children):
        return True
    if any(c.dep_ in ("ccomp", "parataxis") and c.lemma_.lower() in SPEECH_VERBS and _subject_of(c, ("nsubj",))
           is not None for c in tok.children):
        return False  # "X said ..., TASS reports"
    for t in tok.sent:
        if t.i >= tok.i:
            break
        subj = _subject_of(t) if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in SPEECH_VERBS else None
        if subj is not None and subj.dep_ == "nsubj" and subj.left_edge.i == tok.sent.start:
            return False
    return True


def _says_nothing_itself(tok, lemma: str, ctx: _Context) -> bool:
    """"he said.", "The minister added.", "she told AFP": the verb holds no clause, object or
    quotation of its own, so it can only attribute words around it."""
    sent = tok.sent
    if tok.dep_ in ("ccomp", "parataxis", "conj") or (ctx.quotes.overlaps(sent.start_char, sent.end_char) and any(
            ctx.quotes.token_inside(t) for t in sent if not t.is_punct)):
        return False
    for c in tok.children:
        if c.dep_ in ("ccomp", "xcomp", "parataxis", "oprd", "attr", "acomp"):
            return False
        if c.dep_ == "dobj" and not (lemma == "tell" or c.lower_ in ("this", "so")):
            return False
        if c.dep_ == "prep" and c.lower_ in ("for", "on", "of", "about") and lemma != "say":
            return False
        if c.dep_ == "advcl" and any(g.dep_ in ("ccomp", "dobj") for g in c.children):
            return False  # "said, stressing that ..."
    return True


def _refers_back(tok) -> bool:
    """"said this", "said so", "This was stated by X": what was said is the sentence before."""
    subj = _subject_of(tok)
    if subj is not None and subj.lower_ == "this" and subj.dep_ == "nsubjpass":
        return True
    return any(c.dep_ == "dobj" and c.lower_ in ("this", "so") for c in tok.children)


def _speech_stance(tok, lemma: str, ctx: _Context) -> Optional[str]:
    """The stance the verb expresses here, or None when this use of it is not speech."""
    verb = SPEECH_VERBS[lemma]
    stance = verb.stance
    negated = any(c.dep_ == "neg" for c in tok.children)
    if verb.needs == "negation":
        if not negated:
            return None
        stance = "doubt"  # "The Kremlin doesn't trust reports that ..."
    elif stance == "assert" and negated:
        return None  # "Azerbaijan does not disclose ...", "Turkey has not called for a truce"
    elif stance == "confirm" and negated:
        stance = "doubt"  # "could not confirm", "did not verify"
    if verb.needs == "call" and not _calls_for_or_calls_something(tok):
        return None
    if verb.needs == "content" and not _governs_content(tok) and not (
            ctx.after_quote and tok.dep_ == "ROOT" and _says_nothing_itself(tok, lemma, ctx)):
        return None  # "The minister added." right after a quotation names who spoke it
    if verb.needs in ("clause", "document") and not _governs_clause(tok):
        return None
    if verb.needs == "document" and not _document_subject(tok):
        return None  # "the war showed that ..." is the writer's reasoning, "UN estimates show" a source
    if lemma == "report" and tok.dep_ in ("amod", "acl") and _agent_object(tok) is None:
        return None  # "reported attacks"; but "the toll reported by the ministry" names a speaker
    return stance


def _calls_for_or_calls_something(tok) -> bool:
    """"called X the capital" is naming; "called for a truce", "called the claims “groundless”" is speech."""
    return (any(c.lower_ in ("for", "on") for c in tok.children)
            or any(c.dep_ in ("ccomp", "oprd", "xcomp", "attr", "acomp") for c in tok.children)
            or (any(c.dep_ == "dobj" for c in tok.children) and any(t.text in QUOTE_OPEN for t in tok.doc[tok.i:])))


def _governs_content(tok) -> bool:
    """The verb governs something said (a clause, a quote) or has a clear speaker object."""
    return tok.dep_ == "parataxis" or any(
        c.dep_ in ("ccomp", "xcomp", "dobj", "advcl", "prep", "dative", "parataxis", "npadvmod", "agent")
        for c in tok.children)  # "This was stated by X": the agent is the speaker of the words before


def _governs_clause(tok) -> bool:
    """"declared that ...", "maintained it had no role", "ruled the strike unlawful": a clause or a
    quotation, not just an object ("declared a state of emergency", "maintained a siege")."""
    return tok.dep_ == "parataxis" or any(c.dep_ in ("ccomp", "xcomp", "oprd", "parataxis") for c in tok.children) \
        or (any(c.dep_ == "dobj" for c in tok.children) and any(t.text in QUOTE_OPEN for t in tok.doc[tok.i:]))


def _document_subject(tok) -> bool:
    subj = _subject_of(tok)
    return subj is not None and (subj.lemma_.lower() in DOC_NOUNS | set(STATEMENT_NOUNS) or bool(_media_phrase(subj)))


def _verb_subject(tok, lemma: str):
    """(subject token, medium) of a verb of saying: the subject, the agent of a passive
    ("was stated by X"), the subject of the verb a participle or conjunct hangs on ("..., saying")."""
    outlet = None
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children) or (
        tok.dep_ == "acl" and tok.tag_ == "VBN")  # "an attack claimed by the group"
    subj = _subject_of(tok)
    if passive:
        agent_obj = _agent_object(tok)
        if lemma == "report" and tok.dep_ != "acl":
            # "Israel is reported to have violated the truce": Israel is what is reported on; "casualties
            # were reported by the ministry": the ministry reports
            return agent_obj, None
        if SPEECH_VERBS[lemma].medium:
            # "Peskov was cited by Interfax": the subject speaks, the agent is the medium
            if agent_obj is not None:
                outlet = canonical_outlet(_np_text(agent_obj)) or _media_phrase(agent_obj)
        elif agent_obj is not None:
            subj = agent_obj  # "This was stated by the spokesperson ..."
        else:
            return None, None  # "it was reported that ...": no speaker named
    if subj is None:
        subj, outlet = _shared_subject(tok, outlet)
    return subj, outlet


def _agent_object(verb):
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None


def _shared_subject(tok, outlet: Optional[str]):
    """Participles and conjuncts take the subject of the verb they hang on ("..., saying that",
    "and added"); an infinitive of purpose ("called up to defend") does not speak for anyone."""
    speech = _speech_verb_coordinated_with(tok)
    if speech is not None:
        return _subject_of(speech), outlet  # "... had sustained losses and described their morale"
    head = tok
    for _ in range(3):
        if not ((head.dep_ == "conj" or (head.dep_ in ("advcl", "xcomp", "acl", "pcomp") and head.tag_ == "VBG"))
                and head.head.i != head.i):
            break
        head = head.head
        subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            verb = SPEECH_VERBS.get(head.lemma_.lower())
            if verb is not None and verb.medium and any(c.dep_ == "agent" for c in head.children):
                ao = _agent_object(head)
                outlet = (canonical_outlet(_np_text(ao)) or _media_phrase(ao)) if ao is not None else None
            return subj, outlet
    return None, outlet


_PERFECT_AUX = {"had", "has", "have", "would", "will", "'d", "could", "might"}


def _speech_verb_coordinated_with(tok):
    """"The military said it had struck targets and accused Hamas ...": the parser hangs "accused" on
    "struck", but a simple past after a perfect goes with "said"; the speech verb it goes with, or None."""
    if tok.dep_ != "conj" or tok.tag_ != "VBD" or any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in tok.children):
        return None
    head = tok.head
    if not any(c.dep_ == "aux" and c.lower_ in _PERFECT_AUX for c in head.children):
        return None
    t = head
    for _ in range(4):
        if t.dep_ in ("ccomp", "xcomp") and t.head.lemma_.lower() in SPEECH_VERBS and t.head.i < tok.i:
            return t.head
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _acceptable_subject(subj, lemma: str):
    """The subject if it can be a speaker: not "there", "I", "we", "this"; a pronoun "it"/"they" only
    with a verb of saying; "which"/"who" stand for the noun they hang on ("the ministry, which said")."""
    if subj is None:
        return None
    if subj.lower_ in ("it", "they") and not SPEECH_VERBS[lemma].core:
        return None  # "It also threatens the security ...": a pronoun is a speaker only with a verb of saying
    if subj.dep_ == "expl" or subj.lower_ in ("i", "we", "you", "there", "this", "that", "which", "who", "what"):
        verb = subj.head
        if subj.lower_ in ("which", "who", "that") and verb.dep_ == "relcl" and (
                SPEECH_VERBS[lemma].core or any(c.dep_ == "ccomp" for c in verb.children)):
            # "the ministry, which said" is speech; "a group that documents abuses" describes the group
            subj = verb.head
            return None if subj.lower_ in ("which", "who", "that") else subj
        return None
    return subj


def _name_left_of_verb(tok, ctx: _Context) -> tuple[Optional[str], str]:
    """Noisy text with a comma lost ("Since the outbreak of hostilities Armenia has insisted"): the
    name right before the verb group is the speaker."""
    left = min([tok.i] + [c.i for c in tok.children if c.dep_ in ("aux", "auxpass", "neg", "advmod") and c.i < tok.i])
    ent = ctx.entities(tok.doc).ending_at(left)
    if ent is None or ent.label_ not in ("PERSON", "ORG", "GPE", "NORP"):
        return None, ""
    return ent.text, "person" if ent.label_ == "PERSON" else "body"


def _medium_speaker(tok, lemma: str, name: str, ctype: str, outlet: Optional[str],
                    subj=None) -> tuple[str, Optional[str]]:
    """A speaker that is itself a medium ("TASS reported", "Iranian state media reported", "the state
    news agency SABA reported") is an outlet, and the medium of its claim."""
    medium = canonical_outlet(name)
    if medium:
        return "outlet", outlet or medium
    if subj is not None and (_media_phrase(subj) or (lemma == "report" and subj.lemma_.lower() in REPORTERS
                                                     or any(t.lemma_.lower() in REPORTERS for t in subj.lefts))):
        return "outlet", _media_phrase(subj) or name  # "Iranian state media reported", "journalist X reported"
    if lemma in ("report", "say") and ctype != "person" and MEDIA_WORDS_RE.search(_subject_words(tok) or name) \
            and any(c.dep_ == "ccomp" and c.i < tok.i and c.lemma_.lower() in SPEECH_VERBS for c in tok.children):
        # "Yemen's government accused ..., the state news agency SABA reported": the medium
        return "outlet", name
    return ctype, outlet


def _media_phrase(tok) -> Optional[str]:
    """The words of a noun phrase that names a news medium by what it is ("Iranian state media",
    "state television", "Russian news agencies", "the state-run Sonna news agency"), or None."""
    head = tok.lower_
    words = {t.lower_ for t in tok.subtree if t.i <= tok.i}
    if tok.pos_ not in ("NOUN", "PROPN") or not (head in MEDIA_HEADS or (
            tok.lemma_.lower() in ("agency", "report") and words & {"news", "media"})
            or (tok.pos_ == "PROPN" and head in MEDIA_NAME_ENDS and len(words) > 1)):
        return None
    # "the state news agency SANA", whatever the parser made of the name after it
    named = OUTLET_RE.search(tok.doc[tok.left_edge.i:max(tok.right_edge.i + 1, min(tok.i + 3, tok.sent.end))].text)
    return canonical_outlet(named.group(1)) if named else canonical_outlet(_np_text(tok)) or _np_text(tok)


def _listener_medium(tok, lemma: str, outlet: Optional[str], ctx: _Context) -> Optional[str]:
    """"X told Reuters", "told Germany's Bild newspaper", "told state television": the listener is the
    medium; else a platform or an interviewer ("in an interview with broadcaster WSB Atlanta",
    "wrote on Twitter")."""
    if lemma == "tell":
        dative = next((c for c in tok.children if c.dep_ in ("dative", "dobj")), None)
        if dative is not None and _our_journalists(dative) and ctx.own_outlet:
            return ctx.own_outlet  # "told our correspondent", "told our news men": the article's outlet
        if dative is not None:
            listener = _np_text(dative)
            outlet = canonical_outlet(listener) or (_media_name(dative) if MEDIA_WORDS_RE.search(listener)
                                                    else None) or _media_phrase(dative) or outlet
    return outlet if outlet is not None else _platform_or_interviewer(tok)


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
    if verb.lemma_.lower() == "tweet" or any(t.lemma_.lower() == "tweet" and t.pos_ == "NOUN" for t in verb.sent):
        return "Twitter"  # "tweeted", "a tweet from X accused"
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("on", "in", "with")):
        for obj in (g for g in prep.children if g.dep_ == "pobj"):
            words = {t.lower_ for t in obj.subtree}
            platform = next((PLATFORMS[w] for w in words if w in PLATFORMS), None)
            if platform:
                return platform
            if obj.lemma_.lower() == "interview":
                inner = next((p for p in obj.children if p.dep_ == "prep" and p.lower_ == "with"), None)
                target = next((g for g in inner.children if g.dep_ == "pobj"), None) if inner is not None else None
                if target is not None:
                    return canonical_outlet(_np_text(target)) or _media_name(target)
    m = _PLATFORM_RE.search(span_text(verb.sent))  # "in a Facebook post", "wrote on X", "on his Telegram channel"
    return m.group("p") if m else None


def _inside_reported_clause(tok) -> bool:
    """True for a verb inside what another speech verb reports ("Azerbaijan said it had agreed ..."):
    the nested verb is part of the content, not a second attribution."""
    if _speech_verb_coordinated_with(tok) is not None:
        return False
    t = tok
    for _ in range(6):
        if t.head.i == t.i:
            return False
        if t.dep_ in ("ccomp", "xcomp") and t.head.lemma_.lower() in SPEECH_VERBS and t.head.pos_ in ("VERB", "AUX"):
            # "X said the sides pledged ..." and "The sides pledged ..., X said": the pledge is what X
            # said; but in "X said ..., AFP reported" the later verb names the medium
            if t.head.i < tok.i or not (_said_by_medium(t.head) or (tok.dep_ == "acl" and _agent_object(tok))):
                return True  # ("an ambush claimed by X, the army said": X's claim is named, not reported)
        if t.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            return False  # a clause of its own ("..., and Kyiv denied it")
        t = t.head  # "had sustained losses and described their morale": still the reported words
    return False


# ---- naming the speaker -------------------------------------------------------------------------------

def _specific(name: str, ctx: _Context) -> str:
    """A claimant named only by generic words ("the Defense Ministry", "a Defence Ministry statement")
    is the more specific speaker named before with the same head ("Russia's defence ministry")."""
    words = re.findall(r"[\w-]+", name.lower())
    name = re.sub(r"\s+statement$", "", name)
    if not words or any(w not in GENERIC_WORDS for w in words):
        return name
    head = next((w for w in reversed(words) if w not in ("statement", "online", "the", "a", "an")), words[-1])
    for prev, _ in ctx.recent_speakers():
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
            if c.dep_ == "prep" and c.lower_ not in ("of", "for", "at", "in", "from") or c.dep_ in ("relcl", "acl", "advcl",
                                                                                            "cc", "conj"):
                continue
            if c.dep_ == "prep" and t.pos_ == "PROPN" and t.i == tok.i and not any(
                    g.pos_ == "PROPN" for g in c.children):
                continue  # "accused by Amnesty International of war crimes": not part of the name
            if c.dep_ == "punct" and c.text not in ("-", "’", "'", "–"):
                continue
            if c.i < tok.i and any(x.text == "," for x in tok.doc[c.i + 1:tok.i]):
                continue  # "..., killing X, Armenia's Defense Ministry said": a comma ends the phrase
            keep.add(c.i)
            walk(c)
    walk(tok)
    return _span_text(tok.doc[min(keep):max(keep) + 1])  # contiguous span only


def _span_text(span) -> str:
    """A name's words as written, without the article of a common noun ("the ministry" -> "ministry")."""
    text = span.text.strip(" ,;:—–-")
    return re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I) if text.lower().startswith(("the ", "a ", "an ")) \
        and not _proper(span) else text


def _described_text(tok, text: str) -> str:
    """A speaker named in generic words only ("officials", "a rights group") keeps what the text
    says about them ("officials, who spoke on condition of anonymity", "a rights group monitoring
    atrocities"): the most specific name available."""
    if not _generic(text):
        return text
    end = None
    for c in sorted((c for c in tok.children if c.i > tok.i), key=lambda c: c.i):
        if c.dep_ in ("acl", "relcl", "prep") and c.right_edge.i - c.left_edge.i < 10:
            end = c.right_edge.i
        elif c.dep_ not in ("punct", "prep", "acl", "relcl"):
            break
    if end is None:
        return text
    lo = min(t.i for t in tok.subtree if t.i <= tok.i and t.dep_ != "det") if tok.i else 0
    words = [t.text for t in tok.doc[lo:end + 1] if t.text != ","]
    return " ".join(words)


def _proper(span) -> bool:
    return any(t.pos_ == "PROPN" for t in span)


def _looks_like_person(tok) -> bool:
    """A proper name with a person's role in apposition ("Olesya Vartanyan, Crisis Group's senior analyst"),
    or a two- or three-word proper name with no organisation word, when the NER is unsure."""
    if tok.ent_type_ == "PERSON":
        return True
    if any(c.dep_ == "appos" and c.lemma_.lower() in PERSON_ROLES for c in tok.children):
        return True  # the role outweighs the NER's guess ("Abdiweli Adan, another security officer")
    if tok.ent_type_ in ("GPE", "LOC", "NORP", "FAC"):
        return False
    parts = [c for c in tok.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"] + [tok]
    words = [t.lower_ for t in parts]
    return 2 <= len(parts) <= 3 and not any(w in ORG_WORDS for w in words) and all(t.is_title for t in parts)


def _speaker(tok, ctx: _Context, open_nouns: bool = False) -> tuple[Optional[str], str]:
    """The speaker named by a subject token: a name, a described body, or a resolved reference.
    With open_nouns (the active subject of a verb of saying proper), any noun for people describes
    a speaker ("a vigilante said", "locals told AFP"); else only speaker nouns do."""
    if tok.pos_ == "PRON" or tok.lower_ in PRONOUNS_PERSON | PRONOUNS_BODY:
        return _pronoun_speaker(tok, ctx)
    head_low = tok.lemma_.lower()
    medium = _media_phrase(tok)
    if medium and not canonical_outlet(_np_text(tok)):
        return _np_text(tok), "outlet"  # "state media", "local media reports"
    if head_low in DOC_NOUNS:
        # "a statement by the spokesman, Colonel X": the author speaks
        author = _appositive_name(tok) or _document_author(tok)
        if isinstance(author, str):
            return author, "body"
        if author is not None:
            return _speaker(author, ctx)
    appositive = _appositive_person(tok)
    if appositive:
        return appositive, "person"
    if tok.lower_ in PARTITIVES:
        return _partitive_speaker(tok, ctx)
    if tok.lemma_.lower() == "side" and tok.tag_ == "NNS" or tok.lower_ == "side":
        return _sides_speaker(tok)
    named = _named_speaker(tok, ctx)
    if named is not None:
        return named
    if head_low in NON_SPEAKER_HEADS:
        return None, ""
    if tok.lower_ in SPEAKER_NOUNS:
        head_low = tok.lower_
    if head_low in SPEAKER_NOUNS or (open_nouns and tok.pos_ == "NOUN" and head_low in PERSON_ROLES):
        return _described_speaker(tok, head_low, ctx)
    return None, ""


def _pronoun_speaker(tok, ctx: _Context) -> tuple[Optional[str], str]:
    low = tok.lower_
    if low in PRONOUNS_PERSON:
        # a person named earlier in the same sentence comes first ("Harutyunyan said ..., he said")
        sent = tok.sent
        here = [e for e in ctx.entities(tok.doc).within(sent.start, tok.i)
                if e.label_ == "PERSON" and _subject_mention(e) and not ctx.quotes.token_inside(e[0])]
        if here:
            return here[-1].text, "person"
        return (ctx.persons[-1], "person") if ctx.persons else (None, "")
    if low not in ("it", "they", "them"):
        return None, ""
    earlier = _body_speaking_earlier_in_sentence(tok, ctx)
    if earlier:
        return earlier
    if low == "it":
        return _last_body_speaker(ctx) or ((ctx.bodies[-1], "body") if ctx.bodies else (None, ""))
    # the plural subject of the sentence before ("Hundreds of protesters rallied ... They then marched")
    return ctx.last_plural_subject or _last_body_speaker(ctx) or (None, "")


def _body_speaking_earlier_in_sentence(tok, ctx: _Context) -> Optional[tuple[str, str]]:
    """"The military said it had struck ... and accused": the body that spoke earlier in the sentence
    ("they" may also be a group the parser took for a person: "Al Shabaab claimed ..., in which they said")."""
    earlier = [t for t in tok.sent if t.i < tok.i and t.dep_ == "nsubj" and t.pos_ in ("PROPN", "NOUN")
               and not ctx.quotes.token_inside(t)]
    # a subject that spoke first; else the body the sentence is about ("Armenia's Foreign Ministry
    # issued a statement condemning the attack, which it said ...")
    for t in sorted(earlier, key=lambda t: t.head.lemma_.lower() not in SPEECH_VERBS):
        name, ctype = _speaker(t, ctx)
        if name and (ctype != "person" or tok.lower_ != "it") and (
                t.head.lemma_.lower() in SPEECH_VERBS or ctype == "body"):
            return name, ctype
    return None


def _named_pair(sent, ctx: _Context) -> tuple[str, ...]:
    """Two sides named together ("Armenia and Azerbaijan", "between Israel and Hamas"), by their
    names in the sides lexicon; () when the sentence names no such pair."""
    from .gazetteer import side_of
    for e in ctx.entities(sent.doc).within(sent.start, sent.end):
        if e.label_ not in ("GPE", "NORP", "ORG") or ctx.quotes.token_inside(e[0]):
            continue
        for other in e.root.conjuncts:
            b = ctx.entities(sent.doc).covering(other.i)
            if b is None or b.label_ not in ("GPE", "NORP", "ORG"):
                continue
            sa, sb = side_of(e.text), side_of(b.text)
            if sa and sb and sa != sb:
                return sa, sb
    return ()


def _subject_mention(ent) -> bool:
    """A name that is the subject of its clause (or in apposition to it): someone "he" may refer to
    next, unlike a name in the object or the content ("the strike killed X")."""
    r = ent.root
    for _ in range(4):
        if r.dep_ not in ("appos", "compound", "conj", "flat") or r.head.i == r.i:
            break
        r = r.head
    return r.dep_ in ("nsubj", "nsubjpass") or (r.dep_ == "pobj" and r.head.lower_ == "to"
                                                and r.head.head.lower_ == "according")


_PREPOSITION_RE = re.compile(r"\s(?:of|at|in|from|for|with|on|near)\s")


def _one_person(name: str) -> bool:
    """A described speaker who is one person ("a resident of the village", "the mayor"): someone
    "he" or "she" may refer to later."""
    head_part = _PREPOSITION_RE.split(" " + name + " ")[0].split()
    return bool(head_part) and head_part[-1].lower().strip(",") in PERSON_ROLES


def _last_body_speaker(ctx: _Context) -> Optional[tuple[str, str]]:
    return next(((n, t) for n, t in ctx.recent_speakers() if t != "person"), None)


def _sides_speaker(tok) -> tuple[Optional[str], str]:
    """"both sides", "the two sides", "each side": the two parties (expanded by _each_side); "the
    Azerbaijani side" is that side; "no side" is nobody."""
    words = {c.lower_ for c in tok.children if c.dep_ in ("det", "predet", "nummod", "amod", "quantmod")}
    if words & {"both", "two", "each", "either"}:
        return "both sides", "sides"
    if words & {"no", "neither", "any"} or not any(c.dep_ in ("amod", "compound", "poss") for c in tok.children):
        return None, ""
    return _np_text(tok), "body"


def _partitive_speaker(tok, ctx: _Context) -> tuple[Optional[str], str]:
    """"one of the officials", "some of the residents": part of a group of speakers."""
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    group = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
    if group is None:
        return None, ""
    name, ctype = _speaker(group, ctx, open_nouns=True)
    if not name and group.lemma_.lower() not in SPEAKER_NOUNS | PERSON_ROLES:
        return None, ""  # "one of the officials" needs no one named before: it names its group
    return _span_text(tok.doc[tok.i:group.right_edge.i + 1]), ctype if ctype != "body" else "anonymous"


def _appositive_name(tok):
    """The person's name in apposition to tok ("the spokesman, Colonel X"), or None."""
    return next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"
                 and (c.ent_type_ == "PERSON" or _looks_like_person(c))), None)


def _appositive_person(tok) -> Optional[str]:
    """"Influential Turkish politician Devlet Bahceli, whose party ...", "Commissioner of Police,
    Abdul Umar": the title with the name in apposition."""
    appos_name = _appositive_name(tok)
    if appos_name is None or not (tok.pos_ == "NOUN" or tok.lemma_.lower() in PERSON_ROLES):
        return None
    lo = min(t.i for t in tok.subtree if t.i <= tok.i and t.dep_ != "det")
    hi = max(t.i for t in appos_name.subtree if t.dep_ in ("compound", "flat") or t is appos_name)
    return tok.doc[lo:hi + 1].text.strip(" ,")


def _named_speaker(tok, ctx: _Context) -> Optional[tuple[Optional[str], str]]:
    """A speaker with a proper name in it ("Russian President Vladimir Putin", "Azerbaijan's defence
    ministry"); (None, "") for a named thing that cannot speak ("the Minsk deal"); None when there
    is no name."""
    text = _np_text(tok)
    span_lo = min(t.i for t in tok.subtree if t.i >= tok.i - 12)
    entities = ctx.entities(tok.doc)
    ents = entities.within(span_lo, tok.i + 1)
    covering = entities.covering(tok.i)
    if covering is not None and covering not in ents:
        ents = sorted(ents + [covering], key=lambda e: e.start)
    person = next((e for e in ents if e.label_ == "PERSON"), None)
    if not (tok.pos_ == "PROPN" or person is not None or any(e.label_ in ("ORG", "GPE", "NORP") for e in ents)):
        return None
    if person is not None and len(text.split()) > 8:
        return person.text, "person"
    is_person = (person is not None and tok.ent_type_ == "PERSON") or _looks_like_person(tok)
    if is_person or (person is not None and tok.i == person.end - 1):
        return text, "person"
    if tok.lemma_.lower() in NON_SPEAKER_HEADS:
        return None, ""
    return text, "body"


def _document_author(tok, of: bool = True):
    """The author of a document or a noun of speech: "a tweet from Nagorno-Karabakh's ombudsman", "the
    ministry's statement", "the BNI report", "estimates by the UN"; for "Israeli claims" the side's
    name ("Israel"). None when the text names no author."""
    author = _owner_by_preposition(tok, ("from", "by", "of") if of else ("from", "by"))
    if author is None:
        author = next((c for c in tok.children if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"
                       and c.ent_type_ in ("ORG", "PERSON")), None)  # "the BNI report", "a UN estimate"
    if author is None:
        people = next((c for c in tok.children if c.dep_ == "amod" and c.ent_type_ == "NORP"), None)
        if people is not None:
            from .gazetteer import side_of
            return side_of(people.text) or None  # "Israeli claims", "Azeri estimates"
    if author is not None and author.lemma_.lower() not in DOC_NOUNS:
        return author
    return None


def _owner_by_preposition(tok, preps):
    """"X's statement", "a statement from X", "drawing warnings from X" (the verb holds the "from")."""
    author = next((c for c in tok.children if c.dep_ == "poss"), None)
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in preps):
        author = next((g for g in prep.children if g.dep_ == "pobj"), author)
    if author is None and tok.dep_ == "dobj":
        for prep in (c for c in tok.head.children if c.dep_ == "prep" and c.lower_ in ("from", "by")):
            author = next((g for g in prep.children if g.dep_ == "pobj"), author)
    return author


def _our_journalists(tok) -> bool:
    """"our correspondent", "our reporters", "our news men": the article's own journalists."""
    return any(c.dep_ == "poss" and c.lower_ == "our" for c in tok.children) and (
        tok.lemma_.lower() in REPORTERS | STAFF
        or any(c.lower_ == "news" for c in tok.children))


def _described_speaker(tok, head_low: str, ctx: _Context) -> tuple[Optional[str], str]:
    """A speaker described by a noun ("officials", "a senior security source", "the ministry")."""
    if _our_journalists(tok):
        return (ctx.own_outlet, "outlet") if ctx.own_outlet else (None, "")  # "Our correspondent gathered"
    text = _np_text(tok)
    described = _described_text(tok, text)
    ctype = "anonymous" if head_low in ANONYMOUS_NOUNS or head_low in PERSON_ROLES else "body"
    if len(text.split()) <= 2 and described == text and tok.i > 0 \
            and tok.doc[tok.i - 1].lower_ in ("the", "its", "his", "her") \
            and not any(t.pos_ in ("ADJ", "PROPN") for t in tok.subtree if t.i != tok.i):
        name, ref_type = _short_reference(head_low, ctx)
        if name or (head_low in GENERIC_WORDS and head_low not in NATIONAL):
            return name, ref_type
        # "the mayor said", "the vigilante said" with no one named before: the speaker as described
    return described, ctype


def _short_reference(head_low: str, ctx: _Context) -> tuple[Optional[str], str]:
    """"the ministry", "the spokesman": a short reference to someone named before, or nobody.
    A name that says which one ("Russia's defence ministry") is preferred to a generic one."""
    if head_low in ctx.described_as:
        return ctx.described_as[head_low]  # "The Emergency Lawyers, a group that ...": "the group"
    for name, ctype in ctx.recent_speakers():
        if head_low in name.lower() and not _generic(name):
            return name, ctype
    same = next(((n, t) for n, t in ctx.recent_speakers() if n.lower().split()[-1:] == [head_low]), None)
    if same:
        return same  # "officials said ... the officials said": the same, however generic
    if head_low in REFERS_PERSON:
        return (ctx.persons[-1], "person") if ctx.persons else (None, "")
    if head_low in REFERS_ORG:
        if ctx.orgs:
            return ctx.orgs[-1], "body"  # "The group added": the organisation last named as a subject
    return None, ""


def _generic(name: str) -> bool:
    """A name made only of generic words ("the Defense Ministry", "officials") says not which one."""
    words = re.findall(r"[\w-]+", name.lower().replace("’s", "").replace("'s", ""))
    return all(w in GENERIC_WORDS for w in words)
