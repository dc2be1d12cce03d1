"""A small web server on 127.0.0.1 for ``kg add URL`` tests: pages, redirects, big and slow answers.

Tests never fetch from the internet: every URL they add is served here, from a thread of the
test process, on a port the system picks.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    #: seconds to wait before answering at all
    delay: float = 0.0
    #: stream this many extra chunks of body (no Content-Length), for size caps
    chunks: int = 0


@contextmanager
def serving(routes: dict[str, Reply | Callable[[], Reply]]) -> Iterator[tuple[str, list[str]]]:
    """``(base URL, paths requested so far)``; an unknown path answers 404."""
    requested: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            requested.append(self.path)
            found = routes.get(self.path)
            reply = found() if callable(found) else found
            if reply is None:
                reply = Reply(404, {"Content-Type": "text/plain"}, b"not found")
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.chunks:
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    for _ in range(reply.chunks):
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True
                return
            if "Content-Length" not in reply.headers:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(reply.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def html(body: bytes | str, charset: str | None = "utf-8") -> Reply:
    content_type = "text/html" + (f"; charset={charset}" if charset else "")
    return Reply(200, {"Content-Type": content_type}, body.encode(charset or "utf-8") if isinstance(body, str) else body)


def gzipped_html(body: bytes) -> Reply:
    return Reply(200, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}, gzip.compress(body))


def redirect(to: str, status: int = 302) -> Reply:
    return Reply(status, {"Location": to, "Content-Length": "0"})
