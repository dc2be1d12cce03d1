"""Fetching a page for ``kg add URL``: redirects limited, size capped, content type checked, time limited.

Every page is served from 127.0.0.1 by the test itself; nothing here reaches the internet.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.webserver import Reply, gzipped_html, html, redirect, serving

from graph.ingest.fetch import FetchError, fetch

PAGE = (Path(__file__).parent / "pages" / "news-en.html").read_bytes()


def test_a_page_is_fetched_after_its_redirects_with_its_final_url() -> None:
    routes = {"/old": redirect("/newer"), "/newer": redirect("/article", 301), "/article": html(PAGE)}
    with serving(routes) as (base, requested):
        got = fetch(f"{base}/old")
    assert got.body == PAGE
    assert got.final_url == f"{base}/article"
    assert got.kind == "html"
    assert got.charset == "utf-8"
    assert got.retrieved.tzinfo is not None
    assert requested == ["/old", "/newer", "/article"]


def test_more_redirects_than_allowed_are_refused() -> None:
    routes = {f"/r{i}": redirect(f"/r{i + 1}") for i in range(10)}
    with serving(routes) as (base, requested), pytest.raises(FetchError, match="more than 3 redirects"):
        fetch(f"{base}/r0", max_redirects=3)
    assert len(requested) == 4


def test_a_redirect_loop_ends_at_the_limit() -> None:
    with serving({"/loop": redirect("/loop")}) as (base, _), pytest.raises(FetchError, match="redirects"):
        fetch(f"{base}/loop")


def test_a_page_declared_larger_than_the_cap_is_refused_before_reading() -> None:
    routes = {"/big": Reply(200, {"Content-Type": "text/html", "Content-Length": str(50_000_000)}, b"")}
    with serving(routes) as (base, _), pytest.raises(FetchError, match="50,000,000 bytes, more than the 1,000 allowed"):
        fetch(f"{base}/big", max_bytes=1_000)


def test_a_page_that_streams_past_the_cap_is_cut_off() -> None:
    routes = {"/endless": Reply(200, {"Content-Type": "text/html"}, b"<p>" + b"x" * 1_000 + b"</p>", chunks=10_000)}
    with serving(routes) as (base, _), pytest.raises(FetchError, match="larger than the 100,000 bytes allowed"):
        fetch(f"{base}/endless", max_bytes=100_000)


def test_a_compressed_page_counts_its_decompressed_size() -> None:
    bomb = b"<html><body><p>" + b"a" * 2_000_000 + b"</p></body></html>"
    with serving({"/bomb": gzipped_html(bomb)}) as (base, _), pytest.raises(FetchError, match="larger than"):
        fetch(f"{base}/bomb", max_bytes=100_000)
    with serving({"/small": gzipped_html(PAGE)}) as (base, _):
        assert fetch(f"{base}/small").body == PAGE


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/json", ""])
def test_content_that_is_not_html_or_text_is_refused(content_type: str) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    with serving({"/file": Reply(200, headers, b"%PDF-1.7")}) as (base, _), pytest.raises(FetchError, match="is not HTML or plain text"):
        fetch(f"{base}/file")


def test_plain_text_is_accepted_as_text() -> None:
    with serving({"/a.txt": Reply(200, {"Content-Type": "text/plain; charset=utf-8"}, "Grüße\n".encode())}) as (base, _):
        got = fetch(f"{base}/a.txt")
    assert got.kind == "text"
    assert got.body.decode("utf-8") == "Grüße\n"


def test_a_server_that_does_not_answer_in_time_is_given_up() -> None:
    with (
        serving({"/slow": Reply(200, {"Content-Type": "text/html"}, PAGE, delay=3)}) as (base, _),
        pytest.raises(FetchError, match=r"no answer within 0\.5 s"),
    ):
        fetch(f"{base}/slow", timeout=0.5)


def test_an_error_status_is_refused_with_its_code() -> None:
    with serving({}) as (base, _), pytest.raises(FetchError, match="HTTP 404"):
        fetch(f"{base}/missing")


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/a.html", "file:///etc/passwd", "javascript:alert(1)"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(FetchError, match="only http:// and https://"):
        fetch(url)


def test_a_redirect_to_another_scheme_is_refused() -> None:
    with serving({"/away": redirect("file:///etc/passwd")}) as (base, _), pytest.raises(FetchError, match="not http or https"):
        fetch(f"{base}/away")


def test_a_closed_port_is_one_clear_error() -> None:
    with pytest.raises(FetchError, match="ConnectError"):
        fetch("http://127.0.0.1:9/nothing-listens-here", timeout=2)
