from dashboard.annotator.cleanup import clean, from_html, from_markdown, from_plain

ARTICLE = """Japan Protests Chinese Drills

Japan lodged a protest with China on Monday over live-fire drills near its islands.

Advertisement

Japan lodged a protest with China on Monday over live-fire drills near its islands.

Read also | Brazil Backs Argentina Bid
Share this article
"""


def test_boilerplate_and_repeats_are_skipped_but_stay_in_the_text():
    cleaned = clean(ARTICLE)
    kept = [ARTICLE[s:e] for s, e in cleaned.kept]
    assert kept == ["Japan Protests Chinese Drills",
                    "Japan lodged a protest with China on Monday over live-fire drills near "
                    "its islands."]
    reasons = {ARTICLE[s:e]: why for s, e, why in cleaned.dropped}
    assert reasons["Advertisement"] == "boilerplate"
    assert reasons["Read also | Brazil Backs Argentina Bid"] == "boilerplate"
    assert reasons["Share this article"] == "boilerplate"
    assert list(reasons.values()).count("repeated paragraph") == 1
    assert cleaned.text == ARTICLE  # offsets index the original text


def test_headline_on_the_line_above_the_body_is_its_own_unit():
    text = "Russia Slams NATO Plans\nMoscow criticised the alliance on Monday. It said more."
    assert [text[s:e] for s, e in clean(text).kept] == [
        "Russia Slams NATO Plans", "Moscow criticised the alliance on Monday. It said more."]


def test_hard_wrapped_lines_stay_one_paragraph():
    text = "The ministers of both countries agreed on a\nnew framework for talks."
    assert len(clean(text).kept) == 1


def test_html_text_and_metadata():
    page = """<html><head><title>Page title</title>
    <meta property="article:published_time" content="2024-06-21T08:00:00Z">
    <meta property="og:site_name" content="Daily Example">
    <script>var x = "Russia attacked";</script></head>
    <body><nav>Home | World</nav><h1>Seoul &amp; Washington</h1>
    <p>Seoul welcomed the <b>decision</b>.</p><footer>(c) Example</footer></body></html>"""
    doc = from_html(page)
    assert doc.text == "Seoul & Washington\n\nSeoul welcomed the decision."
    assert doc.published == "2024-06-21"
    assert doc.publisher == "Daily Example"
    assert doc.title == "Seoul & Washington"  # the page's one headline beats its <title>


def test_markdown_markup_is_stripped():
    doc = from_markdown("# Big news\n\n**Russia** [condemned](http://x.y) the *move*.\n")
    assert doc.text == "Big news\n\nRussia condemned the move."
    assert doc.title == "Big news"


def test_plain_text_is_kept_verbatim():
    assert from_plain("  Title\nBody ").text == "  Title\nBody "
