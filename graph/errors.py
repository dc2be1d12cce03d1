"""Errors that name what went wrong and where, and the exit codes scripts can trust.

Exit codes (documented in the README and in ``kg --help``):
``0`` success, ``1`` invalid data (the data or the built graph breaks a rule),
``2`` usage or runtime error (bad option, missing store, SPARQL syntax error, refused query, timeout).

Every error also has a ``code`` in machine form (``invalid-data``, ``service-refused`` ...): ``kg
COMMAND -f json`` prints it in its JSON error (graph/cli/output.py), the endpoint in its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_INVALID_DATA = 1
EXIT_USAGE = 2


class QuotegraphError(Exception):
    """Base class: a failure to report in one line, with an exit code and a code in machine form."""

    exit_code = EXIT_USAGE
    code = "error"


@dataclass(frozen=True)
class Problem:
    """One problem in the data, located by file, line and field."""

    file: Path | str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class DataError(QuotegraphError):
    """The data is invalid. Carries every problem found, not just the first."""

    exit_code = EXIT_INVALID_DATA
    code = "invalid-data"

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, file: Path | str, line: int | None, field: str | None, message: str) -> DataError:
        return cls([Problem(file, line, field, message)])


class GraphInvalid(QuotegraphError):
    """The built graph does not conform to the SHACL shapes."""

    exit_code = EXIT_INVALID_DATA
    code = "graph-invalid"

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


class UsageError(QuotegraphError):
    """An option or argument that cannot work (a malformed base IRI, say)."""

    code = "usage-error"


class StoreError(QuotegraphError):
    """The store is missing, locked or unreadable."""

    code = "store-error"


def file_system_error(exc: OSError, doing: str = "cannot write") -> StoreError:
    """A file system that fails (disk full, permissions, a read-only mount) as one line: runtime trouble, exit 2."""
    detail = f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else exc.strerror or str(exc) or type(exc).__name__
    return StoreError(f"{doing}: {detail}")


class QueryError(QuotegraphError):
    """A SPARQL query is malformed."""

    code = "malformed-query"


class QueryRefused(QueryError):
    """A query asks for something a read-only, offline graph never does (updates, SERVICE, LOAD).

    ``code`` names the rule in machine form (``update-refused``, ``service-refused``,
    ``dataset-refused``, ``query-too-long``), so that the SPARQL endpoint can answer with it.
    """

    def __init__(self, message: str, code: str = "query-refused"):
        super().__init__(message)
        self.code = code


class QueryTimeout(QueryError):
    """A query ran longer than its time limit."""

    code = "query-timeout"
