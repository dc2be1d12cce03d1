"""Merging two entities into one: every reference in the data rewritten, all files or none.

``kg entities merge KEEP DROP`` makes DROP's references point at KEEP (``subject``, ``object``,
``asserted_by``, ``expressed_in``, a source's ``author``, an entity's ``negates`` and
``distinct_from``), removes DROP's entry and keeps what it knew on KEEP: its labels and aliases
become aliases, its Wikidata id, type and descriptions fill what KEEP lacks.

The files are edited as text, not re-dumped: PyYAML's composer gives the exact span of every
scalar, and only those spans change, so comments, key order, quoting and flow style stay as the
curator wrote them (a YAML round-trip library would re-indent and re-quote whole files). KEEP's
entry is the only place where a value is written anew, in YAML flow style.

A merge is refused, and nothing written, when the entities cannot be one (different kinds, types
or Wikidata ids, or marked ``distinct_from`` each other), and when a quote would lose its anchor:
a statement without an explicit ``id`` gets an id derived from its content, subject and object
included, and the IRIs of its quote (``statement/<id>#quote``) derive from that id, so renaming
its subject or object would move the quote to a new IRI and break every link to it.
``pin_ids`` writes the current id into such statements first, so the quote keeps its IRI.
The caller checks the merged data as ``kg validate`` does before :func:`commit` writes it.

The project's files that the build does not read are merged too, in the same commit: the known
names (``known-entities.yaml``) and the review files of ``kg extract`` (``drafts/*.yaml``). Their
references to DROP name KEEP, an entry of DROP there goes (KEEP is defined), and a draft whose
subject or object was DROP gets the id derived from its new content, which is the id ``kg
extract`` gives it when it finds it again (so the curator's decision on it is kept) and the one
the loader gives it once accepted. A draft id written by hand, not derived, is left alone.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from graph.errors import QuotegraphError, UsageError
from graph.model.records import SourceIn, StatementIn
from graph.sources.anchor import AnchorError, anchor
from graph.sources.duplicates import fold
from graph.sources.files import read_data_file
from graph.sources.loader import derive_statement_id
from graph.sources.located import display, yaml_files
from graph.sources.text import read_source_text
from graph.sources.yamlfile import MAX_YAML_BYTES, LineDict, load_yaml

#: Fields whose value is one entity id, and fields whose value is a list of them.
ONE_ENTITY = frozenset({"subject", "object", "asserted_by", "expressed_in", "author"})
ENTITY_LISTS = frozenset({"negates", "distinct_from"})
#: The project's files the build does not read but that name entities: graph.ingest writes them
#: (graph.ingest.project.KNOWN_FILE, graph.ingest.drafts.DRAFTS_DIRNAME; a layer above, so named here; a test keeps them equal).
KNOWN_ENTITIES_FILE = "known-entities.yaml"
DRAFTS_FOLDER = "drafts"


class MergeRefused(QuotegraphError):
    """The two entities cannot be merged as asked; nothing was written (exit code 1: the data says no)."""

    exit_code = 1


@dataclass(frozen=True)
class Edit:
    start: int  # character offsets into the file's text
    end: int
    text: str


@dataclass
class FileChange:
    path: Path
    shown: str
    old: str
    edits: list[Edit] = field(default_factory=list)
    references: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def new(self) -> str:
        text = self.old
        for edit in sorted(self.edits, key=lambda e: (e.start, e.end), reverse=True):
            text = text[: edit.start] + edit.text + text[edit.end :]
        return text


@dataclass
class MergePlan:
    keep: str
    drop: str
    changes: list[FileChange]
    pinned: list[tuple[str, int, str]]  # file, line, the id written into a statement
    added_names: list[str]

    @property
    def references(self) -> int:
        return sum(c.references for c in self.changes)


def _compose(text: str) -> Node | None:
    # marks count characters of the text, with libyaml's parser as with PyYAML's own
    return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _pairs(node: MappingNode) -> Iterator[tuple[str, Node]]:
    for key, value in node.value:
        if isinstance(key, ScalarNode):
            yield key.value, value


def _reference_edits(node: Node | None, drop: str, keep: str) -> Iterator[Edit]:
    """Every scalar naming ``drop`` under a reference field, anywhere in the document."""
    if isinstance(node, MappingNode):
        for key, value in _pairs(node):
            if key in ONE_ENTITY and isinstance(value, ScalarNode) and value.value == drop:
                yield _replace_scalar(value, keep)
            elif key in ENTITY_LISTS and isinstance(value, SequenceNode):
                for item in value.value:
                    if isinstance(item, ScalarNode) and item.value == drop:
                        yield _replace_scalar(item, keep)
            else:
                yield from _reference_edits(value, drop, keep)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _reference_edits(item, drop, keep)


def _replace_scalar(node: ScalarNode, value: str) -> Edit:
    quote = node.style if node.style in ("'", '"') else ""
    return Edit(node.start_mark.index, node.end_mark.index, f"{quote}{value}{quote}")


def _flow(value: Any) -> str:
    """A value as YAML flow text on one line: ``{de: [Elon, Musk], en: [Musk]}``."""
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000, sort_keys=False)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def _read(path: Path, root: Path) -> str:
    """A data file's text, read as the loader reads it (regular files inside the folder only)."""
    return read_data_file(path, root, MAX_YAML_BYTES).decode("utf-8")


