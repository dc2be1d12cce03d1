"""Writing query results: rich tables for people, SPARQL 1.1 JSON/CSV/TSV for programs.

The machine formats follow the W3C specifications (SPARQL 1.1 Query Results JSON Format and
CSV/TSV Formats) and are written row by row from the capped result, so that a truncated result
is still well-formed. Graph results (CONSTRUCT, DESCRIBE) are written as RDF by Oxigraph.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from typing import IO, Any, TextIO

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat
from rich.console import Console
from rich.table import Table
from rich.text import Text

from graph.model.vocab import shorten
from graph.query.run import QueryResult

TABLE_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = {"turtle": RdfFormat.TURTLE, "ntriples": RdfFormat.N_TRIPLES, "jsonld": RdfFormat.JSON_LD, "rdfxml": RdfFormat.RDF_XML}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def term_json(term: Any) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, pyoxigraph.Triple):
        return {"type": "triple", "value": str(term)}
    raise TypeError(f"unexpected term {term!r}")


def term_plain(term: Any) -> str:
    """The CSV form: IRIs and literals as their plain value (SPARQL 1.1 CSV)."""
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def term_display(term: Any, prefixes: Mapping[str, str]) -> Text:
    if term is None:
        return Text("")
    if isinstance(term, NamedNode):
        return Text(shorten(term.value, prefixes), style="cyan")
    if isinstance(term, Literal):
        return Text(term.value)  # language tags and datatypes are in the json/tsv output
    return Text(str(term))


def write_json(result: QueryResult, out: TextIO) -> None:
    if result.kind == "ask":
        json.dump({"head": {}, "boolean": result.boolean}, out)
    else:
        bindings = [
            {var: term_json(term) for var, term in zip(result.variables, row, strict=True) if term is not None} for row in result.rows
        ]
        # one write: json.dump writes each token separately (see graph.cli.ask.emit_json)
        out.write(json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}}, ensure_ascii=False))
    out.write("\n")


def write_csv(result: QueryResult, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([term_plain(t) for t in row])


def _tsv_term(term: Any) -> str:
    if term is None:
        return ""
    # pyoxigraph's str() is the N-Triples form, which is what SPARQL TSV asks for
    return str(term).replace("\t", "\\t").replace("\n", "\\n")


def write_tsv(result: QueryResult, out: TextIO) -> None:
    if result.kind == "ask":
        out.write("?boolean\n" + ("true" if result.boolean else "false") + "\n")
        return
    out.write("\t".join(f"?{v}" for v in result.variables) + "\n")
    for row in result.rows:
        out.write("\t".join(_tsv_term(t) for t in row) + "\n")


#: Narrowest useful column of a table; a result with more columns than fit is shown as records.
MIN_COLUMN_WIDTH = 14


def write_records(result: QueryResult, console: Console, prefixes: Mapping[str, str], title: str | None = None) -> None:
    """One block per row, one line per bound variable (like psql's expanded display).

    Results with many columns of long text (quotes, translations, labels) cannot be read as a
    table in a terminal: every column gets a few characters. As records every value keeps the
    full width; unbound values are left out.
    """
    if title:
        console.print(Text(title, style="bold"))
    width = max(len(v) for v in result.variables)
    for number, row in enumerate(result.rows, 1):
        console.rule(Text(str(number), style="dim"), align="left", style="dim")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", min_width=width, no_wrap=True)
        grid.add_column(overflow="fold")
        for var, term in zip(result.variables, row, strict=True):
            if term is not None:
                grid.add_row(var, term_display(term, prefixes))
        console.print(grid)


def write_table(result: QueryResult, console: Console, prefixes: Mapping[str, str], title: str | None = None) -> None:
    """A table; as records (:func:`write_records`) when the columns cannot get a readable width."""
    if result.kind == "ask":
        console.print("yes" if result.boolean else "no")
        return
    if len(result.variables) * MIN_COLUMN_WIDTH > console.width and result.rows:
        write_records(result, console, prefixes, title)
        return
    table = Table(title=title, show_lines=False, header_style="bold")
    for var in result.variables:
        table.add_column(var, overflow="fold")
    for row in result.rows:
        table.add_row(*(term_display(t, prefixes) for t in row))
    console.print(table)


def write_graph(result: QueryResult, out: IO[bytes], fmt: str, prefixes: Mapping[str, str]) -> None:
    rdf_format = GRAPH_FORMATS[fmt]
    use_prefixes = dict(prefixes) if rdf_format in (RdfFormat.TURTLE, RdfFormat.RDF_XML) else None
    pyoxigraph.serialize(result.triples, out, rdf_format, prefixes=use_prefixes)
