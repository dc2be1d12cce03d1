"""Anchoring quotes: find each curated quote in its source and record exact offsets.

Curators write only the quote. Matching is exact (typographic quote marks, ellipses and line
breaks are part of the text), because a quote that was silently "fixed" is no longer a quote.
When a quote is not found, the error shows the closest passage (rapidfuzz's best partial
alignment) and its line, and says when only quote marks, dashes or spaces differ.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from graph.sources.sentences import sentence_spans
from graph.sources.text import MAX_SOURCE_BYTES, line_of

if TYPE_CHECKING:
    from spacy.language import Language

#: Longest prefix or suffix kept around a quote (characters).
CONTEXT_CHARS = 300
#: An ambiguous quote's error names the lines of this many of its occurrences, then counts the rest.
SHOWN_PLACES = 10
#: A quote longer than this is placed by its two ends when it is not found (see :func:`closest_passage`).
PROBE_CHARS = 64
#: Characters of source text searched for closest passages in one run; the later misses go unexplained.
HINT_BUDGET_CHARS = 20_000_000
QUOTE_NOT_FOUND = "quote not found in source"
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_NEWLINE = re.compile("\n")
_LOOSE = str.maketrans({"„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'", "«": '"', "»": '"', "–": "-", "—": "-", "\u00a0": " "})


class AnchorError(ValueError):
    """A quote that cannot be anchored; the message says why and what is close."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def occurrences(text: str, quote: str) -> list[int]:
    """Every start offset of ``quote`` in ``text``, overlapping ones included."""
    found = []
    at = text.find(quote)
    while at != -1:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def _loose(value: str) -> str:
    return " ".join(value.translate(_LOOSE).replace("...", "…").split())