def _entity_items(path: Path, root: Path) -> tuple[str, list[MappingNode]]:
    text = _read(path, root)
    document = _compose(text)
    if not isinstance(document, MappingNode):
        return text, []
    for key, value in _pairs(document):
        if key == "entities" and isinstance(value, SequenceNode):
            return text, [item for item in value.value if isinstance(item, MappingNode)]
    return text, []


def _id_of(item: MappingNode) -> str | None:
    for key, value in _pairs(item):
        if key == "id" and isinstance(value, ScalarNode):
            return str(value.value)
    return None


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """End of the line holding ``index`` (after its newline)."""
    at = text.find("\n", index)
    return len(text) if at == -1 else at + 1


def _content_end(text: str, node: Node) -> int:
    """Where a node's own text ends: block collections end at their last value, not at the next token."""
    if isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        return _content_end(text, last[1] if isinstance(node, MappingNode) else last)
    end = node.end_mark.index
    while end > node.start_mark.index and text[end - 1] in " \t\n":
        end -= 1
    return end


def _remove_item(text: str, item: MappingNode) -> Edit:
    """The lines of one block-sequence item and one blank line that separated it: the one after it,
    or, for the last item of the file, the one before (else the file would end in a blank line);
    for the first item of its list, the one after (else the list would open with a blank line)."""
    start = _line_start(text, item.start_mark.index)
    end = _line_end(text, _content_end(text, item))
    before_blank = start >= 2 and text[start - 2 : start] == "\n\n"
    first = text[:start].rstrip(" \t\n").endswith(":")
    after = text[end : _line_end(text, end)] if end < len(text) else ""
    if after and after.strip() == "" and (before_blank or first):
        end += len(after)
    elif before_blank and text[end:].strip() == "":
        start -= 1
    return Edit(start, end, "")


@dataclass
class _Entry:
    path: Path
    shown: str
    text: str
    item: MappingNode
    record: dict[str, Any]


def _find_entries(root: Path, idents: tuple[str, str]) -> dict[str, _Entry]:
    files = [root / "entities.yaml"] if (root / "entities.yaml").is_file() else []
    if (root / "entities").is_dir():
        files.extend(yaml_files(root / "entities"))
    found: dict[str, _Entry] = {}
    for path in files:
        text, items = _entity_items(path, root)
        doc = load_yaml(path, root)
        records = doc.get("entities", []) if isinstance(doc, LineDict) else []
        for item, record in zip(items, records, strict=False):
            ident = _id_of(item)
            if ident in idents and ident not in found and isinstance(record, dict):
                found[ident] = _Entry(path, display(path, root), text, item, dict(record))
    return found


