"""SHACL validation of a built graph with pySHACL, reported in one line per violation.

The shapes in ``ontology/shapes.ttl`` are the contract. Validation runs over the union of all
named graphs (ontology included), because the SPARQL constraints compare a statement node with
its direct triple, which may live in the claims graph, and look up sub-properties.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from graph import paths
from graph.rdf import Iris
from graph.vocab import OA, QG, shorten

#: Corpus-level shapes target the class itself and report the offending node as sh:value.
_CORPUS_LEVEL_FOCUS = {QG.Statement, OA.SpecificResource}

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
    if isinstance(node, URIRef):
        for kind, getter in (("statement", iris.statement_id), ("entity", iris.entity_id)):
            ident = getter(str(node))
            if ident is not None:
                return f"{kind} '{ident}'" + (f" ({str(node).split('#', 1)[1]})" if "#" in str(node) else "")
        return f"<{node}>"
    return repr(str(node))


def validate_graph(data: Graph, iris: Iris) -> list[str]:
    """Run the shapes; return one message per violation (empty when the graph conforms)."""
    from pyshacl import validate  # imported lazily: pySHACL is slow to import

    shapes = Graph().parse(paths.shapes_file(), format="turtle")
    conforms, report, _text = validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    if conforms:
        return []
    messages = []
    assert isinstance(report, Graph)
    for result in report.subjects(predicate=SH.resultSeverity, object=SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        if focus in _CORPUS_LEVEL_FOCUS and value is not None:
            focus, value = value, None
        line = f"{_readable(focus, iris)}"
        if path is not None:
            line += f" {shorten(str(path)) if isinstance(path, URIRef) else path}"
        line += f": {message}"
        if value is not None and value != focus:
            line += f" (value: {_readable(value, iris)})"
        messages.append(line)
    messages.sort()
    if len(messages) > MAX_REPORTED:
        messages = [*messages[:MAX_REPORTED], f"... and {len(messages) - MAX_REPORTED} more violations"]
    return messages
