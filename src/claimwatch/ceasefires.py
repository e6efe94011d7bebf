"""resolve (ceasefires): agreements across articles, their alleged violations, their status; the blame matrix.

Pure functions over what the store holds (agreement mentions, allegations, events of violence):

- Agreements: mentions that fix the day an agreement was concluded define it; mentions of the same
  conflict within a day of it are the same agreement (whatever they call it: "the peace deal" and
  "the ceasefire agreement" of one night are one). A mention that does not fix the day ("the truce is
  buckling") belongs to the latest agreement of its conflict concluded before it was reported;
  successive agreements ("a second humanitarian ceasefire") stay apart by their days. A conflict is
  the set of sides that are party to it, or the countries its documents' events happen in.
- Violations: accusations that a party broke the agreement, said after it was concluded and before
  the next one (each with accuser, accused, day, evidence, the accused side's denials and any
  independent party's confirmation), and events of violence in the conflict's countries after it
  took effect, with whoever reported them.
- Status, with the reason and the claims it rests on: superseded by a later agreement; collapsed, as
  reported; violations alleged by both sides; by one side; holding.
- Blame matrix: who accuses whom of what, how often, how often the accused denies it, how often an
  independent party confirms it.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Iterable, Optional

from . import dates
from .allegations import EACH_OTHER

SAME_AGREEMENT_DAYS = 1    # reports of one agreement differ by a day (signed overnight, announced next day)
LOOKBACK_DAYS = 30         # a later mention refers to an agreement concluded at most this long before
REPLY_DAYS = 2             # a denial or confirmation answers an accusation made within this many days
PRECISE = {"day", "days"}
PREVIOUS = {"earlier", "previous", "prior", "last"}  # "the earlier truce collapsed": the one before the latest


@dataclass
class Violation:
    day: Optional[str]
    accuser: str
    accused: Optional[str]
    what: str
    source: str                       # "accusation" (a claim) or "incident" (an event of violence)
    denied_by: list[str] = field(default_factory=list)
    confirmed_by: list[str] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)   # {doc, source, sentence, claim | event}
    reported_by: list[str] = field(default_factory=list)  # an incident's every claimant (side, or name)


@dataclass
class Agreement:
    id: str
    kind: str
    agreed_on: Optional[str]
    agreed_on_reason: str
    effective_from: Optional[str]
    effective_time: Optional[str]
    parties: list[str]
    brokers: list[str]
    terms: list[str]
    conflict: list[str]
    status: str = "holding"
    status_reason: str = ""
    status_claims: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    days_to_first_violation: Optional[int] = None
    superseded_by: Optional[str] = None
    evidence: list[dict] = field(default_factory=list)   # {doc, source, sentence, phase, report_day}

    def to_dict(self) -> dict:
        return asdict(self)


# ---- agreements across articles -----------------------------------------------------------------

def resolve_agreements(mentions: list[dict], doc_countries: dict[str, list[str]],
                       allegations: list[dict] = ()) -> list[Agreement]:
    """Agreement mentions (rows of the store) resolved into agreements, oldest first."""
    doc_parties: dict[str, list[str]] = {}
    for m in mentions:
        doc_parties.setdefault(m["doc_id"], []).extend(p for p in m["parties"] if p not in doc_parties[m["doc_id"]])
    for g in allegations:  # an article that names no party still names who accuses whom
        if g["about_agreement"] and len(doc_parties.get(g["doc_id"], [])) < 2:
            sides = doc_parties.setdefault(g["doc_id"], [])
            sides.extend(x for x in (g["accuser_side"], g["accused"]) if x and x != EACH_OTHER and x not in sides)
    groups: list[dict] = []
    dated = [m for m in mentions if m["agreed_on"] and m.get("agreed_precision") in PRECISE]
    rest = [m for m in mentions if m not in dated]
    for m in sorted(dated, key=lambda m: (m["agreed_on"], m["doc_id"], m["start"])):
        conflict = _conflict(m, doc_countries, doc_parties)
        g = next((g for g in groups if g["conflict"] & conflict and _days_apart(g["day"], m["agreed_on"])
                  <= SAME_AGREEMENT_DAYS), None)
        if g is None:
            groups.append({"day": m["agreed_on"], "conflict": set(conflict), "mentions": [m], "precise": True})
        else:
            g["mentions"].append(m)
            g["conflict"] |= conflict
    for m in sorted(rest, key=lambda m: (m["report_day"] or "9999", m["doc_id"], m["start"])):
        conflict = _conflict(m, doc_countries, doc_parties)
        g = _latest_before(groups, conflict, m, back=1 if m.get("ordinal") in PREVIOUS else 0)
        if g is None and m["agreed_on"]:
            g = {"day": m["agreed_on"], "conflict": set(conflict), "mentions": [], "precise": False}
            groups.append(g)
        elif g is None:
            g = next((g for g in groups if g["day"] is None and g["conflict"] & conflict), None)
            if g is None:
                g = {"day": None, "conflict": set(conflict), "mentions": [], "precise": False}
                groups.append(g)
        g["mentions"].append(m)
        g["conflict"] |= conflict
    agreements = [_agreement(g) for g in groups]
    agreements.sort(key=lambda a: (a.agreed_on or "9999", a.id))
    return agreements


def _conflict(m: dict, doc_countries: dict[str, list[str]], doc_parties: dict[str, list[str]]) -> set[str]:
    """The sides an agreement mention is about: its parties when it names two, else those its article
    names (as parties, or as accusing each other of violating it), else the countries of its article's
    events, else whatever parties or brokers it names."""
    for parties in (m["parties"], doc_parties.get(m["doc_id"], [])):
        if len(parties) >= 2:
            return set(parties)
    countries = doc_countries.get(m["doc_id"], [])
    return set(countries) | set(m["parties"]) or set(m["brokers"]) or {f"doc:{m['doc_id']}"}


def _latest_before(groups: list[dict], conflict: set[str], m: dict, back: int = 0) -> Optional[dict]:
    """The agreement of this conflict most recently concluded before the mention was reported (with
    `back`=1, the one before that: "the earlier truce")."""
    report = m["report_day"]
    if report is None:
        # an undated article: the agreement its own other sentences date, else none
        same_doc = [g for g in groups if any(x["doc_id"] == m["doc_id"] for x in g["mentions"])]
        return same_doc[-1] if same_doc else None
    before = [g for g in groups if g["day"] is not None and g["conflict"] & conflict
              and 0 <= _days_apart(g["day"], report, signed=True) <= LOOKBACK_DAYS * (back + 1)]
    before.sort(key=lambda g: g["day"], reverse=True)
    return before[back] if len(before) > back else None


def _agreement(g: dict) -> Agreement:
    ms = g["mentions"]
    firsts = sorted(ms, key=lambda m: (m.get("agreed_precision") not in PRECISE, m["agreed_on"] or "9999"))
    day = g["day"]
    reason = next((m["agreed_reason"] for m in firsts if m["agreed_on"] == day and m["agreed_reason"]), "") \
        if day else "no report fixes the day it was agreed (the articles are undated or do not say)"
    eff = next((m for m in firsts if m["effective_from"] or m["effective_time"]), None)
    kinds = [m["kind"] for m in ms if m["phase"] in ("agreed", "effect")] or [m["kind"] for m in ms]
    kind = max(dict.fromkeys(kinds), key=kinds.count)
    if kind == "ceasefire" and any(m["kind"] == "humanitarian ceasefire" for m in ms):
        kind = "humanitarian ceasefire"  # the reports that say more are the more precise
    ident = f"{sorted(g['conflict'])}|{day}|{min((m['id'] for m in ms), default='')}"
    return Agreement(
        id="cf-" + hashlib.sha1(ident.encode()).hexdigest()[:10],
        kind=kind,
        agreed_on=day, agreed_on_reason=("on or before: " if day and not g["precise"] else "") + reason,
        effective_from=eff["effective_from"] if eff else None, effective_time=eff["effective_time"] if eff else None,
        parties=_union(m["parties"] for m in ms), brokers=_union(m["brokers"] for m in ms),
        terms=_union(m["terms"] for m in ms), conflict=sorted(g["conflict"]),
        evidence=[{**_where(m), "phase": m["phase"], "report_day": m["report_day"], "claims": m["claim_ids"]}
                  for m in ms])


def _union(lists: Iterable[list[str]]) -> list[str]:
    return list(dict.fromkeys(x for xs in lists for x in xs))


def _days_apart(a: Optional[str], b: Optional[str], signed: bool = False) -> int:
    if not a or not b:
        return 10 ** 6
    d = (dates.day(b) - dates.day(a)).days
    return d if signed else abs(d)


# ---- the life of an agreement -------------------------------------------------------------------

def monitor(mentions: list[dict], allegations: list[dict], incidents: list[dict],
            doc_countries: dict[str, list[str]]) -> list[Agreement]:
    """Every agreement with its alleged violations, how long it held, and its status."""
    agreements = resolve_agreements(mentions, doc_countries, allegations)
    for k, a in enumerate(agreements):
        later = next((b for b in agreements[k + 1:] if b.agreed_on and a.agreed_on and b.agreed_on > a.agreed_on
                      and set(b.conflict) & set(a.conflict)), None)
        a.superseded_by = later.id if later else None
        a.violations = _accusations(a, allegations, later) + _incidents(a, incidents, later)
        a.violations.sort(key=lambda v: (v.day or "9999", v.accuser, v.accused or ""))
        first = next((v.day for v in a.violations if v.day), None)
        start = a.effective_from or a.agreed_on
        a.days_to_first_violation = _days_apart(start, first, signed=True) if start and first else None
        a.status, a.status_reason, a.status_claims = _status(a, later)
    return agreements


def _in_life(a: Agreement, day: Optional[str], doc: str, later: Optional[Agreement]) -> bool:
    """Said or done while the agreement stood: after it was concluded (or took effect) and before the
    next one; for an agreement no report dates, in the same articles."""
    start = a.effective_from or a.agreed_on
    if start is None or day is None:
        return any(e["doc"] == doc for e in a.evidence)
    if day < start:
        return False
    return later is None or later.agreed_on is None or day < later.agreed_on


def _accusations(a: Agreement, allegations: list[dict], later: Optional[Agreement]) -> list[Violation]:
    """Accusations by the parties that the agreement was violated, each with the accused side's denials and
    the confirmations of sides that are party to neither; an outsider's accusation no party made stands alone."""
    parties = set(a.parties) | set(a.conflict)
    about = [g for g in allegations if g["about_agreement"] and _in_life(a, g["day"], g["doc_id"], later)
             and ({g["accuser_side"], g["accused"]} & parties or g["accused"] == EACH_OTHER
                  and any(e["doc"] == g["doc_id"] for e in a.evidence))]
    out: list[Violation] = []
    outsiders = []
    for g in about:
        if g["stance"] == "deny":
            continue
        for accuser, accused in _pairs(g, a):
            if accuser not in parties:
                outsiders.append((g, accuser, accused))
                continue
            v = Violation(day=g["day"], accuser=accuser, accused=accused, what=g["what"], source="accusation",
                          evidence=[_evidence(g)])
            same = next((x for x in out if (x.day, x.accuser, x.accused) == (v.day, v.accuser, v.accused)), None)
            if same:
                same.evidence += v.evidence
            else:
                out.append(v)
    for v in out:
        _answers(v, [g for g in about if g["stance"] == "deny"], a)
    for g, accuser, accused in outsiders:
        confirmed = [v for v in out if v.accused == accused and _days_apart(v.day, g["day"]) <= REPLY_DAYS]
        for v in confirmed:
            if accuser not in v.confirmed_by:
                v.confirmed_by.append(accuser)
                v.evidence.append(_evidence(g))
        if not confirmed and accused in parties:
            out.append(Violation(day=g["day"], accuser=accuser, accused=accused, what=g["what"],
                                 source="accusation", evidence=[_evidence(g)]))
    return out


