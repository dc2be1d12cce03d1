"""Which part of the graph a page shows, chosen on the build's network cache.

A browser lays out and draws a few thousand nodes in seconds, not a million. So the page shows a
readable part: one source, the neighbourhood of one entity (``--focus`` and ``--depth``), or the
``--top`` N entities with the most statements, and never more than :data:`MAX_NODES` entities and
:data:`MAX_STATEMENTS` statements. What a cap leaves out is counted and said, on the command line
and on the page, so that nobody mistakes the part for the whole.

The choice runs on the cache's arrays (:class:`graph.network.arrays.NetworkCache`): ranking a
million statements is a few numpy passes, and only the chosen statements are then read from the
store (:func:`graph.network.details.subgraph`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from graph.defaults import VIEW_MAX_NODES, VIEW_MAX_STATEMENTS
from graph.errors import UsageError
from graph.network.arrays import Mask, NetworkCache
from graph.network.names import IndexedNames

IntArray = npt.NDArray[np.int64]

MAX_NODES = VIEW_MAX_NODES
MAX_STATEMENTS = VIEW_MAX_STATEMENTS


@dataclass(frozen=True)
class Selection:
    """Which part of the graph to show: one source, the neighbourhood of one entity, the top N."""

    focus: str | None = None
    depth: int = 2
    source: str | None = None
    #: only the N entities with the most statements (within the source or neighbourhood)
    top: int | None = None


@dataclass(frozen=True)
class Scope:
    """The entities and statements (cache numbers) a page draws, and what it leaves out."""

    nodes: IntArray
    statements: IntArray
    #: the id of the focus entity, if any
    centre: str | None
    #: entities and statements the selection asked for, before any cap
    wanted_nodes: int
    wanted_statements: int
    #: how entities were ranked when some had to be left out: "focus" (steps from the focus,
    #: then statements) or "statements" (number of statements)
    ranking: str

    @property
    def left_out_nodes(self) -> int:
        return self.wanted_nodes - len(self.nodes)

    @property
    def left_out_statements(self) -> int:
        return self.wanted_statements - len(self.statements)

    def note(self) -> dict[str, int | str] | None:
        """What the page leaves out, for the page and the command line; None if nothing."""
        if not self.left_out_nodes and not self.left_out_statements:
            return None
        return {
            "nodes": self.left_out_nodes,
            "statements": self.left_out_statements,
            "shown_nodes": len(self.nodes),
            "shown_statements": len(self.statements),
            "ranking": self.ranking,
        }


def _source_masks(cache: NetworkCache, source: str | None) -> tuple[Mask, Mask]:
    """Entity-to-entity statements and literal-valued statements of one source (all if None)."""
    links: Mask = cache.obj >= 0
    values: Mask = cache.obj < 0
    if source is not None:
        number = cache.source_index(source)
        if number is None:
            from difflib import get_close_matches

            known = cache.source_ids()
            close = get_close_matches(source, known, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else f"; known sources: {', '.join(known[:10]) or 'none'}"
            raise UsageError(f"--source: no source '{source}' in the graph{hint}")
        of_source = cache.source == number
        links &= of_source
        values &= of_source
    return links, values


def _statement_counts(cache: NetworkCache, links: Mask, values: Mask) -> IntArray:
    """Statements per entity (as subject or object) among the allowed ones."""
    counts = np.bincount(cache.subj[links | values], minlength=cache.n)
    counts += np.bincount(cache.obj[links], minlength=cache.n)
    return counts.astype(np.int64)


def choose(
    cache: NetworkCache,
    selection: Selection,
    *,
    max_nodes: int = MAX_NODES,
    max_statements: int = MAX_STATEMENTS,
) -> Scope:
    """The part of the graph ``selection`` asks for, cut to the caps by rank.

    Entities are ranked by steps from the focus (nearer first), then by their number of
    statements (more first), then by id; statements by the worse rank of their two ends, so that
    the statements between the best-ranked entities stay. Raises :class:`UsageError` on an
    unknown source or entity, or a negative depth or top.
    """
    if selection.depth < 0:
        raise UsageError("--depth must be 0 or more")
    if selection.top is not None and selection.top < 1:
        raise UsageError("--top must be 1 or more")
    links, values = _source_masks(cache, selection.source)
    counts = _statement_counts(cache, links, values)
    centre: str | None = None
    steps = np.zeros(cache.n, dtype=np.int64)
    if selection.focus is not None:
        found = IndexedNames(cache.db).find(selection.focus)
        number = cache.index(found)
        if number is None:  # the name index and the arrays come from one build; kept for safety
            raise UsageError(f"no entity '{found}' in the graph")
        centre = found
        steps = cache.distances(number, links, cutoff=selection.depth)
        candidates = np.flatnonzero(steps >= 0)
    elif selection.source is not None:
        candidates = np.flatnonzero(counts > 0)
    else:
        candidates = np.arange(cache.n, dtype=np.int64)

    # rank: nearer to the focus, then more statements, then id (numbers follow ids)
    order = np.lexsort((candidates, -counts[candidates], steps[candidates]))
    ranked = candidates[order]
    wanted_nodes = len(ranked)
    wanted = _statements_of(cache, ranked, links, values)
    cap = min(max_nodes, selection.top) if selection.top is not None else max_nodes
    kept = ranked[:cap]
    statements = _statements_of(cache, kept, links, values) if len(kept) < len(ranked) else wanted
    if len(statements) > max_statements:
        position = np.full(cache.n, len(ranked), dtype=np.int64)
        position[ranked] = np.arange(len(ranked), dtype=np.int64)
        other_end = np.where(cache.obj[statements] >= 0, cache.obj[statements], cache.subj[statements])
        worse_end = np.maximum(position[cache.subj[statements]], position[other_end])
        statements = np.sort(statements[np.argsort(worse_end, kind="stable")[:max_statements]])
    ranking = "focus" if centre is not None else "statements"
    return Scope(
        nodes=np.sort(kept),
        statements=statements,
        centre=centre,
        wanted_nodes=wanted_nodes,
        wanted_statements=len(wanted),
        ranking=ranking,
    )


def _statements_of(cache: NetworkCache, nodes: IntArray, links: Mask, values: Mask) -> IntArray:
    """Allowed statements between two of ``nodes``, and allowed literal-valued statements of them."""
    between = cache.induced(nodes, links)
    described = cache.attribute_statements(nodes, values)
    return np.union1d(between, described).astype(np.int64)
