"""A project folder: ``kg init`` makes one; entities are added to it without losing its comments.

A project made by ``kg init story`` is a data folder (see :mod:`graph.paths`)::

    story/entities.yaml          the entities statements name (the build reads this)
    story/known-entities.yaml    known names, with --with-bundled-entities (the build does not read it)
    story/sources/               <id>.txt and <id>.yaml per source (kg add writes them)
    story/statements/            <id>.yaml per source
    story/.gitignore             the builds, story/quotegraph-out/

Known names are entities a new source may mention (the bundled people and organisations, say)
but that no statement of this project names yet: the build refuses an entity no source
mentions, so they wait in their own file until a statement needs one (:func:`adopt_entities`).

``entities.yaml`` is the curator's file, with comments and an order of their choosing, so new
entities are appended as text (PyYAML would drop every comment on a round trip), and the result
is parsed again before anything is written: what cannot be appended safely is refused.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from graph import paths
from graph.errors import DataError, UsageError
from graph.model.records import Entity, EntityIn
from graph.sources.files import read_data_file
from graph.sources.located import Problems, display, load_document, validate_record
from graph.sources.yamlfile import MAX_YAML_BYTES, LineDict, LineList, load_yaml

ENTITIES_FILE = "entities.yaml"
KNOWN_FILE = "known-entities.yaml"

ENTITIES_HEADER = """\
# Entities: the people, organisations, stances, events, documents and topics that statements
# talk about, shared by every source of this project. Ids are lower-case (musk, openai); labels
# are needed in German and English. kg add puts a page's author here.
entities: []
"""
KNOWN_HEADER = """\
# Known names: entities a new source may mention, copied from quotegraph's bundled data by
# kg init --with-bundled-entities. The build does not read this file (it refuses entities that no
# source mentions); an entry moves to entities.yaml when a statement or a source names it.
"""


def init_project(folder: Path, *, with_bundled_entities: bool = False) -> paths.Project:
    """Make a new project in ``folder`` (new or empty); refuse anything else. All or nothing."""
    folder = folder.resolve()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; kg init makes a project in a new or empty folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise UsageError(f"{folder} is not empty; kg init makes a project in a new or empty folder (use --data to point at existing data)")
    if folder.is_dir():  # filled in place: replacing it would strand a shell whose current directory it is
        try:
            _fill(folder, with_bundled_entities)
        except BaseException:
            for child in folder.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
            raise
        return paths.project_of(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        _fill(staging, with_bundled_entities)
        staging.chmod(0o777 & ~_umask())
        os.rename(staging, folder)  # a new folder appears whole
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return paths.project_of(folder)


def _fill(folder: Path, with_bundled_entities: bool) -> None:
    (folder / "sources").mkdir()
    (folder / "statements").mkdir()
    (folder / ENTITIES_FILE).write_text(ENTITIES_HEADER, encoding="utf-8")
    (folder / ".gitignore").write_text(f"/{paths.DEFAULT_OUT_DIRNAME}/\n", encoding="utf-8")
    if with_bundled_entities:
        bundled = (paths.bundled_data_dir() / ENTITIES_FILE).read_text(encoding="utf-8")
        (folder / KNOWN_FILE).write_text(KNOWN_HEADER + _without_leading_comments(bundled), encoding="utf-8")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _without_leading_comments(text: str) -> str:
    lines = text.splitlines(keepends=True)
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "".join(lines)


# ---------------------------------------------------------------------------------------------
# Entities of a project
# ---------------------------------------------------------------------------------------------


def read_entity_records(path: Path, root: Path) -> list[tuple[EntityIn, LineDict]]:
    """The entity records of one file (``entities.yaml`` or ``known-entities.yaml``), each validated."""
    if not path.is_file():
        return []
    problems = Problems()
    doc = load_document(path, root, problems)
    problems.raise_if_any()
    if not isinstance(doc, LineDict) or not isinstance(doc.get("entities"), LineList):
        raise DataError.single(display(path, root), getattr(doc, "line", 1), "entities", "expected a top-level 'entities:' list")
    items: LineList = doc["entities"]
    records = []
    for index, item in enumerate(items):
        record = validate_record(EntityIn, item, display(path, root), items.line_of(index), f"entities[{index}].", problems)
        if record is not None:
            records.append((record, item))
    problems.raise_if_any()
    return records


def known_entities(data: Path) -> dict[str, Entity]:
    """Every entity a source of this project may mention: ``entities.yaml``, then the known names not defined there."""
    found: dict[str, Entity] = {}
    for name in (ENTITIES_FILE, KNOWN_FILE):
        for record, _item in read_entity_records(data / name, data):
            found.setdefault(record.id, Entity.of(record))
    return found


def fold(name: str) -> str:
    """A name as compared: case and accents folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def slug(name: str) -> str:
    """An entity id from a name: ``Jürgen Müller`` → ``jurgen-muller``."""
    text = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")
    return text[:64].rstrip("-") or "entity"


