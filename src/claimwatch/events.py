"""extract (events): every incident a sentence reports, coded in the ACLED taxonomy, with its day,
the places it names and its actors.

How a sentence is read:
1. triggers: the words that say something happened (data/event_triggers.tsv), each of a kind
   (data/event_kinds.tsv): "shelled", "an ambush", "killed in clashes", "shot down", "tear gas";
2. a trigger counts when it is asserted as a happening: not negated, not a plan, threat, wish
   or condition, not the background of something else ("displaced by the fighting"), not a habit
   or an ongoing state with no day ("daily shelling", "fighting continues"), not a running total
   or a count of many incidents (data/event_context.tsv);
3. its arguments (who acted, who or what was hit, with what weapon, its object) type it, by the
   first matching row of data/event_rules.tsv: an attack on forces is a battle, on civilians
   violence against civilians, by artillery, aircraft or drones an explosion;
4. one incident per clause (the trigger that says most about it types it), and, across clauses,
   consequences ("killed") only when nothing else in the sentence is an incident;
5. each incident gets the places its clause names (`place_refs`, resolved by `link`, which drops
   what it cannot place) and a day from its clause's time words against the right anchor (the
   section's day in a live blog, the published day otherwise); a coordinated list of places
   ("shelling hit A, B and C") gives one mention per place.
Mentions are merged into events across sentences and articles by `resolve`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, Optional

from . import dates, lexicon
from .nlp import memo, span_text
from .models import Claim, EventMention, Figure, PlaceRef

# weapon classes of data/event_arguments.tsv, strongest first: the one that decides when a clause names several
WEAPONS = ("suicide", "chemical", "ied", "grenade", "air", "artillery", "bomb", "lethal")
# argument classes that make an actor armed: "Military Forces of X" rather than X
FORCE_CLASSES = {"state", "force", "air", "artillery"}
PLACE_LABELS = ("GPE", "LOC", "FAC")
# entity labels that are never place names
NOT_NAMES = ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY")
# a noun trigger with a count at least this high is a tally of incidents ("72 drone strikes")
AGGREGATE_MIN = 5
# a mention this long before its report is background ("a 1994 ceasefire"), not news
BACKGROUND_DAYS = 60
# a report that names no day of its own may speak of an incident this many days before it
REPORT_LAG_DAYS = 3
# "The incident happened near X" places the incident told in its paragraph or this many before it.
PLACING_PARAGRAPHS = 3


# ---- language data --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    words: tuple[str, ...]
    pos: str
    kind: str


@dataclass(frozen=True)
class Rule:
    """One row of event_rules.tsv; a None column matches anything."""
    kinds: Optional[frozenset]
    also: Optional[frozenset]
    weapon: Optional[frozenset]
    agent: Optional[frozenset]
    target: Optional[frozenset]
    obj: Optional[frozenset]
    event_type: str
    sub_event_type: str

    def matches(self, kind: str, also: set, weapon: str, agent: str, target: str, obj: frozenset) -> bool:
        return ((self.kinds is None or kind in self.kinds)
                and (self.also is None or bool(self.also & also))
                and (self.weapon is None or weapon in self.weapon)
                and (self.agent is None or agent in self.agent)
                and (self.target is None or target in self.target)
                and (self.obj is None or bool(self.obj & obj)))


@dataclass(frozen=True)
class Lexicon:
    single: dict        # lemma -> [Entry]
    phrases: dict       # first lemma -> [Entry], longest first
    rank: dict          # kind -> rank
    traits: dict        # trait -> frozenset of kinds
    arg_words: dict     # first lemma -> [(lemmas, classes)], longest first
    rules: tuple
    context: dict       # role -> frozenset of lemmas (and phrases)


def _cell(value: str) -> Optional[frozenset]:
    return None if value in ("*", "") else frozenset(value.split("|"))


@lru_cache(maxsize=1)
def lex() -> Lexicon:
    single: dict[str, list[Entry]] = {}
    phrases: dict[str, list[Entry]] = {}
    for word, pos, kind, *_ in lexicon.rows("event_triggers.tsv", 3):
        e = Entry(tuple(word.lower().split()), pos or "any", kind)
        (phrases.setdefault(e.words[0], []) if len(e.words) > 1 else single.setdefault(word.lower(), [])).append(e)
    for es in phrases.values():
        es.sort(key=lambda e: -len(e.words))
    rank = {kind: int(r) for kind, r, *_ in lexicon.rows("event_kinds.tsv", 3)}
    traits: dict[str, set] = {}
    for kind, _, cell, *_ in lexicon.rows("event_kinds.tsv", 3):
        for trait in cell.split(","):
            if trait.strip() not in ("", "-"):
                traits.setdefault(trait.strip(), set()).add(kind)
    grouped: dict[tuple, set] = {}
    for word, cls, *_ in lexicon.rows("event_arguments.tsv", 2):
        grouped.setdefault(tuple(word.lower().split()), set()).add(cls)
    arg_words: dict[str, list] = {}
    for words, classes in grouped.items():
        arg_words.setdefault(words[0], []).append((words, frozenset(classes)))
    for ws in arg_words.values():
        ws.sort(key=lambda w: -len(w[0]))
    rules = tuple(Rule(_cell(k), _cell(a), _cell(w), _cell(ag), _cell(t), _cell(o), et, st)
                  for k, a, w, ag, t, o, et, st, *_ in lexicon.rows("event_rules.tsv", 8))
    context: dict[str, set] = {}
    for word, role, *_ in lexicon.rows("event_context.tsv", 2):
        context.setdefault(role, set()).add(word.lower())
    unknown = {k for k in rank} ^ {e.kind for es in list(single.values()) + list(phrases.values()) for e in es}
    if unknown:
        raise ValueError(f"event kinds without triggers or triggers without a kind: {sorted(unknown)}")
    return Lexicon(single, phrases, rank, {t: frozenset(ks) for t, ks in traits.items()}, arg_words, rules,
                   {r: frozenset(ws) for r, ws in context.items()})


def _ctx(role: str) -> frozenset:
    """The words of a role in event_context.tsv."""
    return lex().context.get(role, frozenset())


def _kinds(trait: str) -> frozenset:
    """The kinds with a trait in event_kinds.tsv."""
    return lex().traits.get(trait, frozenset())


# ---- the extraction -------------------------------------------------------------------------------

@dataclass
class Hit:
    """A trigger in a sentence: its head token, its kind and the tokens of its words."""
    tok: object
    kind: str
    tokens: frozenset


@dataclass
class Args:
    weapon: str = "-"
    agent: str = "none"
    target: str = "none"
    obj: frozenset = frozenset({"-"})
    agent_tok: object = None
    target_tok: object = None
    weapons: tuple = ()  # every weapon class the clause names, strongest first


@dataclass
class Incident:
    hit: Hit
    event_type: str
    sub_event_type: str
    args: Args
    rank: int


def extract_mentions(ann, claims: list[Claim], figures: list[Figure]) -> list[EventMention]:
    """Event mentions with the places the text names for them (`place_refs`); `link` resolves the places."""
    from .gazetteer import side_of
    claims_at: dict[int, list[Claim]] = {}
    for c in claims:
        claims_at.setdefault(c.start, []).append(c)
    figs_at: dict[int, list[Figure]] = {}
    for f in figures:
        figs_at.setdefault(f.start, []).append(f)
    # each mention with whether its sub-event type comes from a named weapon or kind, and its trigger's kind
    found: list[tuple[EventMention, bool, str]] = []
    placings: list = []  # (start, places) of the sentences that place an incident told before
    context = _PlaceContext()
    for off, doc in ann.parsed:
        para: list[tuple[EventMention, bool, str]] = []
        context.paragraph(off, list(doc.sents))
        for k, sent in enumerate(context.sents):
            start = off + sent.start_char
            evidence = span_text(sent).rstrip()
            figs = figs_at.get(start, [])
            speaker_side = next((c.claimant_affiliation for c in claims_at.get(start, [])
                                 if c.claimant_affiliation), None)
            side = lambda text: side_of(text) or (  # noqa: E731
                speaker_side if _OWN_SIDE.search(text) else None)
            template = EventMention(
                doc=ann.doc_id, start=start, end=start + len(evidence), evidence=evidence,
                event_type="", sub_event_type="", date=None, date_precision="unknown", date_reason="",
                location=None, claim_ids=[c.id for c in claims_at.get(start, [])])
            mentions = list(_sentence_mentions(ann.article, sent, off, figs, side, template,
                                               lambda *a, k=k: context.fallback(k, *a)))
            context.told(k, {m.event_type for m, *_ in mentions})
            para.extend(mentions)
        found.extend(_protests_of_the_paragraph(para))
        placings.extend((off + sent.start_char, refs) for sent in context.sents if (refs := _placing_refs(sent, off)))
    return _weapons_of_the_document(_placed_afterwards(found, placings, [off for off, _ in ann.parsed]))


_OWN_SIDE = re.compile(r"\b(its|their|our)\b", re.I)


def _placed_afterwards(found: list, placings: list, paragraphs: list[int]) -> list:
    """"Border troops shot down a drone flying over Georgia ... The incident happened near the village of
    Sadakhlo": a later sentence that names the incident again and says where it happened places the mentions
    of that kind told before it in its paragraph and the few before (wire copy often breaks every sentence
    into a paragraph of its own). Its places come after their own (a precise place of their own still wins)
    and before any carried from elsewhere."""
    out = list(found)
    for start, refs in placings:
        here = bisect.bisect_right(paragraphs, start)
        before = [i for i, (m, *_) in enumerate(out)
                  if m.start < start and here - bisect.bisect_right(paragraphs, m.start) <= PLACING_PARAGRAPHS]
        if not before:
            continue
        kind = out[before[-1]][0].event_type  # the incident named again is the last one told
        for i in before:
            m, *rest = out[i]
            if m.event_type == kind:
                own = [r for r in m.place_refs if not r.carried]
                carried = [r for r in m.place_refs if r.carried]
                out[i] = (replace(m, place_refs=own + refs + carried), *rest)
    return out


def _placing_refs(sent, off: int) -> list[PlaceRef]:
    """The places of "the incident happened near X" / "the attack took place in X" (as carried places), or []
    when the sentence is not one that places an incident told before."""
    for verb in sent:
        if verb.pos_ != "VERB" or not _happened(verb):
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and _names_incident_again(subj):
            return [replace(r, carried=True) for r in _place_refs(sent, off, verb) if not r.carried]
    return []


def _happened(verb) -> bool:
    lemma = _lemma(verb)
    takes_place = any(c.dep_ == "dobj" and c.lemma_ == "place" for c in verb.children)
    return lemma in _ctx("happened") or (takes_place and f"{lemma} place" in _ctx("happened"))


def _names_incident_again(noun) -> bool:
    """"The incident", "this attack": a definite noun naming an incident told before."""
    definite = any(c.dep_ == "det" and c.lower_ in _ctx("definite") for c in noun.children)
    return definite and (_lemma(noun) in lex().single or _lemma(noun) in _ctx("incident_noun"))


class _PlaceContext:
    """The places an incident with none of its own may be at: named before in its paragraph (in a sentence
    that told no incident, or one of the same type: "Both sides accused each other of new attacks" is not at
    the town shelled in the sentence before), in the next sentence; and, for "the city", the last place
    named before in the article."""

    def __init__(self):
        self.before: list = []  # (offset, sentence) of the paragraphs before, the last first
        self.off, self.sents, self.types = 0, [], {}

    def paragraph(self, off: int, sents: list):
        self.before = [(self.off, s) for s in reversed(self.sents)] + self.before
        self.off, self.sents, self.types = off, sents, {}

    def told(self, k: int, event_types: set):
        self.types[k] = event_types

    def fallback(self, k: int, event_type: str, anaphor: bool) -> list[PlaceRef]:
        earlier = [r for j in range(k - 1, -1, -1) if not self.types.get(j) or event_type in self.types[j]
                   for r in _carried(_place_refs(self.sents[j], self.off))]
        # "the city": the places of the last sentence before that named one, the place first, then what
        # contains it ("El Fasher, the capital of North Darfur")
        named = [r for o, b in self.before for r in _carried(_place_refs(b, o))[::-1]][:3] if anaphor else []
        return earlier + _following(self.sents, k, self.off) + named


def _sentence_mentions(art, sent, off: int, figs: list[Figure], side: Callable, template: EventMention,
                       fallback: Callable[[str, bool], list[PlaceRef]]):
    """(mention, typed by a named weapon or kind) for each incident of the sentence, place and day."""
    incidents = _incidents(sent, figs)
    killed = [f.value for f in figs if f.metric == "killed"]
    seen: set = set()
    # the incident that says most about itself first: "Azerbaijan struck Stepanakert, tens of missiles hit
    # the city" is one explosion, by missiles; "struck Kharkiv with missiles and drones" two
    for inc in sorted(incidents, key=lambda i: (-i.rank, i.args.weapon == "-", i.hit.tok.i)):
        named = inc.rank >= 3 or inc.args.weapon != "-"  # its sub-event type comes from a named weapon or kind
        days, own_time = _days(art, template.start, sent, inc.hit)
        if not days:
            continue
        # a day of its own: resolved, or named in an undated article ("on Saturday")
        timed = days[0][1] in ("day", "days") or (days[0][1] == "unknown" and own_time)
        groups = _places_of(inc, sent, off, timed)
        if groups is None:
            continue
        actor1, actor2 = _actor_sides(inc, side)
        for day, precision, reason in days:
            for refs in groups or [[]]:
                # one incident per type, place and day; two only for the weapons of one list ("with missiles
                # and drones")
                # a place of its own, not one borrowed from another clause, makes the incident the same one
                key = (inc.event_type, refs[0].text if refs and not refs[0].carried else None, day)
                if key in seen and (key + (inc.hit.tok.i,)) not in seen or key + (inc.sub_event_type,) in seen:
                    continue
                seen.update({key, key + (inc.sub_event_type,), key + (inc.hit.tok.i,)})
                yield replace(
                    template, event_type=inc.event_type, sub_event_type=inc.sub_event_type,
                    date=day.isoformat() if day else None, date_precision=precision, date_reason=reason,
                    actor1=actor1, actor2=actor2, trigger=inc.hit.tok.text,
                    place_refs=refs + ([] if _novel(inc.hit.tok) else
                                       fallback(inc.event_type, not refs and _names_a_place_again(inc.hit.tok))),
                    fatalities=int(min(killed)) if killed and len(groups) <= 1 and len(days) == 1 else None,
                ), named, inc.hit.kind


def _days(art, start: int, sent, hit: Hit) -> tuple[list, bool]:
    """(day, precision, reason) of the incident, one per day its clause names ("on Saturday and Sunday"),
    [] when its time makes it background: long before the report, a habit, an ongoing state, a period;
    and whether its clause names a time of its own."""
    anchor, anchor_reason = dates.anchor_day(art, start)
    when, own = _event_time_words(sent, hit.tok)
    day, precision, reason = dates.resolve_expression(when, anchor) if when else (
        anchor, "report", f"no day named; the {anchor_reason}")
    if anchor is None and not when:
        day, precision, reason = None, "unknown", anchor_reason
    if day is not None and anchor is not None and (anchor - day).days > BACKGROUND_DAYS:
        return [], own
    if ((precision != "day" or not own) and _timeless(hit, sent)) or _period(hit, sent):
        return [], own  # a habit, an ongoing state or a period with no day of its own
    if _earlier_year(when, anchor) and precision != "day":
        return [], own  # "unlike in 2012, when the M23 seized Goma"
    days = [(day, precision, reason)]
    if own and precision == "day":
        for part in _coordinated_days(sent, hit.tok):
            d, p, r = dates.resolve_expression(part, anchor)
            if p == "day" and d is not None and d not in [x[0] for x in days] and (
                    anchor is None or 0 <= (anchor - d).days <= 7):
                days.append((d, p, r))  # "shelled the town on Saturday and Sunday": an event a day
    return days, own


def _coordinated_days(sent, trigger) -> list[str]:
    """The days after the first of a coordinated list in the trigger's clause: "on Saturday and Sunday",
    "on Friday and on Saturday" (not "occurred on Monday ... published on Tuesday")."""
    clause = _clause_span(trigger)
    ents = [e for e in _ents(sent) if e.label_ == "DATE" and e.root.i in clause]
    joiners = _ctx("day_joiner")
    parts = []
    for e in ents:
        cut = [k for k, t in enumerate(e) if t.lower_ in joiners]
        parts += [e[k + 1:j].text for k, j in zip(cut, cut[1:] + [len(e)]) if j > k + 1]
    for a, b in zip(ents, ents[1:]):
        between = sent.doc[a.end:b.start]
        if len(between) and all(t.lower_ in joiners or t.lower_ in ("on", "again") for t in between):
            parts.append(b.text)
    return parts


def _places_of(inc: Incident, sent, off: int, timed: bool) -> Optional[list[list[PlaceRef]]]:
    """The place groups of an incident (one per place of a coordinated list), or None when the sentence only
    names again an incident told before or incidents in general. `timed`: it has a day of its own."""
    tok = inc.hit.tok
    groups = _place_groups(sent, off, tok)
    placed = lambda: any(_placed_by_trigger(sp, tok) for sp, _ in _place_candidates(sent, off, tok))  # noqa: E731
    if _anaphoric(tok) and not timed and not placed():
        return None  # "the strike killed 11": the strike reported before, named again
    own = any(not r.carried for g in groups for r in g)
    if not own and (inc.rank < 2 or (not _verbal(tok) and not timed)):
        return None  # "eight soldiers were killed", "brought fighting close to the border": told before
    if not timed and inc.event_type != "Protests" and _generic(tok) and not placed():
        return None  # "condemned attacks on population centres": incidents in general
    return groups


def _weapons_of_the_document(found: list[tuple[EventMention, bool, str]]) -> list[EventMention]:
    """One explosion per place and day of an article, by the weapon it names first: "a Russian attack on
    Poltava" and "an overnight missile attack on Poltava" are one missile attack; "At least 32 civilians were
    killed in an attack in El Fasher" and "the RSF launched a barrage of drones on the city" one drone
    strike. A mention typed by default (an attack, a strike with no weapon named) takes the type of an
    explosion whose weapon is named at a place they share, on its day or, when it names no day of its own,
    a few days before ("denied that its forces had targeted civilians in Kramatorsk"); an explosion named
    by another weapon in a later sentence takes the first one's. The weapons of one list stay apart."""
    def places(m):
        own = {r.text.lower() for r in m.place_refs if not r.carried}
        return own or {r.text.lower() for r in m.place_refs[:1]}

    def near(m, n):
        """The same day, or a report that names no day of its own a few days after the other's day."""
        d, e = dates.day(m.date), dates.day(n.date)
        if d == e:
            return True
        return bool(d and e) and any(a.date_precision in ("report", "unknown") and 0 <= (x - y).days <= REPORT_LAG_DAYS
                                     for a, x, y in ((m, d, e), (n, e, d)))

    explosion = "Explosions/Remote violence"
    named = [n for n, strong, _ in found if n.event_type == explosion and strong]
    out = []
    for m, strong, kind in found:
        weak = not strong and kind in _kinds("per_weapon") and m.event_type in (explosion, "Violence against civilians")
        if weak or (strong and m.event_type == explosion):
            for n in named:
                if places(m) & places(n) and near(m, n):
                    if n.start != m.start:
                        m = replace(m, event_type=explosion, sub_event_type=n.sub_event_type)
                    break
        out.append(m)
    return out