def _snippet(value: str, limit: int = 90) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def closest_passage(text: str, quote: str) -> tuple[int, int, float]:
    """The passage of ``text`` most like ``quote``: (start, end, score 0-100).

    rapidfuzz's partial alignment costs about text length times quote length once the quote is
    longer than 64 characters: a 2,000-character quote that is nowhere in a 1 MB text took 2.7 s,
    a 20,000-character one 359 s, and a quote of letters the text lacks (``ü`` × 2,000) 92 s. A
    long quote is therefore placed by its first and its last :data:`PROBE_CHARS` characters (the
    fast bit-parallel case: at most 0.1 s per MB each; all figures measured 2026-12-03 on 2 cores), and each
    of the two places is scored by the plain similarity of the whole quote with the passage of
    its length there. A curator who changed one word finds the passage all the same; only a quote
    whose both ends were changed gets a worse hint.
    """
    if len(quote) <= PROBE_CHARS:
        alignment = fuzz.partial_ratio_alignment(quote, text)
        if alignment is None:  # pragma: no cover - only for empty inputs
            return 0, 0, 0.0
        return (*_whole_words(text, alignment.dest_start, alignment.dest_end), alignment.score)
    best = (0, 0, -1.0)
    for probe, from_end in ((quote[:PROBE_CHARS], False), (quote[-PROBE_CHARS:], True)):
        alignment = fuzz.partial_ratio_alignment(probe, text)
        if alignment is None:  # pragma: no cover - only for empty inputs
            continue
        start = max(0, alignment.dest_end - len(quote)) if from_end else alignment.dest_start
        start, end = _whole_words(text, start, min(len(text), start + len(quote)))
        score = fuzz.ratio(quote, text[start:end])
        if score > best[2]:
            best = (start, end, score)
    return best if best[2] >= 0 else (0, 0, 0.0)


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` widened to whole words, so that the passage shown is one a reader can find."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def anchor(text: str, quote: str, occurrence: int | None = None, explain: bool = True) -> Span:
    """Locate ``quote`` in ``text``; ``occurrence`` (1-based) picks one of several matches.

    ``explain=False`` skips the search for the closest passage when a quote is not found (it
    costs a fuzzy alignment over the whole text, and the caller keeps no more messages).
    """
    starts = occurrences(text, quote)
    if not starts and not explain:
        raise AnchorError(QUOTE_NOT_FOUND)
    if not starts:
        start, end, score = closest_passage(text, quote)
        hint = ""
        if _loose(quote) == _loose(text[start:end]) or _loose(quote) in _loose(text):
            hint = " (it differs only in quote marks, dashes, ellipsis or spacing: copy the passage exactly)"
        raise AnchorError(
            f"{QUOTE_NOT_FOUND}{hint}; closest passage (line {line_of(text, start)}, {score:.0f}% similar): '{_snippet(text[start:end])}'"
        )
    if occurrence is None:
        if len(starts) > 1:
            raise AnchorError(
                f"quote is ambiguous: it occurs {len(starts):,} times ({_places(text, starts)}); add 'occurrence: N' or quote a longer passage"
            )
        occurrence = 1
    if occurrence > len(starts):
        raise AnchorError(f"occurrence {occurrence} asked for, but the quote occurs only {len(starts)} time(s)")
    start = starts[occurrence - 1]
    return Span(start, start + len(quote))


def _places(text: str, starts: list[int]) -> str:
    """The lines of the first few starts, and how many more: short, and linear in the text.

    One ``line_of`` per start counted the text from its beginning each time: 300,000
    occurrences of a quote in a 1 MB text took 40 s and wrote a 1.7 MB error line (2026-12-01,
    2 cores).
    """
    shown = starts[:SHOWN_PLACES]
    lines = []
    line, at = 1, 0
    for start in shown:  # ascending: count only the newlines between one start and the next
        line += text.count("\n", at, start)
        at = start
        lines.append(str(line))
    more = len(starts) - len(shown)
    return "lines " + ", ".join(lines) + (f" and {more:,} more" if more else "")


@lru_cache(maxsize=8)
def _sentencizer(language: str) -> Language:
    import spacy  # imported lazily: spaCy takes about a second to import

    try:
        nlp = spacy.blank(language.split("-")[0])
    except Exception:  # noqa: BLE001 - spaCy raises ImportError or its own error for unknown languages
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    # spaCy refuses texts over 1,000,000 characters because its parser and NER need about 1 GB
    # per 100,000 words; the rule-based sentencizer needs none of that, and sources up to
    # MAX_SOURCE_BYTES are accepted, so one paragraph may be that long
    nlp.max_length = MAX_SOURCE_BYTES + 1
    return nlp


class SentenceIndex:
    """Sentence boundaries of one text: paragraphs first, then spaCy's rule-based sentencizer.

    Paragraph breaks always end a sentence (a headline has no full stop); within a paragraph
    spaCy's tokenizer and the sentencizer's rule decide (:mod:`graph.sources.sentences`: the
    same boundaries without a ``Token`` object per word). Boundaries are computed once per text
    (all paragraphs in one ``tokenizer.pipe`` batch) and shared by all its quotes; each quote
    then finds its sentences by bisection, so a long source with thousands of quotes costs no
    more per quote than a short one.
    """

    def __init__(self, text: str, language: str):
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self._newlines: list[int] | None = None
        nlp = _sentencizer(language)
        paragraphs: list[tuple[int, str]] = []
        offset = 0
        for match in [*_PARAGRAPH.finditer(text), None]:
            stop = match.start() if match else len(text)
            paragraph = text[offset:stop]
            if paragraph.strip():
                paragraphs.append((offset, paragraph))
            offset = match.end() if match else len(text)
        for (offset, paragraph), spans in zip(paragraphs, sentence_spans(nlp, (p for _, p in paragraphs)), strict=True):
            for start, end in spans:
                body = paragraph[start:end]
                lead = len(body) - len(body.lstrip())
                trail = len(body.rstrip())
                if trail > lead:
                    self.starts.append(offset + start + lead)
                    self.ends.append(offset + start + trail)

    def context(self, span: Span) -> tuple[str, str]:
        """(prefix, suffix): the rest of the sentences that hold the quote, each capped."""
        sent_start = span.start
        sent_end = span.end
        k = bisect.bisect_right(self.starts, span.start) - 1
        if k >= 0 and span.start < self.ends[k]:
            sent_start = self.starts[k]
        j = bisect.bisect_left(self.ends, span.end)
        if j < len(self.ends) and self.starts[j] < span.end:
            sent_end = self.ends[j]
        prefix = self.text[max(sent_start, span.start - CONTEXT_CHARS) : span.start]
        suffix = self.text[span.end : min(sent_end, span.end + CONTEXT_CHARS)]
        return prefix, suffix

    def line_of(self, offset: int) -> int:
        """1-based line of an offset, by bisection over the text's line breaks."""
        if self._newlines is None:
            self._newlines = [m.start() for m in _NEWLINE.finditer(self.text)]
        return bisect.bisect_left(self._newlines, offset) + 1