def entity_text(record: dict[str, Any]) -> str:
    """One entity as a block item of ``entities:``, in the layout of the curated files."""
    body = yaml.safe_dump(record, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1_000_000)
    lines = body.splitlines()
    return "".join(("  - " if i == 0 else "    ") + line + "\n" for i, line in enumerate(lines))


def with_entities_appended(path: Path, records: Iterable[dict[str, Any]]) -> str:
    """The text of ``entities.yaml`` with ``records`` appended, checked by parsing it again."""
    new = list(records)
    original = read_data_file(path, path.parent, MAX_YAML_BYTES).decode("utf-8") if os.path.lexists(path) else "entities: []\n"
    text = original if original.endswith("\n") else original + "\n"
    text, empties = re.subn(
        r"^entities:[ \t]*\[[ \t]*\][ \t]*(#.*)?$", lambda m: "entities:" + (f" {m.group(1)}" if m.group(1) else ""), text, flags=re.M
    )
    text += "".join(entity_text(r) for r in new)
    before = _entity_ids(original, path)
    after = _entity_ids(text, path)
    if after != [*before, *(r["id"] for r in new)] or empties > 1:
        raise DataError.single(
            path,
            None,
            "entities",
            "cannot append to this file safely (is 'entities:' its last top-level key, written as a block list?); add the entities by hand",
        )
    return text


def _entity_ids(text: str, path: Path) -> list[str]:
    with tempfile.NamedTemporaryFile(
        "w", dir=path.parent, prefix=f".{path.name}.", suffix=".check", encoding="utf-8", delete=False
    ) as handle:
        handle.write(text)
    try:
        doc = load_yaml(Path(handle.name), path.parent)
    except DataError as exc:
        raise DataError.single(path, exc.problems[0].line, None, f"would no longer parse: {exc.problems[0].message}") from None
    finally:
        os.unlink(handle.name)
    items = doc.get("entities") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        return []
    return [str(item.get("id")) for item in items if isinstance(item, dict)]


def adopt_entities(data: Path, ids: Iterable[str]) -> list[str]:
    """Copy the named known entities (``known-entities.yaml``) into ``entities.yaml``; returns those copied.

    For a step that writes a statement naming an entity the project knows only as a known name
    (accepting a drafted statement, adding a source by a known author). Ids already in
    ``entities.yaml`` are left alone; unknown ids are an error. The file is replaced atomically.
    """
    target = data / ENTITIES_FILE
    defined = {record.id for record, _ in read_entity_records(target, data)}
    known = {record.id: record for record, _ in read_entity_records(data / KNOWN_FILE, data)}
    wanted = [i for i in dict.fromkeys(ids) if i not in defined]
    missing = [i for i in wanted if i not in known]
    if missing:
        raise UsageError(
            f"unknown entit{'y' if len(missing) == 1 else 'ies'} {', '.join(missing)}: neither in {ENTITIES_FILE} nor in {KNOWN_FILE}"
        )
    if not wanted:
        return []
    records = [known[i].model_dump(mode="json", exclude_defaults=True) for i in wanted]
    replace_text(target, with_entities_appended(target, records))
    return wanted


def replace_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (a temporary file beside it, then a rename)."""
    with tempfile.NamedTemporaryFile(
        "w", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", encoding="utf-8", delete=False
    ) as handle:
        handle.write(text)
    os.replace(handle.name, path)
