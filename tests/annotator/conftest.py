import datetime as dt

import pytest

from dashboard.annotator.pipeline import Annotator


@pytest.fixture(scope="session")
def annotator() -> Annotator:
    return Annotator()


@pytest.fixture(scope="session")
def edges(annotator):
    """The (source, target, relation) triples the annotator draws from a text."""

    def run(text: str, published: str = "2024-06-21") -> set[tuple[str, str, str]]:
        result = annotator.annotate(text, dt.date.fromisoformat(published))
        return {(e.source, e.target, e.relation) for e in result.edges}

    return run
