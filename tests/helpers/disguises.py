"""SERVICE calls and updates in disguise: texts a query check might misread, for every entry point's tests.

``{U}`` stands for the URL of a loopback listener (``tests/helpers/listener.py``), ``{PORT}`` for its
port; :func:`disguises` fills them in. The families: plain spellings the check must see; comments
ended by characters rdflib does not end a comment on (CR, CRLF, form feed, NEL, U+2028 ...);
``\\u`` escapes outside and inside strings and IRIs (an escaped quote moves where rdflib thinks a
string ends); mixed case; SERVICE nested in subqueries, OPTIONAL, MINUS, UNION, GRAPH, EXISTS,
HAVING, ORDER BY, after property paths; unusual whitespace; and updates (LOAD, INSERT ...), which a
read-only graph never runs. Sixteen of them went past the check before the canonical text
(graph/query/canonical.py) existed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

B = "\\"  # one backslash, so that the escapes below read as they are sent

SERVICE = [
    # --- plain spellings -------------------------------------------------------------------------
    ("plain", "SELECT * WHERE { SERVICE <{U}> { ?s ?p ?o } }"),
    ("silent", "SELECT * WHERE { SERVICE SILENT <{U}> { ?s ?p ?o } }"),
    ("lowercase", "select * where { service <{U}> { ?s ?p ?o } }"),
    ("mixed case", "SELECT * WHERE { sErViCe <{U}> { ?s ?p ?o } }"),
    ("no spaces", "SELECT * WHERE {SERVICE<{U}>{?s ?p ?o}}"),
    ("tab and LF separators", "SELECT * WHERE {\tSERVICE\n<{U}>\t{ ?s ?p ?o }\n}"),
    ("CR separators", "SELECT * WHERE {\rSERVICE\r<{U}>\r{ ?s ?p ?o }\r}"),
    ("CRLF separators", "SELECT * WHERE {\r\nSERVICE\r\n<{U}>\r\n{ ?s ?p ?o }\r\n}"),
    ("comment between SERVICE and IRI", "SELECT * WHERE { SERVICE #c\n<{U}> { ?s ?p ?o } }"),
    ("variable bound by BIND", "SELECT * WHERE { BIND(<{U}> AS ?x) SERVICE ?x { ?s ?p ?o } }"),
    ("variable bound by VALUES", "SELECT * WHERE { { VALUES ?x { <{U}> } } SERVICE ?x { ?s ?p ?o } }"),
    ("prefixed name", "PREFIX : <{U}> SELECT * WHERE { SERVICE:a{ ?s ?p ?o } }"),
    ("BASE and a relative IRI", "BASE <{U}> SELECT * WHERE { SERVICE <x> { ?s ?p ?o } }"),
    ("in a subquery", "SELECT * WHERE { { SELECT * WHERE { SERVICE <{U}> { ?s ?p ?o } } } }"),
    ("in OPTIONAL", "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <{U}> { ?s ?p ?o } } }"),
    ("in MINUS", "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <{U}> { ?s ?p ?o } } }"),
    ("in UNION", "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <{U}> { ?s ?p ?o } } }"),
    ("in GRAPH", "SELECT * WHERE { GRAPH ?g { ?s ?p ?o SERVICE <{U}> { ?s ?p ?o } } }"),
    ("in FILTER EXISTS", "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{U}> { ?s ?p ?o } } }"),
    ("in FILTER NOT EXISTS", "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { SERVICE <{U}> { ?s ?p ?o } } }"),
    ("in BIND(EXISTS)", "SELECT * WHERE { ?s ?p ?o BIND(EXISTS { SERVICE <{U}> { ?s ?p ?o } } AS ?e) }"),
    ("in a projected EXISTS", "SELECT (EXISTS { SERVICE <{U}> { ?s ?p ?o } } AS ?e) WHERE { ?s ?p ?o }"),
    ("in HAVING EXISTS", "SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?s HAVING(EXISTS { SERVICE <{U}> { ?s ?p ?o } })"),
    ("in ORDER BY EXISTS", "SELECT * WHERE { ?s ?p ?o } ORDER BY (EXISTS { SERVICE <{U}> { ?s ?p ?o } })"),
    ("after property paths", "SELECT * WHERE { ?s <http://e/p>+ ?o . SERVICE <{U}> { ?s (<http://e/p>|^<http://e/q>)* ?o } }"),
    ("ASK", "ASK { SERVICE <{U}> { ?s ?p ?o } }"),
    ("CONSTRUCT", "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{U}> { ?s ?p ?o } }"),
    ("DESCRIBE", "DESCRIBE ?s WHERE { SERVICE <{U}> { ?s ?p ?o } }"),
    ("in LATERAL (an Oxigraph extension)", "SELECT * WHERE { ?s ?p ?o LATERAL { SERVICE <{U}> { ?s ?p ?o } } }"),
    (
        "after an escaped # in a prefixed name",
        "PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ex:a" + B + "#b . SERVICE <{U}> { ?s ?p ?o } }",
    ),
    # --- comments ended by what rdflib does not end a comment on ------------------------------------
    ("comment ended by CR", "SELECT * WHERE { # x\rSERVICE <{U}> { ?s ?p ?o } }"),
    ("comment ended by CR, then LF", "SELECT * WHERE { # x\rSERVICE <{U}> { ?s ?p ?o }\n}"),
    ("comment ended by CRLF", "SELECT * WHERE { # x\r\nSERVICE <{U}> { ?s ?p ?o } }"),
    ("comment ended by CR in OPTIONAL", "SELECT * WHERE { ?s ?p ?o OPTIONAL { # x\rSERVICE <{U}> { ?s ?p ?o }\n} }"),
    ("comment ended by CR in a subquery", "SELECT * WHERE { { SELECT * WHERE { # x\rSERVICE SILENT <{U}> { ?s ?p ?o }\n} } }"),
    ("comment ended by CR in MINUS", "SELECT * WHERE { ?s ?p ?o MINUS { # x\rSERVICE SILENT <{U}> { ?s ?p ?o }\n} }"),
    ("comment ended by CR in FILTER NOT EXISTS", "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { # x\rSERVICE <{U}> { ?s ?p ?o }\n} }"),
    ("comment ended by CR after PREFIX", "PREFIX ex: <http://e/> # \rSELECT * WHERE { SERVICE <{U}> { ?s ?p ?o } } #\nSELECT * WHERE { }"),
    ("comment ended by CR after a property path", "SELECT * WHERE { ?s <http://e/p>* ?o # \rSERVICE SILENT <{U}> { ?s ?p ?o }\n}"),
    ("comment then form feed", "SELECT * WHERE { # x\x0cSERVICE <{U}> { ?s ?p ?o }\n}"),
    ("comment then vertical tab", "SELECT * WHERE { # x\x0bSERVICE <{U}> { ?s ?p ?o }\n}"),
    ("comment then NEL U+0085", "SELECT * WHERE { # x\x85SERVICE <{U}> { ?s ?p ?o }\n}"),
    ("comment then U+2028", "SELECT * WHERE { # x\u2028SERVICE <{U}> { ?s ?p ?o }\n}"),
    ("comment then U+2029", "SELECT * WHERE { # x\u2029SERVICE <{U}> { ?s ?p ?o }\n}"),
    ("comment then U+001E", "SELECT * WHERE { # x\x1eSERVICE <{U}> { ?s ?p ?o }\n}"),
    ("comment then NUL", "SELECT * WHERE { # x\x00SERVICE <{U}> { ?s ?p ?o }\n}"),
    ("comment then \\u000D as text", "SELECT * WHERE { # x" + B + "u000DSERVICE <{U}> { ?s ?p ?o }\n}"),
    ("comment then \\u000A as text", "SELECT * WHERE { # x" + B + "u000A}SERVICE <{U}> { ?s ?p ?o }\n}"),
    ("comment then \\u000A0000 (8 hex digits for rdflib)", "SELECT * WHERE { # " + B + "u000A0000 ?p ?o . SERVICE <{U}> { ?s ?p ?o }\n}"),
    ("'<' operator, #, CR", "SELECT * WHERE { ?s ?p ?o FILTER(?s<?o#x>\r|| true) SERVICE <{U}> { ?s ?p ?o }\n}"),
    # --- \u escapes ---------------------------------------------------------------------------------
    ("\\u0053ERVICE", "SELECT * WHERE { " + B + "u0053ERVICE <{U}> { ?s ?p ?o } }"),
    ("\\U00000053ERVICE", "SELECT * WHERE { " + B + "U00000053ERVICE <{U}> { ?s ?p ?o } }"),
    ("SERV\\u0049CE", "SELECT * WHERE { SERV" + B + "u0049CE <{U}> { ?s ?p ?o } }"),
    ("\\u0073ervice", "SELECT * WHERE { " + B + "u0073ervice <{U}> { ?s ?p ?o } }"),
    ("string with \\u0022, then #", 'SELECT * WHERE { ?s ?p ?o FILTER(?o != "A' + B + 'u0022) # ") SERVICE <{U}> { ?s ?p ?o }\n}'),
    (
        "two strings with \\u0022 and ||",
        'SELECT * WHERE { ?s ?p ?o FILTER(?o != "A' + B + 'u0022 || ") SERVICE <{U}> { ?s ?p ?o } FILTER(?o != " || ' + B + 'u0022B") }',
    ),
    ("string with \\u0027, then #", "SELECT * WHERE { ?s ?p ?o FILTER(?o != 'A" + B + "u0027) # ') SERVICE <{U}> { ?s ?p ?o }\n}"),
    ("string with \\U00000022, then #", 'SELECT * WHERE { ?s ?p ?o FILTER(?o != "A' + B + 'U00000022) # ") SERVICE <{U}> { ?s ?p ?o }\n}'),
    (
        "long string with 3 x \\u0022, then #",
        'SELECT * WHERE { ?s ?p ?o FILTER(?o != """A' + B + "u0022" + B + "u0022" + B + 'u0022) # """) SERVICE <{U}> { ?s ?p ?o }\n}',
    ),
    (
        "long string with 3 x \\u0027, then #",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o != '''A" + B + "u0027" + B + "u0027" + B + "u0027) # ''') SERVICE <{U}> { ?s ?p ?o }\n}",
    ),
    (
        "string whose \\u005C eats the quote",
        'SELECT * WHERE { ?s ?p ?o FILTER(?o != "a' + B + 'u005C") SERVICE <{U}> { ?s ?p ?o } FILTER(?o != ") # ")\n}',
    ),
    (
        "language-tagged string with \\u0022",
        'SELECT * WHERE { ?s ?p ?o FILTER(?o != "A' + B + 'u0022@en) # "@en) SERVICE <{U}> { ?s ?p ?o }\n}',
    ),
    (
        "string with \\u0022 in OPTIONAL",
        'SELECT * WHERE { ?s ?p ?o OPTIONAL { FILTER(?o != "A' + B + 'u0022) # ") SERVICE SILENT <{U}> { ?s ?p ?o }\n} }',
    ),
    (
        "string with \\u0022 in a subquery",
        'SELECT * WHERE { { SELECT * WHERE { FILTER("' + B + 'u0022) # ") SERVICE <{U}> { ?s ?p ?o }\n} } }',
    ),
    ("IRI with \\u003E, then #", "SELECT * WHERE { ?s ?p <http://e/" + B + "u003E> # > SERVICE <{U}> { ?s ?p ?o }\n}"),
    ("IRI with \\u0020", "SELECT * WHERE { ?s ?p <http://e/" + B + "u0020> . SERVICE <{U}> { ?s ?p ?o } }"),
    ("\\u escape in the SERVICE IRI", "SELECT * WHERE { SERVICE <http://" + B + "u003127.0.0.1:{PORT}/> { ?s ?p ?o } }"),
    ("escaped backslash before u0022", 'SELECT * WHERE { ?s ?p ?o FILTER(?o != "' + B + B + 'u0022") SERVICE <{U}> { ?s ?p ?o } }'),
    # --- odd characters -------------------------------------------------------------------------------
    ("long s U+017F", "SELECT * WHERE { \u017fERVICE <{U}> { ?s ?p ?o } }"),
    ("dotless i", "SELECT * WHERE { SERV\u0131CE <{U}> { ?s ?p ?o } }"),
    ("vertical tab as whitespace", "SELECT * WHERE {\x0bSERVICE <{U}> { ?s ?p ?o } }"),
    ("form feed as whitespace", "SELECT * WHERE {\x0cSERVICE <{U}> { ?s ?p ?o } }"),
    ("no-break space as whitespace", "SELECT * WHERE {\xa0SERVICE <{U}> { ?s ?p ?o } }"),
    ("ideographic space as whitespace", "SELECT * WHERE {\u3000SERVICE <{U}> { ?s ?p ?o } }"),
    ("zero-width space after SERVICE", "SELECT * WHERE { SERVICE\u200b<{U}> { ?s ?p ?o } }"),
    ("byte order mark first", "\ufeffSELECT * WHERE { SERVICE <{U}> { ?s ?p ?o } }"),
    ("SERVICE$x", "SELECT * WHERE { BIND(<{U}> AS ?x) SERVICE$x { ?s ?p ?o } }"),
    ("FROM the listener", "SELECT * FROM <{U}> WHERE { ?s ?p ?o }"),
    ("DESCRIBE the listener", "DESCRIBE <{U}>"),
]

