import pytest

from dashboard.annotator import cues
from dashboard.errors import AtlasError


def test_regular_inflections():
    assert cues.inflect("condemn") == ["condemn", "condemns", "condemned", "condemning"]
    assert cues.inflect("denounce") == ["denounce", "denounces", "denounced", "denouncing"]
    assert cues.inflect("supply") == ["supply", "supplies", "supplied", "supplying"]


def test_every_relation_type_has_cues():
    lexicon = cues.load()
    relations = {f.cue.relation.value for forms in lexicon.forms.values() for f in forms}
    assert relations == {"alliance", "cooperation", "support", "condemnation", "sanction",
                         "threat", "attack"}


@pytest.mark.parametrize("word, relation, pos", [
    ("condemned", "condemnation", "verb"), ("condemnation", "condemnation", "noun"),
    ("struck", "attack", "verb"), ("invasion", "attack", "noun"),
    ("shelled", "attack", "verb"), ("sanctions", "sanction", "noun"),
    ("pledged", "support", "verb"), ("cooperation", "cooperation", "noun"),
])
def test_forms(word, relation, pos):
    forms = cues.load().forms[word]
    assert any(f.cue.relation.value == relation and f.pos == pos for f in forms)


def test_artillery_shells_are_not_a_cue():
    assert "shells" not in cues.load().forms


def test_unquoted_yaml_booleans_are_refused(tmp_path):
    path = tmp_path / "cues.yaml"
    path.write_text("cues:\n  - {lemma: x, relation: sanction, noun: [x], preps: [on]}\n")
    with pytest.raises(AtlasError, match="quote it"):
        cues.load(path)


def test_unknown_relation_is_refused(tmp_path):
    path = tmp_path / "cues.yaml"
    path.write_text("cues:\n  - {lemma: x, relation: hugging, verb: hug}\n")
    with pytest.raises(AtlasError, match="relation"):
        cues.load(path)
