"""The SHACL shapes as SPARQL on Oxigraph: the same contract and messages as pySHACL, at scale.

pySHACL evaluates the shapes in Python over an rdflib graph: about five seconds per ten thousand
statements, twice the memory of the data, minutes at a million. This module reads
``ontology/shapes.ttl`` and compiles each constraint into one SPARQL query over all its focus
nodes, run by Oxigraph on the store the build just wrote (the union of all graphs, as pySHACL
sees it). Each violation comes back as (focus node, path, message, value) exactly as pySHACL
reports it, so both engines print the same lines; ``tests/test_shacl.py`` checks that on a set
of graphs broken on purpose.

Only the constraint components the shapes use are compiled (the core counts, value types,
string and range tests, ``sh:lessThan``, ``sh:uniqueLang``, qualified value shapes with
``sh:class``, ``sh:in`` or ``sh:languageIn``, and SPARQL constraints on node shapes); anything
else in the shapes file is an error here, never silently skipped, so the two engines cannot
drift apart unnoticed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from graph import paths

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
Result = tuple[Term, str | None, str, Term | None]

_IGNORED = {RDF.type, SH.message, SH.path, SH.name, SH.description, SH.order, SH.group, SH.severity, SH.deactivated}
_TARGETS = {SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf}
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"


class UnsupportedShape(ValueError):
    """The shapes use a SHACL feature this engine does not compile."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query whose rows are violations."""

    shape: str
    component: str
    query: str
    message: str
    path: str | None
    #: how a row becomes a result: "value" (?f ?v), "focus" (?f), "self" (?f, value = focus), "sparql"
    kind: str
    #: for SPARQL constraints: the node ``$this`` is bound to (pre-bound, as SHACL-SPARQL says)
    this: str | None = None


def _n3(term: Any) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return str(term.n3())
    raise UnsupportedShape(f"cannot use {term!r} in a compiled constraint")


def _message(shapes: Graph, node: Any, fallback: str) -> str:
    value = shapes.value(node, SH.message)
    return str(value) if value is not None else fallback


