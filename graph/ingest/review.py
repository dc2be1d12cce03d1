"""Accepting drafts: from the review file into the curated statements and entities.

All or nothing: every draft asked for is checked first (it is pending, its quote is still the
text at its offsets, its subject, object and assertor are known entities or entities drafted
beside it or known names of the project, and the statement and entity records are valid as curators' records), and only then
are ``statements/<source>.yaml`` and the entities file written, each replaced atomically. The
curator's comments and layout in both files are kept: the new records are appended as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import DataError, UsageError
from graph.ingest.drafts import (
    Located,
    append_entities,
    append_statements,
    atomic_write,
    check_record,
    find_drafts,
    set_status,
    statement_record,
)
from graph.ingest.project import KNOWN_FILE, read_entity_records
from graph.model.records import EntityIn, StatementIn
from graph.sources.loader import Loader
from graph.sources.text import read_source_text


@dataclass
class Accepted:
    ids: list[str]
    statements_files: list[Path]
    entities_file: Path | None
    new_entities: list[str]


def entities_file(data: Path) -> Path:
    """Where accepted new entities go: ``entities.yaml``, or ``entities/drafted.yaml`` in a split layout."""
    single = data / "entities.yaml"
    if single.exists() or not (data / "entities").is_dir():
        return single
    return data / "entities" / "drafted.yaml"


def accept(data: Path, ids: list[str]) -> Accepted:
    located = find_drafts(data, ids)
    loader = Loader(data)
    scan = loader.scan()
    known = set(scan.entities)
    # a known name (kg init --with-bundled-entities) is copied into the project with the statement naming it
    known_only = {record.id: record for record, _ in read_entity_records(data / KNOWN_FILE, data) if record.id not in known}
    per_source: dict[str, list[dict[str, Any]]] = {}
    new_entities: dict[str, dict[str, Any]] = {}
    for ident in ids:
        loc: Located = located[ident]
        draft = loc.draft
        where = f"{loc.path}: draft {ident}"
        if draft.get("status", "pending") == "accepted":
            raise UsageError(f"{where} is already accepted")
        source_id = str(loc.doc["source"])
        files = scan.sources.get(source_id)
        if files is None:
            raise UsageError(f"{where}: its source '{source_id}' is not in {data}/sources/")
        text, _ = read_source_text(files.text_path, data)
        start, end = int(draft["start"]), int(draft["end"])
        if text[start:end] != draft["quote"]:
            raise DataError.single(
                loc.path, None, f"{ident}.quote", f"the source text changed: the quote is no longer text[{start}:{end}]; extract again"
            )
        drafted = {str(e["id"]): e for e in loc.doc.get("entities") or []}
        for role in ("subject", "object", "asserted_by"):
            ent = draft.get(role)
            if ent is None or ent in known or ent in new_entities:
                continue
            if ent in known_only:
                new_entities[ent] = known_only[ent].model_dump(mode="json", exclude_defaults=True)
                continue
            if ent not in drafted:
                raise DataError.single(
                    loc.path, None, f"{ident}.{role}", f"unknown entity '{ent}': add it to the entities or to this file's entities:"
                )
            candidate = drafted[ent]
            record = {"id": ent, "kind": candidate["kind"], "label": {"de": candidate["label"], "en": candidate["label"]}}
            check_record(record, f"{loc.path}: entity {ent}", EntityIn)
            new_entities[ent] = record
        author = files.meta.author
        if not draft.get("asserted_by") and author is None:
            raise DataError.single(loc.path, None, f"{ident}.asserted_by", "missing: the source has no author, so say who asserts this")
        record = statement_record(draft, text, author)
        check_record(record, where, StatementIn)
        per_source.setdefault(source_id, []).append(record)
    writes: list[tuple[Path, str]] = []
    statement_files: list[Path] = []
    for source_id, records in per_source.items():
        existing = scan.sources[source_id].statement_files
        target = existing[0] if existing else data / "statements" / f"{source_id}.yaml"
        writes.append((target, append_statements(target, source_id, records)))
        statement_files.append(target)
    target_entities = entities_file(data) if new_entities else None
    if target_entities is not None:
        writes.append((target_entities, append_entities(target_entities, list(new_entities.values()))))
    for path, content in writes:
        atomic_write(path, content)
    set_status(data, ids, "accepted")
    return Accepted(ids, statement_files, target_entities, list(new_entities))
