"""The domain model: plain dataclasses passed between pipeline stages.

Every extracted record carries its provenance (document id, character span of the
clean text, evidence sentence) so that it can always be checked against the article.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


# The closed vocabularies of the record, named once: stages, store, exports and surfaces import these.
STANCES = ("assert", "deny", "accuse", "confirm", "doubt")
FIGURE_METRICS = ("killed", "wounded", "displaced", "deployed", "present", "detained", "participants", "other")
QUALIFIERS = ("exact", "at_least", "more_than", "about", "almost", "up_to", "at_most")
POPULATIONS = ("military", "civilian", "mixed", "unknown")
EVENT_STATUSES = ("reported", "disputed", "denied", "confirmed")
# what an article says of an agreement in one sentence, and what the monitor concludes of its life
AGREEMENT_PHASES = ("agreed", "effect", "holding", "violated", "collapsed", "reference")
AGREEMENT_STATUSES = ("holding", "violations alleged by one side", "violations alleged by both sides",
                      "collapsed", "superseded")
ALLEGATION_STANCES = ("accuse", "deny", "confirm")
DISPUTE_STATUSES = ("disputed", "denied")


class InputError(Exception):
    """An input that cannot be ingested; the message is one line naming the reason."""


@dataclass
class RawArticle:
    """One article as read from an input, before cleaning and splitting."""
    source: str                  # base name of the input file (or URL)
    path: str                    # full path (or URL) it was read from
    text: str                    # decoded text (HTML already reduced to its main text)
    title: Optional[str] = None  # from metadata (HTML <title>, JSONL field)
    outlet: Optional[str] = None
    published: Optional[str] = None  # YYYY-MM-DD from metadata
    url: Optional[str] = None
    already_clean: bool = False  # text came from an extractor (trafilatura) or a JSONL field
    warnings: list[str] = field(default_factory=list)


@dataclass
class Section:
    """A dated part of a document (a live blog's entry). Offsets into the clean text."""
    start: int
    end: int
    heading: Optional[str]
    day: Optional[str]
    day_reason: str = ""


@dataclass
class Article:
    """One cleaned article: what becomes a Document."""
    source: str
    path: str
    text: str
    title: Optional[str]
    outlet: Optional[str]
    published: Optional[str]
    published_reason: str
    url: Optional[str] = None
    sections: list[Section] = field(default_factory=list)
    # Paragraph spans of `text`: the units handed to the language pipeline.
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Sentence:
    start: int
    end: int
    section: Optional[int] = None


@dataclass
class Claim:
    doc: str
    start: int          # evidence span (sentence) in the document's clean text
    end: int
    evidence: str
    claimant: str
    stance: str         # assert | deny | accuse | confirm | doubt
    cue: str            # the word or construction that marks the attribution
    claimant_affiliation: Optional[str] = None
    claimant_type: Optional[str] = None  # person | body | outlet | group | anonymous
    outlet: Optional[str] = None
    said_on: Optional[str] = None
    said_on_reason: str = ""
    id: Optional[str] = None


@dataclass
class Figure:
    doc: str
    start: int
    end: int
    evidence: str
    value: float
    metric: str
    value_text: str
    value_start: int = 0  # span of the number itself in the clean text
    value_end: int = 0
    high: Optional[float] = None
    qualifier: str = "exact"
    population: str = "unknown"
    subject: Optional[str] = None
    side: Optional[str] = None
    claimant: Optional[str] = None
    as_of: Optional[str] = None
    as_of_reason: str = ""
    total_of: Optional[str] = None  # for "29 more ... bringing to 633": the running total's id
    id: Optional[str] = None


@dataclass
class PlaceRef:
    """A place as the text names it, before linking: extraction finds it, `link` resolves it."""
    text: str
    start: int                  # span in the document's clean text
    end: int
    in_clause: bool = True      # inside the trigger's own clause
    distance: int = 0           # tokens from the trigger
    carried: bool = False       # named in an earlier sentence of the paragraph, not in this one


@dataclass
class EventMention:
    """One report of an event in one sentence of one document."""
    doc: str
    start: int
    end: int
    evidence: str
    event_type: str
    sub_event_type: str
    date: Optional[str]
    date_precision: str
    date_reason: str
    location: Optional[str]
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    country: Optional[str] = None
    admin_level: Optional[str] = None
    actor1: Optional[str] = None
    actor2: Optional[str] = None
    fatalities: Optional[int] = None
    claim_ids: list[str] = field(default_factory=list)
    trigger: str = ""
    place_refs: list[PlaceRef] = field(default_factory=list)  # candidates for `link`; not stored


@dataclass
class Event:
    id: str
    event_type: str
    sub_event_type: str
    date: Optional[str]
    date_precision: str
    location: Optional[str]
    latitude: Optional[float]
    longitude: Optional[float]
    country: Optional[str]
    admin_level: Optional[str]
    actor1: Optional[str]
    actor2: Optional[str]
    fatalities: Optional[int]
    status: str
    status_reason: str
    mentions: list[EventMention] = field(default_factory=list)
    claim_ids: list[str] = field(default_factory=list)


@dataclass
class StoryLink:
    """A document's place in a story of near-duplicate copies (decided by `neardup`)."""
    story_id: str                      # the story's first copy
    role: str                          # first | copy | version | merged
    similarity: Optional[float] = None
    merge: list[str] = field(default_factory=list)  # other stories this document proves to be the same one
    shingles: int = 0
    signature: bytes = b""             # its MinHash, kept for later arrivals


@dataclass
class Provenance:
    """Where a fetched document came from; written in the document's own transaction."""
    url: str
    fetched_at: str
    http_status: int
    final_url: Optional[str] = None
    feed_url: Optional[str] = None
    outlet: Optional[str] = None
    previous_version: Optional[str] = None  # the document this URL gave before (an updated article)
    version: int = 1
    story: Optional[StoryLink] = None


@dataclass
class AgreementMention:
    """One sentence's report of a ceasefire, truce, humanitarian pause or peace deal."""
    doc: str
    start: int
    end: int
    evidence: str
    kind: str                    # family: ceasefire, humanitarian ceasefire, peace deal, armistice
    phase: str                   # one of AGREEMENT_PHASES: what this sentence says happened to it
    report_day: Optional[str]    # the day of the report (section or published day)
    agreed_on: Optional[str] = None
    agreed_precision: Optional[str] = None  # day | days | week | report (the day of the report: "on or before")
    agreed_reason: str = ""
    effective_from: Optional[str] = None   # the day it takes effect, when stated
    effective_time: Optional[str] = None   # the time as written ("midnight", "noon", "1200 GMT")
    parties: list[str] = field(default_factory=list)   # sides that agreed or signed
    brokers: list[str] = field(default_factory=list)   # sides that brokered or mediated
    terms: list[str] = field(default_factory=list)     # what it provides for, as written
    ordinal: Optional[str] = None                       # "second", "new", ... as written
    claim_ids: list[str] = field(default_factory=list)
    id: Optional[str] = None


@dataclass
class Allegation:
    """Who accuses whom of what in one claim (or denies it, or independently confirms it)."""
    doc: str
    claim_id: str
    start: int
    end: int
    evidence: str
    stance: str                  # one of ALLEGATION_STANCES
    accuser: str                 # the claimant as named
    accuser_side: Optional[str]
    accused: Optional[str]       # the side accused (for a denial: the side that denies doing it)
    accused_text: Optional[str] = None  # the accused as written, when no side could be told ("the army")
    what: str = "unspecified"    # "ceasefire violation", an ACLED sub-event type, or the act as written
    day: Optional[str] = None    # the day it was said
    about_agreement: bool = False  # the sentence names an agreement or its violation
    id: Optional[str] = None
