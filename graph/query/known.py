"""The shapes of the bundled queries, worked out once when the queries change and shipped beside them.

Every build writes the shapes of the bundled queries into its ``cache/dataset.json``
(:mod:`graph.query.shape`), so that ``kg query`` never parses a bundled query. Parsing the eleven
texts with rdflib's SPARQL parser (pyparsing) took 2.0–2.4 s of every build, the "network cache"
phase of a 557-statement build nearly whole (2026-12-03): more than the rest of that build's
cache. ``shapes.json`` in ``graph/query/bundled/`` holds them by the SHA-256 of each canonical
text, with the SHA-256 of the prefixes they were read with and of what read them (the source of
:mod:`graph.query.shape` and rdflib's version). A text the file lacks is parsed as before, and a
file for other prefixes or another reader is not used at all: a stale file costs time, never a
wrong shape. ``python -m graph.query.known`` writes the file again; ``tests/query/test_known_shapes.py``
fails until it is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from graph import paths
from graph.model.vocab import PREFIXES
from graph.query import shape as shape_module
from graph.query.run import bundled_queries
from graph.query.shape import Shape, digest, shape

SHAPES_FILENAME = "shapes.json"


def shapes_file() -> Path:
    return paths.queries_dir() / SHAPES_FILENAME


def prefixes_digest(prefixes: Mapping[str, str] = PREFIXES) -> str:
    return hashlib.sha256(json.dumps(sorted(prefixes.items())).encode("utf-8")).hexdigest()


def reader_digest() -> str:
    """What the shapes depend on besides the texts: the code that works them out, and rdflib's parser."""
    code = Path(shape_module.__file__).read_bytes()
    return hashlib.sha256(code + metadata.version("rdflib").encode("utf-8")).hexdigest()


def _shipped(prefixes: Mapping[str, str]) -> dict[str, Shape]:
    try:
        data = json.loads(shapes_file().read_text(encoding="utf-8"))
        if data.get("prefixes") != prefixes_digest(prefixes) or data.get("reader") != reader_digest():
            return {}
        return {key: Shape.from_json(value) for key, value in data["shapes"].items()}
    except (OSError, ImportError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # a missing or damaged file: the queries are parsed


def computed_shapes(prefixes: Mapping[str, str] = PREFIXES) -> dict[str, Shape]:
    """Every bundled query parsed now, by the digest of its text."""
    return {digest(q.text): shape(q.text, prefixes) for q in bundled_queries().values()}


def bundled_shapes(prefixes: Mapping[str, str] = PREFIXES) -> dict[str, Shape]:
    """The shape of every bundled query by the digest of its text: from ``shapes.json`` where it has the text, else parsed."""
    shipped = _shipped(prefixes)
    found = {}
    for query in bundled_queries().values():
        key = digest(query.text)
        found[key] = shipped[key] if key in shipped else shape(query.text, prefixes)
    return found


def file_text(prefixes: Mapping[str, str] = PREFIXES) -> str:
    """What ``shapes.json`` holds for the bundled queries as they are now."""
    shapes = {key: value.as_json() for key, value in sorted(computed_shapes(prefixes).items())}
    return json.dumps({"prefixes": prefixes_digest(prefixes), "reader": reader_digest(), "shapes": shapes}, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    shapes_file().write_text(file_text(), encoding="utf-8")
    print(f"wrote {shapes_file()}")
