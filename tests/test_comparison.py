"""What changed between two periods (`dashboard.comparison`) on small hand-built summaries."""

from __future__ import annotations

import pytest

from dashboard.analytics import signed_weights
from dashboard.comparison import pair_diff, period_diff, summarize_diff
from tests.edge_frames import frame

BEFORE = frame([("A", "B", "alliance", 3), ("A", "C", "support", 2), ("C", "D", "attack", 1),
                ("E", "F", "cooperation", 1)])
AFTER = frame([("B", "A", "support", 2), ("C", "A", "condemnation", 5),
               ("E", "F", "cooperation", 1), ("G", "H", "alliance", 4)])


def test_period_diff_classifies_pairs():
    got = period_diff(BEFORE, AFTER)
    status = dict(zip(got["a"] + got["b"], got["status"], strict=True))
    assert status == {"AB": "kept", "AC": "flipped", "CD": "lost", "EF": "kept", "GH": "new"}
    assert got["status"].tolist() == ["flipped", "new", "lost", "kept", "kept"]
    ac = got[got["a"] + got["b"] == "AC"].iloc[0]
    assert (ac["stance_before"], ac["stance_after"]) == ("cooperative", "hostile")
    assert (ac["weight_before"], ac["weight_after"]) == (2, 5)
    gh = got[got["a"] == "G"].iloc[0]
    assert gh["stance_before"] is None and gh["weight_before"] == 0
    ab = got[got["a"] + got["b"] == "AB"].iloc[0]
    assert (ab["weight_before"], ab["weight_after"]) == (3, 2)


@pytest.mark.parametrize(("before", "after", "status", "stances"), [
    ([("A", "B", "alliance", 3)], [("A", "B", "support", 1)], "kept",
     ("cooperative", "cooperative")),
    ([("A", "B", "alliance", 2)], [("A", "B", "attack", 1)], "flipped",
     ("cooperative", "hostile")),
    ([("B", "A", "threat", 2)], [("A", "B", "support", 3), ("B", "A", "threat", 1)], "flipped",
     ("hostile", "cooperative")),
    # Cooperation and hostility in balance is not a change of side.
    ([("A", "B", "alliance", 1)], [("A", "B", "support", 1), ("A", "B", "threat", 1)], "kept",
     ("cooperative", "mixed")),
    ([], [("A", "B", "threat", 1)], "new", (None, "hostile")),
    ([("B", "A", "threat", 1)], [], "lost", ("hostile", None)),
])
def test_period_diff_status_of_one_pair(before, after, status, stances):
    got = period_diff(frame(before), frame(after))
    assert got[["a", "b", "status"]].values.tolist() == [["A", "B", status]]
    assert (got["stance_before"].iloc[0], got["stance_after"].iloc[0]) == stances


def test_summarize_diff_names_the_flipped_pair():
    names = {"A": "Aland", "B": "Borduria", "C": "Carpania", "D": "Dorsa", "G": "Genovia",
             "H": "Hyrule"}
    text = summarize_diff(period_diff(BEFORE, AFTER), names, "2022", "2024")
    assert text.startswith("Between 2022 and 2024, 1 relation appeared and 1 disappeared.")
    assert "Aland and Carpania turned from cooperative to hostile" in text
    assert "Genovia and Hyrule (cooperative, 4 articles)" in text
    assert "Carpania and Dorsa (hostile, 1 article)" in text
    assert "E and F" not in text, "a kept tie that did not grow is not news"
    assert "\n" not in text and "*" not in text
    assert summarize_diff(period_diff(BEFORE, AFTER), names, "2022", "2024") == text


@pytest.mark.parametrize(("before", "after", "expected"), [
    (BEFORE, BEFORE, "Nothing changed between P1 and P2: the same 4 relations held"),
    (BEFORE.iloc[0:0], BEFORE.iloc[0:0], "Nothing changed between P1 and P2: there are no "),
])
def test_summarize_diff_when_nothing_changed(before, after, expected):
    assert summarize_diff(period_diff(before, after), {}, "P1", "P2").startswith(expected)


def test_summarize_diff_when_everything_is_new():
    text = summarize_diff(period_diff(BEFORE.iloc[0:0], AFTER), {}, "P1", "P2")
    assert text.startswith("Between P1 and P2, 4 relations appeared and 0 disappeared.")
    assert "C and A" not in text and "A and C (hostile, 5 articles)" in text


def test_pair_diff_of_signed_pairs_is_the_period_diff_in_any_row_order():
    expected = period_diff(BEFORE, AFTER)
    before, after = signed_weights(BEFORE), signed_weights(AFTER)
    assert pair_diff(before, after).equals(expected)
    assert pair_diff(before.iloc[::-1], after.sample(frac=1, random_state=3)).equals(expected)