def _incidents(sent, figs: list[Figure]) -> list[Incident]:
    """The incidents a sentence reports, typed by their arguments, one per clause."""
    hits = _counted_hits(sent)
    if not hits:
        return []
    victims = _victims(hits, figs)
    argued = [(h, _arguments(h, sent, victims)) for h in hits]
    return _one_per_clause(_typed(argued))


def _counted_hits(sent) -> list[Hit]:
    """The triggers of a sentence that report a happening of their own."""
    hits = [h for h in _hits(sent) if _counts(h)]

    def governor(h, of=_governing):
        at = {i: g for g in hits for i in g.tokens}
        return at.get(of(h.tok).i)

    # "defused an explosive device", "exchanged shelling and firing": the thing stopped or exchanged is no
    # incident of its own
    hits = [h for h in hits if not ((g := governor(h, _object_of)) and g is not h and g.kind in _kinds("holds"))]
    # "weeks of fighting" is background; "targeted the commander in a strike" names the means of the incident
    hits = [h for h in hits if h.kind == "protester" or not _background(h.tok) or (
        governor(h) and h.tok.head.lower_ in _ctx("means_prep"))]
    # "police arrested 30 demonstrators": the demonstrators are the arrest's object, not a protest
    return [h for h in hits if not (h.kind == "protester" and (g := governor(h)) and g.kind not in _kinds("protest"))]


