"""What the remote client reads from a query's text and changes in it, past comments, strings and IRIs.

Two things need no parse (rdflib's is slow: :mod:`graph.query.canonical` measured it): the query form, which
decides the ``Accept`` header (:func:`query_form`), and writing a constant where a variable stood
(:func:`substitute`, whose result :mod:`graph.remote.inline` then checks on rdflib's parse tree).
Both step over what may hold any character: a ``#`` comment, a string in any of its four
quotes, an IRI. A ``<`` that starts no IRI is an operator; a ``?name`` elsewhere is a variable
(SPARQL's lexer takes the longest token, so ``?name`` is never a path's ``?`` and a name).
"""

from __future__ import annotations

import re

__all__ = ["query_form", "substitute"]

#: a comment, a string in any of its four quotes, an IRI (what Oxigraph takes as IRIREF)
OPAQUE = re.compile(
    r"""\#[^\r\n]*"""
    r'''|"""(?:(?:"|"")?(?:[^"\\]|\\[\s\S]))*"""'''
    r"""|'''(?:(?:'|'')?(?:[^'\\]|\\[\s\S]))*'''"""
    r'''|"(?:[^"\\\r\n]|\\[^\r\n])*"'''
    r"""|'(?:[^'\\\r\n]|\\[^\r\n])*'"""
    r"""|<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"""
)
_NAME_CHAR = r"[\w\u00B7\u0300-\u036F\u203F\u2040]"
_FORM = re.compile(r"(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def _outside(text: str) -> str:
    """``text`` with comments, strings and IRIs blanked out (same length, so positions stay)."""
    return OPAQUE.sub(lambda m: " " * len(m.group()), text)


def query_form(text: str) -> str:
    """``select``, ``ask``, ``construct`` or ``describe``: the first form keyword outside comments, strings and IRIs."""
    found = _FORM.search(_outside(text))
    return found.group(1).lower() if found else "select"


def substitute(text: str, name: str, term: str) -> str:
    """``text`` with every ``?name`` and ``$name`` outside comments, strings and IRIs replaced by ``term``."""
    variable = re.compile(rf"[?$]{re.escape(name)}(?!{_NAME_CHAR})")
    pieces: list[str] = []
    at = 0
    for opaque in OPAQUE.finditer(text):
        pieces += [variable.sub(lambda _m: term, text[at : opaque.start()]), opaque.group()]
        at = opaque.end()
    return "".join([*pieces, variable.sub(lambda _m: term, text[at:])])
