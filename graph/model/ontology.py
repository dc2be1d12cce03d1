"""What the code needs to know from the ontology, read from the Turtle and nowhere else.

Entity kinds, finer types, relations (their labels, domain, range, polarity, inverse, role and
signal words) and the property chains that define shortcut relations are all declared in
``ontology/quotegraph.ttl``. Adding a relation there makes it usable in the data without
touching Python.

For extraction, :meth:`Ontology.signals` gives the words that signal each relation in a
language (``qg:signalEn``/``qg:signalDe``)::

    >>> from graph.model.ontology import default_ontology
    >>> "verklagte" in default_ontology().signals("de")["sued"]
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection

from graph import paths
from graph.model.vocab import ORG, OWL, QG, QG_NS, RDF, RDFS


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
    #: the comment in each language (``comment`` is the English one)
    comments: dict[str, str] = field(default_factory=dict)
    #: signal words by language (``qg:signalEn``, ``qg:signalDe``), sorted
    signal_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: the quotegraph relation this one is the inverse of (``owl:inverseOf``), if any
    inverse: str | None = None
    symmetric: bool = False
    #: the org:Role a role relation states (``qg:role``)
    role: URIRef | None = None
    #: the quotegraph relations this one is a direct sub-property of
    parents: tuple[str, ...] = ()
    #: every super-property IRI, transitively (quotegraph and standard ones)
    ancestors: frozenset[URIRef] = frozenset()
    #: standard terms this relation is linked to: (how, IRI), how in subPropertyOf/inverseOf/equivalentProperty
    links: tuple[tuple[str, URIRef], ...] = ()

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

    def signals(self, lang: str) -> dict[str, tuple[str, ...]]:
        """The words that signal each relation in ``lang`` ("en" or "de"), by the relation's local name.

        Each value is one word or short phrase as the ontology gives it (``qg:signalEn`` or
        ``qg:signalDe``): lower case except where case matters (German nouns, "CEO"), with the
        inflected forms an extractor must match listed one by one ("verklagte", "verklagt",
        "Klage"). Relations without signal words in that language are left out; relations that
        are not used directly in data (``qg:holdsStance``) are never included. An extractor
        that finds a signal still needs the text to name both ends; a signal alone is no statement.
        """
        return {
            name: rel.signal_words[lang] for name, rel in sorted(self.relations.items()) if rel.signal_words.get(lang) and not rel.abstract
        }

    def is_membership(self, relation: Relation) -> str | None:
        """Which end of a role relation is the member: "subject" (under org:memberOf), "object" (under org:hasMember) or None."""
        if relation.role is None:
            return None
        if ORG.memberOf in relation.ancestors:
            return "subject"
        if ORG.hasMember in relation.ancestors:
            return "object"
        return None


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


def _texts(graph: Graph, node: URIRef, prop: URIRef) -> dict[str, str]:
    return {lit.language: str(lit) for lit in graph.objects(node, prop) if isinstance(lit, Literal) and lit.language}


def _ancestors(graph: Graph, prop: URIRef) -> frozenset[URIRef]:
    seen: set[URIRef] = set()
    todo = [prop]
    while todo:
        current = todo.pop()
        for parent in graph.objects(current, RDFS.subPropertyOf):
            if isinstance(parent, URIRef) and parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return frozenset(seen)


def _signals(graph: Graph, prop: URIRef, annotation: URIRef) -> tuple[str, ...]:
    """Signal words sorted case-insensitively: a graph keeps no order, and every read must give the same tuple."""
    return tuple(sorted({str(o) for o in graph.objects(prop, annotation) if isinstance(o, Literal)}, key=lambda w: (w.casefold(), w)))


def _chain(graph: Graph, head: object) -> tuple[str, ...]:
    """A property chain as local names; an inverse step (``[ owl:inverseOf qg:partner ]``) is ``^partner``."""
    steps = []
    for step in Collection(graph, head):  # type: ignore[arg-type]
        if isinstance(step, URIRef):
            steps.append(_local(step))
        else:
            inverse = graph.value(step, OWL.inverseOf)
            steps.append("^" + _local(URIRef(str(inverse))))
    return tuple(steps)


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
    for prop in set(graph.subjects(RDF.type, OWL.ObjectProperty)) | set(graph.subjects(RDF.type, OWL.DatatypeProperty)):
        if not isinstance(prop, URIRef) or not str(prop).startswith(QG_NS):
            continue
        ancestors = _ancestors(graph, prop)
        is_relation = QG.relation in ancestors
        is_attribute = QG.attribute in ancestors
        if not (is_relation or is_attribute):
            continue
        chain_head = graph.value(prop, OWL.propertyChainAxiom)
        domain = graph.value(prop, RDFS.domain)
        range_ = graph.value(prop, RDFS.range)
        polarity = graph.value(prop, QG.polarity)
        role = graph.value(prop, QG.role)
        comments = _texts(graph, prop, RDFS.comment)
        inverses = [o for o in graph.objects(prop, OWL.inverseOf) if isinstance(o, URIRef)]
        parents = sorted(o for o in graph.objects(prop, RDFS.subPropertyOf) if isinstance(o, URIRef))
        links = sorted(
            [("subPropertyOf", p) for p in parents if not str(p).startswith(QG_NS)]
            + [("inverseOf", o) for o in inverses if not str(o).startswith(QG_NS)]
            + [("equivalentProperty", o) for o in graph.objects(prop, OWL.equivalentProperty) if isinstance(o, URIRef)]
        )
        onto.relations[_local(prop)] = Relation(
            name=_local(prop),
            iri=prop,
            labels=_labels(graph, prop),
            comment=comments.get("en", ""),
            is_attribute=is_attribute,
            domain=domain if isinstance(domain, URIRef) else None,
            range=range_ if isinstance(range_, URIRef) else None,
            polarity=polarity if isinstance(polarity, URIRef) else None,
            chain=_chain(graph, chain_head) if chain_head is not None else (),
            # a relation that only groups others (qg:holdsStance) is not used directly in data
            abstract=prop == QG.holdsStance,
            comments=comments,
            signal_words={"en": _signals(graph, prop, QG.signalEn), "de": _signals(graph, prop, QG.signalDe)},
            inverse=next((_local(o) for o in inverses if str(o).startswith(QG_NS)), None),
            symmetric=(prop, RDF.type, OWL.SymmetricProperty) in graph,
            role=role if isinstance(role, URIRef) else None,
            parents=tuple(_local(p) for p in parents if str(p).startswith(QG_NS) and p not in (QG.relation, QG.attribute)),
            ancestors=ancestors,
            links=tuple(links),
        )
    return onto


@cache
def default_ontology() -> Ontology:
    """The bundled ontology, read once per process."""
    return load_ontology()