def _typed(argued: list[tuple[Hit, Args]]) -> list[Incident]:
    """Each trigger typed by the first rule its arguments match; a protest absorbs what happens at it."""
    protest = any(h.kind in _kinds("protest") for h, _ in argued)
    typed: list[Incident] = []
    for h, a in argued:
        if protest and h.kind in _kinds("absorbed") and a.target in ("protester", "none", "civilian", "crowd"):
            continue  # the police action or the violence at the protest types the protest
        also = {_cue(g, b) for g, b in argued if g is not h}
        # "attacked the city with missiles and drones": an incident for each weapon
        for weapon in (a.weapons if h.kind in _kinds("per_weapon") and len(a.weapons) > 1 else (a.weapon,)):
            aw = replace(a, weapon=weapon)
            et, st = _type(h.kind, also, aw)
            if et != "-":
                typed.append(Incident(h, et, st, aw, lex().rank.get(h.kind, 1)))
    return typed


def _one_per_clause(typed: list[Incident]) -> list[Incident]:
    """In each clause the incidents of the trigger that says most about them; consequences ("killed") only
    when no clause of the sentence has anything else."""
    by_clause: dict[int, list[Incident]] = {}
    for inc in typed:
        by_clause.setdefault(_clause_root(inc.hit.tok).i, []).append(inc)
    kept = []
    for incs in by_clause.values():
        best = max(i.rank for i in incs)
        incs = [i for i in incs if i.rank == best]
        if any(i.hit.kind != "explosion" for i in incs):
            # "heavy gunfire and explosions killed six": the fighting, not a bomb
            incs = [i for i in incs if i.hit.kind != "explosion" or i.args.weapon != "-"]
        kept.extend(incs)
    if any(i.rank >= 2 for i in kept):
        kept = [i for i in kept if i.rank >= 2]
    return sorted(kept, key=lambda i: i.hit.tok.i)


def _type(kind: str, also: set, a: Args) -> tuple[str, str]:
    for rule in lex().rules:
        if rule.matches(kind, also, a.weapon, a.agent, a.target, a.obj):
            return rule.event_type, rule.sub_event_type
    return "-", "-"


def _cue(hit: Hit, a: Args) -> str:
    """What another trigger of the sentence says about a protest in it: violence by the crowd is a riot."""
    if hit.kind in _kinds("violent") and a.agent in ("protester", "rioter", "crowd") or hit.kind == "clash":
        return "riot"  # a protest that clashes with the police is a riot
    return hit.kind


def _protests_of_the_paragraph(found: list[tuple]) -> list[tuple]:
    """A protest dispersed or fired on in the next sentence is one protest with intervention, not two events:
    protests of a paragraph on the same day take the gravest sub-event type reported."""
    order = ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"]
    worst: dict = {}
    for m, *_ in found:
        if m.event_type == "Protests" and m.sub_event_type in order:
            worst[m.date] = max(worst.get(m.date, order[0]), m.sub_event_type, key=order.index)
    return [(replace(m, sub_event_type=worst[m.date]) if m.event_type == "Protests" and m.sub_event_type in order
             else m, *rest) for m, *rest in found]


# ---- triggers -------------------------------------------------------------------------------------

def _lemma(tok) -> str:
    key = (tok.lemma, tok.lower)
    lemma = _LEMMAS.get(key)
    if lemma is None:
        lemma = _LEMMAS[key] = _trigger_lemma(tok)
    return lemma


_LEMMAS: dict = {}  # a pure function of the two strings (and the fixed lexicon): computed once per pair


def _trigger_lemma(tok) -> str:
    lemma = tok.lemma_.lower()
    lx = lex()
    if lemma not in lx.single and lemma not in lx.phrases and tok.lower_ in lx.single:
        return tok.lower_  # irregular forms the lemmatizer leaves alone ("retook")
    return lemma


def _pos_ok(tok, pos: str) -> bool:
    if pos == "noun":
        return tok.pos_ in ("NOUN", "PROPN")
    if pos == "verb":
        return tok.pos_ == "VERB"
    if pos == "adj":
        return tok.pos_ == "ADJ"
    return tok.pos_ in ("NOUN", "PROPN", "VERB", "ADJ")


def _hits(sent) -> list[Hit]:
    lx = lex()
    tokens = list(sent)  # made once: each Token read from a Doc is a new object
    lemmas = {t.i: _lemma(t) for t in tokens}
    hits: list[Hit] = []
    covered: set[int] = set()
    for t in tokens:
        for e in lx.phrases.get(lemmas[t.i], ()):
            toks = _phrase_at(sent, t, e.words, lemmas)
            if not toks or covered & toks:
                continue
            # a verb phrase hangs on its verb; a noun phrase on the word whose head is outside it ("state of
            # emergency": state; "air strike": strike)
            head = t if t.pos_ == "VERB" and e.pos != "noun" else next(
                (t.doc[i] for i in sorted(toks) if t.doc[i].head.i not in toks or t.doc[i].head.i == i),
                t.doc[max(toks)])
            if _pos_ok(head, e.pos) or (e.pos == "noun" and head.pos_ in ("NOUN", "PROPN", "ADJ", "VERB")
                                        and t.pos_ != "VERB"):
                hits.append(Hit(head, e.kind, frozenset(toks)))
                covered |= toks
                break
    for t in tokens:
        if t.i in covered:
            continue
        for e in lx.single.get(lemmas[t.i], ()):
            if _pos_ok(t, e.pos):
                hits.append(Hit(t, e.kind, frozenset({t.i})))
                covered.add(t.i)
                break
    return hits


