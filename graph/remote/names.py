"""Entity names and statement ids looked up at a remote endpoint, as ``kg query`` looks them up locally.

``kg query NAME --param entity=Musk --endpoint URL`` takes what it takes locally: an id, a label or
an alias in German or English, ignoring case and accents, with the same "did you mean" when
nothing matches; a statement parameter takes a statement id in any case. The endpoint runs the
queries of :mod:`graph.query.lookup` over quotegraph's graphs (so never a store's own system
graphs) and the same rules decide: :class:`graph.query.lookup.Names` and
:func:`graph.query.lookup.resolve_statement`.

Names are read only when a parameter needs one (an IRI needs none), all of them in one query:
a store cannot fold accents, so an exact match there could disagree with the local rules. On the
bundled graph that is 78 rows (23 entities); a large graph has a few names per entity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.query.lookup import ENTITY_NAMES, STATEMENT_IDS, Names, resolve_statement, statement_by_id
from graph.query.run import DEFAULT_TIMEOUT_S
from graph.remote.client import Endpoint


@dataclass
class RemoteNames:
    """Entities by name at an endpoint (the interface of :class:`graph.query.params.EntityNames`), read on first use."""

    endpoint: Endpoint
    timeout: float = DEFAULT_TIMEOUT_S
    _names: Names | None = field(default=None, init=False, repr=False)

    def iri(self, query: str) -> str:
        if self._names is None:
            self._names = Names.from_rows(self.endpoint.every_row(ENTITY_NAMES, self.timeout))
        return self._names.iri(query)


@dataclass
class RemoteStatements:
    """Statements by id at an endpoint (the interface of :class:`graph.query.params.StatementIds`)."""

    endpoint: Endpoint
    timeout: float = DEFAULT_TIMEOUT_S

    def iri(self, given: str) -> str:
        def exact() -> str | None:
            rows = self.endpoint.every_row(statement_by_id(given), self.timeout)
            return str(rows[0][0].value) if rows else None

        def every() -> dict[str, str]:
            return {row[1].value: row[0].value for row in self.endpoint.every_row(STATEMENT_IDS, self.timeout)}

        return resolve_statement(given, exact, every)
