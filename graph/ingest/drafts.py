"""The review file: drafts beside a source's statements, which the build never reads.

``kg extract SOURCE`` writes ``drafts/<source>.yaml`` in the data folder, next to
``statements/``. The loader reads only ``sources/``, ``statements/`` and the entity files, so a
draft enters the graph only when the curator accepts it: ``kg drafts accept ID…`` appends it
to ``statements/<source>.yaml`` in the curators' own format (and a new entity it needs to
``entities.yaml``), and marks it ``status: accepted``; ``kg drafts reject ID…`` marks it
``rejected``. The status field may also be edited by hand. Extracting again keeps every
decision: a draft has the id the loader will give the accepted statement (the same content
hash), so the same draft found again is recognised.

Accepting writes nothing until every draft asked for has been checked (its quote found at its
offsets, its entities known or drafted, its record valid); both files are then replaced
atomically.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph.errors import DataError, UsageError
from graph.ingest.extract import Extraction
from graph.model.records import EntityIn, StatementIn
from graph.sources.anchor import occurrences
from graph.sources.yamlfile import load_yaml

DRAFTS_DIRNAME = "drafts"
STATUSES = ("pending", "accepted", "rejected")
_HEADER = """\
# Drafted statements for source {source}, written by `kg extract` ({when}).
# `kg build` does not read this file. Review each draft and decide:
#   kg drafts accept ID...   copies it into statements/{source}.yaml (and a new entity into entities.yaml)
#   kg drafts reject ID...   marks it rejected
# or set `status:` by hand. Extracting again keeps every decision made here.
"""


def drafts_dir(data: Path) -> Path:
    return data / DRAFTS_DIRNAME


def drafts_path(data: Path, source: str) -> Path:
    return drafts_dir(data) / f"{source}.yaml"


def atomic_write(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100_000, default_flow_style=False)


def read_drafts(path: Path) -> dict[str, Any]:
    """A review file as written by :func:`write_drafts`; a broken one is one clear error."""
    doc = load_yaml(path, path.resolve().parent.parent)  # drafts/ is a folder of the data folder
    if not isinstance(doc, dict) or not isinstance(doc.get("statements"), list) or not isinstance(doc.get("source"), str):
        raise DataError.single(path, 1, None, "not a drafts file: expected 'source:' and a list under 'statements:'")
    for index, item in enumerate(doc["statements"]):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise DataError.single(
                path, getattr(doc["statements"], "line_of", lambda _i: None)(index), f"statements[{index}]", "expected a draft with an id"
            )
        if item.get("status", "pending") not in STATUSES:
            line = item.line_of("status") if hasattr(item, "line_of") else None
            raise DataError.single(
                path, line, f"statements[{index}].status", f"must be one of {', '.join(STATUSES)}, got {item.get('status')!r}"
            )
    return dict(doc)


def write_drafts(data: Path, extraction: Extraction) -> tuple[Path, dict[str, int]]:
    """Write (or refresh) the review file of a source; decisions already made are kept.

    Returns the path and how many drafts are new, kept pending, accepted and rejected.
    """
    path = drafts_path(data, extraction.source)
    previous: dict[str, dict[str, Any]] = {}
    previous_entities: dict[str, dict[str, Any]] = {}
    if path.exists():
        old = read_drafts(path)
        previous = {str(d["id"]): dict(d) for d in old["statements"]}
        previous_entities = {str(e["id"]): dict(e) for e in old.get("entities") or [] if isinstance(e, dict) and "id" in e}
    counts = {"new": 0, "pending": 0, "accepted": 0, "rejected": 0}
    statements: list[dict[str, Any]] = []
    seen: set[str] = set()
    for draft in extraction.drafts:
        record = draft.as_json()
        status = str(previous.get(draft.id, {}).get("status", "pending"))
        counts["new" if draft.id not in previous else status] += 1
        entry: dict[str, Any] = {"id": draft.id, "status": status}
        entry.update({k: v for k, v in record.items() if k != "id"})
        if draft.hedged:
            entry["hedged"] = True
        statements.append(entry)
        seen.add(draft.id)
    for ident, old_entry in previous.items():  # a decision is kept even when the draft is no longer found
        if ident not in seen and old_entry.get("status") in ("accepted", "rejected"):
            statements.append(old_entry)
            counts[str(old_entry["status"])] += 1
    used = {s["subject"] for s in statements} | {s.get("object") for s in statements} | {s.get("asserted_by") for s in statements}
    entities = [
        {"id": e.id, "kind": e.kind, "label": e.label, "confidence": round(e.confidence, 2), "rule": e.rule}
        for e in extraction.entities
        if not e.known and e.id in used
    ]
    for ident, old_entity in previous_entities.items():
        if ident in used and ident not in {e["id"] for e in entities}:
            entities.append(old_entity)
    doc = {"source": extraction.source, "language": extraction.language, "entities": entities, "statements": statements}
    when = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    atomic_write(path, _HEADER.format(source=extraction.source, when=when) + _dump(_plain(doc)))
    return path, counts


# ---------------------------------------------------------------------------------------------
# accept / reject
# ---------------------------------------------------------------------------------------------


@dataclass
class Located:
    path: Path
    doc: dict[str, Any]
    index: int

    @property
    def draft(self) -> dict[str, Any]:
        return dict(self.doc["statements"][self.index])


def find_drafts(data: Path, ids: list[str]) -> dict[str, Located]:
    """Where each draft id is; an unknown id is a usage error naming it."""
    folder = drafts_dir(data)
    docs = [(p, read_drafts(p)) for p in sorted(folder.glob("*.yaml"))] if folder.is_dir() else []
    found: dict[str, Located] = {}
    for path, doc in docs:
        for index, item in enumerate(doc["statements"]):
            if item["id"] in ids:
                found[str(item["id"])] = Located(path, doc, index)
    missing = [i for i in ids if i not in found]
    if missing:
        raise UsageError(f"no draft with id {', '.join(missing)} in {folder}/ (run `kg extract SOURCE` first)")
    return found


def set_status(data: Path, ids: list[str], status: str) -> list[Located]:
    """Mark drafts ``rejected`` (or back to ``pending``) in their review files."""
    located = find_drafts(data, ids)
    by_file: dict[Path, list[Located]] = {}
    for loc in located.values():
        by_file.setdefault(loc.path, []).append(loc)
    for path, items in by_file.items():
        doc = items[0].doc
        for loc in items:
            doc["statements"][loc.index]["status"] = status
        _rewrite(path, doc)
    return list(located.values())


def _rewrite(path: Path, doc: dict[str, Any]) -> None:
    head = "".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True) if line.startswith("#"))
    plain = {k: _plain(v) for k, v in doc.items()}
    atomic_write(path, head + _dump(plain))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def statement_record(draft: dict[str, Any], text: str, author: str | None) -> dict[str, Any]:
    """A draft as curators write a statement (``StatementIn``): the loader finds the quote again."""
    record: dict[str, Any] = {"subject": draft["subject"], "predicate": draft["predicate"]}
    if draft.get("object") is not None:
        record["object"] = draft["object"]
    else:
        record["value"] = draft["value"]
    record["voice"] = draft["voice"]
    if draft.get("asserted_by") and draft["asserted_by"] != author:
        record["asserted_by"] = draft["asserted_by"]
    if draft.get("hedged"):
        record["hedged"] = True
    record["quote"] = draft["quote"]
    starts = occurrences(text, draft["quote"])
    if len(starts) > 1:
        record["occurrence"] = starts.index(int(draft["start"])) + 1
    record["note"] = f"Drafted by kg extract ({draft.get('rule', '')}, confidence {draft.get('confidence')}); accepted by the curator."
    return record


def append_statements(path: Path, source: str, records: list[dict[str, Any]]) -> str:
    """The statements file with ``records`` appended, its comments and layout untouched."""
    items = _dump(records)
    if not path.exists():
        return f"source: {source}\nstatements:\n" + _indent(items, "  ")
    text = path.read_text(encoding="utf-8")
    if re.search(r"^statements:[ \t]*\[\][ \t]*$", text, re.MULTILINE):
        text = re.sub(r"^statements:[ \t]*\[\][ \t]*$", "statements:", text, count=1, flags=re.MULTILINE)
    top = [m.group(1) for m in re.finditer(r"^([A-Za-z_]+):", text, re.MULTILINE)]
    if not top or top[-1] != "statements":
        raise DataError.single(path, None, "statements", "cannot append: 'statements:' is not the last key of the file")
    indent = re.search(r"^statements:[ \t]*\n(?:[ \t]*#.*\n|[ \t]*\n)*([ \t]*)- ", text, re.MULTILINE)
    prefix = indent.group(1) if indent else "  "
    if not text.endswith("\n"):
        text += "\n"
    return text + "\n" + _indent(items, prefix)


def append_entities(path: Path, entities: list[dict[str, Any]]) -> str:
    items = _dump(entities)
    if not path.exists():
        return "entities:\n" + _indent(items, "  ")
    text = path.read_text(encoding="utf-8")
    top = [m.group(1) for m in re.finditer(r"^([A-Za-z_]+):", text, re.MULTILINE)]
    if not top or top[-1] != "entities":
        raise DataError.single(path, None, "entities", "cannot append: 'entities:' is not the last key of the file")
    indent = re.search(r"^entities:[ \t]*\n(?:[ \t]*#.*\n|[ \t]*\n)*([ \t]*)- ", text, re.MULTILINE)
    prefix = indent.group(1) if indent else "  "
    if not text.endswith("\n"):
        text += "\n"
    return text + "\n" + _indent(items, prefix)


def _indent(block: str, prefix: str) -> str:
    return "".join(prefix + line if line.strip() else line for line in block.splitlines(keepends=True))


def check_record(record: dict[str, Any], where: str, model: type[StatementIn] | type[EntityIn]) -> None:
    from pydantic import ValidationError

    try:
        model.model_validate(record)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise DataError.single(where, None, field or None, first["msg"]) from None
