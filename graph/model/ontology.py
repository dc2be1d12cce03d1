"""What the code needs to know from the ontology, read from the Turtle and nowhere else.

Entity kinds, finer types, relations (their labels, domain, range, polarity) and the property
chains that define shortcut relations are all declared in ``ontology/quotegraph.ttl``. Adding
a relation there makes it usable in the data without touching Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection

from graph import paths
from graph.model.vocab import OWL, QG, QG_NS, RDF, RDFS


@dataclass(frozen=True)
class Relation:
    """A predicate statements may use (a sub-property of qg:relation or qg:attribute)."""

    name: str
    iri: URIRef
    labels: dict[str, str]
    comment: str
    is_attribute: bool
    domain: URIRef | None
    range: URIRef | None
    polarity: URIRef | None = None
    chain: tuple[str, ...] = ()
    abstract: bool = False

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.name


@dataclass
class Ontology:
    graph: Graph
    kinds: dict[str, URIRef] = field(default_factory=dict)
    classes: dict[str, URIRef] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)
    class_labels: dict[URIRef, dict[str, str]] = field(default_factory=dict)
    _closures: dict[URIRef, frozenset[URIRef]] = field(default_factory=dict, repr=False)

    def superclasses(self, cls: URIRef) -> frozenset[URIRef]:
        """The class and all its superclasses declared in the ontology (reflexive, transitive).

        Memoised: the loader asks for every statement's subject and object, a million times at scale.
        """
        found = self._closures.get(cls)
        if found is None:
            found = self._closures[cls] = _closure(self.graph, cls)
        return found

    def kind_of_class(self, cls: URIRef) -> str | None:
        for kind, kind_cls in self.kinds.items():
            if kind_cls in self.superclasses(cls):
                return kind
        return None

    @property
    def chains(self) -> list[Relation]:
        return [r for r in self.relations.values() if r.chain]


def _closure(graph: Graph, cls: URIRef) -> frozenset[URIRef]:
    seen = {cls}
    todo = [cls]
    while todo:
        current = todo.pop()
        for parent in graph.objects(current, RDFS.subClassOf):
            if isinstance(parent, URIRef) and parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return frozenset(seen)


def _local(iri: URIRef) -> str:
    return str(iri)[len(QG_NS) :] if str(iri).startswith(QG_NS) else str(iri)


def _labels(graph: Graph, node: URIRef) -> dict[str, str]:
    out: dict[str, str] = {}
    for label in graph.objects(node, RDFS.label):
        if isinstance(label, Literal) and label.language:
            out[label.language] = str(label)
    return out


def _sub_property_of(graph: Graph, prop: URIRef, top: URIRef) -> bool:
    seen: set[URIRef] = set()
    todo = [prop]
    while todo:
        current = todo.pop()
        for parent in graph.objects(current, RDFS.subPropertyOf):
            if parent == top:
                return True
            if isinstance(parent, URIRef) and parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return False


def load_ontology(path: Path | None = None) -> Ontology:
    """Read the ontology Turtle into the lookup tables the loader and the RDF writer use."""
    graph = Graph()
    graph.parse(path or paths.ontology_file(), format="turtle")
    onto = Ontology(graph=graph)
    for cls in graph.subjects(RDF.type, OWL.Class):
        if not isinstance(cls, URIRef) or not str(cls).startswith(QG_NS):
            continue
        onto.classes[_local(cls)] = cls
        onto.class_labels[cls] = _labels(graph, cls)
        kind = graph.value(cls, QG.kind)
        if kind is not None:
            onto.kinds[str(kind)] = cls
    has_sub_properties = {o for o in graph.objects(None, RDFS.subPropertyOf)}
    for prop in set(graph.subjects(RDF.type, OWL.ObjectProperty)) | set(graph.subjects(RDF.type, OWL.DatatypeProperty)):
        if not isinstance(prop, URIRef) or not str(prop).startswith(QG_NS):
            continue
        is_relation = _sub_property_of(graph, prop, QG.relation)
        is_attribute = _sub_property_of(graph, prop, QG.attribute)
        if not (is_relation or is_attribute):
            continue
        chain_head = graph.value(prop, OWL.propertyChainAxiom)
        chain = tuple(_local(URIRef(str(p))) for p in Collection(graph, chain_head)) if chain_head is not None else ()
        domain = graph.value(prop, RDFS.domain)
        range_ = graph.value(prop, RDFS.range)
        polarity = graph.value(prop, QG.polarity)
        comment = graph.value(prop, RDFS.comment)
        for candidate in graph.objects(prop, RDFS.comment):
            if isinstance(candidate, Literal) and candidate.language == "en":
                comment = candidate
        onto.relations[_local(prop)] = Relation(
            name=_local(prop),
            iri=prop,
            labels=_labels(graph, prop),
            comment=str(comment or ""),
            is_attribute=is_attribute,
            domain=domain if isinstance(domain, URIRef) else None,
            range=range_ if isinstance(range_, URIRef) else None,
            polarity=polarity if isinstance(polarity, URIRef) else None,
            chain=chain,
            # a relation that only groups others (qg:holdsStance) is not used directly in data
            abstract=prop in has_sub_properties and polarity is None and prop == QG.holdsStance,
        )
    return onto


@cache
def default_ontology() -> Ontology:
    """The bundled ontology, read once per process."""
    return load_ontology()