class _Compiler:
    def __init__(self, shapes: Graph, classes: Callable[[str], str]):
        self.shapes = shapes
        self.classes = classes  # class IRI -> "VALUES ?c { ... }" of it and its subclasses in the data

    def instance_of(self, var: str, cls: Any) -> str:
        return f"{{ {self.classes(str(cls))} {var} {_RDF_TYPE} ?c }}"

    def focus(self, node_shape: Any) -> str:
        parts = []
        for predicate, target in self.shapes.predicate_objects(node_shape):
            if predicate == SH.targetClass:
                parts.append(f"{{ SELECT DISTINCT ?f WHERE {{ {self.classes(str(target))} ?f {_RDF_TYPE} ?c }} }}")
            elif predicate == SH.targetNode:
                parts.append(f"{{ BIND({_n3(target)} AS ?f) }}")
            elif predicate == SH.targetObjectsOf:
                parts.append(f"{{ SELECT DISTINCT ?f WHERE {{ ?x {_n3(target)} ?f }} }}")
            elif predicate == SH.targetSubjectsOf:
                parts.append(f"{{ SELECT DISTINCT ?f WHERE {{ ?f {_n3(target)} ?x }} }}")
        return " UNION ".join(parts)

    def conforms(self, var: str, shape: Any) -> str:
        """A FILTER-able pattern: ``var`` conforms to a (qualified value) shape."""
        tests = []
        for predicate, value in self.shapes.predicate_objects(shape):
            if predicate == SH["class"]:
                tests.append(f"EXISTS {self.instance_of(var, value)}")
            elif predicate == SH["in"]:
                members = ", ".join(_n3(m) for m in Collection(self.shapes, value))
                tests.append(f"{var} IN ({members})")
            elif predicate == SH.languageIn:
                tags = " || ".join(f"LANGMATCHES(LANG({var}), {_n3(Literal(str(t)))})" for t in Collection(self.shapes, value))
                tests.append(f"(isLITERAL({var}) && ({tags}))")
            elif predicate not in _IGNORED:
                raise UnsupportedShape(f"qualified value shape with {predicate}")
        return " && ".join(tests) or "true"

    def value_test(self, predicate: Any, value: Any, var: str = "?v") -> str | None:
        """A test a single value must pass, or None when the parameter is not a per-value one."""
        if predicate == SH.nodeKind:
            kinds = {SH.IRI: f"isIRI({var})", SH.Literal: f"isLITERAL({var})", SH.BlankNode: f"isBLANK({var})"}
            if value not in kinds:
                raise UnsupportedShape(f"sh:nodeKind {value}")
            return kinds[value]
        if predicate == SH["class"]:
            return f"EXISTS {self.instance_of(var, value)}"
        if predicate == SH.datatype:
            return f"(isLITERAL({var}) && DATATYPE({var}) = {_n3(value)})"
        if predicate == SH.languageIn:
            tags = " || ".join(f"LANGMATCHES(LANG({var}), {_n3(Literal(str(t)))})" for t in Collection(self.shapes, value))
            return f"(isLITERAL({var}) && ({tags}))"
        if predicate == SH.minLength:
            return f"(!isBLANK({var}) && STRLEN(STR({var})) >= {int(value)})"
        if predicate == SH.pattern:
            return f"(!isBLANK({var}) && REGEX(STR({var}), {_n3(Literal(str(value)))}))"
        if predicate == SH.minInclusive:
            return f"({var} >= {_n3(value)})"
        if predicate == SH["in"]:
            members = ", ".join(_n3(m) for m in Collection(self.shapes, value))
            return f"({var} IN ({members}))"
        return None

    def node_shape(self, shape: Any, name: str) -> Iterator[Check]:
        focus = self.focus(shape)
        message = _message(self.shapes, shape, "")
        for predicate, value in self.shapes.predicate_objects(shape):
            if predicate in _TARGETS or predicate in _IGNORED or predicate == SH.property:
                continue
            if predicate == SH.sparql:
                yield self.sparql(shape, name, value)
                continue
            test = self.value_test(predicate, value, "?f")
            if test is None:
                raise UnsupportedShape(f"{name}: node-level {predicate}")
            yield Check(name, str(predicate), f"SELECT ?f WHERE {{ {focus} FILTER(!({test})) }}", message, None, "self")
        for prop in self.shapes.objects(shape, SH.property):
            yield from self.property_shape(prop, name, focus)

    def sparql(self, shape: Any, name: str, constraint: Any) -> Check:
        select = self.shapes.value(constraint, SH.select)
        if select is None:
            raise UnsupportedShape(f"{name}: SPARQL constraint without sh:select")
        prefixes = []
        for declaring in self.shapes.objects(constraint, SH.prefixes):
            for declaration in self.shapes.objects(declaring, SH.declare):
                prefix = self.shapes.value(declaration, SH.prefix)
                namespace = self.shapes.value(declaration, SH.namespace)
                prefixes.append(f"PREFIX {prefix}: <{namespace}>")
        targets = [t for p, t in self.shapes.predicate_objects(shape) if p == SH.targetNode]
        if len(targets) != 1 or not isinstance(targets[0], URIRef):
            raise UnsupportedShape(f"{name}: SPARQL constraints are compiled for shapes with one sh:targetNode")
        query = "\n".join(prefixes) + "\n" + str(select)
        return Check(name, "sparql", query, _message(self.shapes, constraint, ""), None, "sparql", this=str(targets[0]))

    def property_shape(self, prop: Any, name: str, focus: str) -> Iterator[Check]:
        path = self.shapes.value(prop, SH.path)
        if not isinstance(path, URIRef):
            raise UnsupportedShape(f"{name}: only IRI paths are compiled")
        p = _n3(path)
        message = _message(self.shapes, prop, "")
        params: dict[Any, Any] = dict(self.shapes.predicate_objects(prop))
        for predicate, value in params.items():
            if predicate in _IGNORED or predicate in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
                continue
            query = None
            kind = "value"
            if predicate == SH.minCount:
                n = int(value)
                kind = "focus"
                query = _min_count(focus, f"?f {p} ?v", n)
            elif predicate == SH.maxCount:
                kind = "focus"
                query = _max_count(focus, f"?f {p} ?v", f"?f {p} ?w", int(value))
            elif predicate == SH.qualifiedValueShape:
                kind = "focus"
                test_v, test_w = self.conforms("?v", value), self.conforms("?w", value)
                low, high = params.get(SH.qualifiedMinCount), params.get(SH.qualifiedMaxCount)
                queries = []
                if low is not None:
                    queries.append(_min_count(focus, f"?f {p} ?v FILTER({test_v})", int(low)))
                if high is not None:
                    queries.append(_max_count(focus, f"?f {p} ?v FILTER({test_v})", f"?f {p} ?w FILTER({test_w})", int(high)))
                for q in queries:
                    yield Check(name, str(predicate), q, message, str(path), kind)
                continue
            elif predicate == SH.lessThan:
                query = f"SELECT DISTINCT ?f ?v WHERE {{ {focus} ?f {p} ?v . ?f {_n3(value)} ?w . FILTER(!(?v < ?w)) }}"
            elif predicate == SH.uniqueLang:
                if str(value) != "true":
                    continue
                kind = "focus"
                query = (
                    f"SELECT DISTINCT ?f ?lang WHERE {{ {focus} ?f {p} ?v . ?f {p} ?w . "
                    f'FILTER(!sameTerm(?v, ?w) && LANG(?v) != "" && LANG(?v) = LANG(?w)) BIND(LANG(?v) AS ?lang) }}'
                )
            else:
                test = self.value_test(predicate, value)
                if test is None:
                    raise UnsupportedShape(f"{name}: {predicate} on {path}")
                query = f"SELECT DISTINCT ?f ?v WHERE {{ {focus} ?f {p} ?v . FILTER(!({test})) }}"
            yield Check(name, str(predicate), query, message, str(path), kind)


