"""Running SPARQL safely on the store: read-only, offline, time-limited, size-capped.

Oxigraph (like rdflib) follows ``SERVICE`` calls, so every query is parsed first (rdflib's
SPARQL 1.1 parser, once per text: :mod:`graph.query.shape`) and refused if it updates, calls a
``SERVICE`` or names a ``FROM`` graph that this store does not hold. What is parsed and what runs
is one text, the query's canonical form (:mod:`graph.query.canonical`): :func:`checked` returns
it, and nothing else is ever given to Oxigraph. Evaluation runs on Oxigraph's engine on the
caller's thread; :func:`deadline` enforces a time limit, and the callers that evaluate text from
users do it where no network connection can be opened (:mod:`graph.query.offline`).
Parameters are bound with a ``VALUES`` clause whose terms are serialised by Oxigraph (N-Triples
escaping), never pasted into the query's own text: a value holding ``> } DROP ALL {`` stays one
string literal. The clause opens the query's ``WHERE`` group, so that the planner starts from
the bound values and ``FILTER``s see them. (Oxigraph's ``substitutions`` would do the same but
only for projected variables.)

The default graph is every graph but the claims graphs (:mod:`graph.query.dataset`); a query
whose patterns cannot match a claim triple runs on the union of all graphs instead, which is the
same answer without one index lookup per graph.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pyoxigraph
from pyoxigraph import QueryBoolean, QuerySolutions, QueryTriples

from graph import paths
from graph.errors import QueryError, QueryRefused, QuotegraphError
from graph.model.vocab import PREFIXES
from graph.query.canonical import canonical
from graph.query.dataset import Dataset
from graph.query.shape import MAX_QUERY_CHARS as MAX_QUERY_CHARS
from graph.query.shape import Shape, shape, where_group

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_ROWS = 10_000
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class BundledQuery:
    """A ``.rq`` file shipped in ``graph/query/bundled`` with a header of ``# key: value`` lines.

    A parameter line reads ``# param: NAME[:KIND] what it is``. The kind tells ``kg query`` how to
    turn what a user types into a term: ``entity`` (an id, label or alias, bound as the entity's
    IRI), ``statement`` (a statement id), ``lang`` (``de`` or ``en``, from ``--lang``) or ``text``
    (the default: a plain string).
    """

    name: str
    path: Path
    title: str = ""
    description: str = ""
    params: dict[str, str] = field(default_factory=dict)
    param_kinds: dict[str, str] = field(default_factory=dict)

    @cached_property
    def text(self) -> str:
        """The query (read once: a server or a benchmark asks it many times)."""
        return self.path.read_text(encoding="utf-8")


def _parse_header(path: Path) -> BundledQuery:
    query = BundledQuery(name=path.stem, path=path)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line.lstrip("#").strip().partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "title":
            query.title = value
        elif key == "description":
            query.description = (query.description + " " + value).strip()
        elif key == "param":
            spec, _, doc = value.partition(" ")
            name, _, kind = spec.partition(":")
            query.params[name.strip()] = doc.strip()
            query.param_kinds[name.strip()] = kind.strip() or "text"
    return query


def bundled_queries() -> dict[str, BundledQuery]:
    """Every bundled query by name (the file name without ``.rq``)."""
    return {p.stem: _parse_header(p) for p in sorted(paths.queries_dir().glob("*.rq"))}


def resolve_query(arg: str) -> tuple[str, str]:
    """``(sparql text, label)`` from SPARQL text, a ``.rq`` file, or a bundled query's name."""
    if _NAME.match(arg):
        queries = bundled_queries()
        if arg in queries:
            return queries[arg].text, arg
        import difflib

        close = difflib.get_close_matches(arg, list(queries), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise QueryError(f"no bundled query named '{arg}'{hint}; `kg query --list` shows them")
    if arg.endswith(".rq") and "\n" not in arg:
        path = Path(arg)
        if not path.is_file():
            raise QueryError(f"query file not found: {arg}")
        if path.stat().st_size > MAX_QUERY_CHARS * 4:
            raise QueryError(f"query file {arg} is larger than {MAX_QUERY_CHARS:,} characters")
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except UnicodeDecodeError as exc:
            raise QueryError(f"query file {arg} is not UTF-8") from exc
    return arg, "query"


def check_query(
    text: str,
    known_graphs: Collection[str] | None = None,
    prefixes: Mapping[str, str] | None = None,
    known_shapes: Mapping[str, Shape] | None = None,
) -> bool:
    """Refuse what a read-only, offline graph must never do; raise :class:`QueryError` on bad syntax.

    Returns whether the query names its own dataset (``FROM``/``FROM NAMED``).
    """
    return checked(text, known_graphs, prefixes, known_shapes).shape.has_dataset


@dataclass(frozen=True)
class Checked:
    """A query that passed the check: its canonical text (the only text to run) and what the check found."""

    text: str
    shape: Shape


def checked(
    text: str,
    known_graphs: Collection[str] | None = None,
    prefixes: Mapping[str, str] | None = None,
    known_shapes: Mapping[str, Shape] | None = None,
) -> Checked:
    """The canonical text and :func:`graph.query.shape.shape` of it, its ``FROM`` graphs checked against ``known_graphs``."""
    found = shape(text, prefixes, known_shapes)
    if known_graphs is not None:
        for iri in found.dataset:
            if iri not in known_graphs:
                raise QueryRefused(
                    f"FROM <{iri}> is refused: it is not a graph of this store (queries never fetch remote data)", "dataset-refused"
                )
    return Checked(canonical(text), found)


def bind_values(text: str, params: Mapping[str, pyoxigraph.NamedNode | pyoxigraph.Literal]) -> str:
    """Bind each parameter to one value with ``VALUES (?a ?b) { (term term) }`` opening the WHERE group.

    ``text`` is the canonical text of a checked query (:class:`Checked`), where the WHERE group
    is found the way Oxigraph finds it; the terms need no check (Oxigraph wrote them). A query without a WHERE group that can take it (``CONSTRUCT WHERE``, ``DESCRIBE <x>``) gets
    the clause appended instead.
    """
    if not params:
        return text
    for name in params:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"invalid parameter name {name!r}")
    names = " ".join(f"?{n}" for n in params)
    terms = " ".join(str(v) for v in params.values())  # N-Triples form: escaped by Oxigraph
    clause = f"VALUES ({names}) {{ ({terms}) }}"
    at = where_group(text)
    if at is not None:
        return f"{text[:at]}\n  {clause}\n{text[at:]}"
    if re.search(r"\bVALUES\b[^{}]*\{[^{}]*\}\s*$", text, re.IGNORECASE | re.DOTALL):
        raise QueryError("the query already ends with a VALUES clause; bind parameters there instead")
    return f"{text.rstrip()}\n{clause}\n"


