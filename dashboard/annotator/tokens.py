"""Tokens and sentences from spaCy's blank English pipeline (rule-based, no model download).

The rest of the annotator works on plain lists (texts, lower-cased texts, character offsets),
which are faster to scan in Python than spaCy `Token` objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

QUOTES = frozenset({'"', "“", "”", "'", "‘", "’", "«", "»", "``", "''"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


@dataclass
class Sentence:
    """One sentence: token texts and offsets into the article text."""

    texts: list[str]
    starts: list[int]
    ends: list[int]
    lowers: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.lowers:
            self.lowers = [t.lower() for t in self.texts]

    @property
    def start(self) -> int:
        return self.starts[0]

    @property
    def end(self) -> int:
        return self.ends[-1]

    def __len__(self) -> int:
        return len(self.texts)


@lru_cache(maxsize=1)
def nlp():
    import spacy  # imported late: loading spaCy is slow and only annotation needs it

    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    return pipeline


def tokenize(words: str) -> list[str]:
    """The token texts of a phrase, as sentences are tokenized (for alias and cue tables)."""
    return [t.text for t in nlp().make_doc(words) if not t.is_space]


def sentences(text: str, spans: Iterable[tuple[int, int]]) -> Iterator[Sentence]:
    """The sentences of each span of `text`; a span (paragraph) never shares a sentence."""
    spans = [piece for span in spans for piece in _chunks(text, *span)]
    docs = nlp().pipe(text[s:e] for s, e in spans)
    for (offset, _), doc in zip(spans, docs, strict=True):
        for sent in doc.sents:
            texts, starts, ends = [], [], []
            for tok in sent:
                if tok.is_space:
                    continue
                texts.append(tok.text)
                starts.append(offset + tok.idx)
                ends.append(offset + tok.idx + len(tok.text))
            yield from _pieces(texts, starts, ends)


# spaCy refuses texts over 1,000,000 characters (`nlp.max_length`); a paragraph is read in
# pieces of at most this many, cut at a space, so any input is read with bounded memory.
MAX_CHARS = 100_000


def _chunks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > MAX_CHARS:
        cut = text.rfind(" ", start + MAX_CHARS // 2, start + MAX_CHARS)
        cut = cut if cut > start else start + MAX_CHARS
        yield start, cut
        start = cut
    yield start, end


# A wire sentence has 20-40 tokens; a "sentence" of hundreds is a table, a list, minified
# text or a line without full stops. Longer ones are read in pieces cut at the last clause
# mark before the limit, which keeps the rules' work per token bounded (a 1 MB line with no
# full stop would otherwise be one sentence of 200,000 tokens).
MAX_TOKENS = 80
_CUTS = frozenset({";", ":", ",", "—", "–", "|"})


def _pieces(texts: list[str], starts: list[int], ends: list[int]) -> Iterator[Sentence]:
    i, n = 0, len(texts)
    while i < n:
        stop = min(n, i + MAX_TOKENS)
        if stop < n:
            cut = next((k for k in range(stop - 1, i + MAX_TOKENS // 2, -1)
                        if texts[k] in _CUTS), None)
            stop = cut + 1 if cut is not None else stop
        yield Sentence(texts[i:stop], starts[i:stop], ends[i:stop])
        i = stop
