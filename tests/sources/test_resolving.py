"""A curator's statement and its resolved record: what is kept as written, and what is computed.

The loader builds each resolved :class:`Statement` from the validated :class:`StatementIn`
by copying the fields both share (``CURATED_AS_WRITTEN``) and computing the rest (id, quote
offsets, language, who asserts it, polarity). These tests hold that copy to the curated files.
"""

from __future__ import annotations

from helpers.run import DATA

from graph.model.records import StatementIn
from graph.sources.loader import CURATED_AS_WRITTEN, load_corpus
from graph.sources.yamlfile import load_yaml


def test_the_fields_kept_as_written_are_those_the_curator_writes_and_the_record_holds_unchanged() -> None:
    assert {
        "subject",
        "predicate",
        "object",
        "value",
        "voice",
        "expressed_in",
        "translation",
        "when",
        "date",
        "hedged",
        "inferred",
        "note",
    } == CURATED_AS_WRITTEN


def test_every_resolved_statement_keeps_what_its_curator_wrote() -> None:
    corpus = load_corpus(DATA)
    compared = 0
    for path in sorted((DATA / "statements").glob("*.yaml")):
        written = [StatementIn.model_validate(item) for item in load_yaml(path, DATA)["statements"]]
        resolved = sorted((s for s in corpus.statements.values() if s.file.endswith(f"statements/{path.name}")), key=lambda s: s.line)
        assert len(resolved) == len(written), path.name
        for raw, statement in zip(written, resolved, strict=True):
            for name in CURATED_AS_WRITTEN:
                assert getattr(statement, name) == getattr(raw, name), (path.name, statement.line, name)
            assert statement.regarding == tuple(raw.regarding)
            assert statement.quote.exact == raw.quote
            assert raw.id is None or statement.id == raw.id
            compared += 1
    assert compared == len(corpus.statements) > 0