def _pairs(g: dict, a: Agreement) -> list[tuple[str, Optional[str]]]:
    """(accuser, accused): "both sides accused each other" is each party accusing the other."""
    accuser = g["accuser_side"] or g["accuser"]
    parties = a.parties if len(a.parties) >= 2 else [c for c in a.conflict if not c.startswith("doc:")]
    if g["accused"] == EACH_OTHER:
        if g["accuser_side"]:
            return [(accuser, p) for p in parties if p != accuser][:1]
        return [(p, q) for p in parties for q in parties if p != q]
    return [(accuser, g["accused"])]


def _answers(v: Violation, denials: list[dict], a: Agreement) -> None:
    """The accused side's denials of a violation, said within a few days of the accusation."""
    for g in denials:
        if _days_apart(g["day"], v.day) > REPLY_DAYS and not (g["day"] is None and v.day is None):
            continue
        side = g["accuser_side"] or g["accuser"]
        if v.accused and (g["accused"] == v.accused or side == v.accused) and side not in v.denied_by:
            v.denied_by.append(side)
            v.evidence.append(_evidence(g))


def _incidents(a: Agreement, incidents: list[dict], later: Optional[Agreement]) -> list[Violation]:
    """Events of violence in the agreement's countries after it took effect, and who reported them."""
    start = a.effective_from or a.agreed_on
    if start is None:
        return []
    out = []
    for e in incidents:
        if e["country"] not in a.conflict or not _in_life(a, e["date"], "", later):
            continue
        if e["date"] < start or (a.effective_from is None and e["date"] == a.agreed_on):
            continue  # the fighting of the day a truce is agreed, before it takes effect, is not a violation
        reporters = list(dict.fromkeys(c["side"] or c["claimant"] for c in e["claims"]
                                       if c["stance"] in ("assert", "accuse")))
        # the incident stands in the column of the party that reports it, if one does
        accuser = next((r for r in reporters if r in a.parties or r in a.conflict), None) or \
            (reporters[0] if reporters else "reported (no attribution)")
        out.append(Violation(
            day=e["date"], accuser=accuser, accused=e["actor1"], what=e["sub_event_type"] or e["event_type"],
            source="incident", reported_by=reporters,
            denied_by=list(dict.fromkeys(c["side"] or c["claimant"] for c in e["claims"] if c["stance"] == "deny")),
            confirmed_by=list(dict.fromkeys(c["side"] or c["claimant"] for c in e["claims"] if c["stance"] == "confirm")),
            evidence=[{**_where(d), "event": e["id"]} for d in e["documents"][:5]]))
    return out


