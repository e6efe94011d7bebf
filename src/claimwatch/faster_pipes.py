"""annotate: two components of the model run faster, with the same output.

spaCy runs the attribute ruler and the lemmatizer of en_core_web_sm token by token in Python; on
news text they take a sixth of the whole parse. Both compute a pure function of a few attributes of
each token, which is looked up here instead of recomputed:

- `IndexedRules`, the attribute ruler's matcher. The model's 179 rules (the tag map: POS and
  morphology from the fine-grained tag, and exceptions such as "a" as an indefinite article) are
  tried by spaCy's Matcher at every token, with a call back into Python for each IN, NOT_IN and
  REGEX test. Every rule of the model is a fixed sequence of one or two tokens, and nearly every one
  names a plain value ({"TAG": "DT", "LOWER": "a"}), which a dictionary keyed by those values finds
  at once; the other tests are then checked on the few tokens found. A rule of another shape (an
  "OP" quantifier, another test) stays with a Matcher of its own. The matches are the same (rule,
  start, end) triples spaCy's Matcher gives, which the ruler then sorts and applies as before.
- `claimwatch_lemmas`, in the place of the lemmatizer: a token's lemma is spaCy's own answer for
  its (form, part of speech, morphology), asked once per distinct triple (spaCy caches it on the
  same key) and written for the whole Doc at once.

tests/test_faster_pipes.py compares every token's tag, POS, morphology, lemma and dependency
with spaCy's own components on news text.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Optional

import numpy
from spacy.language import Language

# Token attributes a rule may test here, as Doc.to_array gives them.
ATTRIBUTES = ("TAG", "LOWER", "DEP", "IS_SPACE", "ORTH", "POS")


@dataclass
class _TokenTest:
    """What one token of a rule must be: attribute -> allowed codes, refused codes, a regex on its text."""
    allowed: dict = field(default_factory=dict)
    refused: dict = field(default_factory=dict)
    regex: dict = field(default_factory=dict)


@dataclass
class _Rule:
    match_id: int
    tokens: list
    anchor: Optional[int]          # the token whose allowed values key the index (None: scan every start)


class IndexedRules:
    """A drop-in for AttributeRuler.matcher: called like spaCy's Matcher(doc, as_spans=False)."""

    def __init__(self, ruler):
        from spacy import attrs as spacy_attrs
        from spacy.matcher import Matcher
        self.strings = ruler.vocab.strings
        self.rest = Matcher(ruler.vocab)
        rules: list[_Rule] = []
        for n, rule in enumerate(ruler.patterns):
            match_id = self.strings.add(str(n))  # the ruler's own key for rule n (AttributeRuler.add)
            rest = []
            for pattern in rule["patterns"]:
                tokens = _compiled(pattern, self.strings)
                if tokens is None:
                    rest.append(pattern)
                else:
                    anchor = next((k for k, t in enumerate(tokens) if t.allowed), None)
                    rules.append(_Rule(match_id, tokens, anchor))
            if rest:
                self.rest.add(match_id, rest)
        self.columns = sorted({name for r in rules for t in r.tokens
                               for name in (*t.allowed, *t.refused, *t.regex)})
        self.attr_ids = [getattr(spacy_attrs, name) for name in self.columns]
        col = self.columns.index
        # (anchor's columns) -> {their values: [rules]}; rules with no plain value are tried at every start
        self.index: dict[tuple[int, ...], dict[tuple, list[_Rule]]] = {}
        self.scanned: list[_Rule] = []
        for r in rules:
            if r.anchor is None:
                self.scanned.append(r)
                continue
            allowed = r.tokens[r.anchor].allowed
            names = sorted(allowed)
            table = self.index.setdefault(tuple(col(n) for n in names), {})
            for value in itertools.product(*(allowed[n] for n in names)):
                table.setdefault(value, []).append(r)
        self.tests = {id(t): [(col(n), codes, True) for n, codes in t.allowed.items()]
                      + [(col(n), codes, False) for n, codes in t.refused.items()]
                      + [(col(n), rx, None) for n, rx in t.regex.items()]
                      for r in rules for t in r.tokens}
        self._texts: dict[int, str] = {}

    def __call__(self, doc, allow_missing: bool = True, as_spans: bool = False):
        matches = set(self.rest(doc, allow_missing=allow_missing)) if len(self.rest) else set()
        n = len(doc)
        if not n or not self.columns:
            return list(matches)
        rows = doc.to_array(self.attr_ids).tolist()
        if len(self.columns) == 1:
            rows = [[v] for v in rows]
        for cols, table in self.index.items():
            for i, row in enumerate(rows):
                for r in table.get(tuple([row[c] for c in cols]), ()):
                    start = i - r.anchor
                    if self._holds(r, rows, start, n):
                        matches.add((r.match_id, start, start + len(r.tokens)))
        for r in self.scanned:
            for start in range(n - len(r.tokens) + 1):
                if self._holds(r, rows, start, n):
                    matches.add((r.match_id, start, start + len(r.tokens)))
        return list(matches)

    def _holds(self, rule: _Rule, rows: list, start: int, n: int) -> bool:
        if start < 0 or start + len(rule.tokens) > n:
            return False
        for k, token in enumerate(rule.tokens):
            row = rows[start + k]
            for c, test, allowed in self.tests[id(token)]:
                if allowed is None:
                    if not test.search(self._text(row[c])):
                        return False
                elif (row[c] in test) != allowed:
                    return False
        return True

    def _text(self, code: int) -> str:
        text = self._texts.get(code)
        if text is None:
            text = self._texts[code] = self.strings[code] if code in self.strings else ""
        return text

    def __len__(self) -> int:
        return sum(len(rs) for t in self.index.values() for rs in t.values()) + len(self.scanned) + len(self.rest)


