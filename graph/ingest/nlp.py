"""Paragraphs, sentences and tokens: spaCy's blank pipelines, nothing to download.

Sentences are found as the anchoring finds them (:class:`graph.sources.anchor.SentenceIndex`):
paragraphs first (a blank line always ends a sentence, a headline has no full stop), then
spaCy's rule-based sentencizer within each paragraph. ``tests/ingest/test_sentences.py`` checks
that both give the same boundaries on every bundled source.

One change to spaCy's tokenizer: hyphens between letters split a token in every language, as
spaCy's English tokenizer already does. German writes compounds with names ("OpenAI-Chef",
"Musk-Klage"); split, the name is a token of its own and matches as a phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from spacy.language import Language
    from spacy.tokens import Doc, Span

#: A paragraph break: a line break, optional spaces, another line break (as in the anchoring).
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_HYPHEN_INFIX = r"(?<=[\w.])[-–](?=[\w])"


@lru_cache(maxsize=4)
def pipeline(language: str) -> Language:
    """A blank spaCy pipeline for ``de`` or ``en`` (``xx`` otherwise) with the sentencizer."""
    import spacy  # imported lazily: spaCy takes about a second to import
    from spacy.util import compile_infix_regex

    try:
        nlp = spacy.blank(language.split("-")[0])
    except Exception:  # noqa: BLE001 - spaCy raises ImportError or its own error for unknown languages
        nlp = spacy.blank("xx")
    infixes = [*(nlp.Defaults.infixes or ()), _HYPHEN_INFIX]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr] # a blank pipeline's tokenizer is a Tokenizer
    nlp.add_pipe("sentencizer")
    return nlp


def paragraphs(text: str) -> list[tuple[int, str]]:
    """``(offset, paragraph)`` for every paragraph that is not blank, in order."""
    found: list[tuple[int, str]] = []
    offset = 0
    for match in [*PARAGRAPH_BREAK.finditer(text), None]:
        stop = match.start() if match else len(text)
        paragraph = text[offset:stop]
        if paragraph.strip():
            found.append((offset, paragraph))
        offset = match.end() if match else len(text)
    return found


@dataclass(frozen=True)
class Sentence:
    """One sentence: its offsets in the whole text and its tokens (a spaCy span)."""

    index: int
    paragraph: int
    start: int
    end: int
    span: Span
    #: offset of the paragraph the span's character offsets count from
    base: int
    #: the paragraph's text (``Doc.text`` would join its tokens anew on every call)
    paragraph_text: str

    @property
    def text(self) -> str:
        return self.paragraph_text[self.start - self.base : self.end - self.base]

    def slice(self, start: int, end: int) -> str:
        """``text[start:end]`` of the whole text, for offsets within this sentence's paragraph."""
        return self.paragraph_text[start - self.base : end - self.base]

    def token_start(self, i: int) -> int:
        """Offset in the whole text where token ``i`` (index in its doc) starts."""
        return self.base + int(self.span.doc[i].idx)

    def token_end(self, i: int) -> int:
        token = self.span.doc[i]
        return self.base + int(token.idx) + len(token.text)


def sentences(text: str, language: str) -> tuple[list[Doc], list[Sentence]]:
    """Every paragraph as a spaCy doc, and every sentence with its offsets in ``text``.

    A sentence's offsets exclude leading and trailing white space, as the anchoring's do.
    """
    nlp = pipeline(language)
    parts = paragraphs(text)
    docs = list(nlp.pipe(p for _, p in parts))
    found: list[Sentence] = []
    for number, ((offset, paragraph), doc) in enumerate(zip(parts, docs, strict=True)):
        for sent in doc.sents:
            body = sent.text
            lead = len(body) - len(body.lstrip())
            trail = len(body.rstrip())
            if trail > lead:
                found.append(
                    Sentence(
                        index=len(found),
                        paragraph=number,
                        start=offset + sent.start_char + lead,
                        end=offset + sent.start_char + trail,
                        span=sent,
                        base=offset,
                        paragraph_text=paragraph,
                    )
                )
    return docs, found


def sentence_lookup(sentences: Iterable[Sentence]) -> dict[tuple[int, int], Sentence]:
    """(paragraph number, token index) → the sentence holding that token."""
    out: dict[tuple[int, int], Sentence] = {}
    for sentence in sentences:
        for t in range(sentence.span.start, sentence.span.end):
            out[(sentence.paragraph, t)] = sentence
    return out
