"""JSON answers are written by orjson, byte for byte what json writes with ``indent=2``, and by json where orjson cannot."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.cli.ask import emit_json

_SCALARS = st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | st.text()
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20)


def _written(data: Any, capsys: pytest.CaptureFixture[str]) -> str:
    emit_json(data)
    return capsys.readouterr().out


@given(_VALUES)
def test_an_answer_is_the_bytes_json_writes_with_an_indent_of_two(data: Any) -> None:
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        emit_json(data)
    assert buffer.getvalue() == json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_text_is_written_as_it_is_escapes_and_markup_included(capsys: pytest.CaptureFixture[str]) -> None:
    data = {"quote": 'Elon Musk [sic] \x1b[31m "Ja." </script> \u2028 é', "empty": [], "none": {}}
    out = _written(data, capsys)
    assert json.loads(out) == data
    assert "\\u001b[31m" in out
    assert "é" in out


def test_what_orjson_refuses_is_written_by_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = {"big": 2**70, 1: "a key that is a number"}
    assert _written(data, capsys) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
