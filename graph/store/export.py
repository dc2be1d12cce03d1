"""RDF exports, serialised by Oxigraph straight from the store, written once per build when first asked for.

Formats with named graphs (TriG, N-Quads, JSON-LD) carry the whole dataset: every source
graph, the claims graphs, entities and ontology. Formats without (Turtle, N-Triples, RDF/XML)
carry the default view a query sees: everything except the claims graphs, flattened. A claim
then appears only as a statement node attributed to its claimant, never as a bare triple that
would read as fact.

Each export costs about one Oxigraph dump of the store (the benchmark phases "export N-Quads"
and "floor: Oxigraph dump N-Quads"), minutes at a million statements: six of them on every
build would be most of a build, for files a user may never ask for. So ``kg build`` writes none
unless ``--export`` names some, and ``kg export`` writes each format on first use into the build
folder (``export/quotegraph.<ext>``, published atomically beside the store it was made from, so
it can never belong to another build), while it also goes to the output; later calls serve that
file. A build folder that cannot be written (a read-only copy) is exported from the store
directly, every time.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

import pyoxigraph
from pyoxigraph import RdfFormat

from graph.model.vocab import PREFIXES
from graph.store.builds import EXPORT_DIRNAME, default_graphs, write_atomically


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


def export_path(build_dir: Path, fmt: ExportFormat) -> Path:
    """Where a build keeps its export in ``fmt`` (whether or not it was written yet)."""
    return build_dir / EXPORT_DIRNAME / f"{EXPORT_BASENAME}.{fmt.extension}"


class _Tee:
    """A binary file that writes to several at once: the build's copy and the user's output in one dump."""

    def __init__(self, *targets: IO[bytes]):
        self.targets = targets

    def write(self, data: Any) -> int:
        for target in self.targets:
            target.write(data)
        return len(data)

    def flush(self) -> None:
        for target in self.targets:
            target.flush()


#: chunks in which a cached export is copied to its output
_COPY_CHUNK = 1 << 20


def serve_export(build_dir: Path, store: Callable[[], pyoxigraph.Store], fmt: ExportFormat, output: IO[bytes], base_iri: str) -> bool:
    """Write the build's export in ``fmt`` to ``output``: from the build folder if it is there, else
    dumped from the store into the build folder and ``output`` at once. Returns whether the
    build's copy served (True) or was written now (False).

    ``store`` opens the store only when it is needed; a build folder that cannot be written is
    exported from the store straight to ``output``.
    """
    cached = export_path(build_dir, fmt)
    if cached.is_file():
        with open(cached, "rb") as handle:
            while chunk := handle.read(_COPY_CHUNK):
                output.write(chunk)
        return True
    folder_was_there = cached.parent.is_dir()
    if _writable(cached.parent):
        try:
            write_atomically(cached, lambda handle: write_export(store(), fmt, _Tee(handle, output), base_iri))  # type: ignore[arg-type]
        except BaseException:
            if not folder_was_there:  # a failed export leaves the build as it found it
                with contextlib.suppress(OSError):
                    cached.parent.rmdir()
            raise
    else:
        write_export(store(), fmt, output, base_iri)  # type: ignore[arg-type]
    return False


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def serve_export_to_file(build_dir: Path, store: Callable[[], pyoxigraph.Store], fmt: ExportFormat, path: Path, base_iri: str) -> Path:
    """:func:`serve_export` into a file, written atomically (never half a file at ``path``)."""
    if path.resolve() == export_path(build_dir, fmt).resolve():
        if not path.is_file():
            export_to_file(store(), fmt, path, base_iri)
        return path
    write_atomically(path, lambda handle: serve_export(build_dir, store, fmt, handle, base_iri))
    return path
