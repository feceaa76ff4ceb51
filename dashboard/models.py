"""The native annotated-article format, defined once as pydantic models.

`data/schema/article.schema.json` is generated from these models (`alliance-atlas schema`) and a
test checks that the committed copy is current. Offsets are Python string indices (Unicode code
points) into `text`, end exclusive, as `text[start:end]`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum
from typing import Annotated
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dashboard.taxonomy import EventType, RelationType

ActorRef = Annotated[str, Field(min_length=1, max_length=200,
                                description="A canonical actor id (USA, NATO) or any alias the "
                                            "registry knows (the US, Washington).")]


class Annotator(StrEnum):
    HUMAN = "human"
    AUTO = "auto"
    REVIEWED = "reviewed"
    # Coded by another project's machine coder (GDELT's event coder), not by our annotator.
    MACHINE = "machine"


class _Strict(BaseModel):
    # A misspelt field would otherwise vanish silently; users must hear about it.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Span(_Strict):
    start: int = Field(ge=0, description="First character, 0-based.")
    end: int = Field(ge=0, description="One past the last character.")

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        return self


class Mention(Span):
    actor: ActorRef
    text: str | None = Field(default=None, description="The covered text, checked if given.")


class Relation(_Strict):
    source: ActorRef
    target: ActorRef
    relation: RelationType
    date: dt.date | None = Field(default=None, description="Event date; else the article's.")
    evidence: Span = Field(description="The sentence (or clause) that states the relation.")
    cue: Span | None = Field(default=None, description="The word(s) that signal the relation.")
    source_span: Span | None = Field(default=None,
                                     description="Where the text names the source actor.")
    target_span: Span | None = Field(default=None,
                                     description="Where the text names the target actor.")
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    annotator: Annotator = Annotator.HUMAN
    rule: str | None = Field(default=None, max_length=200,
                             description="For automatic annotations: the pattern that fired.")
    event: EventType | None = Field(default=None,
                                    description="The PLOVER event type (docs/taxonomy.md).")
    cameo: str | None = Field(default=None, pattern=r"^(0[1-9]|1[0-9]|20)[0-9]{0,2}$",
                              description="The CAMEO code (root or full) of the event.")



def http_url(url) -> str | None:
    """`url` (stripped) if it is an absolute http(s) address whose host and port parse, else
    None; never raises. The one URL check: the article model at ingest, GDELT's reader and the
    pages' links (`marking.safe_url`) use it."""
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in url):  # a line break or control code
        return None
    try:
        parsed = urlparse(url)
        host = parsed.hostname
        parsed.port  # noqa: B018 - raises for a port that is not a number in range
    except ValueError:
        return None
    if parsed.scheme.lower() not in ("http", "https") or not host:
        return None
    return url


class Article(_Strict):
    id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    title: str = Field(min_length=1, max_length=1000)
    published: dt.date
    publisher: str = Field(min_length=1, max_length=200)
    url: str | None = None
    text: str = Field(min_length=1)
    language: str = "en"
    mentions: list[Mention] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)

    @field_validator("url")
    @classmethod
    def _http_only(cls, url: str | None) -> str | None:
        # Article URLs become links in the app: anything but http(s) could run script, and one
        # that does not parse (https://[x]/story) would fail every page that links it.
        if url is None or url == "":
            return None
        if http_url(url) is None:
            raise ValueError("must be an http:// or https:// address with a valid host "
                             "and port")
        return url

    @model_validator(mode="after")
    def _spans_inside_text(self) -> Article:
        n = len(self.text)
        for i, m in enumerate(self.mentions):
            if m.end > n:
                raise ValueError(f"mentions[{i}]: span {m.start}-{m.end} is outside the text "
                                 f"({n} characters)")
            if m.text is not None and self.text[m.start:m.end] != m.text:
                raise ValueError(f"mentions[{i}]: text at {m.start}-{m.end} is "
                                 f"{self.text[m.start:m.end]!r}, not {m.text!r}")
        for i, r in enumerate(self.relations):
            for name, span in (("evidence", r.evidence), ("cue", r.cue),
                               ("source_span", r.source_span), ("target_span", r.target_span)):
                if span is not None and span.end > n:
                    raise ValueError(f"relations[{i}].{name}: span {span.start}-{span.end} is "
                                     f"outside the text ({n} characters)")
        return self

    def content_hash(self) -> str:
        """Changes whenever anything a user could see changes; drives idempotent ingest."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()


def json_schema() -> dict:
    schema = Article.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Alliance Atlas annotated article"
    return schema