def _phrase_at(sent, tok, words: tuple, lemmas: dict) -> Optional[set]:
    """The token indices of `words` starting at `tok`: in a row, or as a verb and its dependents."""
    n = len(words)
    if tok.i + n <= sent.end and all(lemmas.get(tok.i + k) == words[k] for k in range(n)):
        return set(range(tok.i, tok.i + n))
    if tok.pos_ != "VERB":
        return None
    near = [c for c in tok.children if c.dep_ != "conj"]
    near += [g for c in near if c.dep_ in ("prep", "prt", "dobj", "agent") for g in c.children if g.dep_ != "conj"]
    found = {tok.i}
    for w in words[1:]:
        t = next((c for c in near if c.i not in found and lemmas.get(c.i, c.lemma_.lower()) == w), None)
        if t is None:
            return None
        found.add(t.i)
    return found


def _counts(hit: Hit) -> bool:
    """A trigger that reports a happening, not a plan, a negation, a background, a habit or a tally."""
    tok = hit.tok
    if not _asserted(tok) or _irrealis(tok) or _aggregate(hit) or _cumulative(tok):
        return False
    if tok.dep_ == "compound" and tok.pos_ in ("NOUN", "PROPN") and tok.i == max(hit.tokens) and \
            _lemma(tok.head) not in _ctx("event_noun"):
        return False  # "combat vehicles", "protest movement", "ceasefire talks": a modifier; "an ambush operation" not
    if hit.kind == "strike" and any(_lemma(c) in _ctx("not_military") for c in tok.children):
        return False  # "a general strike", "a hunger strike"
    if hit.kind == "agreement" and not _concluded(tok):
        return False
    if tok.pos_ == "VERB" and tok.dep_ == "acl" and tok.tag_ == "VBG" and hit.kind not in _kinds("protest"):
        return False  # "the coalition fighting the Houthis": a description of a group ("mourners protesting" a protest)
    if _lemma(tok.head) in _ctx("ended") and tok.dep_ in ("nsubj", "nsubjpass") or any(
            c.pos_ == "VERB" and _lemma(c) in _ctx("ended") and c.dep_ in ("acl", "relcl") for c in tok.children):
        return False  # "fighting in Sweida halted": the end of it
    if hit.kind in _kinds("needs_victim") and tok.pos_ == "VERB" and not _sufferers(tok):
        return False  # "an operation executed in response": no one executed
    return True


def _asserted(tok) -> bool:
    """Not negated, not conditional or future: "would have been captured" is not an event.

    Nor a purpose ("recruited to fight"), nor the background of a time clause ("before
    Azerbaijani forces had captured Shusha").
    """
    if tok.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and not (
            _lemma(tok) in _ctx("protest_purpose") and _lemma(tok.head) in _ctx("gathering")) and not (
            _lemma(tok.head) in _ctx("achieved")):
        return False  # "recruited to fight"; but "gathered to protest" is a protest, "managed to kill" a killing
    if tok.pos_ == "VERB" and tok.dep_ == "conj" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in tok.head.children):
        return False  # "to try and agree on a plan"
    verb = tok if tok.pos_ == "VERB" else tok.head
    if verb.pos_ == "VERB" and any(c.dep_ == "mark" and c.lower_ in _ctx("time_mark") for c in verb.children):
        return False  # "before forces had captured Shusha", "since it launched its counteroffensive"
    for t in (tok, tok.head):
        if any(c.dep_ == "det" and c.lower_ in _ctx("negative_det") for c in t.children):
            return False  # "no incidents linked with any capture"
    for t in (verb, verb.head):
        for c in t.children:
            if c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in _ctx("modal")):
                return False
    return True


def _irrealis(tok) -> bool:
    """Governed by a word of threat, plan, wish or fear: "threatened to attack", "warned of air strikes"."""
    words = _ctx("irrealis")
    t = tok
    for _ in range(4):
        if t.dep_ in ("ROOT", "ccomp", "advcl", "relcl", "parataxis") or t.head.i == t.i:
            return False  # a report clause: "warned that forces shelled the town" reports the shelling
        t = t.head
        if _lemma(t) in words:
            return True
        if t.pos_ == "VERB" and t.dep_ not in ("xcomp", "pcomp"):
            return False
    return False


def _background(tok) -> bool:
    """A trigger noun in a phrase that names the circumstance of something else ("displaced by the
    fighting", "weeks of fighting", "amid clashes"), unless it caused casualties ("killed in clashes")."""
    if tok.dep_ not in ("pobj", "pcomp"):
        return False
    prep = tok.head
    if prep.lower_ not in _ctx("background"):
        return False
    above = prep.head
    near = [c for c in above.children if c.i != prep.i]
    near += [g for c in near if c.dep_ == "prep" for g in c.children]
    if _lemma(above) in _ctx("cause") or any(
            c.dep_ in ("dobj", "pobj") and _lemma(c) in _ctx("cause") for c in near):
        return False  # "killed in clashes", "made a breakthrough in the battles", "the rest of the dead in the raids"
    if prep.lower_ == "of" and _lemma(above) in _ctx("quantity"):
        return False  # "thousands of protesters"
    if prep.lower_ == "of" and _lemma(above) in _ctx("accusation"):
        return False  # "accused government forces of killing 30 civilians": the incident they are blamed for
    if tok.pos_ == "VERB" and prep.lower_ in _ctx("gerund_prep"):
        return False  # gerunds: "with 3,000 people converging on the square"
    if prep.lower_ != "of" and any(t.ent_type_ in PLACE_LABELS for t in tok.subtree) and any(
            (c.dep_ == "det" and c.lower_ in ("a", "an")) for c in tok.children) and any(
            t.ent_type_ in ("DATE", "TIME") for t in tok.subtree):
        return False  # "a body recovered after an Israeli strike on a house in Rafah on Sunday": its own place and day
    return True


def _aggregate(hit: Hit) -> bool:
    """A count of many incidents ("72 drone strikes over two months", "hundreds of air strikes")."""
    tok = hit.tok
    if hit.kind in _kinds("protest") or tok.pos_ not in ("NOUN", "PROPN"):
        return False
    for c in tok.children:
        if c.dep_ == "nummod" and (_number(c) or 0) >= AGGREGATE_MIN:
            return True
    return tok.dep_ == "pobj" and tok.head.lower_ == "of" and _lemma(tok.head.head) in _ctx("quantity")


def _cumulative(tok) -> bool:
    """A running total: "have been killed since the war began", "so far", "in total"."""
    verb = tok if tok.pos_ == "VERB" else tok.head
    words = _ctx("cumulative")
    for t in {tok, verb}:
        for c in t.children:
            if c.lower_ in words and c.dep_ in ("prep", "mark"):
                return True  # "since the war began"
    root = _clause_roots(tok.doc)[tok.i]
    clause = _memo(tok.doc, f"clause_words.{root}", lambda: " " + " ".join(t.lower_ for t in _clause_tokens(tok)) + " ")
    return any(f" {w} " in clause for w in words if " " in w)  # "so far", "to date"


def _number(tok) -> Optional[float]:
    """The value of a count in digits ("72"); counts in words are left to the quantity nouns ("hundreds of")."""
    try:
        return float(tok.text.replace(",", ""))
    except ValueError:
        return None


def _object_of(tok):
    """The verb a word is the object of, through coordination ("exchanged shelling and firing"); else itself."""
    t = tok
    while t.dep_ == "conj":
        t = t.head
    return t.head if t.dep_ in ("dobj", "nsubjpass") else tok


def _governing(tok):
    """The word an argument hangs on: its head, or above a preposition the preposition's head."""
    return tok.head.head if tok.dep_ == "pobj" else tok.head


def _concluded(tok) -> bool:
    """An agreement is an event when it is struck, signed or agreed, not when it is only talked about."""
    verbs = _ctx("concludes")
    if tok.pos_ == "VERB":  # "agreed a truce", "agreed to extend the deadline", "agreed on a ceasefire"
        things = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        things += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("on", "to") for g in c.children]
        return any(c.dep_ == "xcomp" for c in tok.children) or any("agreement" in _classes([t]) for t in things)
    if tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
        tok = tok.head  # "a ceasefire agreement was signed"
    if _lemma(tok.head) in verbs and tok.dep_ in ("nsubjpass", "dobj", "nsubj", "pobj", "attr"):
        return True
    if tok.dep_ == "pobj" and _lemma(tok.head.head) in verbs:
        return True  # "agreed on a truce"
    return any(_lemma(c) in verbs and c.dep_ in ("relcl", "acl") for c in tok.children)