def _merged_entry(keep: _Entry, drop: _Entry) -> tuple[list[Edit], list[str]]:
    """Edits to KEEP's entry that keep what DROP knew, and the names added as aliases."""
    k, d = keep.record, drop.record
    known = {fold(v) for v in (k.get("label") or {}).values() if v}
    aliases: dict[str, list[str]] = {lang: list(values) for lang, values in (k.get("aliases") or {}).items()}
    known |= {fold(v) for values in aliases.values() for v in values}
    added: list[str] = []
    for lang, name in [*(d.get("label") or {}).items(), *((lang, v) for lang, vs in (d.get("aliases") or {}).items() for v in vs)]:
        if name and fold(name) not in known:
            aliases.setdefault(lang, []).append(name)
            known.add(fold(name))
            added.append(name)
    changed: dict[str, Any] = {}
    if added:
        changed["aliases"] = {lang: aliases[lang] for lang in sorted(aliases)}
    for key in ("wikidata", "type"):
        if d.get(key) and not k.get(key):
            changed[key] = d[key]
    descriptions = dict(k.get("description") or {})
    for lang, text in (d.get("description") or {}).items():
        if text and not descriptions.get(lang):
            descriptions[lang] = text
            changed["description"] = descriptions
    for key in ("negates", "distinct_from"):
        own = list(k.get(key) or [])
        merged = list(dict.fromkeys(x for x in [*own, *(d.get(key) or [])] if x not in (k["id"], d["id"])))
        if merged != own:
            changed[key] = merged
    edits: list[Edit] = []
    nodes = dict(_pairs(keep.item))
    indent = " " * keep.item.start_mark.column
    insert_at = _line_end(keep.text, _content_end(keep.text, keep.item))
    inserted = ""
    for key, value in changed.items():
        if key in nodes:
            node = nodes[key]
            edits.append(Edit(node.start_mark.index, _content_end(keep.text, node), _flow(value)))
        else:
            inserted += f"{indent}{key}: {_flow(value)}\n"
    if inserted:
        edits.append(Edit(insert_at, insert_at, inserted))
    return edits, added


def _refuse_unmergeable(keep: str, drop: str, entries: dict[str, _Entry]) -> None:
    for ident in (keep, drop):
        if ident not in entries:
            raise UsageError(f"no entity '{ident}' in the data")
    if keep == drop:
        raise UsageError("KEEP and DROP are the same entity")
    k, d = entries[keep].record, entries[drop].record
    where = f"({entries[drop].shown}:{entries[drop].item.start_mark.line + 1})"
    if k.get("kind") != d.get("kind"):
        raise MergeRefused(f"'{keep}' is a {k.get('kind')} and '{drop}' a {d.get('kind')} {where}: one entity has one kind")
    for key in ("wikidata", "type"):
        if k.get(key) and d.get(key) and k[key] != d[key]:
            raise MergeRefused(f"'{keep}' and '{drop}' have different {key}s ({k[key]}, {d[key]}) {where}: they are not one entity")
    if drop in k.get("distinct_from", []) or keep in d.get("distinct_from", []):
        raise MergeRefused(f"'{keep}' and '{drop}' are marked distinct_from each other on purpose {where}; remove that mark first")


def _statement_ids(path: Path, root: Path, drop: str, sources: dict[str, Path]) -> Iterator[tuple[int, MappingNode, str]]:
    """Statements without an explicit id that name ``drop`` as subject or object: (line, node, current id)."""
    doc = load_yaml(path, root)
    text = _read(path, root)
    composed = _compose(text)
    if not isinstance(doc, LineDict) or not isinstance(composed, MappingNode):
        return
    source_id = doc.get("source")
    items = dict(_pairs(composed)).get("statements")
    if not isinstance(items, SequenceNode) or source_id not in sources:
        return
    source_text, _ = read_source_text(sources[str(source_id)], root)
    for raw, node in zip(doc.get("statements") or [], items.value, strict=False):
        if not isinstance(raw, dict) or "id" in raw or drop not in (raw.get("subject"), raw.get("object")):
            continue
        if not isinstance(node, MappingNode):
            continue
        try:
            stmt = StatementIn.model_validate(raw)
            span = anchor(source_text, stmt.quote, stmt.occurrence)
        except (ValueError, AnchorError):
            continue  # an invalid statement has no anchor to lose; the check after the merge reports it
        yield (
            node.start_mark.line + 1,
            node,
            derive_statement_id(str(source_id), stmt.subject, stmt.predicate, stmt.object, stmt.value, span.start, span.end),
        )