def _evidence(g: dict) -> dict:
    return {**_where(g), "claim": g["claim_id"]}


def _where(row: dict) -> dict:
    """Where a record stands: its article (id, file, title, outlet), its span and its sentence."""
    return {"doc": row["doc_id"], "source": row["source"], "title": row.get("doc_title"), "outlet": row.get("outlet"),
            "start": row["start"], "end": row["end"], "sentence": row["evidence"]}


def _status(a: Agreement, later: Optional[Agreement]) -> tuple[str, str, list[str]]:
    collapsed = [e for e in a.evidence if e["phase"] == "collapsed"]
    accusers = {v.accuser for v in a.violations if v.source == "accusation"}
    claims = [e["claim"] for v in a.violations for e in v.evidence if e.get("claim")]
    if later is not None:
        before = _life_status(a, collapsed, accusers)
        return "superseded", f"superseded by the agreement of {later.agreed_on} ({later.id}); before that: " \
                             f"{before[0]} ({before[1]})", claims
    status, reason = _life_status(a, collapsed, accusers)
    return status, reason, claims if status != "holding" else []


def _life_status(a: Agreement, collapsed: list[dict], accusers: set[str]) -> tuple[str, str]:
    """How the agreement fared while it stood: collapsed, violations alleged by both sides or one, holding."""
    if collapsed:
        e = collapsed[0]
        return "collapsed", f"reported as collapsing by {e['source']}: {e['sentence'][:160]}"
    parties = set(a.parties) or {c for c in a.conflict if not c.startswith("doc:")}
    accusing = {s for s in accusers if s in parties}
    if len(accusing) >= 2:
        return "violations alleged by both sides", f"{' and '.join(sorted(accusing))} accuse each other of violating it"
    if accusers:
        return "violations alleged by one side", f"{', '.join(sorted(accusers))} accuse(s) the other side"
    holding = [e for e in a.evidence if e["phase"] == "holding"]
    if holding:
        return "holding", f"reported as holding by {holding[0]['source']}: {holding[0]['sentence'][:160]}"
    incidents = [v for v in a.violations if v.source == "incident"]
    if incidents:
        return "holding", f"no party accuses another of violating it; {len(incidents)} incident(s) of violence " \
                          f"reported in its area after it took effect"
    return "holding", f"no violation alleged in {len(a.evidence)} report(s)"