def _timeless(hit: Hit, sent) -> bool:
    """With no day of its own: a habit ("daily shelling"), an ongoing state ("fighting continues",
    "are battling") or a period ("over the past two weeks")."""
    tok = hit.tok
    nominal = tok.pos_ != "VERB" or tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")  # "Fighting has raged"
    verb = tok.head if nominal else tok
    mods = [c for t in {tok, verb} for c in t.children
            if c.dep_ in ("amod", "advmod", "npadvmod", "compound", "acomp", "attr")]  # "fighting was ongoing"
    if any(_lemma(c) in _ctx("habitual") or c.lower_ in _ctx("habitual") for c in mods):
        return True
    if _lemma(verb) in _ctx("ongoing") and verb.i != tok.i:
        return True  # "fighting continues", "clashes raged" (with no day: with one, an incident)
    if any(c.pos_ == "VERB" and _lemma(c) in _ctx("ongoing") for c in tok.children):
        return True  # a headline parsed badly: "as Karabakh fighting enters third week"
    if verb.pos_ == "VERB" and "Prog" in verb.morph.get("Aspect") and any(
            c.dep_ == "aux" and (c.lemma_ == "be" and "Pres" in c.morph.get("Tense") or c.lower_ == "been")
            for c in verb.children):
        return True  # "the junta is battling the opposition", "fighting has been raging"
    if verb.pos_ == "VERB" and _lemma(verb.head) in _ctx("ongoing") and verb.dep_ == "xcomp":
        return True  # "continued to shell"
    clause = list(_clause_tokens(tok))
    text = " " + " ".join(t.lower_ for t in clause) + " "
    if any(f" {p} " in text for p in _ctx("habitual_phrase")):
        return True  # "day and night", "every night"
    ids = {t.i for t in clause}
    for e in _ents(sent):
        if e.label_ == "DATE" and e.root.i in ids and e[0].lower_ in _ctx("span_start") and any(
                _lemma(t) in _ctx("span") or t.lower_ in _ctx("span") for t in e):
            return True  # "this year", "last month", "the past week"; not "the deadliest in almost a year"
    return False


def _period(hit: Hit, sent) -> bool:
    """A time span of many days in the trigger's clause ("in the two weeks from July 31", "over the past
    months"): a tally of a period, not one incident, whatever day it starts on."""
    ids = {t.i for t in _clause_tokens(hit.tok)}
    for e in _ents(sent):
        words = {t.lower_ for t in e}
        if e.label_ == "DATE" and e.root.i in ids and words & _ctx("period") and not words & _ctx("ago") and (
                e.root.head.lower_ in _ctx("period_prep") or e[0].lower_ in _ctx("span_start")):
            return True  # not "retook the town after two days of fighting"
    return False


def _earlier_year(when: str, anchor) -> bool:
    """Time words naming only a year before the report's ("in 2019"): background."""
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", when or "")]
    return bool(years) and anchor is not None and max(years) < anchor.year


def _verbal(tok) -> bool:
    """A verb, or a noun that is what its verb says was done ("launched a barrage of drones"); not a gerund
    used as a noun ("brought fighting close to the border")."""
    if tok.pos_ == "VERB":
        return tok.dep_ not in ("dobj", "nsubj", "nsubjpass", "pobj")
    return tok.dep_ in ("dobj", "nsubjpass") and _lemma(tok.head) in _ctx("carry_out")


def _generic(tok) -> bool:
    """A bare plural noun ("attacks on civilians", "air strikes as a tactic"): incidents in general."""
    return tok.pos_ == "NOUN" and tok.tag_ == "NNS" and not any(
        c.dep_ in ("det", "poss", "nummod", "amod", "compound") for c in tok.children)


def _novel(tok) -> bool:
    """"New attacks", "fresh clashes", "another strike": an incident other than those told before."""
    return any(c.dep_ in ("amod", "det") and _lemma(c) in _ctx("novel") for c in tok.children)


def _anaphoric(tok) -> bool:
    """"The strike", "its raids", "the army's air strikes": a noun trigger naming again an incident reported
    before."""
    return tok.pos_ in ("NOUN", "PROPN") and any(
        (c.dep_ == "det" and c.lower_ in _ctx("definite")) or c.dep_ == "poss" for c in tok.children)


def _placed_by_trigger(span, trigger) -> bool:
    """A place attached to the trigger itself ("the attack on Mogadishu", "shelled Kharkiv", "the attack
    carried out on the village") or to the verb it is the subject or object of ("the strike hit Kharkiv"),
    not one in another phrase ("committees in El Fasher confirmed the attack")."""
    verb = trigger.head if trigger.pos_ != "VERB" and trigger.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") else None
    t = span.root
    for _ in range(8):
        if t.head.i == t.i:
            return False
        child, t = t, t.head
        if t.i == trigger.i:
            return True
        if verb is not None and t.i == verb.i:
            return child.dep_ in ("prep", "dobj", "npadvmod", "advmod", "nsubjpass") and child.i != trigger.i
        if t.pos_ == "VERB" and t.dep_ != "prep" and not (t.dep_ == "acl" and t.head.i == trigger.i):
            return False
    return False


def _classes(tokens) -> set:
    """The argument classes of a run of tokens (longest phrases first)."""
    lx = lex()
    toks = list(tokens)
    if len(toks) == 1:
        return set(_word_classes(_lemma(toks[0]), toks[0].lower_))
    lemmas = [_lemma(t) for t in toks]
    out: set = set()
    k = 0
    while k < len(toks):
        step = 1
        for words, classes in lx.arg_words.get(lemmas[k], ()):
            n = len(words)
            if tuple(lemmas[k:k + n]) == words or (n == 1 and toks[k].lower_ == words[0]):
                out |= classes
                step = n
                break
        k += step
    return out


@lru_cache(maxsize=4096)
def _word_classes(lemma: str, lower: str) -> frozenset:
    """The argument classes of one word."""
    for words, classes in lex().arg_words.get(lemma, ()):
        if len(words) == 1 and words[0] in (lemma, lower):
            return classes
    return frozenset()


def _phrase(tok) -> list:
    """The tokens of the noun phrase headed by `tok`, without its clauses and where-phrases
    ("a coalition of armed groups in western Niger": not Niger's)."""
    stop = {"relcl", "acl", "advcl", "ccomp", "xcomp", "appos", "punct"}
    out, todo = [], [tok]
    while todo:
        t = todo.pop()
        out.append(t)
        todo.extend(c for c in t.children if c.dep_ not in stop and len(out) < 16
                    and not (c.dep_ == "prep" and c.lower_ in _ctx("locative") - {"of"}))
    return sorted(out, key=lambda t: t.i)


def _actor_class(tokens, as_agent: bool) -> str:
    """state | country | armed | force | civilian | people | protester | crowd | rioter | someone | none."""
    from .gazetteer import side_of, sides
    toks = list(tokens)
    if not toks:
        return "none"
    classes = _classes(toks)
    text = " ".join(t.text for t in toks)
    if not as_agent and all(t.ent_type_ in PLACE_LABELS or t.is_punct for t in toks) and toks[0].ent_type_:
        return "none"  # "struck Stepanakert": a place hit, not the side whose seat it is
    side = side_of(text)
    kind = sides().get(side).kind if side and side in sides() else None
    if kind in ("armed_group", "de_facto"):
        classes.add("armed")
    elif kind == "country" and as_agent and not classes & {"civilian", "people", "protester", "crowd", "rioter"}:
        # "Israel struck", "Russian missiles": a country named as the one who acted; its forces if named so
        classes.add("state" if classes & {"state", "force"} else "country")
    order = ("protester", "rioter", "crowd", "armed", "state", "force", "country", "civilian", "people") if as_agent \
        else ("protester", "armed", "state", "force", "rioter", "civilian", "crowd", "people")
    found = next((c for c in order if c in classes), None)
    if found == "force" and as_agent:
        return "state"  # soldiers and forces with no side named are a state's
    if found is None and as_agent and len(toks) == 1 and toks[0].lower_ in _ctx("personal_pronoun"):
        return "someone"  # "they bombed two areas"
    return found or "none"


def _victims(hits: list[Hit], figs: list[Figure]) -> str:
    """Who the sentence says was killed, wounded or seized: the casualty words' objects and its death toll."""
    found = []
    for h in hits:
        if h.kind in _kinds("victims"):
            for c in _with_conjuncts(h.tok):
                for d in _sufferers(c):
                    found.append(_actor_class(_phrase(d), as_agent=False))
            if "civilian" in _classes([h.tok]):
                found.append("civilian")  # "the killings"
    for f in figs:
        if f.metric in ("killed", "wounded", "detained"):
            found.append({"military": "force", "civilian": "civilian"}.get(f.population, "none"))
    for c in ("protester", "armed", "state", "force", "civilian", "people"):
        if c in found:
            return c
    return "none"


def _sufferers(tok) -> list:
    """Who a casualty word is about: "killed five", "five were killed", "five people killed" (a participle
    on its noun), "the soldier died", "left 25 dead"."""
    out = [d for d in tok.children if d.dep_ in ("dobj", "nsubjpass")]
    if tok.lemma_.lower() in _ctx("dying") or tok.pos_ == "ADJ":
        out += [d for d in tok.children if d.dep_ == "nsubj"]
    if tok.dep_ in ("acl", "amod") and tok.head.pos_ in ("NOUN", "PROPN", "NUM"):
        out.append(tok.head)
    return out


def _with_conjuncts(tok) -> list:
    return [tok] + [c for c in tok.children if c.dep_ == "conj" and c.pos_ == tok.pos_]


