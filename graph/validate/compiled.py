"""The SHACL shapes as SPARQL on Oxigraph: the same contract and messages as pySHACL, at scale.

pySHACL evaluates the shapes in Python over an rdflib graph: about five seconds per ten thousand
statements, twice the memory of the data, minutes at a million. This module reads a shapes file
(``ontology/shapes.ttl`` by default) and compiles each constraint into one SPARQL query over all
its focus nodes, run by Oxigraph on a store (the union of all graphs, as pySHACL sees it). Each
violation comes back as (focus node, path, message, value, component) exactly as pySHACL reports
it, so both engines print the same lines.

A value conforms only when its test *returns true*, as SHACL says: a comparison that cannot be
made ("abc" against ``sh:minInclusive 0``, an IRI against ``sh:lessThan``) is a violation, an
ill-typed literal ("abc"^^xsd:integer) does not have its datatype, and ``sh:in`` compares terms,
not values (1.0 is not in ``( 1 )``). ``tests/validate/cases/`` holds a case in the style of the
W3C SHACL test suite for every parameter compiled (:data:`COMPILED_PARAMETERS`), each run by both
engines against its expected report. (Where pySHACL compares two literals of different
non-string datatypes, a date against a number, it uses Python's ordering; SPARQL's ``<`` raises
an error there, which this engine reports as a violation.)

Only the constraint components in :data:`COMPILED_PARAMETERS` are compiled, with IRI paths;
anything else in the shapes file (another component, a complex path, a datatype Oxigraph does not
keep apart from xsd:integer) is an error here, never silently skipped, so the two engines cannot
drift apart unnoticed. Deactivated shapes and constraints of a severity other than sh:Violation
report nothing, as in :func:`graph.validate.shacl.validate_graph`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from graph import paths

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal

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
    #: the constraint's parameter (``sh:minCount``) as an IRI, or ``sparql`` for a SPARQL constraint
    parameter: str
    query: str
    message: str
    path: str | None
    #: how a row becomes a result: "value" (?f ?v), "focus" (?f), "self" (?f, value = focus), "sparql"
    kind: str
    #: for SPARQL constraints: the node ``$this`` is bound to (pre-bound, as SHACL-SPARQL says)
    this: str | None = None
    #: the constraint component (``sh:MinCountConstraintComponent``), as pySHACL reports it
    component: str = ""


class Result(NamedTuple):
    """One violation: focus node, path, message, value (as pySHACL reports them), and the component."""

    focus: Term
    path: str | None
    message: str
    value: Term | None
    component: str = ""


def _n3(term: Any) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return str(term.n3())
    raise UnsupportedShape(f"cannot use {term!r} in a compiled constraint")


def _message(shapes: Graph, node: Any, fallback: str) -> str:
    value = shapes.value(node, SH.message)
    return str(value) if value is not None else fallback


def _component(parameter: Any) -> str:
    """``sh:minCount`` → ``sh:MinCountConstraintComponent`` (the names SHACL gives its components)."""
    name = str(parameter).removeprefix(str(SH))
    return f"{SH}{name[0].upper()}{name[1:]}ConstraintComponent"


def _holds(test: str) -> str:
    """A test that is false, not an error, when its operands cannot be compared.

    SHACL counts a value as conforming only when its test *returns true*: "abc" against
    ``sh:minInclusive 0``, or an IRI against ``sh:lessThan``, is a violation. A bare
    ``FILTER(!(?v >= 0))`` drops the row instead (the comparison raises an error and FILTER
    discards errors), so incomparable values passed silently; COALESCE turns the error into false.
    """
    return f"COALESCE({test}, false)"


def _active(shapes: Graph, node: Any) -> bool:
    """Deactivated shapes and shapes whose severity is not sh:Violation report no violations."""
    if str(shapes.value(node, SH.deactivated)) == "true":
        return False
    severity = shapes.value(node, SH.severity)
    return severity is None or severity == SH.Violation


#: the comparison each range parameter makes of a value (``$value >= $minInclusive`` holds)
_RANGES = {SH.minInclusive: ">=", SH.minExclusive: ">", SH.maxInclusive: "<=", SH.maxExclusive: "<"}
#: how each node kind is recognised
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLITERAL({v})",
    SH.BlankNode: "isBLANK({v})",
    SH.BlankNodeOrIRI: "(isBLANK({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBLANK({v}) || isLITERAL({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLITERAL({v}))",
}
#: datatypes whose lexical forms Oxigraph checks: a cast of an ill-typed literal ("abc"^^xsd:integer) fails
_CASTABLE = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.date, XSD.dateTime, XSD.time}
#: datatypes Oxigraph stores as xsd:integer, so that a store cannot tell them apart (pySHACL can)
_STORED_AS_INTEGER = {
    XSD[name]
    for name in [
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
}


#: every constraint parameter the compiler turns into SPARQL ("sparql": a SPARQL-based constraint);
#: ``tests/validate/cases/`` holds a W3C-style case for each, checked against pySHACL
COMPILED_PARAMETERS = frozenset(
    str(p)
    for p in (
        SH["class"],
        SH.datatype,
        SH.nodeKind,
        SH.languageIn,
        SH.minLength,
        SH.maxLength,
        SH.pattern,
        *_RANGES,
        SH["in"],
        SH.minCount,
        SH.maxCount,
        SH.hasValue,
        SH.qualifiedValueShape,
        SH.lessThan,
        SH.lessThanOrEquals,
        SH.uniqueLang,
    )
) | {"sparql"}


class _Compiler:
    def __init__(self, shapes: Graph, classes: Callable[[str], str]):
        self.shapes = shapes
        self.classes = classes  # class IRI -> "VALUES ?c { ... }" of it and its subclasses in the data

    def instance_of(self, var: str, cls: Any) -> str:
        return f"{{ {self.classes(str(cls))} {var} {_RDF_TYPE} ?c }}"

    def focus(self, node_shape: Any) -> str:
        if (node_shape, RDF.type, RDFS.Class) in self.shapes or (node_shape, RDF.type, OWL.Class) in self.shapes:
            raise UnsupportedShape(f"{node_shape}: implicit class targets (a shape that is also a class)")
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

    def member(self, node_shape: Any) -> str:
        """A test that ``?f`` is a focus node of ``node_shape``: the same set as :meth:`focus`, asked of one node.

        A value constraint then starts from the triples of its path, which are few for an optional
        property, instead of enumerating every focus node first (every statement, for
        ``qg:regardingStatement``), and asks about the focus only for the rows that violate.
        """
        tests = []
        for predicate, target in self.shapes.predicate_objects(node_shape):
            if predicate == SH.targetClass:
                tests.append(f"EXISTS {self.instance_of('?f', target)}")
            elif predicate == SH.targetNode:
                tests.append(f"sameTerm(?f, {_n3(target)})")
            elif predicate == SH.targetObjectsOf:
                tests.append(f"EXISTS {{ ?x {_n3(target)} ?f }}")
            elif predicate == SH.targetSubjectsOf:
                tests.append(f"EXISTS {{ ?f {_n3(target)} ?x }}")
        return "(" + " || ".join(tests) + ")"

    def conforms(self, var: str, shape: Any) -> str:
        """A FILTER-able test: ``var`` conforms to a (qualified value) shape."""
        tests = []
        for predicate, value in self.shapes.predicate_objects(shape):
            if predicate in _IGNORED:
                continue
            test = self.value_test(predicate, value, var, owner=shape)
            if test is None:
                raise UnsupportedShape(f"qualified value shape with {predicate}")
            tests.append(_holds(test))
        return " && ".join(tests) or "true"

    def value_test(self, predicate: Any, value: Any, var: str = "?v", owner: Any = None) -> str | None:
        """A test a single value must pass (true: it conforms), or None when the parameter is not a per-value one."""
        if predicate == SH.nodeKind:
            if value not in _NODE_KINDS:
                raise UnsupportedShape(f"sh:nodeKind {value}")
            return _NODE_KINDS[value].format(v=var)
        if predicate == SH["class"]:
            return f"EXISTS {self.instance_of(var, value)}"
        if predicate == SH.datatype:
            return self.datatype(value, var)
        if predicate == SH.languageIn:
            tags = " || ".join(f"LANGMATCHES(LANG({var}), {_n3(Literal(str(t)))})" for t in Collection(self.shapes, value))
            return f"(isLITERAL({var}) && ({tags or 'false'}))"
        if predicate == SH.minLength:
            return f"(!isBLANK({var}) && STRLEN(STR({var})) >= {int(value)})"
        if predicate == SH.maxLength:
            return f"(!isBLANK({var}) && STRLEN(STR({var})) <= {int(value)})"
        if predicate == SH.pattern:
            flags = self.shapes.value(owner, SH.flags) if owner is not None else None
            extra = f", {_n3(Literal(str(flags)))}" if flags is not None else ""
            return f"(!isBLANK({var}) && REGEX(STR({var}), {_n3(Literal(str(value)))}{extra}))"
        if predicate in _RANGES:
            return f"({var} {_RANGES[predicate]} {_n3(value)})"
        if predicate == SH["in"]:
            # sh:in compares terms (sameTerm): 1.0 is not in (1), although SPARQL's IN says 1.0 = 1
            members = " || ".join(f"sameTerm({var}, {_n3(m)})" for m in Collection(self.shapes, value))
            return f"({members or 'false'})"
        if predicate == SH.hasValue:
            return None  # a property-level count, compiled by property_shape
        return None

    def datatype(self, value: Any, var: str) -> str:
        """A literal of the datatype whose lexical form is valid for it ("abc"^^xsd:integer is not)."""
        if value in _STORED_AS_INTEGER:
            raise UnsupportedShape(f"sh:datatype {value}: Oxigraph stores it as xsd:integer, so a store cannot check it")
        test = f"isLITERAL({var}) && DATATYPE({var}) = {_n3(value)}"
        if value == RDF.langString:
            test += f' && LANG({var}) != ""'
        elif value in _CASTABLE:
            test += f" && isLITERAL({_n3(value)}({var}))"
        return f"({test})"

    def node_shape(self, shape: Any, name: str) -> Iterator[Check]:
        if not _active(self.shapes, shape):
            return
        focus = self.focus(shape)
        if not focus:
            return  # a shape without targets validates nothing on its own
        message = _message(self.shapes, shape, "")
        for predicate, value in self.shapes.predicate_objects(shape):
            if predicate in _TARGETS or predicate in _IGNORED or predicate == SH.property:
                continue
            if predicate == SH.sparql:
                yield self.sparql(shape, name, value)
                continue
            test = self.value_test(predicate, value, "?f", owner=shape)
            if test is None:
                raise UnsupportedShape(f"{name}: node-level {predicate}")
            query = f"SELECT DISTINCT ?f WHERE {{ {focus} FILTER(!{_holds(test)}) }}"
            yield Check(name, str(predicate), query, message, None, "self", component=_component(predicate))
        for prop in self.shapes.objects(shape, SH.property):
            if _active(self.shapes, prop):
                yield from self.property_shape(prop, name, focus, self.member(shape))

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
        return Check(
            name,
            "sparql",
            query,
            _message(self.shapes, constraint, ""),
            None,
            "sparql",
            this=str(targets[0]),
            component=str(SH.SPARQLConstraintComponent),
        )

    def property_shape(self, prop: Any, name: str, focus: str, member: str) -> Iterator[Check]:
        path = self.shapes.value(prop, SH.path)
        if not isinstance(path, URIRef):
            raise UnsupportedShape(f"{name}: only IRI paths are compiled")
        p = _n3(path)
        message = _message(self.shapes, prop, "")
        params: dict[Any, Any] = dict(self.shapes.predicate_objects(prop))

        def check(parameter: Any, query: str, kind: str, component: str | None = None) -> Check:
            return Check(name, str(parameter), query, message, str(path), kind, component=component or _component(parameter))

        for predicate, value in params.items():
            if predicate in _IGNORED or predicate in (SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.flags):
                continue
            if predicate == SH.minCount:
                yield check(predicate, _min_count(focus, f"?f {p} ?v", int(value)), "focus")
            elif predicate == SH.maxCount:
                yield check(predicate, _max_count(member, f"?f {p} ?v", f"?f {p} ?w", int(value)), "focus")
            elif predicate == SH.hasValue:
                query = f"SELECT ?f WHERE {{ {focus} FILTER NOT EXISTS {{ ?f {p} ?v FILTER(sameTerm(?v, {_n3(value)})) }} }}"
                yield check(predicate, query, "focus")
            elif predicate == SH.qualifiedValueShape:
                if SH.qualifiedValueShapesDisjoint in params:
                    raise UnsupportedShape(f"{name}: sh:qualifiedValueShapesDisjoint")
                test_v, test_w = self.conforms("?v", value), self.conforms("?w", value)
                low, high = params.get(SH.qualifiedMinCount), params.get(SH.qualifiedMaxCount)
                if low is not None:
                    query = _min_count(focus, f"?f {p} ?v FILTER({test_v})", int(low))
                    yield check(predicate, query, "focus", f"{SH}QualifiedMinCountConstraintComponent")
                if high is not None:
                    query = _max_count(member, f"?f {p} ?v FILTER({test_v})", f"?f {p} ?w FILTER({test_w})", int(high))
                    yield check(predicate, query, "focus", f"{SH}QualifiedMaxCountConstraintComponent")
            elif predicate in (SH.lessThan, SH.lessThanOrEquals):
                op = "<" if predicate == SH.lessThan else "<="
                query = f"SELECT DISTINCT ?f ?v WHERE {{ ?f {p} ?v . ?f {_n3(value)} ?w . FILTER(!{_holds(f'?v {op} ?w')} && {member}) }}"
                yield check(predicate, query, "value")
            elif predicate == SH.uniqueLang:
                if str(value) != "true":
                    continue
                query = (
                    f"SELECT DISTINCT ?f ?lang WHERE {{ ?f {p} ?v . ?f {p} ?w . "
                    f'FILTER(!sameTerm(?v, ?w) && LANG(?v) != "" && LCASE(LANG(?v)) = LCASE(LANG(?w)) && {member}) '
                    "BIND(LCASE(LANG(?v)) AS ?lang) }"
                )
                yield check(predicate, query, "focus")
            else:
                test = self.value_test(predicate, value, owner=prop)
                if test is None:
                    raise UnsupportedShape(f"{name}: {predicate} on {path}")
                yield check(predicate, f"SELECT DISTINCT ?f ?v WHERE {{ ?f {p} ?v . FILTER(!{_holds(test)} && {member}) }}", "value")


def _min_count(focus: str, pattern: str, n: int) -> str:
    if n == 1:
        return f"SELECT ?f WHERE {{ {focus} FILTER NOT EXISTS {{ {pattern} }} }}"
    return f"SELECT ?f WHERE {{ {focus} OPTIONAL {{ {pattern} }} }} GROUP BY ?f HAVING (COUNT(DISTINCT ?v) < {n})"


def _max_count(member: str, pattern_v: str, pattern_w: str, n: int) -> str:
    """Focus nodes with more than ``n`` values: found from the values, then asked whether they are focus nodes."""
    if n == 1:
        return f"SELECT DISTINCT ?f WHERE {{ {{ {pattern_v} }} {{ {pattern_w} }} FILTER(!sameTerm(?v, ?w) && {member}) }}"
    return f"SELECT ?f WHERE {{ {{ {pattern_v} }} FILTER({member}) }} GROUP BY ?f HAVING (COUNT(DISTINCT ?v) > {n})"


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
                results.append(Result(row["this"], path, check.message, row["value"], check.component))
            elif check.kind == "self":
                results.append(Result(row["f"], check.path, check.message, row["f"], check.component))
            elif check.kind == "focus":
                results.append(Result(row["f"], check.path, check.message, None, check.component))
            else:
                results.append(Result(row["f"], check.path, check.message, row["v"], check.component))
        if advance:
            advance(1)
    return results
