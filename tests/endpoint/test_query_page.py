"""The query page of `kg serve` in a real browser (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from helpers.endpoints import Server
from helpers.run import REPO

pytestmark = pytest.mark.slow
ARTIFACTS = REPO / "tests" / "artifacts"
HOSTILE = "<img src=x onerror=window.pwned=1><b>bold</b>"


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A page that may only talk to the server: any other request is recorded and aborted."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    elsewhere: list[str] = []
    problems: list[str] = []

    def route(request_route: Any) -> None:
        if request_route.request.url.startswith(server.url + "/"):
            request_route.continue_()
        else:
            elsewhere.append(request_route.request.url)
            request_route.abort()

    opened.route("**/*", route)
    opened.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    opened.on("pageerror", lambda exc: problems.append(str(exc)))
    opened.goto(f"{server.url}/")
    yield opened, elsewhere, problems
    context.close()


def run(page: Any, query: str) -> None:
    page.fill("#query", query)
    page.click("#run")
    page.wait_for_selector("body[data-state=done], body[data-state=failed]")


def test_a_bundled_query_runs_from_the_page_and_fills_the_table(page: tuple[Any, list[str], list[str]]) -> None:
    opened, elsewhere, problems = page
    opened.wait_for_selector("#bundled option[value='who-sued-whom']", state="attached")
    opened.select_option("#bundled", "who-sued-whom")
    assert "qg:sued" in opened.input_value("#query")
    opened.click("#run")
    opened.wait_for_selector("#result-table tbody tr")
    headers = opened.locator("#result-table th").all_inner_texts()
    assert headers == ["plaintiff", "defendant", "lawsuit", "quote", "asserted_by", "source"]
    quotes = opened.locator("#result-table tbody tr td:nth-child(4)").all_inner_texts()
    assert any(quote.startswith("Elon Musk reichte eine Klage gegen OpenAI ein") for quote in quotes)  # the article's
    expected = json.loads((REPO / "tests" / "query" / "expected" / "who-sued-whom.expected.json").read_text(encoding="utf-8"))
    [english] = [case for case in expected["cases"] if case["lang"] == "en"]
    assert len(quotes) == len(english["rows"])
    assert f"{len(english['rows'])} row(s)" in opened.inner_text("#status")
    ARTIFACTS.mkdir(exist_ok=True)
    opened.screenshot(path=str(ARTIFACTS / "query-page.png"), full_page=True)
    assert elsewhere == []
    assert problems == []


def test_text_from_the_graph_is_shown_as_text_never_as_markup(page: tuple[Any, list[str], list[str]]) -> None:
    opened, elsewhere, problems = page
    run(opened, f'SELECT ?x WHERE {{ BIND("{HOSTILE}" AS ?x) }}')
    opened.wait_for_selector("#result-table tbody tr")
    assert opened.locator("#result-table tbody td").first.inner_text().startswith(HOSTILE)
    assert opened.locator("#results img, #results b").count() == 0
    assert opened.evaluate("window.pwned") is None
    assert elsewhere == []
    assert problems == []


def test_a_refused_query_shows_the_servers_error(page: tuple[Any, list[str], list[str]]) -> None:
    opened, _, _ = page
    run(opened, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    message = opened.inner_text("#error")
    assert message.startswith("403 service-refused: SERVICE is refused")


def test_answers_and_graph_results_are_shown(page: tuple[Any, list[str], list[str]]) -> None:
    opened, _, problems = page
    run(opened, "ASK { entity:musk qg:sued entity:openai }")
    assert opened.inner_text("#results") == "yes"
    run(opened, "CONSTRUCT WHERE { entity:musk a ?type }")
    assert "entity:musk a" in opened.inner_text("pre.graph")
    assert problems == []