def _arguments(hit: Hit, sent, victims: str) -> Args:
    tok = hit.tok
    a = Args()
    agent = _agent(tok)
    target = _target(tok, hit.tokens)
    a.agent_tok, a.target_tok = agent, target
    a.agent = _actor_class(_phrase(agent), as_agent=True) if agent is not None else "none"
    if target is not None:
        a.target = _actor_class(_phrase(target), as_agent=False)
    if a.target == "none":
        a.target = victims
    if a.target == "none" and "terror" in _classes(c for c in tok.children if c.dep_ in ("amod", "compound")):
        a.target = "civilian"  # "a terror attack": aimed at civilians
    obj = _object(tok, hit.tokens)
    if obj is not None and obj.pos_ == "PRON":
        # "it was shot down": what the sentence says was in the air or planted ("blew himself up": nothing)
        a.obj = frozenset(_classes(sent) & {"aerial", "explosive"}) or frozenset({"other"})
        obj = None
    if obj is not None:
        phrase = _phrase(obj)
        classes = _classes(phrase)
        if any(t.ent_type_ in PLACE_LABELS for t in phrase) or _place_noun_of(obj) or (
                obj.pos_ == "PROPN" and not classes):
            classes.add("territory")
        if not classes and (obj.pos_ == "NUM" or any(c.dep_ == "nummod" for c in obj.children)):
            classes.add("person")  # "captured two", "seized 20": counted people
        a.obj = frozenset(classes) or frozenset({"other"})
    # the weapon is what struck, not what was struck ("targeted ballistic missile factories"), except for the
    # projectiles that are fired ("fired missiles at")
    struck = {t.i for t in target.subtree} if target is not None and hit.kind in _kinds("striking") else set()
    weapon_toks = [t for t in _clause_tokens(tok) if t.i not in struck]
    weapon_toks += [t for t in _phrase(agent)] if agent is not None else []
    root = _clause_root(tok)
    if root.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in root.children):
        weapon_toks += list(_clause_tokens(root.head))  # "used cluster munitions ... or supplied them for an attack"
    weapons = _classes(weapon_toks) | _classes([tok.doc[i] for i in sorted(hit.tokens)])
    a.weapon = next((w for w in WEAPONS if w in weapons), "-")
    a.weapons = _coordinated_weapons(weapon_toks)
    return a


def _coordinated_weapons(tokens) -> tuple:
    """The weapon classes of a coordinated list of weapons ("with missiles and drones"), strongest first; not
    a platform and its payload ("helicopters dropped chlorine gas")."""
    found = set()
    for t in tokens:
        if t.dep_ == "conj":
            a = next((w for w in WEAPONS if w in _classes([t])), None)
            b = next((w for w in WEAPONS if w in _classes([t.head])), None)
            if a and b and a != b:
                found |= {a, b}
    return tuple(w for w in WEAPONS if w in found)


def _agent(tok):
    """Who carried it out: the subject, "by ...", "X's", an "Israeli" or "RSF" before a noun, or the subject
    of "launched"/"carried out"."""
    verb = tok if tok.pos_ == "VERB" else None
    if verb is not None and verb.lemma_.lower() in _ctx("under"):
        return None  # "came under fire": the subject was hit, the shooters are not named
    if verb is not None:
        for c in verb.children:
            if c.dep_ == "agent":
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is not None:
                    return obj
        # the subject nearest the verb: "KRAMATORSK, Ukraine (Wire) – Russian forces shelled" parses the
        # dateline as a second subject
        subj = next((c for c in reversed(list(verb.lefts)) if c.dep_ == "nsubj"),
                    next((c for c in verb.children if c.dep_ == "nsubj"), None))
        if subj is not None:
            return _after_dateline(subj)
        if verb.dep_ in ("conj", "xcomp") or (verb.dep_ == "advcl" and verb.tag_ == "VBG"):
            # "stormed the office and set cars on fire", "fired on the crowd, killing two"
            return _agent(verb.head) if verb.head.pos_ == "VERB" else None
        return None
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "by":
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    for c in tok.children:
        if c.dep_ in ("poss", "amod", "compound", "nmod") and (
                c.ent_type_ in ("NORP", "ORG", "GPE", "PERSON") or _classes([c]) & {"state", "armed", "force"}):
            return c
    if tok.dep_ in ("dobj", "nsubjpass") and _lemma(tok.head) in _ctx("carry_out"):
        return _agent(tok.head)
    if tok.dep_ == "nsubj" and tok.head.pos_ == "VERB":
        return None  # "the strike killed five": the strike is the agent's act; no one named
    return None


def _after_dateline(tok):
    """"DEIR AL-ZOR, Syria (Example News) – Islamic State fighters clashed": the dateline is parsed as the
    subject; the actor is the phrase after the dash."""
    for c in tok.children:
        if c.dep_ == "appos" and any(t.text in ("–", "—", "-", "--") for t in tok.doc[tok.i:c.left_edge.i]):
            return c
    return tok


