"""YAML reading that remembers line numbers and refuses duplicate keys.

PyYAML (with its C parser when available) silently keeps the last of two equal keys and forgets
where each value came from. Curated data needs both: an error must name file, line and field,
and a duplicated key is almost always a copy-paste mistake. The mapping and sequence types below
are plain ``dict``/``list`` subclasses, so pydantic validates them as usual.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from graph.errors import DataError
from graph.sources.files import decode_utf8, read_data_file

try:  # the C parser is ~10x faster; the constructor below stays in Python either way
    _Base: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader

#: Largest YAML file we read; a curated file this big is a mistake or an attack.
MAX_YAML_BYTES = 256 * 1024 * 1024


class LineDict(dict[str, Any]):
    """A mapping that knows the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A sequence that knows the line of itself and of each item (1-based)."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


_LOG10_2 = math.log10(2)
#: The most bits an int read from YAML may have: one more decimal digit than Python prints without error.
_MAX_DIGITS = sys.get_int_max_str_digits() or 4300
_MAX_INT_BITS = int(_MAX_DIGITS / _LOG10_2)

#: Tags of short plain scalars already resolved (keys, ids, voices repeat millions of times).
_TAGS: dict[tuple[str, tuple[bool, bool]], str] = {}
_TAG_CACHE_LIMIT = 200_000


class _Loader(_Base):  # type: ignore[misc,valid-type]
    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # A scalar's implicit tag depends only on its text and style; PyYAML tries its regular
        # expressions anew for every scalar, which was a third of the time spent reading data.
        if kind is ScalarNode and isinstance(value, str) and len(value) <= 64:
            key = (value, tuple(implicit))
            tag = _TAGS.get(key)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_TAGS) < _TAG_CACHE_LIMIT:
                    _TAGS[key] = tag
            return tag
        return super().resolve(kind, value, implicit)

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        # An alias yields a node that was constructed before. Refusing aliases keeps hostile
        # files ("billion laughs") from exploding later, when the data is walked.
        if node in self.constructed_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "YAML aliases and merge keys (*name, <<) are not allowed in quotegraph data", node.start_mark
            )
        try:
            value = super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:
            # PyYAML turns `2024-02-30` into a date and a 5,000-digit number into an int, and
            # lets Python's ValueError through: it was a traceback instead of a message
            raise BadValue(_why(node, exc), node.start_mark) from None
        if type(value) is int and value.bit_length() > _MAX_INT_BITS:
            # 0x…, 0b… and base-60 numbers are read without Python's limit on decimal digits,
            # and then fail wherever they are printed (a traceback in the duplicate check)
            digits = int(value.bit_length() * _LOG10_2) + 1
            raise BadValue(f"a number of about {digits:,} digits, more than the {_MAX_DIGITS:,} allowed", node.start_mark)
        return value


class BadValue(yaml.constructor.ConstructorError):
    """A scalar that YAML resolves to a date or number that cannot exist; knows the field it is in."""

    def __init__(self, problem: str, mark: Any):
        super().__init__(None, None, problem, mark)
        self.path: list[str | int] = []

    def field(self) -> str | None:
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
        return text or None


def _why(node: Any, exc: Exception) -> str:
    value = str(getattr(node, "value", ""))
    digits = sum(c.isdigit() for c in value)
    if "Exceeds the limit" in str(exc):
        return f"a number of {digits:,} digits, more than the {sys.get_int_max_str_digits():,} allowed"
    shown = value if len(value) <= 40 else value[:37] + "..."
    what = "date" if node.tag.endswith(":timestamp") else "number" if node.tag.endswith((":int", ":float")) else "value"
    return f"'{shown}' is not a valid {what} ({exc})"


def _construct_mapping(loader: _Loader, node: MappingNode) -> LineDict:
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
        except BadValue as exc:
            exc.path.insert(0, key)
            raise
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: SequenceNode) -> LineList:
    result = LineList()
    for index, child in enumerate(node.value):
        try:
            result.append(loader.construct_object(child, deep=True))
        except BadValue as exc:
            exc.path.insert(0, index)
            raise
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: Path, root: Path) -> Any:
    """Parse one YAML file of the data folder ``root``; any failure becomes a one-line :class:`DataError` naming file and line."""
    text = decode_utf8(read_data_file(path, root, MAX_YAML_BYTES), str(path), "")
    if not text.strip():
        raise DataError.single(path, None, None, "file is empty")
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except BadValue as exc:
        raise DataError.single(path, exc.problem_mark.line + 1 if exc.problem_mark else None, exc.field(), exc.problem or "") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise DataError.single(path, mark.line + 1 if mark else None, None, f"invalid YAML: {problem}") from exc
    except yaml.reader.ReaderError as exc:  # characters YAML does not allow, found before any parsing
        line = text.count("\n", 0, exc.position) + 1
        raise DataError.single(path, line, None, f"invalid YAML: {exc.reason} (U+{exc.character:04X})") from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise DataError.single(path, None, None, f"invalid YAML: {' '.join(str(exc).split())}") from exc
