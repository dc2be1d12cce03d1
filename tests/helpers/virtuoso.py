"""A private Virtuoso 7.2 (Debian's ``virtuoso-opensource``) for tests: its own folder, loopback only, gone afterwards.

The packaged service is never used (``.ci/run`` installs the package without a dba password, so
its postinst leaves the service disabled). Each test module starts its own ``virtuoso-t`` with an
ini file written into a fresh folder, where everything the server writes goes: the database, its
transaction log and lock, the temporary database (without a ``[TempDatabase]`` section Virtuoso
creates ``virtuoso.tdb`` in its working directory) and its logs. Both listeners, ISQL and HTTP,
are bound to 127.0.0.1 on ports found free just before; a port taken in between makes the server
exit, and it is started again on other ports.

``+foreground`` keeps the server itself as the child process (it starts no children), so
:meth:`helpers.endpoints.Server.stop`'s SIGTERM reaches it: Virtuoso's "quick shutdown" exits
with status 0 in 15–135 ms (measured), without the checkpoint that ``shutdown`` over ISQL takes
about 2 s for. A new database takes 2.4 s to create on a quiet machine (3.5–14 s measured at a
load of 8–11 on 2 cores), readiness being an ``ASK {}`` that ``/sparql`` answers.

Settings beyond the required ones: ``MaxMemPoolSize`` 4 GB (the default 400 MB makes the
compiler of ``contradictions`` fail with SQ200 on a 50,000-triple graph), ``ResultSetMaxRows``
1,000,000 (Debian's 10,000 silently cuts larger answers short), ``MaxQueryExecutionTime`` 0 (no
"anytime" partial answers) and ``CheckpointInterval`` 0 (the folder is thrown away).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from helpers.endpoints import Server, free_port, listening_addresses
from helpers.tooling import require_tool

#: a new database's administrator; the graph store that takes credentials is /sparql-graph-crud-auth (HTTP Digest only)
VIRTUOSO_USER = "dba"
VIRTUOSO_PASSWORD = "dba"  # noqa: S105 - a new database's default, on a server that listens on loopback only

_INI = """\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort         = 127.0.0.1:{isql}
DisableUnixSocket  = 1
DirsAllowed        = {folder}
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
MaxMemPoolSize     = 4000000000
CheckpointInterval = 0

[HTTPServer]
ServerPort    = 127.0.0.1:{http}
ServerRoot    = {folder}
ServerThreads = 10

[SPARQL]
ResultSetMaxRows      = {max_rows}
MaxQueryExecutionTime = 0
"""


def virtuoso_binary() -> str:
    """``virtuoso-t``; a local run without it skips, CI (``CI=true``) fails."""
    return require_tool("virtuoso-t", "apt-get install --no-install-recommends virtuoso-opensource")


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def start_virtuoso(folder: Path, *, max_rows: int = 1_000_000, startup_timeout: float = 120, attempts: int = 3) -> Server:
    """``virtuoso-t`` with its database in ``folder`` (created, must be new); ``Server.url`` is ``http://127.0.0.1:PORT``."""
    binary = virtuoso_binary()
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=False)
    output = ""
    for _ in range(attempts):
        for stale in folder.glob("virtuoso*"):  # a failed attempt's half-made database
            stale.unlink()
        isql, http = free_port(), free_port()
        ini = folder / "virtuoso.ini"
        ini.write_text(_INI.format(folder=folder, isql=isql, http=http, max_rows=max_rows), encoding="utf-8")
        with (folder / "virtuoso.out").open("w", encoding="utf-8") as out:  # a file: a pipe nobody reads would fill up
            process = subprocess.Popen(
                [binary, "+foreground", "+configfile", str(ini)],
                cwd=folder,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
            )
        server = Server(process, f"http://127.0.0.1:{http}")
        deadline = time.monotonic() + startup_timeout
        while process.poll() is None and time.monotonic() < deadline:
            if _ready(server.url):
                return server
            time.sleep(0.1)
        server.stop()
        output = (folder / "virtuoso.out").read_text(encoding="utf-8", errors="replace")[-2000:]
    raise AssertionError(f"Virtuoso did not start in {folder}:\n{output}")


@contextmanager
def running_virtuoso(folder: Path, *, max_rows: int = 1_000_000) -> Iterator[Server]:
    """A server for the block; afterwards it has exited (status 0), its ports are closed and ``folder`` is gone."""
    server = start_virtuoso(folder, max_rows=max_rows)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    assert server.process.returncode == 0, f"virtuoso-t exited with {server.process.returncode}"
    assert not listening_addresses(server.port)


def digest_env(password: str = VIRTUOSO_PASSWORD) -> dict[str, str]:
    """The environment ``kg push`` needs for Virtuoso's ``/sparql-graph-crud-auth`` (HTTP Digest)."""
    return {"QUOTEGRAPH_ENDPOINT_USER": VIRTUOSO_USER, "QUOTEGRAPH_ENDPOINT_PASSWORD": password, "QUOTEGRAPH_ENDPOINT_AUTH": "digest"}
