"""Web pages of other origins cannot make `kg serve` run a query, unless the operator allows their origin."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from helpers.endpoints import Server, start_kg_serve

from graph.build.pipeline import Built
from graph.endpoint.server import cross_origin

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def other_site() -> Iterator[tuple[str, dict[str, str]]]:
    """A web site on another loopback port: ``pages[path]`` is served as HTML at ``url + path``."""
    pages: dict[str, str] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{site.server_address[1]}", pages
    site.shutdown()
    site.server_close()


@pytest.fixture(scope="module")
def allowing(built: Built, other_site: tuple[str, dict[str, str]]) -> Iterator[Server]:
    """A server that allows the other site's origin."""
    running = start_kg_serve(built.out.root, "--workers", "1", "--allow-origin", other_site[0])
    yield running
    running.stop()


def _form_page(target: str, query: str) -> str:
    escaped = query.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return (
        f'<!doctype html><form id="f" method="POST" action="{target}/sparql">'
        f'<input type="hidden" name="query" value="{escaped}"></form><script>document.getElementById("f").submit()</script>'
    )


def _submit(browser: Any, site: str, pages: dict[str, str], path: str, target: str, query: str) -> str:
    pages[path] = _form_page(target, query)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{site}{path}")
        page.wait_for_url(f"{target}/sparql", timeout=30_000)
        page.wait_for_load_state("load")
        text: str = page.inner_text("body")
        return text
    finally:
        context.close()


def test_a_form_posted_from_another_sites_page_in_a_browser_is_refused(
    browser: Any, server: Server, other_site: tuple[str, dict[str, str]], listener: tuple[str, list[object]]
) -> None:
    site, pages = other_site
    remote, connections = listener
    answer = _submit(browser, site, pages, "/attack", server.url, f"SELECT * WHERE {{ # x\rSERVICE <{remote}/> {{ ?s ?p ?o }}\n}}")
    assert '"code": "origin-refused"' in answer
    assert site in answer
    time.sleep(0.3)
    assert connections == []


def _fetched(browser: Any, site: str, pages: dict[str, str], path: str, target: str, query: str) -> str:
    """What a page of ``site`` reads when it fetches ``query`` from ``target`` (or the error it gets)."""
    pages[path] = "<!doctype html><title>client</title>"
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{site}{path}")
        script = """async ([url, query]) => {
            try {
                const response = await fetch(url, {method: "POST", body: new URLSearchParams({query})});
                return response.status + " " + await response.text();
            } catch (error) { return "failed: " + error; }
        }"""
        answer: str = page.evaluate(script, [f"{target}/sparql", query])
        return answer
    finally:
        context.close()


def test_a_page_of_an_allowed_origin_may_fetch_answers_and_others_may_not(
    browser: Any, server: Server, allowing: Server, other_site: tuple[str, dict[str, str]]
) -> None:
    site, pages = other_site
    query = "ASK { entity:musk qg:sued entity:openai }"
    assert _fetched(browser, site, pages, "/client", allowing.url, query) == '200 {"head": {}, "boolean": true}\n'
    assert _fetched(browser, site, pages, "/client", server.url, query).startswith("failed: ")


def test_fetch_from_an_allowed_origin_gets_cors_headers_and_others_get_403(
    allowing: Server, other_site: tuple[str, dict[str, str]]
) -> None:
    site, _ = other_site
    query = {"query": "ASK {}"}
    allowed = httpx.post(f"{allowing.url}/sparql", data=query, headers={"Origin": site}, timeout=30)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == site
    preflight = httpx.options(f"{allowing.url}/sparql", headers={"Origin": site, "Access-Control-Request-Method": "POST"}, timeout=30)
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["access-control-allow-methods"]
    other = httpx.post(f"{allowing.url}/sparql", data=query, headers={"Origin": "http://evil.example"}, timeout=30)
    assert other.status_code == 403
    assert other.json()["error"]["code"] == "origin-refused"
    assert "access-control-allow-origin" not in other.headers


def test_the_servers_own_page_and_clients_without_a_browser_may_query(server: Server) -> None:
    own = httpx.post(f"{server.url}/sparql", data={"query": "ASK {}"}, headers={"Origin": server.url}, timeout=30)
    plain = httpx.post(f"{server.url}/sparql", data={"query": "ASK {}"}, timeout=30)
    assert (own.status_code, plain.status_code) == (200, 200)


@pytest.mark.parametrize(
    ("method", "headers", "refused"),
    [
        ("POST", {"origin": "http://evil.example", "host": "127.0.0.1:7878"}, True),
        ("POST", {"origin": "null", "host": "127.0.0.1:7878"}, True),
        ("GET", {"origin": "http://127.0.0.1:7879", "host": "127.0.0.1:7878"}, True),
        ("GET", {"sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors", "host": "127.0.0.1:7878"}, True),
        ("GET", {"sec-fetch-site": "same-site", "sec-fetch-mode": "cors", "host": "127.0.0.1:7878"}, True),
        ("GET", {"sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate", "host": "127.0.0.1:7878"}, False),
        ("POST", {"origin": "http://127.0.0.1:7878", "host": "127.0.0.1:7878", "sec-fetch-site": "same-origin"}, False),
        ("POST", {"origin": "https://kg.example.org", "host": "kg.example.org"}, False),
        ("POST", {"origin": "https://kg.example.org.evil.example", "host": "kg.example.org"}, True),
        ("POST", {"host": "127.0.0.1:7878"}, False),
    ],
)
def test_which_requests_count_as_coming_from_another_origin(method: str, headers: dict[str, str], refused: bool) -> None:
    assert (cross_origin(method, headers, frozenset()) is not None) == refused
