"""The article in an HTML page: its main text as the source text, and what the page says about it.

trafilatura finds the main text (navigation, footers, comments, scripts and styles left out) and
the title, author and site name; htmldate finds the publication date. Both get a parsed tree,
never a string: htmldate downloads a string that looks like a URL, and nothing here may reach
the network. The date comes from the page's markup only (meta tags, ``<time>``, the URL), not
from a pattern search of the text, which would take a date the article merely mentions.

trafilatura's own plain-text output ends each paragraph with a single newline; quotes are
anchored paragraph by paragraph, and a paragraph is text between blank lines (as in the first
source and in :mod:`graph.sources.anchor`). So each block trafilatura keeps (heading,
paragraph, list, table, quote) is rendered by trafilatura's own ``xmltotxt`` and the blocks are
joined with one blank line; a line break inside a paragraph (``<br>``) stays a single newline.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urljoin

from graph.errors import EXIT_INVALID_DATA, QuotegraphError

#: fewer letters than this (spaces aside) is no article: trafilatura's fallback returns the menu of an index page
MIN_ARTICLE_CHARACTERS = 50
#: C0 controls other than tab and newline, DEL and C1 controls: never part of an article's text
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CHAR_REFERENCE = re.compile(r"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")
_BLANK_LINES = re.compile(r"\n{3,}")
#: a Creative Commons licence or dedication in a URL: /licenses/by-sa/4.0/, /publicdomain/zero/1.0/
_CC_URL = re.compile(r"creativecommons\.org/(?:licenses|publicdomain)/(by-nc-nd|by-nc-sa|by-nc|by-nd|by-sa|by|zero)/([1-9]\.[0-9])", re.I)
#: trafilatura's name for one: "CC BY-SA 4.0", "CC ZERO 1.0"
_HTTP_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_CC_NAME = re.compile(r"^cc (by-nc-nd|by-nc-sa|by-nc|by-nd|by-sa|by|zero) ([1-9]\.[0-9])$", re.I)


class NoArticle(QuotegraphError):
    """The page has no main text that trafilatura can find (an index page, a login wall, a script-only app)."""

    exit_code = EXIT_INVALID_DATA


@dataclass(frozen=True)
class Article:
    """What ``kg add`` stores of a page: ``text`` exactly, and the metadata the page gives."""

    text: str
    title: str | None = None
    #: as the page prints it; several authors are separated by "; "
    author: str | None = None
    date: dt.date | None = None
    site_name: str | None = None
    #: an SPDX id, only for a licence the page links to that has one (Creative Commons)
    licence: str | None = None
    licence_url: str | None = None
    #: the page's own ``<html lang>``, a hint only: the stored language is detected from the text
    declared_language: str | None = None
    #: the URL the page names as its own (canonical link, og:url), for a page saved to a file
    url: str | None = None


def article_text(html: str | bytes, url: str | None = None) -> Article:
    """The article of a page: main text (paragraphs separated by blank lines), title, author, date, site, licence.

    ``bytes`` are decoded as the page declares (``<meta charset>``) or as detected; a caller
    that knows the HTTP charset decodes first and passes ``str``. Raises :class:`NoArticle`.
    """
    import trafilatura
    from htmldate import find_date
    from trafilatura.utils import decode_file, load_html
    from trafilatura.xml import xmltotxt

    tree = load_html(_without_controls(decode_file(html) if isinstance(html, bytes) else html))
    if tree is None:
        raise NoArticle("not an HTML page (nothing to parse)")
    document = trafilatura.bare_extraction(
        copy.deepcopy(tree),
        url=url,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
        with_metadata=True,
        as_dict=False,
    )
    body = getattr(document, "body", None)
    blocks: list[str] = []
    if body is not None:
        if body.text and body.text.strip():
            blocks.append(body.text)
        blocks.extend(xmltotxt(element, include_formatting=False) for element in body)
    text = _tidy(blocks)
    if len("".join(text.split())) < MIN_ARTICLE_CHARACTERS:
        only = f" (only {text.strip()!r})" if text.strip() else ""
        raise NoArticle(f"no article text found{only}: the page may be an index, a login wall or built by scripts")
    found = find_date(copy.deepcopy(tree), extensive_search=False, original_date=True, outputformat="%Y-%m-%d", url=url)
    licence_url = _licence_link(tree, url)
    return Article(
        text=text,
        title=_line(getattr(document, "title", None)),
        author=_line(getattr(document, "author", None)),
        date=dt.date.fromisoformat(found) if found else None,
        site_name=_line(getattr(document, "sitename", None)),
        licence=_spdx(licence_url, getattr(document, "license", None)),
        licence_url=licence_url,
        declared_language=_line(tree.get("lang")) if tree.tag == "html" else None,
        url=_http_url(getattr(document, "url", None)),
    )


def _without_controls(html: str) -> str:
    """The page with control characters, literal or as character references, replaced by spaces.

    A single ``&#7;`` made lxml give up on a whole page (trafilatura found no text at all), and
    no control character may enter a source text anyway.
    """

    def reference(match: re.Match[str]) -> str:
        digits = match.group(1)
        code = int(digits[1:], 16) if digits[:1] in "xX" else int(digits)
        return " " if code > 0x10FFFF or _CONTROL.match(chr(code)) or code == 0 else match.group(0)

    return _CONTROL.sub(" ", _CHAR_REFERENCE.sub(reference, html))


def _tidy(blocks: list[str]) -> str:
    """Blocks joined by one blank line; NFC, no control characters, no trailing spaces, one final newline."""
    kept = []
    for block in blocks:
        clean = _CONTROL.sub(" ", unicodedata.normalize("NFC", block.replace("\r\n", "\n").replace("\r", "\n")))
        lines = [line.rstrip() for line in clean.split("\n")]
        joined = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")
        if joined.strip():
            kept.append(joined)
    return "\n\n".join(kept) + "\n" if kept else ""


def _line(value: object) -> str | None:
    """A metadata value as one trimmed line, or None."""
    if not isinstance(value, str):
        return None
    flat = " ".join(_CONTROL.sub(" ", value).split())
    return unicodedata.normalize("NFC", flat) or None


def _licence_link(tree: object, url: str | None) -> str | None:
    """The first ``<link rel="license">`` or ``<a rel="license">`` of the page, as an absolute http(s) URL."""
    for element in tree.xpath("//link[@rel][@href] | //a[@rel][@href]"):  # type: ignore[attr-defined]
        if "license" in element.get("rel", "").lower().split():
            href = _http_url(urljoin(url or "", element.get("href", "").strip()))
            if href:
                return href
    return None


def _http_url(value: object) -> str | None:
    """``value`` if it is an absolute http(s) URL that the metadata accepts, else None."""
    if isinstance(value, str) and _HTTP_URL.match(value.strip()):
        return value.strip()
    return None


def _spdx(licence_url: str | None, named: str | None) -> str | None:
    """The SPDX id of a Creative Commons licence, from its URL or from trafilatura's name for it."""
    match = _CC_URL.search(licence_url or "") or _CC_NAME.match((named or "").strip())
    if match is None:
        return None
    kind, version = match.group(1).lower(), match.group(2)
    return f"CC0-{version}" if kind == "zero" else f"CC-{kind.upper()}-{version}"
