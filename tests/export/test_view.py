"""ExportView and from_url: app addresses in, views out."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest

from dashboard.errors import FilterError
from dashboard.export.view import ExportView, Period, UrlWarning, from_url

LABELS = {"RUS": "Russia", "USA": "United States", "GEO": "Georgia (GEO)",
          "GEO_US": "Georgia (GEO_US)"}


def _url(path: str = "/", **params) -> str:
    # The way the app writes its address: repeated keys for lists, labels as shown.
    return f"http://localhost:8501{path}?{urlencode(params, doseq=True)}"


def test_from_url_parses_the_app_parameters():
    url = _url(dates=["2024-01-01", "2024-06-30"], rel=["Condemnation", "Sanction"],
               actor=["Russia", "Georgia (GEO)"], minw="2")
    view = from_url(url, LABELS)
    f = view.filters
    assert view.view == "network"
    assert (f.date_from, f.date_to) == (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    assert f.relations == ("condemnation", "sanction")
    assert f.actors == ("RUS", "GEO")
    assert f.min_weight == 2


def test_from_url_focus_steps_budget_periods_and_page():
    url = _url("/compare", focus="United States", steps="2", budget="30",
               pa=["2022-01-01", "2022-12-31"], pb="2023-01-01:2023-12-31")
    view = from_url(url, LABELS)
    assert view.view == "compare"
    assert (view.focus, view.steps, view.budget) == ("USA", 2, 30)
    assert view.period_a == Period(dt.date(2022, 1, 1), dt.date(2022, 12, 31))


def test_all_relations_means_no_relation_filter():
    rel = ["Alliance", "Cooperation", "Support", "Condemnation", "Sanction", "Threat", "Attack"]
    assert from_url(_url(rel=rel), LABELS).filters.relations == ()


def test_unknown_parameter_is_ignored_with_a_warning():
    with pytest.warns(UrlWarning, match="embed"):
        view = from_url(_url(embed="true", minw="3"), LABELS)
    assert view.filters.min_weight == 3


@pytest.mark.parametrize(("params", "name"), [
    ({"minw": "many"}, "minw"), ({"minw": "0"}, "minw"), ({"rel": "Hug"}, "rel"),
    ({"actor": "Narnia"}, "actor"), ({"dates": ["2024-02-01", "nope"]}, "dates"),
    ({"dates": ["2024-06-01", "2024-01-01"]}, "dates"), ({"steps": "x"}, "steps"),
    ({"event": "hugging"}, "event"),
])
def test_invalid_values_name_their_parameter(params, name):
    with pytest.raises(FilterError, match=f"'{name}'"):
        from_url(_url(**params), LABELS)


def test_views_validate_and_name_their_files():
    with pytest.raises(FilterError, match="two periods"):
        ExportView(view="compare")
    with pytest.raises(FilterError, match="unknown view"):
        ExportView(view="map")
    view = ExportView()
    assert view.file_name("png", dt.date(2024, 6, 1), dt.date(2025, 5, 31)) == \
        "alliance-atlas_network_2024-06-01_2025-05-31.png"
    assert ExportView(view="timeline").file_name("pptx", dt.date(2024, 6, 1)) \
        .startswith("alliance-atlas_briefing_2024-06-01")


def test_from_url_global_filters_of_the_app():
    url = _url(stance="Hostile", pub=["Reuters"], ann=["Manual"], conf="0.5", present="1",
               edge="RUS|USA")
    f = from_url(url, LABELS).filters
    assert f.stances == ("hostile",) and f.publishers == ("Reuters",)
    assert f.annotators == ("manual",) and f.min_confidence == 0.5
    assert from_url(_url(event=["Agree", "aid"]), LABELS).filters.events == ("agree", "aid")
