"""Sentence boundaries from spaCy's tokenizer, with the rule of spaCy's sentencizer run over the token arrays.

spaCy's rule-based ``sentencizer`` walks a ``Doc`` token by token in Python terms: every token
becomes a ``Token`` object, its text a new string, and ``doc.sents`` then makes a ``Span`` and
its text per sentence. For the anchoring that was most of the cost of finding sentences: in a
profile of a build worker (2026-12-04, 100,000-statement corpus, four batches, 22,125
statements, cProfile) ``SentenceIndex`` took 3.15 s of 15.1 s, of which the tokenizer itself was
0.88 s and the ``Token`` objects, the sentencizer's loop and the spans the rest.

Here the tokenizer still cuts the tokens (its rules are spaCy's, language by language), and the
sentencizer's loop runs over plain integers: one ``Doc.to_array`` per paragraph (offset, length,
``is_punct``, the string hash) as Python lists. The rule is that of
``spacy/pipeline/sentencizer.pyx`` (spaCy 3.8): the first token starts a sentence; a token that
is neither punctuation (``is_punct``) nor one of the sentence-final characters (``punct_chars``)
starts one when such a character was seen since the last start. A sentence runs to the token
before the next start; its text is the document's text from its first token's offset to the end
of its last token, as ``Span.text`` gives it. A NumPy version of the same rule (cumulative sums
over the arrays) was slower on news paragraphs: its dozen array calls per paragraph cost more
than the loop over some forty tokens. In the same profile (2026-12-04) ``SentenceIndex`` now
takes 1.55 s (the tokenizer 0.77 s of it); the NumPy version took 3.26 s, no gain over spaCy's.

``tests/sources/test_sentence_rule.py`` checks, on generated texts in German, English and an unknown
language (hypothesis) and on every bundled source, that the boundaries are the sentencizer's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from spacy.language import Language


def _attributes() -> list[int]:
    from spacy.attrs import IDX, IS_PUNCT, LENGTH, ORTH

    return [IDX, LENGTH, IS_PUNCT, ORTH]


def _final_hashes(nlp: Language) -> frozenset[int]:
    """The string-store hashes of the sentencizer's sentence-final characters."""
    punct_chars = nlp.get_pipe("sentencizer").punct_chars  # type: ignore[attr-defined] # spaCy's Sentencizer
    return frozenset(nlp.vocab.strings.add(char) for char in punct_chars)


def sentence_spans(nlp: Language, texts: Iterable[str]) -> Iterator[list[tuple[int, int]]]:
    """For each text, the ``(start, end)`` character offsets of its sentences, as spaCy's sentencizer cuts them.

    ``nlp`` is a pipeline with a ``sentencizer``; only its tokenizer runs. The offsets are those of
    ``Span.start_char`` and ``Span.start_char + len(Span.text)``.
    """
    finals = _final_hashes(nlp)
    attributes = _attributes()
    for doc in nlp.tokenizer.pipe(texts):  # type: ignore[union-attr] # a blank pipeline's tokenizer is a Tokenizer
        if len(doc) == 0:
            yield []
            continue
        rows = doc.to_array(attributes).tolist()
        spans: list[tuple[int, int]] = []
        start, end, seen = rows[0][0], 0, False
        for idx, length, punct, orth in rows:
            if orth in finals:
                seen = True
            elif seen and not punct:
                spans.append((start, end))
                start, seen = idx, False
            end = idx + length
        spans.append((start, end))
        yield spans
