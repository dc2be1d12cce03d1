"""Turning what a user types after ``--param`` into the terms a bundled query binds.

A bundled query declares its parameters in its header (``# param: NAME:KIND doc``, see
:class:`graph.query.run.BundledQuery`). What the user types is never pasted into the query: an
``entity`` parameter is looked up by id, label or alias (in German or English, ignoring case and
accents) and bound as that entity's IRI; a ``statement`` parameter must be a statement id; a
``lang`` parameter is ``de`` or ``en``; anything else is bound as a plain string. Unknown names get
"did you mean"; a hostile value (``> } DROP ALL {``) is simply a name that matches nothing.
Names are looked up where the graph is: in the local store (or a build's name index), or, for
``kg query --endpoint``, at the endpoint by the same queries and rules (:mod:`graph.remote.names`).
Binding itself is :func:`graph.query.run.bind_values` (a ``VALUES`` clause of Oxigraph-escaped terms).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import pyoxigraph

from graph.errors import UsageError
from graph.model.lang import Lang
from graph.query.lookup import Names, find_statement
from graph.query.run import BundledQuery

Term = pyoxigraph.NamedNode | pyoxigraph.Literal


class EntityNames(Protocol):
    """Something that turns a name into an entity IRI: :class:`graph.query.lookup.Names`, or a build's name index."""

    def iri(self, query: str) -> str: ...


class StatementIds(Protocol):
    """Something that turns a statement id into the statement's IRI (at a remote endpoint: :mod:`graph.remote.names`)."""

    def iri(self, given: str) -> str: ...


def resolve_params(
    store: pyoxigraph.Store | None,
    query: BundledQuery | None,
    given: Mapping[str, Term],
    lang: Lang = Lang.en,
    names: EntityNames | None = None,
    statements: StatementIds | None = None,
) -> dict[str, Term]:
    """The terms to bind for ``query``; ``given`` as parsed from ``--param`` (IRIs or strings).

    For SPARQL typed in or read from a file (``query`` is None) the given terms are bound as they
    are. For a bundled query every declared parameter must be given (except ``lang``, which
    defaults to ``lang``) and nothing undeclared may be. ``names`` looks entities up (a build's
    name index, or the endpoint's names) and ``statements`` statement ids; without them they are
    looked up in ``store``, and without a store either, entity and statement parameters must be IRIs.
    """
    if query is None:
        return dict(given)
    unknown = sorted(set(given) - set(query.params))
    if unknown:
        declared = ", ".join(query.params) or "none"
        raise UsageError(f"{query.name} has no parameter '{unknown[0]}'; its parameters: {declared}")
    bound: dict[str, Term] = {}
    for name, kind in query.param_kinds.items():
        value = given.get(name)
        if kind == "lang":
            text = value.value if value is not None else lang.value
            if text not in Lang.__members__:
                raise UsageError(f"--param {name}: '{text}' is not a label language; use en or de")
            bound[name] = pyoxigraph.Literal(text)
            continue
        if value is None:
            raise UsageError(f"{query.name} needs --param {name}=VALUE ({query.params[name]})")
        if isinstance(value, pyoxigraph.NamedNode) or kind not in ("entity", "statement"):
            bound[name] = value  # an explicit IRI, or text bound as text
        elif kind == "entity" and names is not None:
            bound[name] = pyoxigraph.NamedNode(names.iri(value.value))
        elif kind == "statement" and statements is not None:
            bound[name] = pyoxigraph.NamedNode(statements.iri(value.value))
        elif store is None:
            prefix = "entity" if kind == "entity" else "statement"
            raise UsageError(f"--param {name}: give the {kind} as an IRI, e.g. {prefix}:{value.value}")
        elif kind == "entity":
            names = Names.from_store(store)
            bound[name] = pyoxigraph.NamedNode(names.iri(value.value))
        else:
            bound[name] = pyoxigraph.NamedNode(find_statement(store, value.value))
    return bound
