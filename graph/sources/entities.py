"""The entities of a data folder: ``entities.yaml`` (or ``entities/*.yaml``), checked against the ontology.

Entities are shared by every source, so they are read once per build, before any statement:
each record is validated where it stands (pydantic), its finer ``type`` must be a class of the
ontology under its kind, ids are unique across files, and ``negates`` names stances only.

One entity across sources is protected too (:mod:`graph.sources.duplicates`): two entities with
the same Wikidata id are an error, two whose names fold to the same text a warning naming both,
unless one lists the other under ``distinct_from``.
"""

from __future__ import annotations

from pathlib import Path

from graph.model.ontology import Ontology
from graph.model.records import Entity, EntityIn
from graph.sources.duplicates import clash_message, same_names, same_wikidata
from graph.sources.files import exists
from graph.sources.located import Problems, display, load_document, validate_record, yaml_files
from graph.sources.yamlfile import LineDict, LineList


def entity_files(root: Path) -> list[Path]:
    """The entity files of a data folder, from its listings: ``entities.yaml``, then ``entities/*.yaml``."""
    files = []
    if exists(root / "entities.yaml"):  # a broken link or a FIFO is read, and refused with a reason
        files.append(root / "entities.yaml")
    if (root / "entities").is_dir():
        files.extend(yaml_files(root / "entities"))
    return files


def load_entities(root: Path, onto: Ontology, problems: Problems) -> tuple[dict[str, Entity], dict[str, tuple[str, int]], list[Path]]:
    """Every entity by id, where each was defined (file, line), and the files read; problems are recorded."""
    files = entity_files(root)
    entities: dict[str, Entity] = {}
    where: dict[str, tuple[str, int]] = {}
    fields: dict[str, tuple[str, LineDict]] = {}
    if not files:
        problems.add(display(root, root), None, None, "no entities: add entities.yaml")
    unread = False  # a file not read: references into it would be reported as unknown, one error each, all noise
    for path in files:
        shown = display(path, root)
        doc = load_document(path, root, problems)
        if doc is None:
            unread = True
            continue
        if not isinstance(doc, LineDict) or not isinstance(doc.get("entities"), LineList):
            problems.add(shown, getattr(doc, "line", 1), "entities", "expected a top-level 'entities:' list")
            unread = True
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
            fields[ent.id] = (prefix, item)
            entities[ent.id] = Entity.of(ent)
    if unread:
        return entities, where, files
    for ent_id, record in entities.items():
        for other in record.negates:
            target = entities.get(other)
            if target is None or record.kind != "stance" or target.kind != "stance":
                shown, line = where[ent_id]
                what = "unknown entity" if target is None else "only stances can negate stances"
                problems.add(shown, line, f"{ent_id}.negates", f"{what}: '{other}'")
        for other in record.distinct_from:
            if other not in entities or other == ent_id:
                prefix, item = fields[ent_id]
                what = f"unknown entity '{other}'" if other not in entities else "an entity is not distinct from itself"
                problems.add(where[ent_id][0], item.line_of("distinct_from"), f"{prefix}distinct_from", what)
    check_one_entity_per_item(entities, where, fields, problems)
    return entities, where, files


def check_one_entity_per_item(
    entities: dict[str, Entity],
    where: dict[str, tuple[str, int]],
    fields: dict[str, tuple[str, LineDict]],
    problems: Problems,
) -> None:
    """The same Wikidata id twice is an error; a shared name a warning (see the module docstring)."""
    for (first, second), _evidence in same_wikidata(entities).items():
        prefix, item = fields[second]
        problems.add(
            where[second][0],
            item.line_of("wikidata"),
            f"{prefix}wikidata",
            f"'{second}' has the Wikidata id {entities[second].wikidata} of '{first}' ({where[first][0]}:{where[first][1]}); "
            f"one item is one entity: run `kg entities merge {first} {second}`",
        )
    for (first, second), evidence in same_names(entities).items():
        if second in entities[first].distinct_from or first in entities[second].distinct_from:
            continue
        prefix, item = fields[second]
        field = evidence[0].second_field.split(".")[0]
        problems.warn(where[second][0], item.line_of(field), f"{prefix}{field}", clash_message(first, second, where[first], evidence))
