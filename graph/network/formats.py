"""The projection as files network tools open: GraphML and GEXF (Gephi, Cytoscape), CSV (spreadsheets).

Nodes are entities, edges are statements (one per statement, keyed and identified by the
statement id), exactly as in :func:`graph.network.projection.project`. GraphML and GEXF store only scalar
attributes, so every value is flattened the same way in every format:

* lists of names (aliases, negated stances, the statements a shortcut rests on or an agreement
  regards) are joined with ``"; "``;
* structured values are JSON text: ``quotes_json`` (every quote with its offsets, prefix and
  suffix) and ``attributes_json`` (the literal-valued statements of an entity, e.g. "described
  as: Milliardär", each with its quote);
* the first quote's offsets are also plain integers (``quote_start``, ``quote_end``) and the
  quote text itself is ``quote``; missing values are empty strings, never absent.

``label`` is the entity's label, or the relation's, in the language asked for; the German and
English labels of entities are both kept. The CSV export is a folder with ``nodes.csv`` and
``edges.csv`` whose first columns follow Gephi's spreadsheet import (``Id``, ``Label``;
``Source``, ``Target``, ``Id``, ``Label``, ``Type``); both files are written to temporary names
and renamed only when both are complete.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import networkx as nx
import pyoxigraph

from graph.errors import UsageError
from graph.network.analysis import label, term_label
from graph.network.projection import project
from graph.store.builds import write_atomically

NETWORK_FORMATS = ("graphml", "gexf", "csv")
CSV_FILES = ("nodes.csv", "edges.csv")

NODE_FIELDS = (
    "label",
    "kind",
    "type",
    "label_en",
    "label_de",
    "aliases",
    "description_en",
    "description_de",
    "wikidata",
    "iri",
    "negates",
    "attributes_json",
)
EDGE_FIELDS = (
    "statement",
    "label",
    "relation",
    "voice",
    "asserted_by",
    "source_id",
    "source_title",
    "source_date",
    "expressed_in",
    "when",
    "polarity",
    "hedged",
    "derived",
    "derived_from",
    "regarding",
    "quote",
    "quote_lang",
    "quote_start",
    "quote_end",
    "quotes_json",
    "translation",
)
# XML 1.0 cannot hold these characters at all; a source containing one must still export
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str:
    return _NOT_XML.sub("\ufffd", "" if value is None else str(value))


def flat_graph(graph: nx.MultiDiGraph, lang: str = "en") -> nx.MultiDiGraph:
    """The projection with scalar attributes only (see the module docstring), in sorted order."""
    flat = nx.MultiDiGraph()
    for node in sorted(graph.nodes):
        attrs = graph.nodes[node]
        flat.add_node(
            node,
            label=_text(label(graph, node, lang)),
            kind=_text(attrs.get("kind")),
            type=_text(attrs.get("type")),
            label_en=_text(attrs.get("label_en")),
            label_de=_text(attrs.get("label_de")),
            aliases=_text("; ".join(attrs.get("aliases", []))),
            description_en=_text(attrs.get("description_en")),
            description_de=_text(attrs.get("description_de")),
            wikidata=_text(attrs.get("wikidata")),
            iri=_text(attrs.get("iri")),
            negates=_text("; ".join(attrs.get("negates", []))),
            attributes_json=_text(json.dumps(attrs.get("attributes", []), ensure_ascii=False, sort_keys=True)),
        )
    for u, v, key, d in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[2], e[0], e[1])):
        quotes = d.get("quotes") or []
        first = quotes[0] if quotes else {}
        flat.add_edge(
            u,
            v,
            key=key,
            statement=_text(key),
            label=_text(term_label(graph, d["relation"], lang)),
            relation=_text(d["relation"]),
            voice=_text(d["voice"]),
            asserted_by=_text(d["asserted_by"]),
            source_id=_text(d["source"]),
            source_title=_text(d["source_title"]),
            source_date=_text(d["source_date"]),
            expressed_in=_text(d["expressed_in"]),
            when=_text(d["when"]),
            polarity=_text(d["polarity"]),
            hedged=bool(d["hedged"]),
            derived=bool(d["derived"]),
            derived_from=_text("; ".join(d["derived_from"])),
            regarding=_text("; ".join(d.get("regarding", []))),
            quote=_text(d["quote"]),
            quote_lang=_text(first.get("lang")),
            quote_start=int(first.get("start", -1)),
            quote_end=int(first.get("end", -1)),
            quotes_json=_text(json.dumps(quotes, ensure_ascii=False, sort_keys=True)),
            translation=_text(d["translation"]),
        )
    return flat


def write_graphml(graph: nx.MultiDiGraph, out: IO[bytes], lang: str = "en") -> None:
    """GraphML with typed keys for every attribute; edge ids are statement ids."""
    nx.write_graphml_xml(flat_graph(graph, lang), out, encoding="utf-8", prettyprint=True)  # one writer whether or not lxml is installed


def write_gexf(graph: nx.MultiDiGraph, out: IO[bytes], lang: str = "en") -> None:
    """GEXF 1.2; edge ids are statement ids and ``label`` is GEXF's own node and edge label."""
    flat = flat_graph(graph, lang)
    for _, _, key, data in flat.edges(keys=True, data=True):
        data["id"] = key  # networkx takes a GEXF edge id from the "id" attribute
    nx.write_gexf(flat, out, encoding="utf-8", prettyprint=True)


