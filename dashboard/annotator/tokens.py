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
    spans = list(spans)
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
            if texts:
                yield Sentence(texts, starts, ends)
