"""RDF exports, serialised by Oxigraph straight from the store.

Formats with named graphs (TriG, N-Quads, JSON-LD) carry the whole dataset: every source
graph, the claims graphs, entities and ontology. Formats without (Turtle, N-Triples, RDF/XML)
carry the default view a query sees: everything except the claims graphs, flattened. A claim
then appears only as a statement node attributed to its claimant, never as a bare triple that
would read as fact.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph
from pyoxigraph import RdfFormat

from graph.model.vocab import PREFIXES
from graph.store.builds import default_graphs, write_atomically


@dataclass(frozen=True)
class ExportFormat:
    name: str
    rdf_format: RdfFormat
    extension: str
    media_type: str

    @property
    def has_graphs(self) -> bool:
        return bool(self.rdf_format.supports_datasets)


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("turtle", RdfFormat.TURTLE, "ttl", "text/turtle"),
        ExportFormat("ntriples", RdfFormat.N_TRIPLES, "nt", "application/n-triples"),
        ExportFormat("rdfxml", RdfFormat.RDF_XML, "rdf", "application/rdf+xml"),
        ExportFormat("trig", RdfFormat.TRIG, "trig", "application/trig"),
        ExportFormat("nquads", RdfFormat.N_QUADS, "nq", "application/n-quads"),
        ExportFormat("jsonld", RdfFormat.JSON_LD, "jsonld", "application/ld+json"),
    )
}
EXPORT_BASENAME = "quotegraph"


def prefixes_for(base_iri: str) -> dict[str, str]:
    """Vocabulary prefixes plus short prefixes for this graph's own IRIs."""
    return {
        **PREFIXES,
        "entity": f"{base_iri}entity/",
        "statement": f"{base_iri}statement/",
        "source": f"{base_iri}source/",
        "graph": f"{base_iri}graph/",
    }


def default_view(store: pyoxigraph.Store) -> Iterator[pyoxigraph.Triple]:
    """The triples of every non-claims graph (what a query sees without GRAPH)."""
    for graph in default_graphs(store):
        for quad in store.quads_for_pattern(None, None, None, graph):
            yield pyoxigraph.Triple(quad.subject, quad.predicate, quad.object)


#: Formats whose documents can be concatenated: one Oxigraph dump per graph, appended.
_CONCATENABLE = (RdfFormat.N_TRIPLES, RdfFormat.TURTLE)


def write_export(store: pyoxigraph.Store, fmt: ExportFormat, output: BinaryIO, base_iri: str) -> None:
    prefixes = prefixes_for(base_iri) if fmt.rdf_format in (RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.RDF_XML) else None
    if fmt.has_graphs:
        store.dump(output, fmt.rdf_format, prefixes=prefixes)
    elif fmt.rdf_format in _CONCATENABLE:
        # Oxigraph's own serialiser, graph by graph: N-Triples lines and Turtle documents
        # (prefixes declared again at each start) concatenate into one valid document
        for graph in default_graphs(store):
            store.dump(output, fmt.rdf_format, from_graph=graph, prefixes=prefixes)
    else:  # RDF/XML has one root element: one serialisation over all the triples
        pyoxigraph.serialize(default_view(store), output, fmt.rdf_format, prefixes=prefixes)


def export_to_file(store: pyoxigraph.Store, fmt: ExportFormat, path: Path, base_iri: str) -> Path:
    write_atomically(path, lambda handle: write_export(store, fmt, handle, base_iri))
    return path


def export_all(
    store: pyoxigraph.Store,
    folder: Path,
    base_iri: str,
    advance: Callable[[int], None] | None = None,
    timings: dict[str, float] | None = None,
    formats: Iterable[str] | None = None,
) -> dict[str, Path]:
    """Every format (or those named) into ``folder`` as ``quotegraph.<ext>``; ``timings`` gets one entry per format."""
    written = {}
    chosen = list(FORMATS) if formats is None else list(formats)
    for name in chosen:
        fmt = FORMATS[name]
        started = time.perf_counter()
        written[name] = export_to_file(store, fmt, folder / f"{EXPORT_BASENAME}.{fmt.extension}", base_iri)
        if timings is not None:
            timings[name] = round(time.perf_counter() - started, 3)
        if advance:
            advance(1)
    return written