def _min_count(focus: str, pattern: str, n: int) -> str:
    if n == 1:
        return f"SELECT ?f WHERE {{ {focus} FILTER NOT EXISTS {{ {pattern} }} }}"
    return f"SELECT ?f WHERE {{ {focus} OPTIONAL {{ {pattern} }} }} GROUP BY ?f HAVING (COUNT(DISTINCT ?v) < {n})"


def _max_count(focus: str, pattern_v: str, pattern_w: str, n: int) -> str:
    if n == 1:
        return f"SELECT DISTINCT ?f WHERE {{ {focus} {{ {pattern_v} }} {{ {pattern_w} }} FILTER(!sameTerm(?v, ?w)) }}"
    return f"SELECT ?f WHERE {{ {focus} {{ {pattern_v} }} }} GROUP BY ?f HAVING (COUNT(DISTINCT ?v) > {n})"


@cache
def _shapes_graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def compile_shapes(store: pyoxigraph.Store, shapes_path: Path | None = None) -> list[Check]:
    """Every constraint of the shapes file as one query; subclass sets are read from the store."""
    shapes = _shapes_graph(shapes_path or paths.shapes_file())
    closures: dict[str, str] = {}

    def classes(cls: str) -> str:
        if cls not in closures:
            rows = store.query(f"SELECT DISTINCT ?c WHERE {{ ?c {_SUBCLASS}* <{cls}> }}", use_default_graph_as_union=True)
            assert isinstance(rows, pyoxigraph.QuerySolutions)
            found = sorted({f"<{row['c'].value}>" for row in rows if isinstance(row["c"], pyoxigraph.NamedNode)} | {f"<{cls}>"})
            closures[cls] = f"VALUES ?c {{ {' '.join(found)} }}"
        return closures[cls]

    compiler = _Compiler(shapes, classes)
    checks: list[Check] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        if isinstance(shape, BNode):
            continue  # qualified value shapes; compiled where they are used
        checks.extend(compiler.node_shape(shape, str(shape).rsplit("#", 1)[-1]))
    return checks


def run_checks(store: pyoxigraph.Store, checks: list[Check], advance: Callable[[int], None] | None = None) -> list[Result]:
    """Run every check on the union of the store's graphs; one result per violation."""
    results: list[Result] = []
    for check in checks:
        bound: dict[pyoxigraph.Variable, Any] | None = (
            {pyoxigraph.Variable("this"): pyoxigraph.NamedNode(check.this)} if check.this else None
        )
        rows = store.query(check.query, use_default_graph_as_union=True, substitutions=bound)
        assert isinstance(rows, pyoxigraph.QuerySolutions)
        for row in rows:
            if check.kind == "sparql":
                path_node = row["path"] if pyoxigraph.Variable("path") in rows.variables else None
                path = path_node.value if isinstance(path_node, pyoxigraph.NamedNode) else check.path
                results.append((row["this"], path, check.message, row["value"]))
            elif check.kind == "self":
                results.append((row["f"], check.path, check.message, row["f"]))
            elif check.kind == "focus":
                results.append((row["f"], check.path, check.message, None))
            else:
                results.append((row["f"], check.path, check.message, row["v"]))
        if advance:
            advance(1)
    return results
