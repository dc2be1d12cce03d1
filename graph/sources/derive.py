"""Shortcut relations: materialising the property chains the ontology declares.

N-ary things are nodes (a lawsuit, a merger proposal, an e-mail); simple questions want simple
edges. ``qg:sued owl:propertyChainAxiom (qg:filed qg:defendant)`` says: whoever filed a lawsuit
sued its defendant. For every pair of statements of one source that forms such a chain, the build
writes a :class:`~graph.model.records.Statement` with ``derived_via`` set, resting on (and quoting) the
statements it comes from. A chain is only followed when one agent asserts all of its links: a
shortcut over two different people's assertions could be attributed to neither. A relation with a
declared inverse counts for both directions (``lawsuit qg:plaintiff musk`` is a ``qg:filed`` link of
``qg:sued`` as much as ``musk qg:filed lawsuit``); a chain step may also be a reverse (``^partner``).
A symmetric shortcut is derived once per pair.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from graph.model.ontology import Ontology
from graph.model.records import Statement

#: When links of a chain differ in voice, the derived statement takes the least factual one.
_VOICE_ORDER = ("judgement", "claim", "quotation", "narration")


def _derived_id(relation: str, parts: Iterable[str]) -> str:
    key = "\x1f".join([relation, *parts])
    return "d-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def _common(values: Iterable[object]) -> object:
    distinct = set(values)
    return next(iter(distinct)) if len(distinct) == 1 else None


_Edges = dict[tuple[str, str, str], list[tuple[str, Statement]]]


def _edges(statements: dict[str, Statement], ontology: Ontology) -> tuple[_Edges, dict[tuple[str, str], list[tuple[str, str, Statement]]]]:
    """Every step a chain can take: (source, step, from) → [(to, statement)].

    A step is a relation name (``filed``) or its reverse (``^partner``). A statement of a
    relation with a declared inverse also counts as a step of the inverse, so that
    ``lawsuit plaintiff musk`` gives the step ``musk filed lawsuit`` as much as the curated one.
    """
    edges: _Edges = defaultdict(list)
    by_step: dict[tuple[str, str], list[tuple[str, str, Statement]]] = defaultdict(list)
    for stmt in statements.values():
        if stmt.object is None:
            continue
        forward = [(stmt.predicate, stmt.subject, stmt.object)]
        inverse = ontology.relations[stmt.predicate].inverse if stmt.predicate in ontology.relations else None
        if inverse is not None:
            forward.append((inverse, stmt.object, stmt.subject))
        for relation, start, end in forward:
            edges[(stmt.source, relation, start)].append((end, stmt))
            edges[(stmt.source, "^" + relation, end)].append((start, stmt))
            by_step[(stmt.source, relation)].append((start, end, stmt))
            by_step[(stmt.source, "^" + relation)].append((end, start, stmt))
    return edges, by_step


def derive_shortcuts(statements: dict[str, Statement], ontology: Ontology) -> dict[str, Statement]:
    """Statements implied by the ontology's property chains, keyed by their (stable) ids."""
    chains = ontology.chains
    if not chains:
        return {}
    edges, by_step = _edges(statements, ontology)
    existing: set[tuple[str, str, str, str | None]] = set()
    for stmt in statements.values():
        existing.add((stmt.source, stmt.subject, stmt.predicate, stmt.object))
    sources = sorted({s.source for s in statements.values()})
    derived: dict[str, Statement] = {}
    for relation in chains:
        first, *rest = relation.chain
        seen_pairs: set[tuple[str, frozenset[str]]] = set()
        for source in sources:
            paths: list[tuple[list[str], list[Statement]]] = [
                ([start, end], [stmt]) for start, end, stmt in by_step.get((source, first), [])
            ]
            for link in rest:
                paths = [
                    ([*nodes, end], [*stmts, stmt])
                    for nodes, stmts in paths
                    for end, stmt in edges.get((source, link, nodes[-1]), [])
                    if all(stmt is not s for s in stmts)
                ]
            for nodes, path in sorted(paths, key=lambda p: [s.id for s in p[1]]):
                subject, obj = nodes[0], nodes[-1]
                if len({s.asserted_by for s in path}) != 1 or subject == obj:
                    continue
                if (source, subject, relation.name, obj) in existing or (
                    relation.symmetric and (source, obj, relation.name, subject) in existing
                ):
                    continue  # curated directly; the curated statement already carries its quote
                if relation.symmetric:
                    pair = (source, frozenset((subject, obj)))
                    if pair in seen_pairs:
                        continue  # one statement per pair; the writer adds the reverse triple
                    seen_pairs.add(pair)
                quotes = []
                seen_spans = set()
                for part in path:
                    for q in part.quotes:
                        if (q.start, q.end) not in seen_spans:
                            seen_spans.add((q.start, q.end))
                            quotes.append(q)
                voice = next(v for v in _VOICE_ORDER if v in {s.voice for s in path})
                stmt_id = _derived_id(relation.name, [s.id for s in path])
                translation = _common(s.translation for s in path)
                derived[stmt_id] = Statement(
                    id=stmt_id,
                    source=source,
                    subject=subject,
                    predicate=relation.name,
                    object=obj,
                    value=None,
                    value_lang=None,
                    voice=voice,
                    asserted_by=path[0].asserted_by,
                    expressed_in=_common(s.expressed_in for s in path),  # type: ignore[arg-type]
                    quotes=tuple(quotes),
                    translation=translation if isinstance(translation, str) else None,
                    when=_common(s.when for s in path),  # type: ignore[arg-type]
                    date=_common(s.date for s in path),  # type: ignore[arg-type]
                    hedged=any(s.hedged for s in path),
                    regarding=(),
                    note=None,
                    polarity=None,
                    derived_via=relation.name,
                    derived_from=tuple(s.id for s in path),
                    inferred=any(s.inferred for s in path),
                    quoted_from=_common(s.quoted_from for s in path),  # type: ignore[arg-type]
                    file=path[0].file,
                    line=path[0].line,
                )
    return derived