def _compiled(pattern: list, strings) -> Optional[list[_TokenTest]]:
    """The rule's token tests, or None for a shape only spaCy's Matcher takes."""
    tokens = []
    for spec in pattern:
        if not spec:
            return None
        test = _TokenTest()
        for name, value in spec.items():
            if name not in ATTRIBUTES:
                return None
            if not isinstance(value, dict):
                value = {"IN": [value]}
            if len(value) != 1:
                return None
            (op, arg), = value.items()
            if op in ("IN", "NOT_IN"):
                codes = {_code(name, v, strings) for v in arg}
                if None in codes:
                    return None
                (test.allowed if op == "IN" else test.refused)[name] = codes
            elif op == "REGEX" and isinstance(arg, str) and name in ("LOWER", "ORTH", "TAG", "DEP"):
                test.regex[name] = re.compile(arg)
            else:
                return None
        tokens.append(test)
    return tokens


def _code(name: str, value, strings) -> Optional[int]:
    """The value as Doc.to_array gives it: a flag as 0/1, a part of speech as its id, a string as its hash."""
    if name == "IS_SPACE":
        return int(value) if isinstance(value, bool) else None
    if name == "POS":
        from spacy.parts_of_speech import IDS
        return IDS.get(value) if isinstance(value, str) else None
    return strings.add(value) if isinstance(value, str) else None


def index_attribute_ruler(nlp, name: str = "attribute_ruler") -> None:
    """Give the pipeline's attribute ruler the indexed matcher (nothing to do if it has none)."""
    if name in nlp.pipe_names:
        ruler = nlp.get_pipe(name)
        ruler.matcher = IndexedRules(ruler)


@Language.factory("claimwatch_lemmas", default_config={"lemmatizer": "lemmatizer"})
def make_lemmas(nlp, name: str, lemmatizer: str):
    return Lemmas(nlp.get_pipe(lemmatizer))


class Lemmas:
    """The lemmatizer's lemmas by lookup of (form, POS, morphology); spaCy's lemmatizer (kept, disabled)
    answers what has not been asked before."""

    def __init__(self, lemmatizer):
        self.lemmatizer = lemmatizer
        self.lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc):
        from spacy.attrs import LEMMA, MORPH, ORTH, POS
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        strings = doc.vocab.strings
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma == 0 or self.lemmatizer.overwrite:
                key = (orth, pos, morph)
                lemma = self.lemmas.get(key)
                if lemma is None:
                    lemma = self.lemmas[key] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas.append(lemma)
        doc.from_array([LEMMA], numpy.asarray(lemmas, dtype="uint64"))
        return doc


def cache_lemmas(nlp, name: str = "lemmatizer") -> None:
    """Put `claimwatch_lemmas` in the place of the pipeline's rule or lookup lemmatizer (whose answer
    for a token depends on nothing else); nothing to do if it has none."""
    if name not in nlp.pipe_names or getattr(nlp.get_pipe(name), "mode", None) not in ("rule", "lookup"):
        return
    nlp.add_pipe("claimwatch_lemmas", after=name, config={"lemmatizer": name})
    nlp.disable_pipe(name)
