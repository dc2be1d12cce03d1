"""Shortcut relations: materialising the property chains the ontology declares.

N-ary things are nodes (a lawsuit, a merger proposal, an e-mail); simple questions want simple
edges. ``qg:sued owl:propertyChainAxiom (qg:filed qg:defendant)`` says: whoever filed a lawsuit
sued its defendant. For every pair of statements of one source that forms such a chain, the build
writes a :class:`~graph.model.records.Statement` with ``derived_via`` set, resting on (and quoting) the
statements it comes from. A chain is only followed when one agent asserts all of its links: a
shortcut over two different people's assertions could be attributed to neither.
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


def derive_shortcuts(statements: dict[str, Statement], ontology: Ontology) -> dict[str, Statement]:
    """Statements implied by the ontology's property chains, keyed by their (stable) ids."""
    chains = ontology.chains
    if not chains:
        return {}
    by_pred_subject: dict[tuple[str, str, str], list[Statement]] = defaultdict(list)
    by_pred: dict[tuple[str, str], list[Statement]] = defaultdict(list)
    existing: set[tuple[str, str, str, str | None]] = set()
    for stmt in statements.values():
        if stmt.object is None:
            continue
        by_pred_subject[(stmt.source, stmt.predicate, stmt.subject)].append(stmt)
        by_pred[(stmt.source, stmt.predicate)].append(stmt)
        existing.add((stmt.source, stmt.subject, stmt.predicate, stmt.object))
    sources = {s.source for s in statements.values()}
    derived: dict[str, Statement] = {}
    for relation in chains:
        first, *rest = relation.chain
        for source in sorted(sources):
            paths: list[list[Statement]] = [[s] for s in by_pred.get((source, first), [])]
            for link in rest:
                paths = [[*path, nxt] for path in paths for nxt in by_pred_subject.get((source, link, path[-1].object or ""), [])]
            for path in paths:
                subject, obj = path[0].subject, path[-1].object
                assert obj is not None
                if len({s.asserted_by for s in path}) != 1 or subject == obj:
                    continue
                if (source, subject, relation.name, obj) in existing:
                    continue  # curated directly; the curated statement already carries its quote
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
                    file=path[0].file,
                    line=path[0].line,
                )
    return derived
