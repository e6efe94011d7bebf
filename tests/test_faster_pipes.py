"""The attribute ruler and the lemmatizer answered by lookup (faster_pipes) give every token what
spaCy's own components give."""
import pytest

from claimwatch import nlp
from claimwatch.faster_pipes import IndexedRules, Lemmas, cache_lemmas, index_attribute_ruler

# Written for this test in the style of wire copy, with the forms the model's exceptions are
# about: articles, "not"/"n't", auxiliaries, "there is", "let's", pronouns as objects, spaces.
TEXTS = [
    "The ministry said at least 14 civilians were killed when a shell hit a market in the town on Tuesday.",
    "\"We haven't seen any evidence of that,\" a spokesman told reporters, adding that it was not clear who fired.",
    "There are no reports of casualties, and there's no way to verify the claims independently.",
    "Let's be clear: they ain't going to stop, y'all know that, and we're gonna hold the line.",
    "An official who asked not to be named said the convoy had been hit twice, which forces denied.",
    "Those who fled told us the village was shelled; this was denied by the army, which blamed them.",
    "Is it true?  The governor,   who spoke by phone, did not say whether the bridge was damaged.",
    "Nothin' was left of the school, residents said. Some of them had gotta walk for hours to reach it.",
]


@pytest.fixture(scope="module")
def models():
    import spacy
    plain = spacy.load(nlp.MODEL_PACKAGE)
    indexed = spacy.load(nlp.MODEL_PACKAGE)
    index_attribute_ruler(indexed)
    cache_lemmas(indexed)
    return plain, indexed


def _annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def test_every_token_gets_the_same_part_of_speech_morphology_and_lemma(models):
    plain, indexed = models
    for want, got in zip(plain.pipe(TEXTS), indexed.pipe(TEXTS)):
        assert _annotations(got) == _annotations(want)


def test_the_matches_are_those_of_spacys_matcher(models):
    plain, indexed = models
    ruler = plain.get_pipe("attribute_ruler")
    fast = indexed.get_pipe("attribute_ruler").matcher
    with plain.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        docs = list(plain.pipe(TEXTS))
    for doc in docs:
        want = sorted(ruler.matcher(doc, allow_missing=True, as_spans=False))
        assert want and sorted(fast(doc, allow_missing=True, as_spans=False)) == want


def test_exceptions_of_the_model_are_applied(models):
    _, indexed = models
    doc = indexed("There is no bridge left, and they didn't rebuild it.")
    by_text = {t.text: t for t in doc}
    assert by_text["is"].pos_ == "VERB"              # "there is": the two-token rule, index 1
    assert by_text["n't"].lemma_ == "not" and by_text["n't"].pos_ == "PART"
    doc = indexed("Nothin' was left of it, y'all. Let's go.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["Nothin'"] == "nothing"           # a REGEX rule, tried at every token
    assert lemmas["y'"] == "you" and lemmas["'s"] == "us"   # two-token rules anchored on their second token


def test_a_lemma_asked_again_is_the_first_answer_in_another_doc(models):
    plain, indexed = models
    texts = ["Shells hit the houses, officials said.", "The officials said shells had hit two houses.",
             "Houses were hit; an official was saying more shells hit them."]
    for _ in range(2):  # the second round answers every token from the table
        for want, got in zip(plain.pipe(texts), indexed.pipe(texts)):
            assert [t.lemma_ for t in got] == [t.lemma_ for t in want]
    assert [t.lemma_ for t in indexed("Officials said the houses were hit.")][:2] == ["official", "say"]


def test_the_pipeline_of_claimwatch_uses_both():
    model = nlp.load()
    ruler = model.get_pipe("attribute_ruler")
    assert isinstance(ruler.matcher, IndexedRules)
    assert isinstance(model.get_pipe("claimwatch_lemmas"), Lemmas) and "lemmatizer" not in model.pipe_names
    # everything the model's ruler holds is indexed: nothing is left to the slow Matcher
    assert len(ruler.matcher.rest) == 0
