"""What a build is made from, by content hash, and what a rebuild must redo.

Every file of a data folder is hashed (SHA-256). ``build.json`` records, per source, the hashes
of its metadata, text and statement files, and once for the whole build the hashes of the entity
files, the ontology, the shapes, the base IRI and the quotegraph version. A rebuild then:

* reloads only the sources whose own files changed, were added, or were removed (their named
  graphs ``graph/<source>`` and ``graph/<source>/claims`` are cleared and written again);
* rebuilds everything when an entity file, the ontology, the shapes, the base IRI or the
  version changed, or when there is no usable previous build. Entities are shared by all
  sources: a changed kind or type can make any statement invalid, and a changed label changes
  the entities graph that every source points into, so a full build is the simple, safe answer.

Cross-source rules (``regarding`` references, duplicate explicit ids, entities that no statement
uses any more) are checked against the store holding the unchanged sources, and the SHACL shapes
run over the whole graph after every build, incremental or not.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import __version__, paths
from graph.errors import DataError, StoreError
from graph.network.files import CACHE_DIRNAME, has_statement_lines
from graph.sources.entities import entity_files
from graph.sources.files import read_data_file
from graph.sources.loader import Scan, SourceFiles
from graph.sources.text import MAX_SOURCE_BYTES
from graph.sources.yamlfile import MAX_YAML_BYTES
from graph.store.builds import STORE_DIRNAME, OutDir


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def context_fingerprint(base_iri: str, entity_files: list[Path], root: Path) -> dict[str, Any]:
    """What every source depends on: a change here means a full rebuild."""
    return {
        "quotegraph": __version__,
        "base_iri": base_iri,
        "ontology": _sha256(paths.ontology_file()),
        "shapes": _sha256(paths.shapes_file()),
        "entities": {_relative(p, root): _data_sha256(p, root) for p in entity_files},
    }


@dataclass
class Plan:
    """Full build, or which sources to reload on a copy of the previous store."""

    full: bool
    dirty: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    previous_store: Path | None = None
    previous_units: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: per source, the hashes of its files: from the plan for an incremental build, from the loading for a full one
    fingerprints: dict[str, dict[str, Any]] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)
    reason: str = ""

    @classmethod
    def full_build(cls, reason: str = "") -> Plan:
        return cls(full=True, reason=reason)

    def manifest_inputs(self, units: dict[str, dict[str, Any]]) -> dict[str, Any]:
        return {
            "context": self.context,
            "units": {sid: {**self.fingerprints[sid], **record} for sid, record in sorted(units.items()) if sid in self.fingerprints},
        }


def _data_sha256(path: Path, root: Path) -> str | None:
    """The hash of a data file read as the loader reads it, or None if it cannot be (the loader says why)."""
    try:
        return hashlib.sha256(read_data_file(path, root, MAX_SOURCE_BYTES if path.suffix == ".txt" else MAX_YAML_BYTES)).hexdigest()
    except DataError:
        return None


def source_fingerprint(files: SourceFiles, root: Path) -> dict[str, Any]:
    """The hashes of one source's files (metadata, text, statements) and of its text alone."""
    hashes = {_relative(p, root): digest for p in files.paths() if (digest := _data_sha256(p, root)) is not None}
    return {"files": hashes, "sha256": hashes.get(_relative(files.text_path, root), "")}


def source_fingerprints(scan: Scan, root: Path) -> dict[str, dict[str, Any]]:
    return {sid: source_fingerprint(files, root) for sid, files in scan.sources.items()}


def _previous(out: OutDir) -> tuple[dict[str, Any], Path] | None:
    try:
        current = out.current()
        manifest = out.manifest()
    except (StoreError, OSError, ValueError):
        return None
    # a manifest of another shape (edited, damaged, written by another tool) is no usable build
    if not isinstance(manifest, dict) or not isinstance(manifest.get("inputs"), dict):
        return None
    return manifest, current / STORE_DIRNAME


def likely_incremental(out: OutDir, data_dir: Path, base_iri: str, force_full: bool = False) -> bool:
    """Whether a build will reuse the previous one, told before the scan from the file listings and hashes.

    No ``--full``, a previous build that recorded its inputs, and the same entity files, ontology,
    shapes, base IRI and version: :func:`plan_build` then chooses an incremental build, unless
    the folder changes between the two looks (the answer only decides where the scan runs:
    :mod:`graph.build.scanning`). How many sources changed is not known yet: a rebuild of many
    sources of a big folder then holds the entity records during its load (about 1.2 GB at a
    million statements), where a one-source rebuild at 100,000 gains 3–10 s (18.3–19.5 s against
    21.7–29.3 s, 2026-12-03).
    """
    if force_full:
        return False
    previous = _previous(out)
    if previous is None or not has_statement_lines(previous[1].parent / CACHE_DIRNAME):
        return False
    return bool(previous[0]["inputs"].get("context") == context_fingerprint(base_iri, entity_files(data_dir), data_dir))


def plan_build(out: OutDir, data_dir: Path, scan: Scan, base_iri: str, force_full: bool = False) -> Plan:
    """Compare the data folder with the current build's manifest; decide what to redo."""
    context = context_fingerprint(base_iri, scan.entity_files, data_dir)
    previous = None if force_full else _previous(out)
    plan = Plan.full_build("--full" if force_full else "no previous build")
    if previous is not None:
        manifest, store_dir = previous
        inputs = manifest["inputs"]
        if inputs.get("context") != context:
            plan.reason = "entities, ontology, shapes, base IRI or version changed"
        elif not has_statement_lines(store_dir.parent / CACHE_DIRNAME):
            # its answers would come from the store, and so would every later incremental build's
            plan.reason = "the previous build's cache has no statement lines (an older version made it)"
        else:
            fingerprints = source_fingerprints(scan, data_dir)
            units: dict[str, dict[str, Any]] = inputs.get("units", {})
            dirty = {sid for sid, fp in fingerprints.items() if units.get(sid, {}).get("files") != fp["files"]}
            plan = Plan(
                full=False,
                dirty=dirty,
                removed=set(units) - set(fingerprints),
                previous_store=store_dir,
                previous_units=units,
                fingerprints=fingerprints,
                reason=f"{len(dirty)} changed source(s)",
            )
    # a full build needs the hashes only for its manifest: the processes that load the sources
    # hash them as they go (Loading.fingerprints), instead of reading every file once more first
    plan.context = context
    return plan
