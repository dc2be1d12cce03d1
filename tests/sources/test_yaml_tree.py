"""The YAML reader's loop reads every document as PyYAML's recursive constructor does.

graph.sources.yamlfile reads mappings, sequences and strings in one loop over a stack instead
of PyYAML's recursion. The reference here is the constructor it replaced, written the PyYAML
way (``construct_object`` recursing through registered constructors): on generated documents
(hypothesis) with duplicate keys, aliases, merge keys, impossible dates, huge numbers and
explicit tags, both give the same values, the same types, the same lines, or the same error.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, SequenceNode

import graph.sources.yamlfile as yamlfile
from graph.errors import DataError
from graph.sources.yamlfile import LineDict, LineList, load_yaml


class _Recursive(yamlfile._Base):  # type: ignore[misc,name-defined]
    """The constructor as PyYAML builds it: recursive, with PyYAML's bookkeeping."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "YAML aliases and merge keys (*name, <<) are not allowed in quotegraph data", node.start_mark
            )
        try:
            value = super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:
            raise yamlfile.BadValue(yamlfile._why(node, exc), node.start_mark) from None
        if type(value) is int and value.bit_length() > yamlfile._MAX_INT_BITS:
            digits = int(value.bit_length() * yamlfile._LOG10_2) + 1
            raise yamlfile.BadValue(f"a number of about {digits:,} digits, more than the {yamlfile._MAX_DIGITS:,} allowed", node.start_mark)
        return value


def _mapping(loader: _Recursive, node: MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}' (first on line {result.key_lines[key]})", key_node.start_mark
            )
        try:
            result[key] = loader.construct_object(value_node, deep=True)
        except yamlfile.BadValue as exc:
            exc.path.insert(0, key)
            raise
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Recursive, node: SequenceNode) -> LineList:
    result = LineList()
    for index, child in enumerate(node.value):
        try:
            result.append(loader.construct_object(child, deep=True))
        except yamlfile.BadValue as exc:
            exc.path.insert(0, index)
            raise
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Recursive.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Recursive.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def _shape(value: Any) -> Any:
    """Everything a reader of the data can see: values, types and lines."""
    if isinstance(value, LineDict):
        return ("map", value.line, dict(value.key_lines), [(k, _shape(v)) for k, v in value.items()])
    if isinstance(value, LineList):
        return ("seq", value.line, list(value.item_lines), [_shape(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    if isinstance(value, (set, frozenset)):
        return ("set", sorted(map(repr, value)))
    return (type(value).__name__, repr(value))


def _outcome(path: Path, loader: type) -> Any:
    original = yamlfile._Loader
    yamlfile._Loader = loader
    try:
        return ("ok", _shape(load_yaml(path, path.parent)))
    except DataError as exc:
        return ("error", str(exc))
    finally:
        yamlfile._Loader = original


KEYS = st.sampled_from(["id", "quote", "voice", "a", "b", "ä", "1", "true", "null", "2024-01-01"])
SCALARS = st.one_of(
    st.text(max_size=12),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.dates(),
)
DATA = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=20)
#: snippets a hand-written file may hold that ``yaml.dump`` never writes
SNIPPETS = st.sampled_from(
    [
        "2024-02-30", "0x" + "f" * 20_000, "1" * 5000, "&x [1, 2]", "*x", "&y value", "*y", "{<<: {a: 1}, b: 2}",
        "{<<: [{a: 1}, {c: 3}], a: 0}", "{=: 1}", "!!str 5", "!!int '7'", "!!set {a, b}", "!!omap [{a: 1}, {b: 2}]",
        "!!binary aGVsbG8=", "!!float 1e3", "!!null ''", "!!map {a: [1, 2026-13-01]}", "!!seq [x, {y: 2024-02-30}]",
        "'quoted: #'", '"a\\tb"', "|\n    block\n    text", "[a, [b, [c, [2024-02-31]]]]", "{a: 1, a: 2}",
        "{? [1, 2] : x}", "~", "yes", "1_000", "0o17", "190:20:30", ".inf", "-.NaN",
    ]
)  # fmt: skip


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        key = draw(KEYS)
        if draw(st.booleans()):
            lines.append(f"{key}: {draw(SNIPPETS)}")
        else:
            dumped = yaml.safe_dump(
                draw(DATA), default_flow_style=draw(st.sampled_from([False, True, None])), allow_unicode=draw(st.booleans())
            )
            lines.append(f"{key}:\n" + "".join("  " + line + "\n" for line in dumped.splitlines()))
    return "\n".join(lines) + "\n"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=documents())
@example(text="a: &x {b: 1}\nc: *x\n")
@example(text="a: {b: [1, {c: 2024-02-30}]}\n")
@example(text="- a\n- [b, {c: 0x" + "f" * 20_000 + "}]\n")
@example(text="a: 1\nb: {c: 1, c: 2}\n")
@example(text="? {a: 1}\n: x\n")
def test_the_loop_reads_as_pyyamls_recursion(tmp_path: Path, text: str) -> None:
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    assert _outcome(path, yamlfile._Loader) == _outcome(path, _Recursive)


@pytest.mark.parametrize("depth", [100, 900, 999])
def test_deep_nesting_is_read_up_to_the_parsers_limit(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * depth + "x" + "]" * depth + "\n", encoding="utf-8")
    value = load_yaml(path, tmp_path)["a"]
    for _ in range(depth):
        assert isinstance(value, LineList)
        value = value[0]
    assert value == "x"


def test_deeper_nesting_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 1001 + "]" * 1001 + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"deep\.yaml:1: invalid YAML: exceeded maximum nesting depth"):
        load_yaml(path, tmp_path)


def test_deep_nesting_through_pyyamls_own_constructors_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "omap.yaml"
    path.write_text("a: " + "!!omap [{b: " * 400 + "x" + "}]" * 400 + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"omap\.yaml: invalid YAML: nested too deeply"):
        load_yaml(path, tmp_path)
