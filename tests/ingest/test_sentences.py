"""The extractor cuts sentences where the anchoring does (paragraphs first, then spaCy's sentencizer)."""

from __future__ import annotations

import pytest
from helpers.extraction import HELDOUT, TUNING
from helpers.run import DATA

from graph.ingest.nlp import sentences
from graph.sources.anchor import SentenceIndex


def _texts() -> list[tuple[str, str]]:
    import yaml

    found = []
    for folder in (DATA, TUNING, HELDOUT):
        for meta in sorted((folder / "sources").glob("*.yaml")):
            record = yaml.safe_load(meta.read_text(encoding="utf-8"))
            found.append((meta.with_suffix(".txt").read_text(encoding="utf-8"), record["language"]))
    return found


@pytest.mark.parametrize(("text", "language"), _texts())
def test_sentences_are_the_anchorings_sentences(text: str, language: str) -> None:
    index = SentenceIndex(text, language)
    _, found = sentences(text, language)
    assert [(s.start, s.end) for s in found] == list(zip(index.starts, index.ends, strict=True))