# ---- blame matrix -------------------------------------------------------------------------------

def blame_matrix(allegations: list[dict]) -> list[dict]:
    """Who accuses whom of what: one row per (accuser, accused, what) with how often, how often the
    accused denied it within a few days, and how often an independent side made the same accusation."""
    rows: dict[tuple, dict] = {}
    accusations = [g for g in allegations if g["stance"] in ("accuse", "confirm") and g["accused"]
                   and g["accused"] != EACH_OTHER]
    denials = [g for g in allegations if g["stance"] == "deny"]
    for g in accusations:
        accuser = g["accuser_side"] or g["accuser"]
        if accuser == g["accused"]:
            continue
        key = (accuser, g["accused"], g["what"])
        row = rows.setdefault(key, {"accuser": key[0], "accused": key[1], "what": key[2], "count": 0,
                                    "denied": 0, "confirmed": 0, "first_day": g["day"], "last_day": g["day"],
                                    "claims": []})
        row["count"] += 1
        row["claims"].append(g["claim_id"])
        row["first_day"] = min(filter(None, (row["first_day"], g["day"])), default=None)
        row["last_day"] = max(filter(None, (row["last_day"], g["day"])), default=None)
        if any(_denies(d, g) for d in denials):
            row["denied"] += 1
        adversaries = {a["accused"] for a in accusations if (a["accuser_side"] or a["accuser"]) == g["accused"]}
        if any(_confirms(c, g, accuser, adversaries) for c in accusations):
            row["confirmed"] += 1
    return sorted(rows.values(), key=lambda r: (-r["count"], r["accuser"], r["accused"], r["what"]))


