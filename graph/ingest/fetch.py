"""Fetching one page for ``kg add URL`` with httpx, within limits a user can see and change.

Only ``kg add`` fetches, and only the URL it is given: http and https only, a time limit for
each step (connect, every read) and for the whole download, at most a few redirects, a size
cap checked against the declared length and again while reading, and a content type that is
HTML or plain text. Anything else is refused with one line saying which limit it hit. Tests
serve their pages from 127.0.0.1; nothing in the test suite reaches the internet.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from graph import __version__
from graph.errors import QuotegraphError

#: defaults of ``kg add --timeout/--max-bytes/--max-redirects``
TIMEOUT_S = 30.0
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
#: media types kg add stores, and as what
ACCEPTED = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}
USER_AGENT = f"quotegraph/{__version__} (kg add)"


class FetchError(QuotegraphError):
    """A URL that could not be fetched within the limits, or that is not a page (exit code 2)."""


@dataclass(frozen=True)
class Fetched:
    url: str
    final_url: str
    media_type: str
    charset: str | None
    body: bytes
    retrieved: dt.datetime

    @property
    def kind(self) -> str:
        """``html`` or ``text``."""
        return ACCEPTED[self.media_type]


def fetch(url: str, *, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES, max_redirects: int = MAX_REDIRECTS) -> Fetched:
    """GET ``url``; raise :class:`FetchError` naming the limit or the failure."""
    import httpx

    if not url.lower().startswith(("http://", "https://")):
        raise FetchError(f"{url}: only http:// and https:// URLs can be fetched")
    deadline = time.monotonic() + timeout
    retrieved = dt.datetime.now(dt.UTC).replace(microsecond=0)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9"}
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=max_redirects,
                timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
                headers=headers,
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise FetchError(f"{url}: the server answered HTTP {response.status_code} {response.reason_phrase}".rstrip())
            final = str(response.url)
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if media_type not in ACCEPTED:
                shown = media_type or "none given"
                raise FetchError(f"{final}: content type {shown} is not HTML or plain text (save the text to a .txt file and add that)")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{final}: the page is {int(declared):,} bytes, more than the {max_bytes:,} allowed (--max-bytes)")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():  # decoded: the cap also holds for a compressed body
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{final}: the page is larger than the {max_bytes:,} bytes allowed (--max-bytes)")
                if time.monotonic() > deadline:
                    raise FetchError(f"{final}: the download took longer than {timeout:g} s (--timeout)")
                chunks.append(chunk)
            return Fetched(url, final, media_type, response.charset_encoding, b"".join(chunks), retrieved)
    except httpx.TooManyRedirects:
        raise FetchError(f"{url}: more than {max_redirects} redirects (--max-redirects)") from None
    except httpx.TimeoutException:
        raise FetchError(f"{url}: no answer within {timeout:g} s (--timeout)") from None
    except httpx.UnsupportedProtocol as exc:
        raise FetchError(f"{url}: redirected to a URL that is not http or https ({exc})") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from None
