"""A small data folder written from Python values: one source, its entities and its curated statements.

For tests that need a project of their own rather than a copy of the bundled data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def write_project(
    root: Path,
    source: str,
    text: str,
    meta: dict[str, str],
    entities: list[dict[str, Any]],
    statements: list[dict[str, Any]],
    header: str = "",
) -> Path:
    """``root/data`` with ``sources/SOURCE.txt`` and ``.yaml``, ``entities.yaml`` and ``statements/SOURCE.yaml``.

    ``header`` opens the statements file (a comment that a test may check is kept by what rewrites it).
    """
    data = root / "data"
    (data / "sources").mkdir(parents=True)
    (data / "statements").mkdir()
    (data / "sources" / f"{source}.txt").write_text(text, encoding="utf-8")
    (data / "sources" / f"{source}.yaml").write_text(yaml.safe_dump({"id": source, **meta}, sort_keys=False), encoding="utf-8")
    (data / "entities.yaml").write_text(yaml.safe_dump({"entities": entities}, sort_keys=False), encoding="utf-8")
    document = {"source": source, "statements": statements}
    (data / "statements" / f"{source}.yaml").write_text(header + yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return data
