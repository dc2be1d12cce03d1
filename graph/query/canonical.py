"""One text for both parsers: the query that is checked is, character for character, the query that runs.

The check of :mod:`graph.query.shape` reads a query with rdflib; Oxigraph executes it. The two
read some texts differently, and every such difference is a way past the check: a ``#`` comment
ended by a bare carriage return (rdflib ends comments at LF only, Oxigraph at CR or LF), or a
quote written as ``\\u0022`` inside a string (rdflib expands ``\\u`` escapes over the whole text
before it lexes, Oxigraph only inside strings and IRIs, so the two see strings end in different
places). Both made ``SERVICE`` calls that rdflib did not see: 16 of the 90 disguises of
``tests/helpers/disguises.py`` got through before this module existed.

So every query is first rewritten into a canonical form, lexed the way Oxigraph 0.5 (spargebra)
lexes, and both rdflib and Oxigraph are then given that form:

* whitespace is space, tab, CR and LF; a comment is ``#`` up to a CR or an LF;
* ``\\uXXXX`` and ``\\UXXXXXXXX`` are decoded only inside strings and IRIs (Oxigraph is built
  without spargebra's ``standard-unicode-escaping``; anywhere else a ``\\u`` is a syntax error);
* a string takes the escapes ``\\t \\b \\n \\r \\f \\" \\' \\\\`` and ``\\u``; a short string holds
  no raw line break; a long string ends at its first unescaped triple quote;
* outside strings and IRIs a backslash appears only in a prefixed name (``ex:a\\#b``).

The canonical text keeps every other character where it was (``<<``, ``&&`` and ``^^`` keep their
neighbours) and differs from the input only in that

1. comments are removed (the line break that ended one stays, as an LF);
2. a CR outside a string becomes an LF (a CR LF pair one LF, so that line numbers in error
   messages stay those of the input);
3. every string is written again as ``"..."`` with the escapes ``\\\\ \\" \\n \\r`` only (a space
   separates two adjacent strings, so that ``""`` and ``"a"`` do not read as ``\"\"\"a``);
4. every IRI is written again with its ``\\u`` escapes decoded.

What both parsers' agreement rests on, asserted on the way out and tested
(``tests/query/test_canonical.py``, with hypothesis): the result holds no CR (both end every
comment at the same place), no ``\\u`` or ``\\U`` escape (rdflib's whole-text expansion changes
nothing, so rdflib sees the characters Oxigraph sees), no long string and no other escapes (string
boundaries agree); and ``canonical(canonical(t)) == canonical(t)``. Nothing that passed the check on
the canonical text made Oxigraph connect: not the 90 disguises, not the 600 generated queries of
the property test (of which at least 100 pass the check), not a prototype's differential fuzzing
of about 180,000 generated queries.

A text the lexer cannot place is refused, never passed on: :class:`graph.errors.QueryError` for
what Oxigraph would refuse as well (an unterminated string, an invalid escape), and
:class:`graph.errors.QueryRefused` (``ambiguous-query``) for the one legal spelling the two
parsers would read differently (a string value holding a backslash followed by ``u`` and four hex
digits). The next difference that nobody has found yet is what the network filter of
:mod:`graph.query.offline` is for.

Written by hand because neither library offers it: rdflib has no option to lex like Oxigraph, and
pyoxigraph has no parse-only API. A regular expression jumps from one character that matters
(``# \\r " ' < \\``) to the next: 0.2–0.6 ms for the bundled queries (1–4 KB; measured on a
busy 2-core machine, 200 runs each, 2026-12-01), paid once per text and process (an LRU cache),
against 20–150 ms for rdflib's parse of the same text (the figure :mod:`graph.remote` refers to).
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.errors import QueryError, QueryRefused

__all__ = ["canonical"]

CACHE_SIZE = 512

#: the characters at which the lexer has something to decide
_SPECIAL = re.compile(r"[#\r\"'<\\]")
_LINE_END = re.compile(r"[\r\n]")
#: an IRIREF of SPARQL, with the escapes Oxigraph decodes inside it
_IRI = re.compile(r'<((?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*)>')
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: a string literal: its body, escapes included (checked when decoded); short strings stop at a line break
_STRINGS = {
    '"""': re.compile(r'"""((?:(?:"|"")?(?:[^"\\]|\\[\s\S]))*)"""'),
    "'''": re.compile(r"'''((?:(?:'|'')?(?:[^'\\]|\\[\s\S]))*)'''"),
    '"': re.compile(r'"((?:[^"\\\r\n]|\\[^\r\n])*)"'),
    "'": re.compile(r"'((?:[^'\\\r\n]|\\[^\r\n])*)'"),
}
_ESCAPE = re.compile(r"\\(?:([tbnrf\"'\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([\s\S]?))")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
#: the characters a prefixed name may escape with a backslash (PN_LOCAL_ESC)
_PN_LOCAL_ESC = frozenset("_~.-!$&'()*+,;=/?#@%")
#: what rdflib's expandUnicodeEscapes() rewrites wherever it occurs (case-insensitive: \U too)
_RDFLIB_ESCAPE = re.compile(r"\\u[0-9a-f]{4}", re.IGNORECASE)


