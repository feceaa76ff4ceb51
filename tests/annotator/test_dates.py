import datetime as dt

import pytest

from dashboard.annotator.dates import event_date, find_dates
from dashboard.annotator.tokens import tokenize

FRIDAY = dt.date(2024, 6, 21)


def resolve(sentence: str, published=FRIDAY) -> list[dt.date]:
    return [d.date for d in find_dates([t.lower() for t in tokenize(sentence)], published)]


@pytest.mark.parametrize("sentence, expected", [
    ("They met on Wednesday", [dt.date(2024, 6, 19)]),
    ("They met Friday", [FRIDAY]),
    ("They met last Friday", [dt.date(2024, 6, 14)]),
    ("They will meet on Monday", [dt.date(2024, 6, 24)]),
    ("They met yesterday", [dt.date(2024, 6, 20)]),
    ("They met last week", [dt.date(2024, 6, 14)]),
    ("They met last month", [dt.date(2024, 5, 1)]),
    ("They met on 4 April", [dt.date(2024, 4, 4)]),
    ("They met on April 4, 2023", [dt.date(2023, 4, 4)]),
    ("They met on 24 February 2022", [dt.date(2022, 2, 24)]),
    ("They met on 30 December", [dt.date(2023, 12, 30)]),  # not next December
    ("They met in March", [dt.date(2024, 3, 1)]),
    ("No date here", []),
])
def test_resolution(sentence, expected):
    assert resolve(sentence) == expected


def test_report_date_gives_way_to_event_date():
    words = "yonhap reported friday that they signed a treaty on wednesday .".split()
    dates = find_dates(words, FRIDAY)
    assert [d.report for d in dates] == [True, False]
    assert event_date(dates, words.index("signed"), FRIDAY) == dt.date(2024, 6, 19)


def test_no_date_means_the_published_date():
    assert event_date([], 3, FRIDAY) == FRIDAY
