"""The daily briefing: "what you need to know today", every line attributed.

A briefing line groups an event (or, for claims no event carries, a topic: neighbouring
claims of one article section) with the claims about it, one clause per side:

    Azerbaijan (Vagif Dargiahly) said “Armenia was shelling Goranboy” [1]; Armenia denied it [2].

`brief_data` returns the briefing as plain data (the web API serves it as JSON, the web page
and `render_brief` format it); `render_brief` formats it as text or Markdown. Every quoted
string is article text, so it is hostile input: the text format drops control characters
(no terminal escapes), the Markdown format escapes HTML and Markdown syntax.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from . import lexicon
from . import store as views
from .labels import STANCE_VERBS, actors, article_label, clean, event_title, figure_phrase, shorten
from .store import Store

# stances that answer what someone else said: rendered "Armenia denied it"
RESPONSES = {"deny", "confirm", "doubt"}
TOPIC_GAP = 400         # claims this close (characters) in one section may answer each other
CLAIMS_PER_EVENT = 30
SIDES_PER_LINE = 6


def _side(claim: dict) -> str:
    return clean(claim.get("claimant_affiliation")) or clean(claim.get("claimant")) or "Someone"


def _ref(claim: dict) -> dict:
    return {"claim_id": claim["id"], "doc_id": claim["doc_id"], "source": claim.get("source"),
            "start": claim["start"], "end": claim["end"], "claimant": clean(claim.get("claimant")),
            "stance": claim.get("stance"), "outlet": clean(claim.get("outlet")) or None,
            "said_on": claim.get("said_on"), "evidence": shorten(claim.get("evidence"), 600),
            "article": article_label(claim)}


def _phrases(kind: str) -> list[str]:
    return sorted((r[1] for r in lexicon.rows("brief_quotes.tsv", 2) if r[0] == kind and r[1]), key=len, reverse=True)


_OPENER = re.compile(r"^(?:(?:" + "|".join(re.escape(p) for p in _phrases("opener")) + r")\b[\s,:]*)+", re.I)
_ADDRESSEE = re.compile(r"^(?:(?:" + "|".join(re.escape(p) for p in _phrases("addressee")) + r")\b|"
                        r"(?:the\s+)?(?:[A-Z][\w’'.&-]*\s+){1,4}?(?=[a-z]))\s*(?:that\s+)?")
_RELAY_TAIL = re.compile(r",\s*(?:[^,“”\"]{1,60}?)\s+(?:" + "|".join(re.escape(p) for p in _phrases("relay"))
                         + r")\.?$", re.I)
_ADDRESSEE_CUES = set(_phrases("addressee_cue"))
_STAND_INS = "|".join(re.escape(p) for p in _phrases("stand_in"))
_LEADING_QUOTE = re.compile(r"^[“\"]([^”\"]{15,}?)[,.!?]?[”\"]")


def _reported_clause(text: str, cue: str) -> str:
    """What follows a speech verb, without its openers ("on Wednesday that"), its addressee ("told
    Reuters they ...") and a closing relay clause (", AFP reported")."""
    if cue.split()[-1:] and cue.split()[-1] in _ADDRESSEE_CUES:
        text = _ADDRESSEE.sub("", text, count=1)
    text = _OPENER.sub("", text, count=1)
    return _RELAY_TAIL.sub("", text).strip(" ,:")


def _stand_in(low: str, cue: str) -> tuple[str, int]:
    """The pronoun that is the subject of the speech verb, and where it is (-1 when there is none)."""
    m = re.search(rf"\b({_STAND_INS})\s+{re.escape(cue)}\b", low)
    return (m.group(1), m.start(1)) if m else ("", -1)


def gist(claim: dict) -> str:
    """What was said, without the attribution around it where that is plain:
    "Pashinyan said on Tuesday he had signed the deal." -> "he had signed the deal."
    "The deal is signed, Pashinyan said." -> "The deal is signed"
    "“The town is ours,” the ministry said on Twitter." -> "The town is ours"
    Otherwise the whole evidence sentence."""
    ev = clean(claim.get("evidence"))
    m = _LEADING_QUOTE.match(ev)
    if m:                               # a direct quote opens the sentence: that is what was said
        return m.group(1).strip(" ,")
    name = clean(claim.get("claimant"))
    cue = clean(claim.get("cue")).lower()
    low = ev.lower()
    i = low.find(name.lower()) if name else -1
    if i < 0 and " " in name:           # "Russian President Vladimir Putin" is "Putin" in the sentence
        name = name.rsplit(" ", 1)[1]
        i = low.find(name.lower())
    if i < 0 and cue:                   # named in an earlier sentence: "..., he told Reuters they ..."
        name, i = _stand_in(low, cue)
    if i < 0 or not cue:
        return ev
    after = i + len(name)
    j = low.find(cue, after)            # "X said (that) ..."
    k = low.rfind(cue, 0, i)            # "According to X, ..." or "..., said X."
    front = back = ""
    if 0 <= j - after <= 40 and (j + len(cue) >= len(ev) or not ev[j + len(cue)].isalnum()):
        front = _reported_clause(ev[j + len(cue):].strip(" ,:"), cue)
    elif k >= 0 and i - (k + len(cue)) <= 40:
        front = _reported_clause(ev[after:].strip(" ,:"), cue)
    if len(ev) - max(after, j + len(cue) if j >= 0 else 0) <= 40:  # the attribution closes the sentence
        back = ev[:min(i, k) if k >= 0 else i]
        comma = back.rfind(",")
        if comma >= 0 and len(back) - comma <= 50:   # drop the speaker's title: ", UN spokesman"
            back = back[:comma]
        back = back.strip(" ,;:—-–\"“”")
    front = front if len(front) >= 15 and not front.lower().startswith(("as reported", "according to")) else ""
    back = back if len(back) >= 15 else ""
    if back and (i > len(ev) / 2 or not front):
        return back
    return front or ev


def _quote(claim: dict) -> str:
    q = shorten(gist(claim))
    if q[:1] in ("\"", "“") and (q.count("“") > q.count("”") or q.count("\"") % 2 == 1):
        q = q[1:].lstrip()        # an opening quote mark whose closing one is cut off
    if q.count("“") > q.count("”") and q[-1:] != "…":
        q += "”"                   # a quote opened inside the gist and closed after its end
    return q.rstrip(". ")


def attribution(claims: list[dict]) -> dict:
    """One briefing line from claims about the same thing: a clause per side, in order of speaking
    (on one day, what was claimed comes before the denials and confirmations that answer it)."""
    claims = sorted(claims, key=lambda c: (c.get("said_on") or "", c.get("stance") in RESPONSES))
    order: list[str] = []
    by_side: dict[str, list[dict]] = {}
    for c in claims:
        side = _side(c)
        if side not in by_side:
            order.append(side)
            by_side[side] = []
        by_side[side].append(c)
    clauses = []
    for i, side in enumerate(order[:SIDES_PER_LINE]):
        cs = by_side[side]
        first = cs[0]
        stance = first.get("stance") or "assert"
        speakers = []
        for c in cs:
            name = clean(c.get("claimant"))
            if name and name.lower() != side.lower() and name not in speakers:
                speakers.append(name)
        outlets = sorted({clean(c.get("outlet")) for c in cs if clean(c.get("outlet"))
                          and clean(c.get("outlet")).lower() != side.lower()})
        response = i > 0 and stance in RESPONSES
        clauses.append({
            "side": side, "speakers": speakers[:3], "more_speakers": max(0, len(speakers) - 3),
            "stance": stance, "verb": STANCE_VERBS.get(stance, "said"),
            "quote": None if response else _quote(first),
            "outlets": outlets, "more": len(cs) - 1, "refs": [_ref(c) for c in cs],
        })
    line = {"clauses": clauses, "more_sides": max(0, len(order) - SIDES_PER_LINE)}
    line["text"] = line_text(line)
    return line


def _clause_text(cl: dict, refs: Optional[list[str]] = None) -> str:
    who = cl["side"]
    if cl["speakers"]:
        who += " (" + ", ".join(cl["speakers"]) + (" and others" if cl["more_speakers"] else "") + ")"
    s = f"{who} {cl['verb']} " + ("it" if cl["quote"] is None else f"“{cl['quote']}”")
    if cl["outlets"]:
        s += ", via " + ", ".join(cl["outlets"])
    if cl["more"]:
        s += f" (and {cl['more']} more)"
    if refs:
        s += " " + "".join(refs)
    return s


def line_text(line: dict, refs: Optional[list[list[str]]] = None) -> str:
    parts = [_clause_text(cl, refs[i] if refs else None) for i, cl in enumerate(line["clauses"])]
    if line.get("more_sides"):
        parts.append(f"{line['more_sides']} more sides spoke")
    return "; ".join(parts) + ("." if parts else "")


def _topics(claims: list[dict]) -> list[dict]:
    """Group unlinked claims of a day: by article section, then into runs of neighbouring claims
    where a reply (deny/confirm/doubt) or the same side continues what was just said."""
    topics: list[dict] = []
    index: dict[tuple, dict] = {}
    for c in claims:
        key = (c["doc_id"], c.get("section_heading") or "")
        t = index.get(key)
        if t is None:
            heading = clean(c.get("section_heading"))
            title = article_label(c)
            t = index[key] = {"title": title, "section": heading or None, "doc_id": c["doc_id"],
                              "source": c.get("source"), "runs": []}
            topics.append(t)
        runs = t["runs"]
        prev = runs[-1][-1] if runs else None
        if prev is not None and c["start"] - prev["end"] <= TOPIC_GAP and (
                c.get("stance") in RESPONSES or _side(c) == _side(prev)):
            runs[-1].append(c)
        else:
            runs.append([c])
    for t in topics:
        t["lines"] = [attribution(run) for run in t.pop("runs")]
    return topics


def _figure_text(f: dict) -> str:
    """"Armenia's defense ministry: at least 1,177 Armenian soldiers killed"."""
    return f"{clean(f.get('claimant')) or 'Unattributed'}: {figure_phrase(f)}"


def brief_data(store: Store, day: Optional[str] = None, *, limit: int = 30, offset: int = 0,
               claims_limit: int = 200, figures_limit: int = 50) -> dict[str, Any]:
    """The briefing for a day as data: events (with their attributed claims), topics and figures.

    `day` defaults to the newest day in the store. `limit`/`offset` page the events;
    the claims no event carries and the day's figures are capped by `claims_limit`/`figures_limit`.
    """
    day = day or views.latest_day(store)
    if not day:
        return {"date": None, "prev": None, "next": None, "events": [], "topics": [], "figures": [],
                "limit": limit, "offset": offset, "next_offset": None, "truncated": {}}
    prev_day, next_day = views.adjacent_days(store, day)
    evs = views.events_on_day(store, day, limit=limit + 1, offset=offset)
    has_more = len(evs) > limit
    evs = evs[:limit]
    claims = views.claims_for_events(store, [e["id"] for e in evs], per_event=CLAIMS_PER_EVENT)
    events = []
    for ev in evs:
        what = views.first_mention(store, ev["id"])
        ev_claims = claims[ev["id"]]
        events.append({
            "event": ev, "title": event_title(ev),
            "what": ({**what, "evidence": shorten(what["evidence"], 400), "article": article_label(what)}
                     if what else None),
            "line": attribution(ev_claims) if ev_claims else None,
        })
    unlinked = views.unlinked_claims_on_day(store, day, limit=claims_limit + 1)
    figures = views.figures_on_day(store, day, limit=figures_limit + 1)
    return {
        "date": day, "prev": prev_day, "next": next_day,
        "events": events,
        "topics": _topics(unlinked[:claims_limit]),
        "figures": [{"text": _figure_text(f), "figure": f} for f in figures[:figures_limit]],
        "limit": limit, "offset": offset, "next_offset": offset + limit if has_more else None,
        "truncated": {"claims": len(unlinked) > claims_limit, "figures": len(figures) > figures_limit},
    }


# ---- text and Markdown --------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!|~>])")


def md_escape(s: str) -> str:
    """Escape article text for Markdown: HTML is neutralised and Markdown syntax made literal."""
    s = clean(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", s)


def _link(ref: dict, base_url: str) -> str:
    return base_url.rstrip("/") + f"/documents/{ref['doc_id']}?hl={ref['start']}-{ref['end']}#hl"


def _citation(ref: dict) -> tuple[str, str]:
    """(article, sentence) of an evidence note: "Reuters: Armenia, Azerbaijan trade accusations"
    and the evidence sentence, shortened."""
    return ref.get("article") or article_label(ref), shorten(ref.get("evidence"), 240)


def render_brief(store: Store, day: Optional[str] = None, fmt: str = "text", *,
                 base_url: Optional[str] = None, limit: int = 30) -> str:
    """The briefing for `day` (YYYY-MM-DD; default the newest day) as "text" or "markdown".

    Evidence is cited as numbered notes: the article (outlet and title) and the sentence, and,
    with `base_url` (the web app's address), a link that opens the article with the sentence marked.
    """
    if fmt not in ("text", "markdown"):
        raise ValueError(f"unknown format {fmt!r} (text or markdown)")
    data = brief_data(store, day, limit=limit)
    md = fmt == "markdown"
    esc = md_escape if md else clean
    notes: list[str] = []

    def note(ref: dict) -> str:
        """Add an evidence note; return its marker."""
        article, sentence = _citation(ref)
        if md:
            label = md_escape(article)
            notes.append((f"[{label}](<{_link(ref, base_url)}>)" if base_url else label)
                         + f": “{md_escape(sentence)}”")
            return f"\\[{len(notes)}\\]"
        notes.append(f"{article}: “{sentence}”" + (f" <{_link(ref, base_url)}>" if base_url else ""))
        return f"[{len(notes)}]"

    def cite(line: dict) -> str:
        refs = [[note(r) for r in cl["refs"][:3]] for cl in line["clauses"]]
        esc_line = {**line, "clauses": [{**cl, "side": esc(cl["side"]), "speakers": [esc(s) for s in cl["speakers"]],
                                         "outlets": [esc(o) for o in cl["outlets"]],
                                         "quote": None if cl["quote"] is None else esc(cl["quote"])}
                                        for cl in line["clauses"]]}
        return line_text(esc_line, refs)

    out: list[str] = []
    if not data["date"]:
        return ("# Briefing\n\nThe store is empty.\n" if md else "Briefing: the store is empty.\n")
    head = f"Briefing for {data['date']}: what you need to know today"
    out += [f"# {head}", ""] if md else [head, "=" * len(head), ""]
    if not (data["events"] or data["topics"] or data["figures"]):
        out.append("Nothing was reported for this day.")
    if data["events"]:
        out += ["## Events", ""] if md else ["EVENTS", ""]
        for e in data["events"]:
            ev = e["event"]
            meta = ", ".join(x for x in [ev.get("date") or "undated", ev.get("event_type"), actors(ev),
                                         f"{ev['fatalities']} killed" if ev.get("fatalities") else "",
                                         ev.get("status")] if x)
            title = esc(e["title"])
            out.append(f"- **{title}** ({esc(meta)})" if md else f"* {title} ({meta})")
            if ev.get("status_reason"):
                out.append(f"  - Status: {esc(ev['status_reason'])}" if md else f"  Status: {clean(ev['status_reason'])}")
            if e["what"]:
                w = e["what"]
                n = note(w)
                out.append(f"  - Reported: “{esc(w['evidence'])}” {n}" if md else f"  Reported: “{esc(w['evidence'])}” {n}")
            if e["line"]:
                out.append(f"  - {cite(e['line'])}" if md else f"  {cite(e['line'])}")
        out.append("")
        if data["next_offset"] is not None:
            out += [f"(More events on this day: see the timeline for {data['date']}.)", ""]
    if data["topics"]:
        out += ["## What was said", ""] if md else ["WHAT WAS SAID", ""]
        for t in data["topics"]:
            title = esc(t["title"]) + (f" — {esc(t['section'])}" if t["section"] else "")
            out.append(f"### {title}" if md else f"* {title}")
            for line in t["lines"]:
                out.append(f"- {cite(line)}" if md else f"  - {cite(line)}")
            out.append("")
    if data["figures"]:
        out += ["## Figures", ""] if md else ["FIGURES", ""]
        for f in data["figures"]:
            fig = f["figure"]
            n = note(fig)
            out.append(f"- {esc(f['text'])} {n}" if md else f"* {clean(f['text'])} {n}")
        out.append("")
    if notes:
        out += ["## Evidence", ""] if md else ["EVIDENCE", ""]
        for i, n in enumerate(notes, 1):
            out.append(f"{i}. {n}" if md else f"[{i}] {n}")
        out.append("")
    return "\n".join(out)
