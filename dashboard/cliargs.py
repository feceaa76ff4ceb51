"""What every `alliance-atlas` subcommand shares: argument types and the progress bar.

A module of its own because `dashboard/cli.py` imports the subcommands' modules
(`export/cli.py`, `formats/cli.py`, `annotator/cli.py`), which cannot import it back.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable

from tqdm import tqdm


def iso_date(text: str) -> dt.date:
    """An argparse type: a YYYY-MM-DD date, or a usage error that quotes what was given."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a YYYY-MM-DD date") from None


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive whole number")
    return int(text)


def progress_bar(unit: str = "file") -> Callable[[int, int], None]:
    """A `progress(done, total)` callback that draws a tqdm bar on stderr; silent when stderr
    is not a terminal (piped or logged)."""
    bar: tqdm | None = None

    def show(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit=unit, file=sys.stderr, disable=None, leave=True)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return show
