"""Each compiled SHACL constraint agrees with pySHACL, case by case, in the style of the W3C SHACL test suite.

Every file in ``cases/`` is a W3C-style test (``sht:Validate``): one Turtle document holding the
shapes, the data (resources that conform and resources that violate, including values that
cannot be compared at all) and the expected validation report. Both engines must give exactly
that report: pySHACL, the reference, and the shapes compiled to SPARQL on Oxigraph
(:mod:`graph.validate.compiled`). A result is compared as (focus node, path, value, constraint
component); messages are the shapes' own and compared elsewhere (``test_shacl.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH, Namespace
from rdflib.term import Node

from graph.validate.compiled import COMPILED_PARAMETERS, Check, Result, UnsupportedShape, compile_shapes, run_checks

CASES = Path(__file__).parent / "cases"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")

Key = tuple[str | None, str | None, str | None, str]


def _case(path: Path) -> Graph:
    return Graph().parse(path, format="turtle", publicID=path.as_uri())


def _expected(graph: Graph) -> tuple[bool, set[Key]]:
    """The report a case expects: whether the data conforms, and its results."""
    (test,) = graph.subjects(RDF.type, SHT.Validate)
    report = graph.value(test, MF.result)
    results = {
        (
            graph.value(r, SH.focusNode),
            graph.value(r, SH.resultPath),
            graph.value(r, SH.value),
            str(graph.value(r, SH.sourceConstraintComponent)),
        )
        for r in graph.objects(report, SH.result)
    }
    conforms = graph.value(report, SH.conforms)
    assert isinstance(conforms, Literal)
    return bool(conforms.toPython()), _keys(results)


def _pyshacl(graph: Graph) -> tuple[bool, set[Key]]:
    from pyshacl import validate

    conforms, report, _text = validate(graph, shacl_graph=graph, inference="none", advanced=True)
    assert isinstance(report, Graph)
    results = {
        (
            report.value(r, SH.focusNode),
            report.value(r, SH.resultPath),
            report.value(r, SH.value),
            str(report.value(r, SH.sourceConstraintComponent)),
        )
        for r in report.subjects(SH.resultSeverity, SH.Violation)
    }
    return bool(conforms) and not results, _keys(results)


def _term(term: object) -> str | None:
    """A term as Oxigraph writes it in N-Triples, after Oxigraph's own normalisation (1.0 and 1.00 are one decimal)."""
    if term is None:
        return None
    if isinstance(term, Node):
        store = pyoxigraph.Store()  # the store, not the parser, writes values in canonical form
        store.load(f"<x:s> <x:p> {term.n3()} .", format=pyoxigraph.RdfFormat.N_TRIPLES)
        (quad,) = store
        term = quad.object
    return str(term)


def _keys(results: Iterable[tuple[Any, Any, Any, str]]) -> set[Key]:
    return {(_term(focus), _term(path), _term(value), component) for focus, path, value, component in results}


def _compiled(path: Path) -> tuple[bool, set[Key], list[Check]]:
    # Oxigraph reads the file itself: rdflib would rewrite some ill-typed literals on the way
    store = pyoxigraph.Store()
    store.load(path=path, format=pyoxigraph.RdfFormat.TURTLE, base_iri=path.as_uri())
    checks = compile_shapes(store, path)
    results: list[Result] = run_checks(store, checks)
    keys: set[Key] = {
        (str(r.focus), f"<{r.path}>" if r.path else None, None if r.value is None else str(r.value), r.component) for r in results
    }
    return not keys, keys, checks


def _show(results: set[Key]) -> list[str]:
    return sorted(" ".join(str(part) for part in key) for key in results)


CASE_FILES = sorted(CASES.glob("*.ttl"))


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_pyshacl_gives_the_report_the_case_expects(path: Path) -> None:
    graph = _case(path)
    conforms, expected = _expected(graph)
    got_conforms, got = _pyshacl(graph)
    assert _show(got) == _show(expected)
    assert got_conforms == conforms


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_the_compiled_constraints_give_the_report_the_case_expects(path: Path) -> None:
    graph = _case(path)
    conforms, expected = _expected(graph)
    got_conforms, got, _checks = _compiled(path)
    assert _show(got) == _show(expected)
    assert got_conforms == conforms


def test_every_parameter_the_compiler_knows_has_a_case() -> None:
    used = {c.parameter for path in CASE_FILES for c in _compiled(path)[2]}
    assert used == set(COMPILED_PARAMETERS), sorted(set(COMPILED_PARAMETERS) - used)


def test_every_case_has_conforming_and_violating_focus_nodes() -> None:
    for path in CASE_FILES:
        _conforms, expected = _expected(_case(path))
        violating = {key[0] for key in expected}
        valid = {f"<{s}>" for s in _case(path).subjects() if str(s).startswith(f"http://example.org/shacl-cases/{path.stem}#valid")}
        assert violating, f"{path.name}: nothing violates"
        assert valid, f"{path.name}: no resource named ex:valid…"
        assert not valid & violating, f"{path.name}: a resource named ex:valid… violates"


@pytest.mark.parametrize(
    ("feature", "shape"),
    [
        ("a datatype Oxigraph stores as xsd:integer", "sh:property [ sh:path ex:p ; sh:datatype xsd:nonNegativeInteger ]"),
        ("a path that is not an IRI", "sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ]"),
        ("a constraint component it does not know", "sh:property [ sh:path ex:p ; sh:node ex:Other ]"),
        ("a shape that is also a class", "a rdfs:Class"),
    ],
)
def test_a_shape_the_compiler_does_not_know_is_an_error_not_skipped(tmp_path: Path, feature: str, shape: str) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f"ex:Shape a sh:NodeShape ; sh:targetClass ex:C ; {shape} .\n",
        encoding="utf-8",
    )
    with pytest.raises(UnsupportedShape):
        compile_shapes(pyoxigraph.Store(), shapes)