def _csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([("true" if v else "false") if isinstance(v, bool) else v for v in row])
    return buffer.getvalue().encode("utf-8")


def csv_tables(graph: nx.MultiDiGraph, lang: str = "en") -> dict[str, bytes]:
    """``nodes.csv`` and ``edges.csv`` as bytes (UTF-8, RFC 4180 line ends)."""
    flat = flat_graph(graph, lang)
    node_fields = [f for f in NODE_FIELDS if f != "label"]
    edge_fields = [f for f in EDGE_FIELDS if f != "label"]
    nodes = [[node, data["label"], *(data[f] for f in node_fields)] for node, data in flat.nodes(data=True)]
    edges = [
        [u, v, key, data["label"], "Directed", *(data[f] for f in edge_fields)] for u, v, key, data in flat.edges(keys=True, data=True)
    ]
    return {
        "nodes.csv": _csv_bytes(["Id", "Label", *node_fields], nodes),
        "edges.csv": _csv_bytes(["Source", "Target", "Id", "Label", "Type", *edge_fields], edges),
    }


def write_csv_folder(graph: nx.MultiDiGraph, folder: Path, lang: str = "en") -> list[Path]:
    """Write ``nodes.csv`` and ``edges.csv`` into ``folder``: both complete, or neither replaced."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"-o {folder}: the csv export writes two files (nodes.csv, edges.csv) and needs a folder")
    created = [p for p in (folder, *folder.parents) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    tables = csv_tables(graph, lang)
    staged: list[tuple[Path, Path]] = []
    done = False
    try:
        for name, data in tables.items():
            tmp = folder / f".{name}.tmp-{secrets.token_hex(4)}"
            staged.append((tmp, folder / name))
            with open(tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, final in staged:
            os.replace(tmp, final)
        done = True
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if not done:  # a failed run leaves no folder it made (a full disk, say)
            for made in created:
                with contextlib.suppress(OSError):
                    made.rmdir()
    return [final for _, final in staged]


WRITERS: dict[str, Callable[[nx.MultiDiGraph, IO[bytes], str], None]] = {"graphml": write_graphml, "gexf": write_gexf}


def export_projection(store: pyoxigraph.Store, fmt: str, output: str, lang: str, stdout: IO[bytes]) -> list[Path]:
    """Write the projection of ``store`` as ``fmt`` to ``output`` (``-``: ``stdout``); the files written."""
    graph = project(store)
    if fmt == "csv":
        if output == "-":
            raise UsageError("the csv export writes two files (nodes.csv, edges.csv): name a folder with -o DIR")
        return write_csv_folder(graph, Path(output), lang)
    writer = WRITERS[fmt]
    if output == "-":
        writer(graph, stdout, lang)
        stdout.flush()
        return []
    path = Path(output)
    write_atomically(path, lambda handle: writer(graph, handle, lang))
    return [path]
