"""``kg add FILE|URL``: a new source's text and metadata, under a stable id, all or nothing.

What is stored is what the curator reads and what quotes are anchored in: a text file is kept
byte for byte; an HTML page (a file or a URL) becomes its article text (:mod:`graph.ingest.html`).
The metadata records what the page says (title, author, date, site, licence), the language
detected from the text, where and when the text was read, and the text's SHA-256, which the
build checks again, so that an edited text cannot silently move every quote's offsets.

**Ids.** A new source is ``NNN_<first 16 hex digits of the SHA-256 of its stored text>``, with
``NNN`` one more than the highest number among the project's sources (three digits, from
``000``): the shape of the first source, ``000_bb9b70fb7da9f08b``, whose name came with the
file (its hash part is not derived from its text). The hash part is stable: the same text gets
the same hash in any project.

**Duplicates.** A source whose text has the same checksum as one already present, or whose URL
(as given, after redirects, or as named by ``--url``) is already a source's, is refused, naming it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml
from pydantic import ValidationError

from graph import paths
from graph.errors import DataError, UsageError
from graph.ingest.fetch import MAX_BYTES, MAX_REDIRECTS, TIMEOUT_S, fetch
from graph.ingest.html import Article, NoArticle, article_text
from graph.ingest.language import Detected, identify
from graph.ingest.project import ENTITIES_FILE, KNOWN_FILE, fold, read_entity_records, slug, with_entities_appended
from graph.model.records import SourceIn
from graph.sources.files import read_data_file
from graph.sources.text import MAX_SOURCE_BYTES, read_source_text
from graph.sources.yamlfile import MAX_YAML_BYTES

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_SEQUENCE = re.compile(r"^(\d{3,})_")


@dataclass(frozen=True)
class Overrides:
    """Values given on the command line; each wins over what the page or the text says. ``""`` clears a field."""

    id: str | None = None
    title: str | None = None
    author: str | None = None
    date: dt.date | None = None
    url: str | None = None
    publisher: str | None = None
    language: str | None = None
    licence: str | None = None
    licence_url: str | None = None
    attribution: str | None = None
    note: str | None = None
    retrieved: dt.datetime | None = None


@dataclass(frozen=True)
class Limits:
    timeout: float = TIMEOUT_S
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS


@dataclass
class Added:
    """What ``kg add`` wrote, for the summary."""

    id: str
    data: Path
    text_path: Path
    meta_path: Path
    statements_path: Path
    meta: dict[str, Any]
    characters: int
    kind: str
    detected: Detected | None
    new_entities: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Input:
    kind: str  # "html" | "text"
    shown: str  # the file or URL, as named to the user
    raw: bytes
    charset: str | None
    url: str | None
    retrieved: dt.datetime


def add_source(data: Path, target: str, overrides: Overrides = Overrides(), limits: Limits = Limits()) -> Added:
    """Add the file or URL ``target`` to the data folder ``data``; see the module docstring."""
    if not paths.is_data_folder(data):
        raise UsageError(f"{data} is not a data folder (no entities.yaml, no sources/ and statements/); kg init DIR makes one")
    given = _read_input(target, limits)
    article = None
    if given.kind == "html":
        try:
            article = article_text(given.raw.decode(given.charset, errors="replace") if given.charset else given.raw, url=given.url)
        except NoArticle as exc:
            raise DataError.single(given.shown, None, None, f"{exc}; save the article's text to a .txt file and add that") from None
        except LookupError:
            raise DataError.single(given.shown, None, None, f"unknown character set '{given.charset}'") from None
        stored = article.text.encode("utf-8")
    else:
        stored = _plain_text(given)
    text = stored.decode("utf-8")
    digest = hashlib.sha256(stored).hexdigest()
    existing = _existing_sources(data)
    _refuse_duplicates(existing, digest, [u for u in (given.url, article_url(article, given), overrides.url) if u], data)

    warnings: list[str] = []
    detected: Detected | None = None
    language = overrides.language
    if not language:
        detected = identify(text)
        language = detected.language
        if detected.uncertain:
            warnings.append(
                f"language '{detected.language}' detected with probability {detected.probability:.2f} from {detected.characters:,} characters; pass --language if it is wrong"
            )
        declared = (article.declared_language or "").split("-")[0].lower() if article else ""
        if declared and declared != language:
            warnings.append(
                f"the page declares language '{declared}', the text reads as '{language}'; pass --language if '{language}' is wrong"
            )

    source_id = overrides.id or f"{_next_sequence(existing):03d}_{digest[:16]}"
    if any(s["id"] == source_id for s in existing):
        raise UsageError(f"a source with id '{source_id}' already exists in {data / 'sources'}")
    title = _pick(overrides.title, article.title if article else None, _first_line(text))
    entities_path = data / ENTITIES_FILE
    author_id, new_entity = _author(data, _pick(overrides.author, _first_author(article.author if article else None)))
    meta: dict[str, Any] = {
        "id": source_id,
        "title": title,
        "author": author_id,
        "language": language,
        "date": overrides.date or (article.date if article else None),
        "url": _pick(overrides.url, article_url(article, given)),
        "publisher": _pick(overrides.publisher, article.site_name if article else None),
        "licence": _pick(overrides.licence, article.licence if article else None),
        "licence_url": _pick(overrides.licence_url, article.licence_url if article else None),
        "attribution": _pick(overrides.attribution),
        "retrieved": overrides.retrieved or given.retrieved,
        "sha256": digest,
        "note": _pick(overrides.note, _other_authors(article.author if article else None)),
    }
    meta = {k: v for k, v in meta.items() if v is not None}
    _check_meta(meta, given.shown)
    if not title:
        raise DataError.single(given.shown, None, "title", "no title found; pass --title")
    for name, value in (("date", meta.get("date")), ("author", author_id), ("publisher", meta.get("publisher"))):
        if value is None:
            warnings.append(f"no {name} found; pass --{name} if the source gives one")

    files = {
        data / "sources" / f"{source_id}.txt": stored,
        data / "sources" / f"{source_id}.yaml": _meta_text(meta, given).encode("utf-8"),
        data / "statements" / f"{source_id}.yaml": _statements_text(source_id, title).encode("utf-8"),
    }
    if new_entity is not None:
        files[entities_path] = with_entities_appended(entities_path, [new_entity]).encode("utf-8")
    _write_all(files)
    return Added(
        id=source_id,
        data=data,
        text_path=data / "sources" / f"{source_id}.txt",
        meta_path=data / "sources" / f"{source_id}.yaml",
        statements_path=data / "statements" / f"{source_id}.yaml",
        meta=meta,
        characters=len(text),
        kind=given.kind,
        detected=detected,
        new_entities=[new_entity["id"]] if new_entity else [],
        warnings=warnings,
    )


# -- reading the input ------------------------------------------------------------------------


def _read_input(target: str, limits: Limits) -> _Input:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", target):
        got = fetch(target, timeout=limits.timeout, max_bytes=limits.max_bytes, max_redirects=limits.max_redirects)
        return _Input(got.kind, got.final_url, got.body, got.charset, got.final_url, got.retrieved)
    path = Path(target)
    if not os.path.lexists(path):
        raise UsageError(f"{target}: no such file (kg add takes a text file, an HTML file or an http(s) URL)")
    retrieved = dt.datetime.now(dt.UTC).replace(microsecond=0)
    # the user's own file, wherever a link of theirs leads: read as data files are (a regular file, size capped)
    raw = read_data_file(path, Path(os.path.realpath(path)).parent, max(MAX_SOURCE_BYTES, limits.max_bytes))
    head = raw[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    sniffed = head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head
    kind = "html" if path.suffix.lower() in HTML_SUFFIXES or sniffed else "text"
    if kind == "html" and len(raw) > limits.max_bytes:
        raise DataError.single(
            path, None, None, f"the page is {len(raw):,} bytes, more than the {limits.max_bytes:,} allowed (--max-bytes)"
        )
    return _Input(kind, str(path), raw, None, None, retrieved)


def _plain_text(given: _Input) -> bytes:
    """A text file byte for byte, or a fetched text/plain as UTF-8; refused unless it passes the source-text rules."""
    if given.url is None:
        path = Path(given.shown)
        text, _digest = read_source_text(path, Path(os.path.realpath(path)).parent)
        return text.encode("utf-8")  # strict UTF-8 both ways: the same bytes
    try:
        text = given.raw.decode(given.charset or "utf-8")
    except (UnicodeDecodeError, LookupError) as exc:
        raise DataError.single(given.shown, None, None, f"cannot decode the text as {given.charset or 'UTF-8'}: {exc}") from None
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "text.txt"
        probe.write_bytes(text.encode("utf-8"))
        try:
            read_source_text(probe, Path(tmp))
        except DataError as exc:
            raise DataError.single(given.shown, exc.problems[0].line, None, exc.problems[0].message) from None
    return text.encode("utf-8")


def article_url(article: Article | None, given: _Input) -> str | None:
    """The URL fetched, or for a saved page the URL it names as its own (canonical link, og:url)."""
    return given.url or (article.url if article else None)


def _first_line(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            flat = " ".join(line.split())
            return flat if len(flat) <= 300 else flat[:299] + "…"
    return None


def _first_author(authors: str | None) -> str | None:
    return authors.split(";")[0].strip() or None if authors else None


def _other_authors(authors: str | None) -> str | None:
    others = [a.strip() for a in (authors or "").split(";")[1:] if a.strip()]
    return f"The page also names as authors: {'; '.join(others)}." if others else None


def _pick(*values: str | None) -> str | None:
    """The first value given; an empty string given on the command line means 'none'."""
    for value in values:
        if value is not None:
            return value.strip() or None
    return None


# -- the project's sources and entities -------------------------------------------------------


def _existing_sources(data: Path) -> list[dict[str, Any]]:
    """``id``, ``url``, ``sha256`` and the metadata file of every source, read leniently (a broken file is the build's to report)."""
    found = []
    for meta_path in sorted((data / "sources").glob("*.y*ml")):
        try:
            doc = yaml.safe_load(read_data_file(meta_path, data, MAX_YAML_BYTES).decode("utf-8"))
        except (DataError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
            continue
        digest = doc.get("sha256")
        if not isinstance(digest, str):
            text_path = meta_path.parent / str(doc.get("text") or f"{doc['id']}.txt")
            try:
                digest = hashlib.sha256(read_data_file(text_path, data, MAX_SOURCE_BYTES)).hexdigest()
            except DataError:
                digest = None
        found.append({"id": doc["id"], "url": doc.get("url"), "sha256": digest, "file": meta_path})
    return found


def _next_sequence(existing: list[dict[str, Any]]) -> int:
    numbers = [int(m.group(1)) for s in existing if (m := _SEQUENCE.match(s["id"]))]
    return max(numbers) + 1 if numbers else 0


def normalised_url(url: str) -> str:
    """A URL as compared for duplicates: scheme and host in lower case, no default port, no fragment, no trailing slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/") if parts.path not in ("", "/") else ""
    return urlunsplit((parts.scheme.lower(), host, path, parts.query, ""))


def _refuse_duplicates(existing: list[dict[str, Any]], digest: str, urls: list[str], data: Path) -> None:
    for source in existing:
        shown = source["file"].relative_to(data)
        if source["sha256"] == digest:
            raise UsageError(f"already present: source {source['id']} ({shown}) has the same text (sha256 {digest[:16]}…)")
        if isinstance(source["url"], str) and normalised_url(source["url"]) in {normalised_url(u) for u in urls}:
            raise UsageError(f"already present: source {source['id']} ({shown}) has the same URL {source['url']}")


def _author(data: Path, author: str | None) -> tuple[str | None, dict[str, Any] | None]:
    """The author's entity id, and a new entity to append to entities.yaml when there is none yet.

    ``author`` is an entity id of the project, or a name: a name matching the label or an
    alias of an entity (folded case and accents) is that entity; a known name (known-entities.yaml)
    is copied over; any other name becomes a new person.
    """
    if not author:
        return None, None
    defined = read_entity_records(data / ENTITIES_FILE, data)
    known = read_entity_records(data / KNOWN_FILE, data)
    ids = {r.id for r, _ in defined}
    for records, copy in ((defined, False), (known, True)):
        for record, _item in records:
            # an entity may have a label in one language only
            names = {n for n in (record.label.de, record.label.en, *record.aliases.de, *record.aliases.en) if n}
            if author == record.id or fold(author) in {fold(n) for n in names}:
                if copy and record.id not in ids:
                    return record.id, record.model_dump(mode="json", exclude_defaults=True)
                return record.id, None
    base = slug(author)
    new_id, n = base, 2
    taken = ids | {r.id for r, _ in known}
    while new_id in taken:
        new_id, n = f"{base}-{n}", n + 1
    name = " ".join(author.split())
    return new_id, {"id": new_id, "kind": "person", "label": {"de": name, "en": name}}


# -- writing ----------------------------------------------------------------------------------


def _check_meta(meta: dict[str, Any], shown: str) -> None:
    """The metadata as the build will read it (SourceIn, strict): a problem names the field and its option."""
    try:
        SourceIn.model_validate(meta)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(str(p) for p in err["loc"])
        raise DataError.single(shown, None, name, f"{err['msg']} (got {err.get('input')!r}); pass --{name.replace('_', '-')}") from None


def _meta_text(meta: dict[str, Any], given: _Input) -> str:
    header = (
        f"# Added by kg add from {given.shown}.\n"
        "# Edit any field; the text file beside it stays as it is: quotes are anchored in it, and sha256 checks it.\n"
    )
    return header + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1_000_000)


def _statements_text(source_id: str, title: str | None) -> str:
    return (
        f"# Statements of source {source_id}: each quotes sources/{source_id}.txt exactly.\n"
        "# See the README, 'The data format', for the fields of a statement.\n"
        f"source: {source_id}\n"
        "statements: []\n"
    )


def _write_all(files: dict[Path, bytes]) -> None:
    """Write every file or none: each to a temporary file beside it, then all renamed; undone on failure."""
    staged: list[tuple[Path, Path, bytes | None]] = []
    try:
        for path, content in files.items():
            with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False) as handle:
                handle.write(content)
            staged.append((Path(handle.name), path, path.read_bytes() if path.exists() else None))
        done: list[tuple[Path, bytes | None]] = []
        try:
            for temp, path, before in staged:
                os.replace(temp, path)
                done.append((path, before))
        except BaseException:
            for path, before in reversed(done):
                if before is None:
                    path.unlink(missing_ok=True)
                else:
                    path.write_bytes(before)
            raise
    finally:
        for temp, _path, _before in staged:
            temp.unlink(missing_ok=True)
