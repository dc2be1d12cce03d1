"""Parameters written into a remote query as constants, wherever that means what the ``VALUES`` clause means.

``kg query`` binds parameters with a ``VALUES`` clause that opens the query's WHERE group
(:func:`graph.query.run.bind_values`). Virtuoso 7.2 evaluates a ``FILTER`` that compares with
such a variable wrongly, depending on the plan it picks: on a fresh instance ``said-in`` with
``VALUES (?event ?lang) { (<…musk-v-openai> "en") }`` returned 1 of its 8 rows (another event 0 of
14), the same query with ``"en"`` written in place of ``?lang`` all of them; a ``BIND`` at the start
of the group fails the same way. So :class:`graph.remote.client.Endpoint` writes each parameter
into the text as its constant: the term as Oxigraph serialises it (N-Triples escaping, exactly as
in the ``VALUES`` clause), never text a user typed.

A constant means the same as the ``VALUES`` binding (SPARQL 1.1, section 18: the clause is joined
with the rest of the group) in these places, found on rdflib's parse tree of the query:

* a triple pattern anywhere, except where its solutions do not meet the clause in a join: inside
  ``MINUS`` or a sub-``SELECT`` (evaluated on their own), or in an ``OPTIONAL`` whose left side
  does not bind the variable (a left join keeps a row without the match the constant would miss);
* an expression of the WHERE group itself (``FILTER`` and ``BIND``: the clause comes first), a
  ``FILTER`` of an ``OPTIONAL`` whose left side binds it (the left join's condition sees both), a
  ``FILTER`` of a nested group that binds it in a triple pattern of its own, a ``BIND`` after
  such a pattern;
* inside ``[NOT] EXISTS`` evaluated where the variable has its value (EXISTS substitutes it).

Anywhere else, and wherever the query names the variable outside its WHERE clause (the
projection, ``SELECT *``, ``ORDER BY``, a template), the variable stays in the ``VALUES`` clause
as it is bound locally. So do IRIs and strings whose serialisation holds a ``\\u`` escape, which
readers of SPARQL decode differently. The text is changed by a scanner that skips comments,
strings and IRIs (:func:`graph.remote.text.substitute`); the change is kept only if rdflib parses the result, finds the variable in it
no more, and the scanner replaced as many occurrences as the parse tree holds. rdflib's parse
(measured in :mod:`graph.query.canonical`) is paid once per variable: small beside a remote
store's own work (Virtuoso compiles a new bundled query text for 5–70 s, measured at a load of
8–11 on 2 cores, 2026-12-02).
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any

import pyoxigraph

from graph.query.run import bind_values
from graph.remote.text import substitute

Term = pyoxigraph.NamedNode | pyoxigraph.Literal

__all__ = ["inline_params"]

_UNICODE_ESCAPE = re.compile(r"\\[uU]")


def _walk(node: Any) -> Iterator[Any]:
    """Every node of an rdflib parse tree (CompValue mappings, ParseResults and lists)."""
    from pyparsing import ParseResults

    yield node
    if isinstance(node, ParseResults | list | tuple):  # ParseResults is also a Mapping: its items are the list part
        for value in node:
            yield from _walk(value)
    elif isinstance(node, Mapping):
        for value in node.values():
            yield from _walk(value)


def _count(node: Any, var: Any) -> int:
    return sum(1 for item in _walk(node) if item == var and type(item) is type(var))


def _field(node: Any, key: str) -> Any:
    """A part of a parse tree node, or None (rdflib's ``CompValue.get`` answers a missing key with the key itself)."""
    return OrderedDict.get(node, key)


def _name(node: Any) -> str:
    return str(getattr(node, "name", ""))


def _expression_ok(expr: Any, var: Any, sees: bool) -> bool:
    """Whether ``var`` may become a constant in an expression evaluated where it has its value (``sees``) or may not."""
    from pyparsing import ParseResults

    stack = [expr]
    while stack:
        node = stack.pop()
        if _name(node) in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            if _count(node, var) and not (sees and _group_ok(node["graph"], var, filters_see=True, bound=True)):
                return False
            continue
        if node == var and type(node) is type(var) and not sees:
            return False
        if isinstance(node, Mapping | list | tuple):
            stack.extend(node if isinstance(node, ParseResults | list | tuple) else node.values())
    return True


def _group_ok(group: Any, var: Any, *, filters_see: bool, bound: bool) -> bool:
    """Whether every occurrence of ``var`` in ``group`` may become the constant.

    ``filters_see``: the group's FILTERs are evaluated where the variable has its value (the
    WHERE group, an OPTIONAL's left join, EXISTS); ``bound``: it has its value before the first
    part of the group (the WHERE group, whose VALUES clause comes first; EXISTS).
    """
    if _name(group) != "GroupGraphPatternSub":
        return not _count(group, var)  # a sub-SELECT (or what this module does not know): evaluated on its own
    parts = list(_field(group, "part") or [])
    binds = any(_name(p) == "TriplesBlock" and _count(p, var) for p in parts)
    filters = filters_see or binds
    for part in parts:
        kind = _name(part)
        if kind == "TriplesBlock":
            bound = bound or bool(_count(part, var))
        elif kind == "Filter":
            if not _expression_ok(part["expr"], var, filters):
                return False
        elif kind == "Bind":
            if part["var"] == var or not _expression_ok(part["expr"], var, bound):
                return False
        elif kind == "OptionalGraphPattern":
            if _count(part, var) and not (bound and _group_ok(part["graph"], var, filters_see=True, bound=False)):
                return False
        elif kind == "GroupOrUnionGraphPattern":
            if not all(_group_ok(branch, var, filters_see=False, bound=False) for branch in part["graph"]):
                return False
        elif kind == "GraphGraphPattern":
            if not _group_ok(part["graph"], var, filters_see=False, bound=False):
                return False
        elif _count(part, var):  # MINUS, an inner VALUES, SERVICE: evaluated on their own
            return False
    return True


def _inlinable(tree: Any, var: Any) -> bool:
    """Whether ``var`` occurs only where its constant means what its VALUES binding means (see the module docstring)."""
    query = tree[1]
    if _name(query) == "SelectQuery" and not _field(query, "projection"):
        return False  # SELECT *: the variable is a column of the answer
    where = _field(query, "where")
    if where is None or _count({k: v for k, v in query.items() if k != "where"}, var):
        return False
    return _group_ok(where, var, filters_see=True, bound=True)


def _parse(text: str) -> Any:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return parseQuery(text)
    except (ParseException, ValueError, TypeError):
        return None


def _leaves(tree: Any) -> Counter[tuple[str, str]]:
    """The terms, variables and words of a parse tree, counted (rdflib repeats a subject per predicate: so do the counts)."""
    from pyparsing import ParseResults

    return Counter((type(n).__name__, str(n)) for n in _walk(tree) if not isinstance(n, Mapping | ParseResults | list | tuple))


def _swapped(leaves: Counter[tuple[str, str]], name: str, serialised: str) -> Counter[tuple[str, str]]:
    """``leaves`` as they are once every occurrence of ``?name`` is the term ``serialised``."""
    leaves = Counter(leaves)
    times = leaves.pop(("Variable", name), 0)
    term = _leaves(_parse(f"ASK {{ FILTER(?x = {serialised}) }}")) - _leaves(_parse("ASK { FILTER(?x = ?y) }"))
    for leaf, count in term.items():
        leaves[leaf] += count * times
    return leaves


def _written_in(text: str, tree: Any, terms: Mapping[str, str]) -> tuple[str, Any] | None:
    """``text`` and its parse tree with the variables of ``terms`` written in; None unless exactly their occurrences changed."""
    candidate, expected = text, _leaves(tree)
    for name, serialised in terms.items():
        candidate = substitute(candidate, name, serialised)
        expected = _swapped(expected, name, serialised)
    parsed = _parse(candidate)
    # nothing in a string, an IRI or a comment changed, and no occurrence was missed
    return (candidate, parsed) if parsed is not None and _leaves(parsed) == expected else None


def inline_params(text: str, params: Mapping[str, Term]) -> str:
    """``text`` with each parameter written in as its constant where that is safe, the rest bound by VALUES.

    ``text`` is a query that passed the check (:func:`graph.query.run.check_query`); the terms
    are Oxigraph's (the user's text never enters the query but as a serialised term). All
    parameters are written in at once (two parses); if the result does not parse (a constant
    where only a variable may stand: ``BOUND(?v)``), one at a time.
    """
    tree = _parse(text) if params else None
    if tree is None:
        return bind_values(text, params)
    from rdflib import Variable

    wanted = {n: str(t) for n, t in params.items() if not _UNICODE_ESCAPE.search(str(t)) and _inlinable(tree, Variable(n))}
    done = _written_in(text, tree, wanted) if wanted else None
    if done is not None:
        return bind_values(done[0], {n: t for n, t in params.items() if n not in wanted})
    rest = dict(params)
    for name, serialised in wanted.items() if len(wanted) > 1 else ():
        one = _written_in(text, tree, {name: serialised})
        if one is not None:
            text, tree = one
            del rest[name]
    return bind_values(text, rest)