def _denies(d: dict, g: dict) -> bool:
    side = d["accuser_side"] or d["accuser"]
    return (d["accused"] == g["accused"] or side == g["accused"]) and (
        d["what"] == g["what"] or d["doc_id"] == g["doc_id"]) and _days_apart(d["day"], g["day"]) <= REPLY_DAYS


def _confirms(c: dict, g: dict, accuser: str, adversaries: set) -> bool:
    """An independent confirmation: the same accusation by a known side that is neither the accuser nor
    the accused, nor one the accused itself accuses (an adversary is not independent)."""
    side = c["accuser_side"]
    return bool(side) and side not in (accuser, g["accused"]) and side not in adversaries \
        and c["accused"] == g["accused"] and c["what"] == g["what"] and _days_apart(c["day"], g["day"]) <= REPLY_DAYS


# ---- from a store -------------------------------------------------------------------------------

def from_store(store) -> list[Agreement]:
    """The monitor over everything a store holds."""
    from .store import ceasefires as q
    return monitor(q.agreement_mentions(store), q.allegations(store), q.violent_incidents(store),
                   q.document_countries(store))


def blame_from_store(store, *, since: Optional[str] = None, until: Optional[str] = None,
                     place: Optional[list[str]] = None) -> list[dict]:
    from .store import ceasefires as q
    return blame_matrix(q.allegations(store, since=since, until=until, place=place))


AGREEMENT_CSV_COLUMNS = ("id", "kind", "agreed_on", "effective_from", "effective_time", "parties", "brokers",
                         "status", "status_reason", "days_to_first_violation", "violations", "violations_by",
                         "terms", "superseded_by", "reports", "sources")
BLAME_CSV_COLUMNS = ("accuser", "accused", "what", "count", "denied", "confirmed", "first_day", "last_day", "claims")


def agreement_row(a: Agreement) -> dict:
    """One flat row of an agreement for CSV: lists joined with "; "."""
    by: dict[str, int] = {}
    for v in a.violations:
        by[v.accuser] = by.get(v.accuser, 0) + 1
    return {"id": a.id, "kind": a.kind, "agreed_on": a.agreed_on, "effective_from": a.effective_from,
            "effective_time": a.effective_time, "parties": "; ".join(a.parties), "brokers": "; ".join(a.brokers),
            "status": a.status, "status_reason": a.status_reason, "days_to_first_violation": a.days_to_first_violation,
            "violations": len(a.violations), "violations_by": "; ".join(f"{k}: {n}" for k, n in by.items()),
            "terms": "; ".join(a.terms), "superseded_by": a.superseded_by, "reports": len(a.evidence),
            "sources": "; ".join(dict.fromkeys(e["source"] for e in a.evidence))}


def blame_row(r: dict) -> dict:
    return {**{k: r[k] for k in BLAME_CSV_COLUMNS if k != "claims"}, "claims": "; ".join(r["claims"])}
