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
_TAGS: dict[str, str] = {}
_TAG_CACHE_LIMIT = 200_000
_STR = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
_MAP = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQ = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
#: Key tags that make PyYAML rewrite a mapping before it is read (``<<`` merges, ``=`` values).
_FLATTEN = frozenset({"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"})


def _is_tree(node: Any) -> bool:
    """A mapping or sequence with its default tag (a ``!!map`` tag on a list is PyYAML's to refuse)."""
    return (node.tag == _MAP and type(node) is MappingNode) or (node.tag == _SEQ and type(node) is SequenceNode)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """PyYAML's safe loader with a constructor that reads the tree without recursion.

    PyYAML's ``construct_object`` recurses through every node and keeps its bookkeeping
    (constructed objects, recursion guards, generators for two-step construction) for each
    scalar; strings, mappings and sequences with the default tags, which is all that curated
    data holds, are read here in one loop over an explicit stack, and every other tag (numbers,
    dates, booleans, ``!!set`` …) goes to PyYAML's own constructors. In a profile of a build
    worker (2026-12-04, 100,000-statement corpus, 726 statement files) construction and tag
    resolution took 2.5 s of the 4.5 s spent reading YAML; with this loop (and a tag cache
    keyed by the text alone) reading took 3.2 s in the same profile.
    ``tests/sources/test_yaml_tree.py`` checks that it reads every document as PyYAML's
    recursive constructor does (values, types, lines, errors). Without
    recursion a deeply nested file is the parser's to refuse (libyaml stops at 1,000 levels),
    not Python's: with the recursive constructor 900 nested lists were a RecursionError.
    """

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        #: ids of the nodes read so far: a node met twice came through an alias
        self._seen: set[int] = set()

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # A plain scalar's implicit tag depends only on its text (PyYAML tries its regular
        # expressions anew for every one, a third of the time spent reading data); a quoted
        # scalar is a string. There are no path resolvers in a safe loader.
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR
            tag = _TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 64 and len(_TAGS) < _TAG_CACHE_LIMIT:
                    _TAGS[value] = tag
            return tag
        return super().resolve(kind, value, implicit)

    def construct_document(self, node: Any) -> Any:
        self._seen = set()
        try:
            return self.construct_object(node, deep=True)
        finally:
            self._seen = set()
            self.constructed_objects: dict[Any, Any] = {}
            self.recursive_objects: dict[Any, Any] = {}
            self.state_generators: list[Any] = []
            self.deep_construct = False

    def _refuse_alias(self, node: Any) -> None:
        # An alias yields a node that was read before. Refusing aliases keeps hostile files
        # ("billion laughs") from exploding later, when the data is walked.
        if id(node) in self._seen:
            raise yaml.constructor.ConstructorError(
                None, None, "YAML aliases and merge keys (*name, <<) are not allowed in quotegraph data", node.start_mark
            )
        self._seen.add(id(node))

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        self._refuse_alias(node)
        if node.tag == _STR and type(node) is ScalarNode:
            return node.value
        if _is_tree(node):
            return self._construct_tree(node)
        try:
            value = super().construct_object(node, deep=True)
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

    def _open(self, node: Any) -> LineDict | LineList:
        """An empty container for a mapping or sequence node, with its lines."""
        if type(node) is MappingNode:
            if any(key.tag in _FLATTEN for key, _ in node.value):
                self.flatten_mapping(node)
            mapping = LineDict()
            mapping.line = node.start_mark.line + 1
            mapping.key_lines = {}
            return mapping
        sequence = LineList()
        sequence.line = node.start_mark.line + 1
        sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
        return sequence

    def _scalar(self, node: Any) -> Any:
        """A node that is not a tree: most often a plain string, read without a call to PyYAML."""
        if node.tag == _STR and type(node) is ScalarNode and id(node) not in self._seen:
            self._seen.add(id(node))
            return node.value
        return self.construct_object(node, deep=True)

    def _construct_tree(self, root: Any) -> LineDict | LineList:
        """A mapping or sequence and everything in it, depth first, in document order."""
        top = self._open(root)
        # frames: [node, container, next item, the key or index being read (None: a key)]
        stack: list[list[Any]] = [[root, top, 0, None]]
        while stack:
            frame = stack[-1]
            node, result, index = frame[0], frame[1], frame[2]
            if index == len(node.value):
                stack.pop()
                continue
            frame[2] = index + 1
            try:
                if type(result) is LineDict:
                    key_node, child = node.value[index]
                    frame[3] = None
                    key = self._scalar(key_node)
                    if not isinstance(key, str):
                        key = str(key)
                    if key in result:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key '{key}' (first on line {result.key_lines[key]})", key_node.start_mark
                        )
                    frame[3] = key
                else:
                    child = node.value[index]
                    frame[3] = index
                if _is_tree(child):
                    self._refuse_alias(child)
                    value = self._open(child)
                    stack.append([child, value, 0, None])
                else:
                    value = self._scalar(child)
            except BadValue as exc:
                exc.path[:0] = [f[3] for f in stack if f[3] is not None]
                raise
            if type(result) is LineDict:
                result[key] = value
                result.key_lines[key] = key_node.start_mark.line + 1
            else:
                result.append(value)
        return top


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


def load_yaml(path: Path, root: Path) -> Any:
    """Parse one YAML file of the data folder ``root``; any failure becomes a one-line :class:`DataError` naming file and line."""
    text = decode_utf8(read_data_file(path, root, MAX_YAML_BYTES), str(path), "")
    if not text.strip():
        raise DataError.single(path, None, None, "file is empty")
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except BadValue as exc:
        raise DataError.single(path, exc.problem_mark.line + 1 if exc.problem_mark else None, exc.field(), exc.problem or "") from None
    except RecursionError:  # only tags such as !!omap still nest PyYAML's own constructors
        raise DataError.single(path, None, None, "invalid YAML: nested too deeply") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise DataError.single(path, mark.line + 1 if mark else None, None, f"invalid YAML: {problem}") from exc
    except yaml.reader.ReaderError as exc:  # characters YAML does not allow, found before any parsing
        line = text.count("\n", 0, exc.position) + 1
        raise DataError.single(path, line, None, f"invalid YAML: {exc.reason} (U+{exc.character:04X})") from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise DataError.single(path, None, None, f"invalid YAML: {' '.join(str(exc).split())}") from exc