UPDATE = [
    ("LOAD", "LOAD <{U}>"),
    ("LOAD SILENT INTO", "LOAD SILENT <{U}> INTO GRAPH <http://e/g>"),
    ("INSERT DATA", "INSERT DATA { <http://e/x> <http://e/p> 1 }"),
    ("DELETE WHERE", "DELETE WHERE { ?s ?p ?o }"),
    ("INSERT WHERE SERVICE", "INSERT { ?s ?p ?o } WHERE { SERVICE <{U}> { ?s ?p ?o } }"),
    ("DROP ALL", "DROP ALL"),
    ("lowercase drop all", "drop all"),
    ("comment ended by CR, then LOAD", "SELECT * WHERE { } # \rLOAD <{U}>"),
    ("comment ended by CR, then ; LOAD", "ASK {} # \r; LOAD <{U}>"),
    ("LO\\u0041D", "LO" + B + "u0041D <{U}>"),
    ("\\u0022, then LOAD", 'ASK { FILTER("' + B + 'u0022) # ") } LOAD <{U}>\n'),
]


def disguises(url: str) -> list[tuple[str, str]]:
    """Every disguise as ``(name, text)`` aimed at ``url`` (``http://127.0.0.1:PORT``)."""
    base = url.rstrip("/") + "/"
    port = base.rsplit(":", 1)[1].strip("/")
    return [(name, text.replace("{U}", base).replace("{PORT}", port)) for name, text in SERVICE + UPDATE]


def reaching_the_network(cases: list[tuple[str, str]], connections: list[object], ask: Callable[[str], object]) -> list[str]:
    """Send each case with ``ask(text)``; the names of the cases after which the listener saw a connection.

    Waits a moment after each case and half a second at the end, so that a late connection is
    still seen (the caller then asserts that ``connections`` is empty too).
    """
    guilty = []
    for name, text in cases:
        before = len(connections)
        ask(text)
        time.sleep(0.01)
        if len(connections) > before:
            guilty.append(name)
    time.sleep(0.5)
    return guilty
