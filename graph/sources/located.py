"""Curated YAML records, validated where they stand, with every problem located.

pydantic checks one record at a time; its errors are mapped back to the YAML line of the field
(graph.sources.yamlfile keeps those lines) and collected, not raised, so one run of ``kg validate`` shows
every problem of a data folder, each as ``file:line: field: message``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from graph.errors import DataError, Problem
from graph.sources.yamlfile import LineDict, LineList, load_yaml

#: Stop collecting after this many problems; the first ones are the ones to fix.
MAX_PROBLEMS = 200
_FRIENDLY = {
    "extra_forbidden": "unknown field",
    "missing": "missing required field",
}


class Problems:
    """Problems found so far, capped at :data:`MAX_PROBLEMS`; and warnings, which fail nothing.

    A warning is something a curator should look at but may mean (two entities sharing a name);
    ``warning_count`` counts every warning, ``warnings`` keeps the first :data:`MAX_PROBLEMS`.
    """

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.warnings: list[Problem] = []
        self.warning_count = 0

    def warn(self, file: Path | str, line: int | None, field: str | None, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(Problem(file, line, field, message))

    @property
    def full(self) -> bool:
        """No more problems are kept: what would explain one (a closest passage, a suggestion) need not be computed."""
        return len(self.items) >= MAX_PROBLEMS

    def add(self, file: Path | str, line: int | None, field: str | None, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(file, line, field, message))

    def extend(self, problems: Iterable[Problem]) -> None:
        for p in problems:
            self.add(p.file, p.line, p.field, p.message)

    def raise_if_any(self) -> None:
        if self.items:
            raise DataError(self.items)


def display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def validation_problems(exc: ValidationError, mapping: LineDict, file: str, prefix: str) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = [str(part) for part in err["loc"]]
        line = mapping.line
        node: Any = mapping
        for part in loc:
            if isinstance(node, LineDict):
                line = node.line_of(part)
                node = node.get(part)
            elif isinstance(node, LineList) and part.isdigit():
                line = node.line_of(int(part))
                node = node[int(part)] if int(part) < len(node) else None
            else:
                break
        message = _FRIENDLY.get(err["type"], err["msg"])
        if err["type"] not in _FRIENDLY and "input" in err and isinstance(err["input"], str | int | float | bool):
            shown = repr(err["input"])
            message += f" (got {shown if len(shown) < 60 else shown[:57] + '...'})"
        field = ".".join(loc)
        problems.append(Problem(file, line, f"{prefix}{field}" if field else prefix.rstrip(".") or None, message))
    return problems


def validate_record(model: type[BaseModel], mapping: Any, file: str, line: int, prefix: str, problems: Problems) -> Any:
    if not isinstance(mapping, LineDict):
        problems.add(file, line, prefix.rstrip(".") or None, f"expected a mapping of fields, got {type(mapping).__name__}")
        return None
    try:
        return model.model_validate(mapping)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, mapping, file, prefix))
        return None


def load_document(path: Path, root: Path, problems: Problems) -> Any:
    """The parsed YAML of ``path``, or None when it cannot be read (the problems are recorded)."""
    try:
        return load_yaml(path, root)
    except DataError as exc:
        for p in exc.problems:
            problems.add(display(path, root), p.line, p.field, p.message)
        return None


def yaml_files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