def _where(text: str, at: int) -> str:
    line = text.count("\n", 0, at) + 1
    return f"line {line}, column {at - (text.rfind(chr(10), 0, at) + 1) + 1}"


def _syntax(text: str, at: int, message: str) -> QueryError:
    return QueryError(f"SPARQL syntax error at {_where(text, at)}: {message}")


def _codepoint(hex_digits: str, text: str, at: int) -> str:
    value = int(hex_digits, 16)
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        raise _syntax(text, at, f"\\u escape of an invalid code point U+{value:X}")
    return chr(value)


def _decode_string(body: str, text: str, at: int) -> str:
    def one(match: re.Match[str]) -> str:
        simple, short, long = match.group(1), match.group(2), match.group(3)
        if simple is not None:
            return _ECHAR[simple]
        if short is not None:
            return _codepoint(short, text, at)
        if long is not None:
            return _codepoint(long, text, at)
        raise _syntax(text, at, f"invalid escape \\{match.group(4)} in a string literal")

    return _ESCAPE.sub(one, body)


def _quote(value: str, text: str, at: int) -> str:
    body = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if _RDFLIB_ESCAPE.search(body):
        # written as \\u0041, rdflib would still decode the u0041 (and Oxigraph would not): no spelling is safe
        raise QueryRefused(
            f"the string literal at {_where(text, at)} holds a backslash followed by u and hex digits, which the query "
            'check and the engine would read differently; write it another way (e.g. CONCAT("\\\\", "u0041"))',
            "ambiguous-query",
        )
    return f'"{body}"'


def _string(text: str, at: int) -> tuple[str, int]:
    """The literal opening at ``text[at]``, canonical, and the index after it."""
    quote = text[at]
    opener = quote * 3 if text.startswith(quote * 3, at) else quote
    match = _STRINGS[opener].match(text, at)
    if match is None:
        if len(opener) == 1:
            rest = _LINE_END.search(text, at)
            closing = text.find(quote, at + 1)
            if rest is not None and (closing < 0 or rest.start() < closing):
                raise _syntax(text, at, "line break inside a string literal (use \\n, or a long string)")
        raise _syntax(text, at, "unterminated string literal")
    return _quote(_decode_string(match.group(1), text, at), text, at), match.end()


def _iri(match: re.Match[str], text: str) -> str:
    iri = _UCHAR.sub(lambda m: _codepoint(m.group(1) or m.group(2), text, match.start()), match.group(1))
    if _IRI_FORBIDDEN.search(iri):
        raise _syntax(text, match.start(), f"the IRI <{iri!r}> holds a character an IRI cannot hold")
    return f"<{iri}>"


@lru_cache(maxsize=CACHE_SIZE)
def canonical(text: str) -> str:
    """The canonical form of a SPARQL text (see the module docstring): what is checked and what runs."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        found = _SPECIAL.search(text, i)
        if found is None:
            out.append(text[i:])
            break
        j = found.start()
        if j > i:
            out.append(text[i:j])
        c = text[j]
        if c == "#":
            end = _LINE_END.search(text, j)
            i = n if end is None else end.start()  # the line break is whitespace, handled next
        elif c == "\r":
            if not text.startswith("\n", j + 1):
                out.append("\n")
            i = j + 1
        elif c in "\"'":
            literal, i = _string(text, j)
            if out and out[-1].endswith('"'):
                out.append(" ")  # "" then "a" must not read as the opener of a long string
            out.append(literal)
        elif c == "<":
            iri = _IRI.match(text, j)
            if iri is None:
                out.append("<")  # an operator
                i = j + 1
            else:
                out.append(_iri(iri, text))
                i = iri.end()
        else:  # a backslash
            escaped = text[j + 1 : j + 2]
            if escaped not in _PN_LOCAL_ESC:
                raise _syntax(text, j, f"\\{escaped} outside a string or an IRI")
            out.append(text[j : j + 2])
            i = j + 2
    result = "".join(out)
    assert "\r" not in result, "canonical SPARQL text holds a carriage return"
    if _RDFLIB_ESCAPE.search(result):  # no rule above leaves one; if one ever did, refuse rather than reason about it
        raise QueryRefused("the query holds a \\u escape outside a string or an IRI", "ambiguous-query")
    return result
