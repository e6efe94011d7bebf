"""The extractors behind one small interface: a function of the annotated article and what the
extractors before it found, registered under a kind and a backend name.

    @register("figures", backend="statistical")
    def my_figures(ann, found):           # found: {"claims": [...]} so far
        return [...]

Kinds run in the order of KINDS, each seeing what the earlier ones found (figures are tied to the
claims that state them, events to both). The rule-based backend ("rules") is the default; another
backend (a statistical model) registers the kinds it replaces and falls back to the rules for the
others. `pipeline.extract` is the one caller; `link` runs after the events.

A backend that lives outside this package is loaded by naming its module in the
CLAIMWATCH_PLUGINS environment variable (comma-separated), so that worker processes and Dask
workers, which import this package afresh, register it too.
"""
from __future__ import annotations

import importlib
import os
from typing import Callable

KINDS = ("claims", "figures", "events")
# what the ceasefire monitor and the blame matrix stand on, read after the events are linked
ACCOUNT_KINDS = ("agreements", "allegations")
DEFAULT_BACKEND = "rules"

Extractor = Callable[[object, dict], list]
_REGISTRY: dict[tuple[str, str], Extractor] = {}
_plugins_loaded = False


def register(kind: str, backend: str = DEFAULT_BACKEND) -> Callable[[Extractor], Extractor]:
    if kind not in KINDS + ACCOUNT_KINDS:
        raise ValueError(f"unknown extractor kind {kind!r} (one of {', '.join(KINDS + ACCOUNT_KINDS)})")

    def add(fn: Extractor) -> Extractor:
        _REGISTRY[(kind, backend)] = fn
        return fn
    return add


def extractor(kind: str, backend: str = DEFAULT_BACKEND) -> Extractor:
    """The extractor of a kind for a backend, the rule-based one where the backend has none."""
    load_plugins()
    return _REGISTRY.get((kind, backend)) or _REGISTRY[(kind, DEFAULT_BACKEND)]


def backends() -> list[str]:
    load_plugins()
    return sorted({b for _, b in _REGISTRY})


def load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for name in filter(None, (n.strip() for n in os.environ.get("CLAIMWATCH_PLUGINS", "").split(","))):
        importlib.import_module(name)


# ---- the rule-based extractors --------------------------------------------------------------------

@register("claims")
def rule_claims(ann, found: dict) -> list:
    from . import claims
    return claims.extract_claims(ann)


@register("figures")
def rule_figures(ann, found: dict) -> list:
    from . import figures
    return figures.extract_figures(ann, found["claims"])


@register("events")
def rule_events(ann, found: dict) -> list:
    from . import events
    return events.extract_mentions(ann, found["claims"], found["figures"])


@register("agreements")
def rule_agreements(ann, found: dict) -> list:
    from . import agreements
    return agreements.extract_agreements(ann, found["claims"])


@register("allegations")
def rule_allegations(ann, found: dict) -> list:
    from . import allegations
    return allegations.extract_allegations(ann, found["claims"], found["events"])
