"""SHACL validation of a built graph, reported in one line per violation.

Two engines check every shape and print the same lines: pySHACL (the reference: the tests check
the bundled data and generated corpora with it) and the shapes compiled to SPARQL on Oxigraph
(:mod:`graph.validate.compiled`). Both are audits; a build runs the constraints data can break
(:mod:`graph.validate.contract`).

The shapes in ``ontology/shapes.ttl`` are the contract. Validation runs over the union of all
named graphs (ontology included), because the SPARQL constraints compare a statement node with
its direct triple, which may live in the claims graph, and look up sub-properties.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from graph import paths
from graph.model.vocab import OA, QG, shorten
from graph.rdf.quads import Iris
from graph.validate.compiled import compile_shapes, run_checks

#: Corpus-level shapes target the class itself and report the offending node as sh:value.
_CORPUS_LEVEL_FOCUS = {str(QG.Statement), str(OA.SpecificResource)}

#: Longest list of violations printed; the rest are counted.
MAX_REPORTED = 50


def to_rdflib(quads: Iterable[pyoxigraph.Quad]) -> Graph:
    """The union of the quads' graphs as one rdflib Graph (through N-Triples, the plain path)."""
    triples = (pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads)
    data = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    graph = Graph()
    graph.parse(data=data, format="nt")
    return graph


def _readable(node: object, iris: Iris) -> str:
    iri = str(node) if isinstance(node, URIRef) else node.value if isinstance(node, pyoxigraph.NamedNode) else None
    if iri is not None:
        for kind, getter in (("statement", iris.statement_id), ("entity", iris.entity_id)):
            ident = getter(iri)
            if ident is not None:
                return f"{kind} '{ident}'" + (f" ({iri.split('#', 1)[1]})" if "#" in iri else "")
        return f"<{iri}>"
    text = node.value if isinstance(node, pyoxigraph.Literal | pyoxigraph.BlankNode) else str(node)
    return repr(text)


def _iri_of(node: object) -> str | None:
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, pyoxigraph.NamedNode):
        return node.value
    return None


def lines_of(results: Iterable[Sequence[object]], iris: Iris, limit: int | None = MAX_REPORTED) -> list[str]:
    """One line per violation, the same for both engines: ``focus path: message (value: v)``.

    A result is (focus, path, message, value), as pySHACL reports it; the compiled engine adds its
    constraint component, which the line does not show.
    """
    messages = []
    for result in results:
        focus, path, message, value = result[0], result[1], result[2], result[3]
        if _iri_of(focus) in _CORPUS_LEVEL_FOCUS and value is not None:
            focus, value = value, None
        line = f"{_readable(focus, iris)}"
        if path is not None:
            line += f" {shorten(str(path))}"
        line += f": {message}"
        if value is not None and value != focus:
            line += f" (value: {_readable(value, iris)})"
        messages.append(line)
    messages.sort()
    return messages if limit is None else capped(messages, limit)


def capped(messages: list[str], limit: int = MAX_REPORTED) -> list[str]:
    """At most ``limit`` lines, and a count of the rest."""
    if len(messages) > limit:
        return [*messages[:limit], f"... and {len(messages) - limit} more violations"]
    return messages


def validate_graph(data: Graph, iris: Iris) -> list[str]:
    """Run the shapes with pySHACL; return one message per violation (empty when the graph conforms)."""
    from pyshacl import validate  # imported lazily: pySHACL is slow to import

    shapes = Graph().parse(paths.shapes_file(), format="turtle")
    conforms, report, _text = validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    if conforms:
        return []
    assert isinstance(report, Graph)
    results = []
    for result in report.subjects(predicate=SH.resultSeverity, object=SH.Violation):
        path = report.value(result, SH.resultPath)
        results.append(
            (
                report.value(result, SH.focusNode),
                path if isinstance(path, URIRef) else None,
                report.value(result, SH.resultMessage),
                report.value(result, SH.value),
            )
        )
    return lines_of(results, iris)


def validate_with_sparql(store: pyoxigraph.Store, iris: Iris, advance: Callable[[int], None] | None = None) -> list[str]:
    """Run the shapes as SPARQL on Oxigraph (see :mod:`graph.validate.compiled`); same lines as :func:`validate_graph`."""
    checks = compile_shapes(store)
    return lines_of(run_checks(store, checks, advance), iris)


def validate_store(store: pyoxigraph.Store, iris: Iris, engine: str = "pyshacl", advance: Callable[[int], None] | None = None) -> list[str]:
    """Validate everything in a store with the engine asked for (``pyshacl`` or ``sparql``)."""
    if engine == "sparql":
        return validate_with_sparql(store, iris, advance)
    return validate_graph(to_rdflib(store), iris)