def _target(tok, own: frozenset = frozenset()):
    """Who or what was hit: the object, "on/against/at/targeting ...", or for "the strike killed five"
    the ones killed."""
    if tok.lemma_.lower() in _ctx("under"):  # "the outpost came under fire"
        return next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if tok.pos_ == "VERB":  # "a detachment was attacked on the outskirts of the village": the detachment
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass") and c.i not in own), None)
        if obj is not None:
            return obj
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in _ctx("target_prep"):
            obj = next((g for g in c.children if g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME")), None)
            if obj is not None:
                return obj
        if c.dep_ == "acl" and any(e.kind == "hit" for e in lex().single.get(_lemma(c), ())):  # "strikes targeting X"
            obj = next((g for g in c.children if g.dep_ == "dobj"), None)
            if obj is not None:
                return obj
        if c.dep_ == "acl" and c.lemma_ in _ctx("carry_out"):  # "the attack carried out on two communities"
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ in _ctx("target_prep"):
                    obj = next((g for g in p.children if g.dep_ == "pobj"), None)
                    if obj is not None:
                        return obj
    if tok.dep_ == "nsubj" and tok.head.pos_ == "VERB":
        return next((c for c in tok.head.children if c.dep_ in ("dobj",)), None)
    return None


def _object(tok, own: frozenset = frozenset()):
    """What was taken, seized, shot down, established or burned: the object, the subject of a passive,
    "of X" after control/capture, the place after "into/from/of/to"."""
    if tok.pos_ == "VERB":
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass") and c.i not in own), None)
        if obj is not None and obj.lemma_.lower() in _ctx("control"):
            obj = _of_object(obj)  # "took control of the town"
        if obj is None:
            for c in tok.children:
                if c.dep_ in ("prep", "prt") and c.lower_ in _ctx("object_prep"):
                    for g in list(c.children) + [gg for g0 in c.children if g0.dep_ == "prep" for gg in g0.children]:
                        if g.dep_ == "pobj":
                            return _of_object(g) if g.lemma_.lower() in _ctx("control") else g
        if obj is None and tok.lemma_.lower() in _ctx("subject_taken"):  # "the town fell to the rebels"
            obj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        return obj
    return _of_object(tok)


def _of_object(tok):
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _place_noun_of(tok) -> bool:
    return "territory" in _classes([tok]) and any(c.dep_ in ("prep", "compound") for c in tok.children
                                                  if c.lower_ == "of" or c.pos_ == "PROPN")


def _memo(doc, name: str, make: Callable):
    """A value of this stage computed once per parsed paragraph."""
    return memo(doc, f"events.{name}", make)


def _ents(sent) -> list:
    """The entities of a sentence (the Doc's, read once)."""
    ents = _memo(sent.doc, "ents", lambda: list(sent.doc.ents))
    return [e for e in ents if sent.start <= e.start and e.end <= sent.end]


def _clause_roots(doc) -> list[int]:
    """For each token, the index of the verb of its clause; coordinated nouns ("gunfire and explosions")
    share one."""
    def make():
        from spacy.attrs import DEP, HEAD, POS
        strings = doc.vocab.strings
        clause_deps = {strings[d] for d in ("ROOT", "ccomp", "advcl", "relcl", "parataxis")}
        verbs = {strings[p] for p in ("VERB", "AUX")}
        conj = strings["conj"]
        arr = doc.to_array([HEAD, DEP, POS]).astype("int64")  # HEAD is the offset to the head
        heads = [i + int(off) for i, off in enumerate(arr[:, 0])]
        stops = [heads[i] == i or dep in clause_deps or (dep == conj and pos in verbs)
                 for i, (dep, pos) in enumerate(zip(arr[:, 1].tolist(), arr[:, 2].tolist()))]
        roots: list = [None] * len(heads)
        for i in range(len(heads)):
            path, j = [], i
            while roots[j] is None and not stops[j]:
                path.append(j)
                j = heads[j]
            if roots[j] is None:
                roots[j] = j  # a clause's own verb
            for k in path:
                roots[k] = roots[j]
        return roots
    return _memo(doc, "clause_roots", make)


def _clause_root(tok):
    """The verb of the clause a word is in."""
    return tok.doc[_clause_roots(tok.doc)[tok.i]]


def _clause_span(tok) -> frozenset:
    """The token indices under the verb of the word's clause (its subtree, clauses inside it included)."""
    root = _clause_roots(tok.doc)[tok.i]
    return _memo(tok.doc, f"subtree.{root}", lambda: frozenset(t.i for t in tok.doc[root].subtree))


def _clause_tokens(tok) -> list:
    """The tokens of the trigger's own clause, without the clauses inside it."""
    roots = _clause_roots(tok.doc)
    root = roots[tok.i]
    return _memo(tok.doc, f"clause.{root}", lambda: [t for t in tok.doc[root].subtree if roots[t.i] == root])


def _actor_sides(inc: Incident, side_of: Callable) -> tuple[Optional[str], Optional[str]]:
    """Initiator and target as sides ("Military Forces of Azerbaijan", "Rapid Support Forces")."""
    actor1 = _side_phrase(inc.args.agent_tok, side_of)
    actor2 = _side_phrase(inc.args.target_tok, side_of)
    if actor1 is None:
        for c in inc.hit.tok.children:
            if c.dep_ in ("amod", "compound", "poss"):
                actor1 = _side_phrase(c, side_of)
                if actor1:
                    break
    return actor1, actor2 if actor2 != actor1 else None


def _side_phrase(tok, side_of) -> Optional[str]:
    if tok is None:
        return None
    phrase = " ".join(t.text for t in _phrase(tok))
    # "DEIR AL-ZOR, Syria (Example News) – Islamic State fighters": the dateline is not the actor
    phrase = re.sub(r"^.*?\([^)]*\)\s*[–—-]+\s*", "", phrase)
    side = side_of(phrase)
    if not side:
        return None
    from .gazetteer import sides
    state = side in sides() and sides()[side].kind == "country"
    # ACLED names a state's armed forces "Military Forces of X"; an armed group by its own name
    return f"Military Forces of {side}" if state and _classes(_phrase(tok)) & FORCE_CLASSES else side


# ---- time -----------------------------------------------------------------------------------------

_TIME_CUES = [(cue, re.compile(rf"\b{cue}\b", re.I)) for cue in ("overnight", "the weekend", "last night")]


def _event_time_words(sent, trigger) -> tuple[str, bool]:
    """When the event happened: the time words of the trigger's own clause ("said on Friday that forces
    had shelled Shusha on Thursday" -> Thursday), else those of the sentence (the report's day); and
    whether the clause has time words of its own."""
    clause = _clause_span(trigger)
    ents = [e for e in _ents(sent) if e.label_ in ("DATE", "TIME")]
    own = [e for e in ents if e.root.i in clause]
    words = [e.text for e in (own or ents)]
    text = span_text(sent) if not own else span_text(sent.doc[min(clause):max(clause) + 1])
    for cue, pattern in _TIME_CUES:
        if pattern.search(text) and not any(cue in w.lower() for w in words):
            words.append(cue)
    return " | ".join(words), bool(own)


# ---- places ---------------------------------------------------------------------------------------

def _names_a_place_again(trigger) -> bool:
    """The trigger's clause names a place told before: "shelling on the city", "the town was hit"; not "the
    town of Bentiu", which names its own."""
    return any(_lemma(t) in _ctx("point_noun") and any(c.dep_ == "det" and c.lower_ == "the" for c in t.children)
               and not _of_name(t) for t in _clause_tokens(trigger))


def _of_name(noun) -> bool:
    """"the town of Bentiu": the noun is followed by the name of its place."""
    return any(c.dep_ == "prep" and c.lower_ == "of" and any(g.pos_ == "PROPN" for g in c.children)
               for c in noun.children)


def _following(sents: list, k: int, off: int) -> list[PlaceRef]:
    """The places of the next sentence of the paragraph, the last fallback: "At least 43 people were killed
    in a car bomb attack on buses. ... the buses at a transit point in Rashidin west of Aleppo." """
    return _carried(_place_refs(sents[k + 1], off))[::-1] if k + 1 < len(sents) else []


def _carried(refs: list[PlaceRef]) -> list[PlaceRef]:
    """A sentence's places as the fallback of later sentences, the last named first."""
    return [replace(r, carried=True) for r in sorted(refs, key=lambda r: -r.start)]


def _place_spans(sent) -> list:
    """The places a sentence names (computed once per sentence)."""
    return _memo(sent.doc, f"places.{sent.start}", lambda: _find_place_spans(sent))


def _find_place_spans(sent) -> list:
    """The places a sentence names: place entities, and the names the tagger took for something else."""
    spans = _place_entities(sent)
    taken = {t.i for e in spans for t in e}
    toks = list(sent)
    for find in (_names_of_place_nouns, _bracketed_divisions, _listed_names, _names_after_prepositions):
        for span in find(sent, toks, spans):
            if not any(i in taken for i in range(span.start, span.end)):
                spans.append(span)
                taken.update(range(span.start, span.end))
    return sorted(spans, key=lambda s: s.start)


def _place_entities(sent) -> list:
    """The tagger's places, with a name it cut in two joined again ("Finote" "Selam", "the Gulf of" "Aden")."""
    spans = []
    for e in (e for e in _ents(sent) if e.label_ in PLACE_LABELS):
        if spans and spans[-1].end == e.start and e[0].pos_ == "PROPN" and (
                spans[-1][-1].pos_ == "PROPN" or spans[-1][-1].lower_ == "of"):
            spans[-1] = sent.doc[spans[-1].start:e.end]
        else:
            spans.append(e)
    return spans


def _name_ending_at(sent, tok, compounds_only: bool = False):
    """The proper name that ends at `tok` ("Salah al-Din", "Nyaung Kone")."""
    doc, left = sent.doc, tok
    while left.i > sent.start and doc[left.i - 1].pos_ == "PROPN" and (
            not compounds_only or doc[left.i - 1].dep_ == "compound") or (
            not compounds_only and left.i > sent.start + 1 and doc[left.i - 1].text == "-"
            and doc[left.i - 2].pos_ == "PROPN"):
        left = doc[left.i - 1]
    return doc[left.i:tok.i + 1]


def _names_of_place_nouns(sent, toks, spans):
    """"The village of X", "X district", "the town of X"."""
    for t in toks:
        if t.pos_ != "NOUN" or "territory" not in _classes([t]):
            continue
        names = [g for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                 if g.dep_ == "pobj" and g.pos_ == "PROPN"]
        names += [c for c in t.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < t.i]
        for n in names:
            if n.ent_type_ not in NOT_NAMES:
                yield _name_ending_at(sent, n)


def _bracketed_divisions(sent, toks, spans):
    """The divisions in brackets after a place: "in Kalehe (South Kivu)", "in Kaura (Zangon Kataf, Kaduna)"."""
    doc = sent.doc
    for e in list(spans):
        k = e.end
        if k >= sent.end or doc[k].text != "(":
            continue
        k += 1
        while k < sent.end and doc[k].text != ")":
            j = k
            while j < sent.end and doc[j].text not in (",", ")"):
                j += 1
            if k < j and all(t.pos_ == "PROPN" or t.text in ("-", "'") for t in doc[k:j]):
                yield doc[k:j]
            k = j + 1 if j < sent.end and doc[j].text == "," else j


def _listed_names(sent, toks, spans):
    """A name in a list of places, tagged as something else: "shelled Kherson, Nikopol and Marhanets"."""
    for t in toks:
        if t.pos_ == "PROPN" and t.dep_ == "conj" and t.ent_type_ not in NOT_NAMES + ("PERSON",) \
                and any(e.start <= t.head.i < e.end for e in spans):
            yield sent.doc[t.i:t.i + 1]


def _names_after_prepositions(sent, toks, spans):
    """A name the tagger did not take for a place where an incident happens: "an attack on Kajuru", "in
    Jamrud"; a one-word person is a place the tagger did not know, two words a person ("John Smith")."""
    for t in toks:
        if t.pos_ == "PROPN" and t.dep_ == "pobj" and t.head.lower_ in _ctx("name_prep") \
                and t.ent_type_ not in NOT_NAMES + ("NORP",) \
                and (t.head.lower_ in _ctx("where_prep") or _lemma(t.head.head) in lex().single) \
                and not (t.ent_type_ == "PERSON" and t.doc[t.i - 1].ent_type_ == "PERSON"):
            yield _name_ending_at(sent, t, compounds_only=True)


def _dateline_end(sent) -> int:
    """Where the dateline of a story's first sentence ends ("KYIV (Reuters) - ", "DAKAR - "): the place
    the story was filed from, not where it happened. The token index after the dash, or the sentence start."""
    if sent.start != 0:
        return sent.start
    paren = False
    for t in sent[:14]:
        if t.text in ("–", "—", "-", "--") and t.i > 0 and t.whitespace_:
            return t.i + 1
        paren = (paren or t.text == "(") and t.text != ")"
        if not (paren or t.is_punct or t.is_upper or t.ent_type_ in PLACE_LABELS or t.pos_ == "PROPN"):
            return sent.start  # a headline or a sentence, not "KYIV, Ukraine (Reuters) -"
    return sent.start


def _located(span) -> bool:
    """A place used as a location, not as an actor ("Baku said", "Moscow's peacekeepers") nor as a name
    on a thing ("a US destroyer")."""
    root = span.root
    for _ in range(4):
        dep, head = root.dep_, root.head
        if dep == "pobj":
            if lexicon.canonical_outlet(span.text):  # "sent to Xinhua": the agency, unless "in Mayadeen"
                return head.lower_ in _ctx("outlet_locative")
            return head.lower_ in _ctx("locative")
        if dep in ("dobj", "nsubjpass", "attr", "npadvmod"):
            return _lemma(head) not in _ctx("adjacent")  # "towns bordering Gaza"
        if dep in ("compound", "nmod", "amod"):
            if _lemma(head) in lex().single:
                return True  # "Sweida clashes", "the Aleppo bombing"
            if head.pos_ == "PROPN" and head.ent_type_ in ("PERSON", "NORP") and root.ent_type_ != head.ent_type_:
                return False  # "the minister Aram Petrosyan": a given name before a surname, not a place
            if not (head.pos_ == "PROPN" or head.ent_type_ in PLACE_LABELS or "territory" in _classes([head])
                    or head.lower_ in _ctx("compass")):  # "in Rashidin west of Aleppo"
                return False  # "a US destroyer", "the Captain Paris vessel": a name on a thing, not where
        elif dep == "appos" and "territory" in _classes([head]):
            return True  # "the de facto capital Raqqa"
        elif dep == "poss" and "territory" not in _classes([head]):
            return False  # "Moscow's peacekeepers"
        elif dep not in ("appos", "conj", "poss"):
            return False  # the subject of a verb: "Baku said"
        root = head
    return False

def _place_refs(sent, off: int, trigger=None) -> list[PlaceRef]:
    """The places a sentence names as locations; with a trigger, those of its own clause first, nearest first."""
    return [r for _, r in _place_candidates(sent, off, trigger)]


def _place_candidates(sent, off: int, trigger=None) -> list:
    """(span, PlaceRef) of the places a sentence names as locations (computed once per sentence and trigger)."""
    key = f"candidates.{sent.start}.{sent.end}.{off}.{trigger.i if trigger is not None else ''}"
    return list(_memo(sent.doc, key, lambda: _find_place_candidates(sent, off, trigger)))


def _find_place_candidates(sent, off: int, trigger=None) -> list:
    clause = _clause_span(trigger) if trigger is not None else set()
    dateline = _dateline_end(sent)
    out = []
    for e in _place_spans(sent):
        if e.start < dateline or not _located(e) or _where_kept(e, trigger):
            continue
        far = False
        if trigger is not None:
            if _in_speaker(e, clause):
                continue  # "the army's spokesman in Mubi said": where the speaker is, not the incident
            far = e.root.i not in clause and abs(e.root.i - trigger.i) > 10
            noun = e.root if "territory" in _classes([e.root]) else e.root.head
            if _lemma(noun) in _ctx("point_noun") and (
                    noun.i == e.root.i or e.root.dep_ in ("compound", "amod", "nmod")) and _of_name(noun):
                continue  # "the southern Gaza city of Rafah": the place is Rafah
        # a place in another clause, far from the trigger, only as a fallback, like a place named before
        out.append((e, PlaceRef(e.text, off + e.start_char, off + e.end_char,
                                in_clause=trigger is None or e.root.i in clause,
                                distance=abs(e.root.i - trigger.i) if trigger is not None else 0, carried=far)))
    return out


def _where_kept(span, trigger=None) -> bool:
    """"A convoy from the depot located in Rustavi, Georgia's third city": the place says where something is
    kept or based, not where the incident is. The first verb above the place decides, through the nouns
    and prepositions between (the parser may hang the place on the noun that follows it)."""
    t = span.root
    for _ in range(6):
        if t.head.i == t.i:
            return False
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            if _lemma(t) not in _ctx("situated"):
                return False
            if trigger is None:  # a sentence without the incident: what was seized or hit is where it was
                return t.head.dep_ not in ("dobj", "nsubjpass")
            return t.i not in {trigger.i, _clause_root(trigger).i} and not _acted_on(t.head, trigger)
    return False


def _acted_on(noun, trigger) -> bool:
    """The noun is what the trigger was done to ("seized the gas fields located near Homs", "an attack on
    a checkpoint located in X"), so where it lies is where the incident is."""
    t = noun
    for _ in range(4):
        if t.i == trigger.i or (t.i == trigger.head.i and trigger.dep_ in ("dobj", "nsubj", "nsubjpass")):
            return True
        if t.dep_ not in ("dobj", "pobj", "nsubjpass", "compound", "conj") and not (
                t.dep_ == "prep" and t.lower_ in _ctx("target_prep") | _ctx("object_prep") | {"of"}):
            return False
        t = t.head
    return False


def _in_speaker(span, clause: set) -> bool:
    """Inside the subject of a verb above the trigger's clause (the one who reports it)."""
    t = span.root
    while t.head.i != t.i:
        if t.dep_ == "nsubj" and t.head.i not in clause:
            return True
        if t.i in clause and t.dep_ in ("ccomp", "ROOT"):
            return False
        t = t.head
    return False


def _place_groups(sent, off: int, trigger) -> list[list[PlaceRef]]:
    """The places of the incident, one group per place of a coordinated list ("shelling hit A, B and C":
    three incidents), each with the places that contain or locate it; else one group with them all."""
    allc = _place_candidates(sent, off, trigger)
    fallback = [r for _, r in allc if r.carried]
    cands = [(s, r) for s, r in allc if not r.carried]
    if not cands:
        return [fallback] if fallback else []
    spans = [s for s, _ in cands]
    members = _parallel(spans, trigger)
    if len(members) < 2:
        return [[r for _, r in cands] + fallback]
    groups = []
    for m in members:
        inside = {t.i for t in spans[m].root.subtree}
        own = [cands[m][1]] + [r for k, (s, r) in enumerate(cands)
                               if k != m and k not in members and s.root.i in inside]
        shared = [replace(r, in_clause=False) for k, (s, r) in enumerate(cands)
                  if k not in members and not any(s.root.i in {t.i for t in spans[j].root.subtree} for j in members)]
        groups.append(own + shared + fallback)
    return groups


def _parallel(spans: list, trigger) -> list[int]:
    """The indices of the places named side by side: a coordinated list ("A, B and C",
    "the towns of A and B") or the same preposition repeated ("36 over the Rostov Region, 21 over the
    Bryansk Region")."""
    n = len(spans)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    anchors = [_place_anchor(s) for s in spans]
    for i in range(n):
        for j in range(i + 1, n):
            a, b = anchors[i], anchors[j]
            # names coordinated before one place noun ("the Ryazan and Saratov regions") share its anchor
            names = _coordinated(spans[i].root, spans[j].root)
            if names or (a.i != b.i and (_coordinated(a, b) or _same_preposition(a, b, trigger))):
                parent[find(j)] = find(i)
    sets: dict[int, list[int]] = {}
    for i in range(n):
        sets.setdefault(find(i), []).append(i)
    return sorted(i for members in sets.values() if len(members) > 1 for i in members)


def _place_anchor(span):
    """The token that attaches a place to the sentence: the place itself, or the place noun it names
    ("the town of X" -> town; "the Rostov Region" -> Region)."""
    root = span.root
    while root.dep_ in ("compound", "amod", "nmod") and root.head.i != root.i:
        root = root.head
    if root.dep_ == "pobj" and root.head.lower_ == "of" and "territory" in _classes([root.head.head]):
        return root.head.head
    return root


def _coordinated(a, b) -> bool:
    """Conjuncts of one another ("A, B and C", "including A, B and C"), not a span "between A and B"."""
    def conj_head(t):
        while t.dep_ == "conj":
            t = t.head
        return t
    ha, hb = conj_head(a), conj_head(b)
    if ha.i != hb.i:
        return False
    return not (ha.dep_ == "pobj" and ha.head.lower_ == "between")


def _same_preposition(a, b, trigger) -> bool:
    """Two places each after the same preposition, neither inside the other, hanging on the trigger
    or on the counts of an elliptical list ("21 over the Bryansk Region, 14 over the Belgorod Region")."""
    if a.dep_ != "pobj" or b.dep_ != "pobj" or a.head.lower_ != b.head.lower_ or a.head.i == b.head.i:
        return False
    if a.head.lower_ in ("of", "between", "from", "near", "outside"):
        return False
    ha, hb = a.head.head, b.head.head
    if ha.i in {t.i for t in b.subtree} or hb.i in {t.i for t in a.subtree}:
        return False
    if a.i in {t.i for t in b.subtree} or b.i in {t.i for t in a.subtree}:
        return False
    ok = lambda h: h.i == trigger.i or h.pos_ == "NUM" or (h.dep_ == "conj" and h.head.i == trigger.i)  # noqa: E731
    return ok(ha) and ok(hb)