def _source_texts(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in yaml_files(root / "sources") if (root / "sources").is_dir() else []:
        doc = load_yaml(path, root)
        try:
            meta = SourceIn.model_validate(doc)
        except ValueError:
            continue
        found[meta.id] = path.parent / (meta.text or f"{meta.id}.txt")
    return found


def plan_merge(root: Path, keep: str, drop: str, *, pin_ids: bool = False) -> MergePlan:
    """What merging DROP into KEEP changes, file by file; raises :class:`MergeRefused` or :class:`UsageError`."""
    entries = _find_entries(root, (keep, drop))
    _refuse_unmergeable(keep, drop, entries)
    changes: dict[Path, FileChange] = {}

    def change(path: Path, text: str | None = None) -> FileChange:
        if path not in changes:
            changes[path] = FileChange(path, display(path, root), text if text is not None else _read(path, root))
        return changes[path]

    keep_edits, added = _merged_entry(entries[keep], entries[drop])
    if keep_edits:
        change(entries[keep].path, entries[keep].text).edits.extend(keep_edits)
        changes[entries[keep].path].notes.append(f"entry '{keep}' keeps what '{drop}' knew")
    change(entries[drop].path, entries[drop].text).edits.append(_remove_item(entries[drop].text, entries[drop].item))
    changes[entries[drop].path].notes.append(f"entry '{drop}' removed")
    folders = [root / "sources", root / "statements", root / "entities"]
    files = [p for p in [root / "entities.yaml"] if p.is_file()] + [p for f in folders if f.is_dir() for p in yaml_files(f)]
    sources = _source_texts(root)
    unpinned: list[tuple[str, int, str]] = []
    pinned: list[tuple[str, int, str]] = []
    for path in files:
        text = changes[path].old if path in changes else _read(path, root)
        if drop not in text:
            continue
        edits = [
            e
            for e in _reference_edits(_compose(text), drop, keep)
            if not _inside(e, entries[drop], path) and not (path == entries[keep].path and any(_overlaps(e, k) for k in keep_edits))
        ]
        if not edits:
            continue
        record = change(path, text)
        record.edits.extend(edits)
        record.references += len(edits)
        if path.parent.name == "statements":
            for line, node, ident in _statement_ids(path, root, drop, sources):
                if pin_ids:
                    indent = " " * node.start_mark.column
                    record.edits.append(Edit(node.start_mark.index, node.start_mark.index, f"id: {ident}\n{indent}"))
                    pinned.append((record.shown, line, ident))
                else:
                    unpinned.append((record.shown, line, ident))
    for path in _unread_files(root):
        text = changes[path].old if path in changes else _read(path, root)
        if drop in text:
            _merge_unread(change(path, text), drop, keep)
    if unpinned:
        listed = "; ".join(f"{file}:{line} ({ident})" for file, line, ident in unpinned[:10])
        more = f" and {len(unpinned) - 10} more" if len(unpinned) > 10 else ""
        raise MergeRefused(
            f"{len(unpinned)} statement(s) naming '{drop}' have no explicit id, so merging would give them new ids and "
            f"move their quotes to new IRIs: {listed}{more}. Run again with --pin-ids to write their current ids into the data"
        )
    return MergePlan(keep, drop, [c for c in changes.values() if c.edits], pinned, added)


def _unread_files(root: Path) -> list[Path]:
    """``known-entities.yaml`` and the drafts of ``kg extract``: the build does not read them, a merge must."""
    known = [root / KNOWN_ENTITIES_FILE] if (root / KNOWN_ENTITIES_FILE).is_file() else []
    drafts = yaml_files(root / DRAFTS_FOLDER) if (root / DRAFTS_FOLDER).is_dir() else []
    return [*known, *drafts]


def _top(document: Node | None, key: str) -> list[MappingNode]:
    """The mapping items of a top-level list (``entities:``, ``statements:``)."""
    if not isinstance(document, MappingNode):
        return []
    found = dict(_pairs(document)).get(key)
    return [item for item in found.value if isinstance(item, MappingNode)] if isinstance(found, SequenceNode) else []


def _merge_unread(record: FileChange, drop: str, keep: str) -> None:
    """A known-names or drafts file: DROP's entry removed, references renamed, derived draft ids derived anew."""
    text = record.old
    document = _compose(text)
    removed = [_remove_item(text, item) for item in _top(document, "entities") if _id_of(item) == drop]
    kept = [e for e in _reference_edits(document, drop, keep) if not any(r.start <= e.start < r.end for r in removed)]
    ids = _draft_id_edits(document, drop, keep) if record.path.parent.name == DRAFTS_FOLDER else []
    record.edits.extend([*removed, *kept, *ids])
    record.references += len(kept)
    if removed:
        record.notes.append(f"entry '{drop}' removed")
    if ids:
        record.notes.append(f"{len(ids)} draft id(s) derived anew from the merged content")


def _draft_id_edits(document: Node | None, drop: str, keep: str) -> list[Edit]:
    """New ids for the drafts naming DROP as subject or object whose id is derived from their content."""
    source = dict(_pairs(document)).get("source") if isinstance(document, MappingNode) else None
    if not isinstance(source, ScalarNode):
        return []
    edits = []
    for item in _top(document, "statements"):
        fields = {key: node for key, node in _pairs(item) if isinstance(node, ScalarNode)}
        values = {key: node.value for key, node in fields.items()}
        if drop not in (values.get("subject"), values.get("object")) or "id" not in fields:
            continue
        renamed = {**values, **{k: keep for k in ("subject", "object") if values.get(k) == drop}}
        old_id, new_id = _draft_id(source.value, values), _draft_id(source.value, renamed)
        if old_id is None or new_id is None or values["id"] != old_id:
            continue  # an id of the curator's, not derived: it stays
        edits.append(_replace_scalar(fields["id"], new_id))
    return edits


def _draft_id(source: str, values: dict[str, str]) -> str | None:
    """The id ``kg extract`` derives for a draft of these fields (as the loader does), or None without its offsets."""
    try:
        start, end = int(values["start"]), int(values["end"])
    except (KeyError, ValueError):
        return None
    return derive_statement_id(
        source, values.get("subject", ""), values.get("predicate", ""), values.get("object"), values.get("value"), start, end
    )


def _overlaps(a: Edit, b: Edit) -> bool:
    return a.start < b.end and b.start < a.end


def _inside(edit: Edit, entry: _Entry, path: Path) -> bool:
    """An edit within DROP's own entry, which is removed whole."""
    return path == entry.path and entry.item.start_mark.index <= edit.start < entry.item.end_mark.index


def write_copy(plan: MergePlan, root: Path, target: Path) -> Path:
    """The data folder with the merge applied, copied under ``target`` (for checking before committing)."""
    import shutil

    copy = target / root.name
    shutil.copytree(root, copy, symlinks=False)
    for c in plan.changes:
        (copy / c.path.relative_to(root)).write_text(c.new, encoding="utf-8")
    return copy


def commit(plan: MergePlan) -> None:
    """Write every changed file, or none.

    Each file is written to a temporary sibling and fsynced first; only when all are on disk are
    they renamed over the originals (each rename is atomic). If a rename fails, the files
    already replaced are put back from the copies kept aside, so the data is never half merged.
    """
    token = secrets.token_hex(4)
    staged: list[tuple[FileChange, Path, Path]] = []
    try:
        for c in plan.changes:
            tmp = c.path.with_name(f".{c.path.name}.merge-{token}")
            backup = c.path.with_name(f".{c.path.name}.before-merge-{token}")
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write(c.new)
                handle.flush()
                os.fsync(handle.fileno())
            os.link(c.path, backup)
            staged.append((c, tmp, backup))
        done: list[tuple[FileChange, Path]] = []
        try:
            for c, tmp, backup in staged:
                os.replace(tmp, c.path)
                done.append((c, backup))
        except BaseException:
            for c, backup in done:
                os.replace(backup, c.path)
            raise
    finally:
        for _c, tmp, backup in staged:
            tmp.unlink(missing_ok=True)
            backup.unlink(missing_ok=True)
        for c in plan.changes:
            c.path.with_name(f".{c.path.name}.merge-{token}").unlink(missing_ok=True)
