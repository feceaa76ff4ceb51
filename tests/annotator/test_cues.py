import pytest
import yaml

from dashboard.annotator import cues
from dashboard.errors import AtlasError
from dashboard.paths import data_dir
from dashboard.taxonomy import EventType


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


def test_every_cue_of_the_data_file_names_its_event_and_every_event_has_cues():
    data = yaml.safe_load((data_dir() / "cues.yaml").read_text(encoding="utf-8"))
    assert all("event" in entry for entry in data["cues"])
    events = {f.cue.event for forms in cues.load().forms.values() for f in forms}
    assert events == set(EventType)


@pytest.mark.parametrize("word, event", [
    ("summoned", "protest"), ("clashed", "fight"), ("released", "yield"), ("demanded", "request"),
    ("rejected", "reject"), ("massed", "mobilize"), ("detained", "coerce"),
    ("hosted", "consult"), ("shared", "cooperate"), ("donated", "aid"), ("hailed", "support"),
])
def test_event_forms(word, event):
    assert any(f.cue.event.value == event for f in cues.load().forms[word])


def test_unknown_event_is_refused(tmp_path):
    path = tmp_path / "cues.yaml"
    path.write_text("cues:\n  - {lemma: x, event: hugging, verb: hug}\n")
    with pytest.raises(AtlasError, match="event"):
        cues.load(path)
