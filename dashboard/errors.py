"""The exceptions users can see. Every message is written to be read by an analyst, not a
developer: it names the file, the record and the field where it can."""

from __future__ import annotations

# Control characters from a file (an escape sequence that recolours or clears the terminal, a
# carriage return that overwrites the line) are shown as escapes, never sent to a terminal.
_VISIBLE = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F) if c not in (0x09,)}
_VISIBLE.update({c: f"\\u{c:04x}" for c in (*range(0x80, 0xA0), 0x2028, 0x2029, 0x202E)})


def visible(text: str) -> str:
    """`text` with its control characters written as escapes (\\x1b), safe for a terminal."""
    return text.translate(_VISIBLE)


class AtlasError(Exception):
    """Base class: anything the CLI prints as one line and the app shows with `st.error`."""


class InputError(AtlasError):
    """A record of an input file is not valid. The rest of the batch is still processed."""

    def __init__(self, reason: str, *, file: str | None = None, record: str | None = None,
                 field: str | None = None) -> None:
        self.reason = reason
        self.file = file
        self.record = record
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.record:
            where.append(f"record {self.record}")
        if self.field:
            where.append(f"field '{self.field}'")
        text = f"{': '.join(where)}: {self.reason}" if where else self.reason
        return visible(text)

    def located(self, *, file: str | None = None, record: str | None = None) -> InputError:
        """The same error with a file or record filled in where it was not yet known."""
        return InputError(self.reason, file=self.file or file, record=self.record or record,
                          field=self.field)


class UnknownActorError(InputError):
    """A name that no actor in the registry answers to on the given date."""


class RegistryError(AtlasError):
    """The actor registry's own data files are broken."""


class StoreError(AtlasError):
    """The DuckDB store is missing, locked or not an Alliance Atlas store."""


class FilterError(AtlasError):
    """A filter value that cannot be applied (an unknown relation, an empty date range...)."""