@dataclass
class QueryResult:
    """Rows of a SELECT, the answer of an ASK, or the triples of a CONSTRUCT/DESCRIBE."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[pyoxigraph.Triple] = field(default_factory=list)
    truncated: bool = False
    #: the row limit at which a remote endpoint cut the answer, when it says so (graph.remote.client)
    endpoint_limit: int | None = None


def _collect(results: Any, max_rows: int) -> QueryResult:
    if isinstance(results, QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(results))
    if isinstance(results, QuerySolutions):
        variables = [v.value for v in results.variables]
        rows: list[tuple[Any, ...]] = []
        truncated = False
        for solution in results:
            if len(rows) >= max_rows:
                truncated = True
                break
            # a solution iterates over its values in the order of ``variables``: ten times faster
            # than looking each one up by name, which is most of what a bound query costs above the engine
            rows.append(tuple(solution))
        return QueryResult(kind="select", variables=variables, rows=rows, truncated=truncated)
    assert isinstance(results, QueryTriples)
    triples: list[pyoxigraph.Triple] = []
    truncated = False
    for triple in results:
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append(triple)
    return QueryResult(kind="graph", triples=triples, truncated=truncated)


def run_query(
    store: pyoxigraph.Store,
    text: str,
    *,
    params: Mapping[str, pyoxigraph.NamedNode | pyoxigraph.Literal] | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    prefixes: Mapping[str, str] | None = None,
    dataset: Dataset | None = None,
) -> QueryResult:
    """Check and run one query on the caller's thread; at most ``max_rows`` rows (see :func:`deadline`).

    ``dataset`` describes the store's default graph (a build keeps it in ``cache/dataset.json``);
    without it, it is worked out from the store, which lists every graph.
    """
    dataset = dataset or Dataset.of(store)
    prefixes = dict(prefixes or PREFIXES)
    found = checked(text, dataset.known_graphs, prefixes, dataset.shapes)
    text = bind_values(found.text, params or {})
    kwargs: dict[str, Any] = {"prefixes": prefixes}
    if not found.shape.has_dataset:
        if dataset.union_answers(found.shape.predicates):
            kwargs["use_default_graph_as_union"] = True
        else:
            kwargs["default_graph"] = dataset.nodes() or None
    try:
        return _collect(store.query(text, **kwargs), max_rows)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    except OSError as exc:
        # Oxigraph reports refused network access (a SERVICE we failed to spot) as OSError
        raise QueryError(f"query failed: {exc}") from None
    except QuotegraphError:
        raise
    except Exception as exc:  # noqa: BLE001 - surface any engine error as one line
        raise QueryError(f"query failed: {exc}") from None


@contextmanager
def deadline(seconds: float, on_expire: Callable[[], None]) -> Iterator[None]:
    """Call ``on_expire`` (which must end the process) if the block runs longer than ``seconds``.

    Oxigraph cannot cancel a query once it runs, and a thread cannot be killed, so a time limit
    in one process means ending that process: ``kg query`` prints its error and exits with 2.
    Evaluation stays on the caller's thread on purpose: pyoxigraph's result iterators must be
    dropped on the thread that made them, which a worker thread cannot promise (a garbage
    collection there may free another thread's results). Servers run queries in worker
    processes instead (graph/endpoint/pool.py).
    """
    timer = threading.Timer(seconds, on_expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
