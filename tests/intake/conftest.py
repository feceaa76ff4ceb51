import pytest

from dashboard.intake.http import Policy
from tests.intake.site import serve


@pytest.fixture
def site():
    with serve() as running:
        yield running


@pytest.fixture
def fast_policy():
    """No waiting between requests to the local server, short timeouts, quick retries."""
    return Policy(timeout=0.5, retries=1, backoff=0.01, interval=0.0, max_bytes=2**20)
