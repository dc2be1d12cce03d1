"""The entities of a data folder: ``entities.yaml`` (or ``entities/*.yaml``), checked against the ontology.

Entities are shared by every source, so they are read once per build, before any statement:
each record is validated where it stands (pydantic), its finer ``type`` must be a class of the
ontology under its kind, ids are unique across files, and ``negates`` names stances only.
"""

from __future__ import annotations

from pathlib import Path

from graph.model.ontology import Ontology
from graph.model.records import Entity, EntityIn
from graph.sources.files import exists
from graph.sources.located import Problems, display, load_document, validate_record, yaml_files
from graph.sources.yamlfile import LineDict, LineList


def load_entities(root: Path, onto: Ontology, problems: Problems) -> tuple[dict[str, Entity], dict[str, tuple[str, int]], list[Path]]:
    """Every entity by id, where each was defined (file, line), and the files read; problems are recorded."""
    files = []
    if exists(root / "entities.yaml"):  # a broken link or a FIFO is read, and refused with a reason
        files.append(root / "entities.yaml")
    if (root / "entities").is_dir():
        files.extend(yaml_files(root / "entities"))
    entities: dict[str, Entity] = {}
    where: dict[str, tuple[str, int]] = {}
    if not files:
        problems.add(display(root, root), None, None, "no entities: add entities.yaml")
    for path in files:
        shown = display(path, root)
        doc = load_document(path, root, problems)
        if doc is None:
            continue
        if not isinstance(doc, LineDict) or not isinstance(doc.get("entities"), LineList):
            problems.add(shown, getattr(doc, "line", 1), "entities", "expected a top-level 'entities:' list")
            continue
        unknown = set(doc) - {"entities"}
        for key in sorted(unknown):
            problems.add(shown, doc.line_of(key), key, "unknown field")
        items: LineList = doc["entities"]
        for index, item in enumerate(items):
            prefix = f"entities[{index}]."
            ent: EntityIn | None = validate_record(EntityIn, item, shown, items.line_of(index), prefix, problems)
            if ent is None:
                continue
            assert isinstance(item, LineDict)
            if ent.id in entities:
                first = where[ent.id]
                problems.add(shown, item.line_of("id"), f"{prefix}id", f"duplicate entity id '{ent.id}' (first at {first[0]}:{first[1]})")
                continue
            if ent.type is not None:
                cls = onto.classes.get(ent.type)
                if cls is None:
                    problems.add(
                        shown,
                        item.line_of("type"),
                        f"{prefix}type",
                        f"unknown type '{ent.type}'; the ontology defines {', '.join(sorted(onto.classes))}",
                    )
                    continue
                if onto.kinds[ent.kind] not in onto.superclasses(cls):
                    problems.add(shown, item.line_of("type"), f"{prefix}type", f"type '{ent.type}' is not a kind of {ent.kind}")
                    continue
            where[ent.id] = (shown, item.line)
            entities[ent.id] = Entity(**{**dict(ent), "negates": tuple(ent.negates)})
    for ent_id, record in entities.items():
        for other in record.negates:
            target = entities.get(other)
            if target is None or record.kind != "stance" or target.kind != "stance":
                shown, line = where[ent_id]
                what = "unknown entity" if target is None else "only stances can negate stances"
                problems.add(shown, line, f"{ent_id}.negates", f"{what}: '{other}'")
    return entities, where, files
