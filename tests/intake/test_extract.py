import datetime as dt
from pathlib import Path

import pytest

from dashboard.intake.extract import extract, looks_like_html, text_with_markup

FIXTURES = Path(__file__).parent / "fixtures"


def page(name: str, url: str = "http://news.test/story"):
    return extract((FIXTURES / name).read_bytes(), url=url)


def test_open_graph_page_without_its_menu_banner_trending_related_and_footer():
    found = page("wire.html")
    assert found.title == "Finland becomes NATO's 31st member"
    assert found.published == dt.date(2023, 4, 5)
    assert found.publisher == "Northern Wire"
    assert found.url == "http://news.test/world/finland-joins-nato"  # relative canonical
    assert found.language == "en"
    assert "Finland formally joined NATO on Tuesday" in found.text
    for furniture in ("cookies", "Accept all", "Business", "Trending", "Russia attacked Japan",
                      "Related stories", "Sweden's bid", "All rights reserved",
                      "NATO attacked China", "position: fixed"):
        assert furniture not in found.text


def test_json_ld_metadata_and_a_div_layout():
    found = page("jsonld.html")
    assert (found.title, found.published, found.publisher) == (
        "Sweden completes its NATO accession", dt.date(2024, 3, 8), "Baltic Ledger")
    assert found.url == "http://ledger.example/2024/03/sweden-nato"
    # Paragraphs are one line each, whatever the page's source line breaks.
    assert found.text.split("\n\n")[1].startswith("Hungary ratified Sweden's accession on 26 "
                                                  "February, after months of delay")
    for furniture in ("Front page", "small files", "Most read", "China condemned",
                      "morning briefing", "Careers"):
        assert furniture not in found.text


def test_hidden_elements_scripts_templates_never_become_prose():
    found = page("hidden.html")
    assert found.published == dt.date(2024, 7, 9)  # from <time datetime>
    assert "reciprocal access agreement" in found.text
    for hidden in ("NATO attacked China", "Russia attacked Canada", "Iran attacked Brazil",
                   "Germany attacked France", "great article"):
        assert hidden not in found.text


def test_a_page_without_a_date_has_none():
    found = page("nodate.html")
    assert found.published is None and "accession protocol" in found.text


def test_language_from_the_html_element():
    assert page("french.html").language == "fr"


@pytest.mark.parametrize("text, expected", [
    ("<p>Iran condemned Israel.</p>", True),
    ("Seoul welcomed it. <script>x()</script>", True),
    ("Talks on 3 < 4 and 5 > 2 went well.", False),
    ("Plain text only.", False),
])
def test_looks_like_html(text, expected):
    assert looks_like_html(text) is expected


def test_fragments_and_empty_input():
    assert extract("<p>Iran condemned Israel.</p>").text == "Iran condemned Israel."
    assert extract("").text == "" and extract("   ").text == ""


def test_a_fragment_of_markup_gives_its_visible_text_and_keeps_its_lines():
    fragment = ('Fiji Thanks Tonga\n\nPublished: 3 May 2024\n\nFiji <b>thanked</b> Tonga.'
                '<p>Second &amp; last.</p><div hidden>NATO attacked China.</div>'
                '<!-- Iran struck Israel. --><script>var x = "Russia invaded Finland";</script>'
                '<script type="application/ld+json">{"headline": "Chad attacked Mali"}</script>')
    text = text_with_markup(fragment)
    assert text.startswith("Fiji Thanks Tonga\n\nPublished: 3 May 2024\n\nFiji thanked Tonga.")
    assert "Second & last." in text
    for hidden in ("NATO", "Iran", "Russia", "Chad"):
        assert hidden not in text
    assert text_with_markup("<div hidden>NATO attacked China.</div>") == ""


def test_a_canonical_link_that_does_not_parse_is_no_link():
    html = ('<html><head><link rel="canonical" href="http://[x]/story"><title>T</title></head>'
            '<body><p>' + "Finland joined NATO on Tuesday. " * 20 + '</p></body></html>')
    assert extract(html.encode(), url="http://news.test/story").url in (
        None, "http://news.test/story")
