"""The shapes shipped beside the bundled queries are the shapes their texts parse to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.model.vocab import PREFIXES
from graph.query import known
from graph.query.run import bundled_queries
from graph.query.shape import Shape, digest


def test_the_shipped_shapes_are_those_the_bundled_queries_parse_to() -> None:
    assert known.shapes_file().read_text(encoding="utf-8") == known.file_text(), (
        "graph/query/bundled/shapes.json is stale: run `python -m graph.query.known`"
    )
    assert len(known.computed_shapes()) == len(bundled_queries())


def test_a_query_missing_from_the_file_is_parsed_and_a_file_for_other_prefixes_or_another_reader_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed = known.computed_shapes()
    first = digest(next(iter(bundled_queries().values())).text)
    wrong = Shape(("https://example.org/wrong",), frozenset())
    shipped = {key: value.as_json() for key, value in computed.items() if key != first}
    shipped[next(k for k in computed if k != first)] = wrong.as_json()
    path = tmp_path / "shapes.json"
    monkeypatch.setattr(known, "shapes_file", lambda: path)

    reader = known.reader_digest()
    path.write_text(json.dumps({"prefixes": known.prefixes_digest(), "reader": reader, "shapes": shipped}), encoding="utf-8")
    found = known.bundled_shapes()
    assert found[first] == computed[first]  # parsed: not in the file
    assert wrong in found.values()  # taken from the file, unparsed

    other_prefixes = known.prefixes_digest({**PREFIXES, "ex": "https://example.org/"})
    path.write_text(json.dumps({"prefixes": other_prefixes, "reader": reader, "shapes": shipped}), encoding="utf-8")
    assert known.bundled_shapes() == computed
    # written by another graph/query/shape.py or rdflib: the file is not trusted at all
    path.write_text(json.dumps({"prefixes": known.prefixes_digest(), "reader": "0" * 64, "shapes": shipped}), encoding="utf-8")
    assert known.bundled_shapes() == computed

    for damaged in ("{", "[]", '{"prefixes": 1}', ""):
        path.write_text(damaged, encoding="utf-8")
        assert known.bundled_shapes() == computed
    path.unlink()
    assert known.bundled_shapes() == computed
