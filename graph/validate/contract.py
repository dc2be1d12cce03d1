"""Which SHACL constraints a build checks on the data, and why the others need not run on every quad.

The shapes (``ontology/shapes.ttl``) stay the contract. Most of their constraints describe the
layout that the RDF writer (:mod:`graph.rdf.quads`) gives every record: a statement node has one
subject, predicate and object, a quote has exactly one quote selector and one position selector,
an offset is an xsd:integer, every label carries its language. The writer writes nothing else,
and writes it only from records the loader has checked (pydantic types, references to entities,
kinds against the ontology's domains and ranges, quotes anchored in their text, duplicate ids),
with file, line and field for every problem. What it guarantees by construction is proven once
by tests, not on every build: pySHACL, the reference, checks every shape against graphs built
from generated corpora and the bundled data, and the generated graphs exercise every
constraint (``tests/validate/test_contract.py``).

What data can still break is what one source's records cannot show: references into other
sources and the entities every source shares. Those few constraints (:data:`STORE_CHECKS`) run
after every build, incremental or not, compiled to SPARQL on the finished store, each one query
that starts from the triples of its path. The rest of the cross-references and cardinalities
over ids are the loader's (unknown entities and statements, unused entities, duplicate ids),
checked in one pass as the sources are read.

``--shacl-engine sparql`` or ``pyshacl`` still run every constraint, for an audit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pyoxigraph
from rdflib.namespace import SH

from graph.model.vocab import QG, SDO
from graph.rdf.quads import Iris
from graph.validate.compiled import Check, compile_shapes, run_checks
from graph.validate.shacl import lines_of

#: (shape, constraint parameter, path) of every constraint data can break that no loader rule
#: covers on its own, with the reason it is checked on the whole graph
STORE_CHECKS: Mapping[tuple[str, str, str], str] = {
    ("EntityShape", str(SH.minCount), str(QG.mentionedIn)): (
        "an entity whose last mention an incremental build removed is mentioned nowhere: the loader sees only the sources it reloads"
    ),
    ("SourceShape", str(SH["class"]), str(SDO.author)): (
        "a source's author must be a person or an organisation; the loader checks only that the entity exists"
    ),
    ("StatementShape", str(SH["class"]), str(QG.regardingStatement)): (
        "a statement may regard a statement of another source, which an incremental build does not load"
    ),
}


def store_checks(store: pyoxigraph.Store) -> list[Check]:
    """The compiled constraints of :data:`STORE_CHECKS`; an entry the shapes no longer have is an error."""
    checks = [c for c in compile_shapes(store) if (c.shape, c.parameter, c.path) in STORE_CHECKS]
    missing = set(STORE_CHECKS) - {(c.shape, c.parameter, c.path) for c in checks}
    if missing:
        raise ValueError(f"the shapes have no constraint {sorted(missing)[0]} that STORE_CHECKS names")
    return checks


def validate_data(store: pyoxigraph.Store, iris: Iris, advance: Callable[[int], None] | None = None) -> list[str]:
    """The constraints data can break, on the whole store; one line per violation, as :func:`graph.validate.shacl.lines_of` writes them."""
    return lines_of(run_checks(store, store_checks(store), advance), iris)
