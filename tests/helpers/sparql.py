"""Asking the built store the way the fact tests do: rows of plain values, entity and statement ids shortened."""

from __future__ import annotations

from typing import Any

import pyoxigraph

from graph.query.run import run_query
from graph.rdf.quads import DEFAULT_BASE_IRI
from graph.store.export import prefixes_for

PREFIXES = prefixes_for(DEFAULT_BASE_IRI)


def ask(store: pyoxigraph.Store, query: str) -> list[tuple[str, ...]]:
    """Sorted rows (or [("yes",)]/[("no",)] for ASK); ``entity:``/``statement:`` IRIs as ids, ontology terms as ``qg:``."""
    result = run_query(store, query, prefixes=PREFIXES)
    if result.kind == "ask":
        return [("yes",)] if result.boolean else [("no",)]
    rows = []
    for row in result.rows:
        cells: list[str] = []
        for term in row:
            value: Any = "" if term is None else term.value
            for prefix in ("entity", "statement"):
                if value.startswith(PREFIXES[prefix]):
                    value = value[len(PREFIXES[prefix]) :]
            if value.startswith(PREFIXES["qg"]):
                value = "qg:" + value[len(PREFIXES["qg"]) :]
            cells.append(value)
        rows.append(tuple(cells))
    return sorted(rows)
