"""Real servers for tests: `kg serve` and the `oxigraph` server, started as processes and stopped again.

Both listen on a loopback port the OS picks. `kg serve --port 0` prints the port it got; the
oxigraph server is given a port found free just before. Callers stop the servers in fixture
teardowns (:meth:`Server.stop`), which also checks that `kg serve` left no worker behind.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from helpers.tooling import IN_CI

_ENDPOINT_LINE = re.compile(r"SPARQL endpoint\s+(http://\S+)/sparql")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def oxigraph_binary() -> str:
    """The server binary the PyPI package ``oxigraph`` installs (a test extra)."""
    try:
        files = importlib.metadata.distribution("oxigraph").files or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for entry in files:
        if entry.name in ("oxigraph", "oxigraph.exe") and entry.parent.name in ("bin", "Scripts"):
            path = Path(str(entry.locate()))
            if path.is_file():
                return str(path.resolve())
    found = shutil.which("oxigraph")
    if found:
        return found
    message = "the oxigraph server is not installed (pip install '.[test]')"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def children_of(pid: int) -> set[int]:
    """Process ids whose parent is ``pid`` (read from /proc)."""
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        match = re.search(r"^PPid:\s+(\d+)$", text, re.MULTILINE)
        if match and int(match.group(1)) == pid:
            found.add(int(status.parent.name))
    return found


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket in LISTEN state on ``port`` (from /proc/net/tcp and tcp6)."""
    addresses = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            local, state = fields[1], fields[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port and len(address) == width:
                if width == 8:
                    addresses.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]))
                else:
                    raw = b"".join(bytes.fromhex(address[i : i + 8])[::-1] for i in range(0, 32, 8))
                    addresses.add(socket.inet_ntop(socket.AF_INET6, raw))
    return addresses


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str
    stderr: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].split("/")[0])

    def stop(self) -> None:
        """SIGTERM, wait, then make sure no worker process of it is left."""
        workers = children_of(self.process.pid)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [
            pid for pid in workers if Path(f"/proc/{pid}/status").exists() and "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
        ]
        assert not left, f"worker processes left behind: {left}"


def start_kg_serve(out: Path, *args: str, startup_timeout: float = 90) -> Server:
    """`kg serve --out OUT --port 0 ARGS...`, once it prints its endpoint."""
    command = [sys.executable, "-m", "graph", "serve", "--build", str(out), "--port", "0", *args]
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    assert process.stderr is not None
    lines: list[str] = []
    found: dict[str, str] = {}

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            match = _ENDPOINT_LINE.search(line)
            if match:
                found["url"] = match.group(1)

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + startup_timeout
    while "url" not in found:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError("kg serve did not start:\n" + "".join(lines))
        time.sleep(0.05)
    return Server(process, found["url"], lines)


def start_oxigraph(location: Path, startup_timeout: float = 30, attempts: int = 3) -> Server:
    """The `oxigraph serve` (read-write) server on a loopback port, with its store in ``location``.

    The port is free when chosen, but another test process (pytest-xdist runs two) may take it
    before the server binds: the server then exits and the port answers for someone else, so a
    server that is not alive once the port answers is started again on another port.
    """
    for _attempt in range(attempts):
        port = free_port()
        command = [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + startup_timeout
        answered = False
        while not answered:
            try:
                httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=2)
                answered = True
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
        time.sleep(0.05)
        if answered and process.poll() is None:
            return Server(process, url)
        process.kill()
        process.wait()
    raise AssertionError(f"the oxigraph server did not start in {attempts} attempts")
