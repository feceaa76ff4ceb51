"""Parse HTML the way a browser tokenizer would (stdlib `html.parser`) and report what in it
could run script: elements and attributes, handler attributes, script URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

SCRIPT_SCHEMES = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster",
             "background"}


@dataclass
class Parsed:
    tags: list[str] = field(default_factory=list)
    attrs: list[tuple[str, str, str]] = field(default_factory=list)  # tag, name, value
    text: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # inline script bodies

    @property
    def tag_set(self) -> set[str]:
        return set(self.tags)

    def plain(self) -> str:
        return "".join(self.text)

    def dangers(self) -> list[str]:
        """Handler attributes, script-scheme URLs and srcdoc documents."""
        found = []
        for tag, name, value in self.attrs:
            if name.startswith("on"):
                found.append(f"<{tag} {name}=...>")
            if name in URL_ATTRS and value and (SCRIPT_SCHEMES.match(value) or name == "srcdoc"):
                found.append(f"<{tag} {name}={value[:40]!r}>")
        return found


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = Parsed()
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.out.tags.append(tag)
        for name, value in attrs:
            self.out.attrs.append((tag, name.lower(), value or ""))
        if tag == "script":
            self._in_script = True
            self.out.scripts.append("")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.out.scripts[-1] += data
        else:
            self.out.text.append(data)


def parse(markup: str) -> Parsed:
    parser = _Parser()
    parser.feed(markup)
    parser.close()
    return parser.out


def assert_inert(markup: str, baseline: str, what: str) -> Parsed:
    """`markup` (built from untrusted text) has exactly the elements of `baseline` (the same
    builder with harmless text), no handler attributes and no script URLs."""
    got, base = parse(markup), parse(baseline)
    extra = got.tag_set - base.tag_set
    assert not extra, f"{what}: untrusted text became elements {sorted(extra)}"
    assert got.tags.count("script") == base.tags.count("script"), \
        f"{what}: a script element was added"
    assert not got.dangers(), f"{what}: {got.dangers()}"
    return got
