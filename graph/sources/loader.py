"""Reading a data folder into a checked :class:`~graph.model.records.Corpus`.

Layout of a data folder::

    sources/<id>.yaml       metadata of one source (SourceIn)
    sources/<id>.txt        its text, UTF-8, exactly as published
    entities.yaml           entities: [EntityIn, ...]   (or several files in entities/)
    statements/<id>.yaml    source: <id>, statements: [StatementIn, ...]

Validation runs in layers (as FollowTheMoney and nomenklatura do): pydantic checks each record
where it stands, then references, kinds against the ontology's domains and ranges, quote
anchoring, and finally whole-corpus rules (duplicates, unused entities). Every problem is
collected with file, line and field, so one run shows all of them.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from graph.errors import DataError, Problem
from graph.model.lang import DISPLAY_LANGS
from graph.model.ontology import Ontology, default_ontology
from graph.model.records import (
    Corpus,
    Entity,
    Quote,
    Source,
    SourceIn,
    Statement,
    StatementIn,
)
from graph.model.vocab import local_name
from graph.sources.anchor import HINT_BUDGET_CHARS, QUOTE_NOT_FOUND, AnchorError, SentenceIndex, anchor
from graph.sources.attribution import asserter_problem, quoted_from, suggest
from graph.sources.derive import derive_shortcuts
from graph.sources.entities import load_entities
from graph.sources.files import read_data_file
from graph.sources.located import Problems, display, load_document, validate_record, yaml_files
from graph.sources.text import read_source_text
from graph.sources.yamlfile import MAX_YAML_BYTES, LineDict, LineList

#: Kinds of entity something can be expressed in (``expressed_in``).
CONTEXT_KINDS = frozenset({"event", "document"})

#: the fields of a curator's statement that its resolved record keeps as written; the others
#: (id, value_lang, asserted_by, regarding) get a default or a conversion in :meth:`Loader._resolve`
CURATED_AS_WRITTEN: set[str] = set(StatementIn.model_fields) & set(Statement.model_fields) - {
    "id",
    "value_lang",
    "asserted_by",
    "regarding",
}


@dataclass
class SourceFiles:
    """The files one source is made of: metadata, text and its statement files."""

    meta: SourceIn
    meta_path: Path
    text_path: Path
    statement_files: list[Path] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.meta.id

    def paths(self) -> list[Path]:
        return [self.meta_path, self.text_path, *self.statement_files]


@dataclass
class Scan:
    """A data folder read as far as it can be without the statements: the plan of a build."""

    sources: dict[str, SourceFiles]
    #: a dict, or the ids of records kept in a file (graph.sources.stored) when another process scanned
    entities: Mapping[str, Entity]
    entity_where: dict[str, tuple[str, int]]
    entity_files: list[Path]


@dataclass
class Unit:
    """One source, loaded: its record, its checked statements and their derived shortcuts."""

    source: Source
    statements: dict[str, Statement]
    derived: dict[str, Statement]

    def all_statements(self) -> list[Statement]:
        return [*self.statements.values(), *self.derived.values()]


_SOURCE_LINE = re.compile(r"^source:[ \t]*(['\"]?)([a-z0-9][a-z0-9_-]*)\1[ \t]*(?:#.*)?$", re.MULTILINE)


def declared_source(raw: bytes) -> tuple[str, int] | None:
    """The ``source:`` id of a statements file and its line, read without parsing the YAML.

    Grouping statement files by source must happen before any source is loaded, and parsing a
    file twice would double the cost of the slowest phase. A file whose ``source:`` line is not
    this plain shape (or appears twice) is parsed instead.
    """
    text = raw.decode("utf-8", errors="replace")
    matches = list(_SOURCE_LINE.finditer(text))
    if len(matches) != 1:
        return None
    return matches[0].group(2), text.count("\n", 0, matches[0].start()) + 1


class Loader:
    """Loads one data folder: :meth:`scan`, then :meth:`load_unit` per source, then :meth:`finish`.

    :func:`load_corpus` does all three and keeps everything; the build streams units into the
    store one at a time, so memory stays bounded by the largest source, not the corpus.
    """

    def __init__(self, data_dir: Path, ontology: Ontology | None = None, progress: Callable[[str, int], None] | None = None):
        self.root = data_dir
        self.onto = ontology or default_ontology()
        self.problems = Problems()
        self.progress = progress or (lambda _phase, _n: None)
        #: every statement id loaded so far (for ``regarding``), and where explicit ids were given
        self.statement_ids: set[str] = set()
        self.explicit_ids: dict[str, str] = {}
        self.pending_regarding: list[tuple[str, int, str, str]] = []
        self.used_entities: set[str] = set()
        #: (source, entity) pairs already reported for a missing label in the source's language
        self.missing_labels: set[tuple[str, str]] = set()
        #: characters of source text searched for closest passages so far (see HINT_BUDGET_CHARS)
        self.hint_chars = 0

    def display(self, path: Path) -> str:
        return display(path, self.root)

    def _suggest(self, name: str, known: Iterable[str]) -> str:
        """Close matches of a misspelt name; not looked for once no more problems are kept."""
        return "" if self.problems.full else suggest(name, known)

    # -- sources ---------------------------------------------------------------------------
    def load_source_files(self) -> dict[str, SourceFiles]:
        """Every source's metadata (validated) and the paths of its text; texts are read later."""
        folder = self.root / "sources"
        sources: dict[str, SourceFiles] = {}
        where: dict[str, str] = {}
        if not folder.is_dir():
            self.problems.add(display(folder, self.root), None, None, "missing folder: a data folder needs sources/")
            return sources
        files = yaml_files(folder)
        if not files:
            self.problems.add(display(folder, self.root), None, None, "no source metadata (*.yaml) found: kg add FILE|URL adds a source")
        for path in files:
            shown = display(path, self.root)
            doc = load_document(path, self.root, self.problems)
            if doc is None:
                continue
            meta: SourceIn | None = validate_record(SourceIn, doc, shown, 1, "", self.problems)
            if meta is None:
                continue
            assert isinstance(doc, LineDict)
            if meta.id in sources:
                self.problems.add(shown, doc.line_of("id"), "id", f"duplicate source id '{meta.id}' (also in {where[meta.id]})")
                continue
            where[meta.id] = shown
            sources[meta.id] = SourceFiles(meta=meta, meta_path=path, text_path=folder / (meta.text or f"{meta.id}.txt"))
        self.progress("sources", len(sources))
        return sources

    def read_source(self, files: SourceFiles) -> Source | None:
        meta = files.meta
        try:
            text, digest = read_source_text(files.text_path, self.root)
        except DataError as exc:
            for p in exc.problems:
                self.problems.add(display(files.text_path, self.root), p.line, p.field, p.message)
            return None
        if meta.sha256 is not None and meta.sha256 != digest:
            self.problems.add(
                display(files.meta_path, self.root),
                _line_of_key(files.meta_path, "sha256"),
                "sha256",
                f"{display(files.text_path, self.root)} changed since it was added (its sha256 is now {digest}); "
                "quotes and their offsets rest on the text as added: restore it, or set sha256 to the new value if the change is meant",
            )
            return None
        # ``text`` names the file and Source.text is its content; Source.sha256 is always the text's own
        fields = {name: value for name, value in meta if name not in ("text", "sha256")}
        return Source(**fields, text=text, sha256=digest, path=files.text_path)

    # -- entities --------------------------------------------------------------------------
    def load_entities(self) -> tuple[dict[str, Entity], dict[str, tuple[str, int]], list[Path]]:
        loaded = load_entities(self.root, self.onto, self.problems)
        self.progress("entities", len(loaded[0]))
        return loaded

    # -- statements ------------------------------------------------------------------------
    def entity_classes(self, entity: Entity) -> frozenset[Any]:
        cls = self.onto.classes[entity.type] if entity.type else self.onto.kinds[entity.kind]
        return self.onto.superclasses(cls)

    def group_statement_files(self, sources: dict[str, SourceFiles]) -> None:
        """Assign every file in statements/ to the source it names (its ``source:``)."""
        folder = self.root / "statements"
        if not folder.is_dir():
            self.problems.add(display(folder, self.root), None, None, "missing folder: a data folder needs statements/")
            return
        for path in yaml_files(folder):
            shown = display(path, self.root)
            try:
                declared = declared_source(read_data_file(path, self.root, MAX_YAML_BYTES))
            except DataError as exc:
                self.problems.extend(Problem(shown, p.line, p.field, p.message) for p in exc.problems)
                continue
            if declared is None:
                doc = self._statements_doc(path, shown)
                if doc is None:
                    continue
                source_id, line = doc["source"], doc.line_of("source")
            else:
                source_id, line = declared
            if source_id not in sources:
                self.problems.add(shown, line, "source", f"unknown source '{source_id}'{self._suggest(source_id, sources)}")
                continue
            sources[source_id].statement_files.append(path)

    def _statements_doc(self, path: Path, shown: str) -> LineDict | None:
        """A statements file parsed and checked at the top level, or None (problems recorded)."""
        doc = load_document(path, self.root, self.problems)
        if doc is None:
            return None
        if not isinstance(doc, LineDict):
            self.problems.add(shown, 1, None, "expected a mapping with 'source:' and 'statements:'")
            return None
        if not isinstance(doc.get("source"), str):
            self.problems.add(
                shown, doc.line_of("source"), "source", "missing required field (the id of the source these statements come from)"
            )
            return None
        return doc

    def scan(self) -> Scan:
        """Metadata of every source, every entity, and which statement files belong to which source."""
        if not self.root.is_dir():
            raise DataError.single(self.root, None, None, "data folder not found")
        sources = self.load_source_files()
        entities, entity_where, entity_files = self.load_entities()
        self.group_statement_files(sources)
        return Scan(sources=sources, entities=entities, entity_where=entity_where, entity_files=entity_files)

    def load_unit(self, files: SourceFiles, entities: Mapping[str, Entity]) -> Unit | None:
        """One source: its text, its statements resolved and anchored, its shortcuts derived."""
        source = self.read_source(files)
        if source is None:
            return None
        if source.author:
            self.used_entities.add(source.author)
            if source.author not in entities:
                self.problems.add(
                    display(files.meta_path, self.root),
                    None,
                    "author",
                    f"unknown entity '{source.author}'{self._suggest(source.author, entities)}",
                )
            else:
                self._label_in_language(
                    entities[source.author],
                    source,
                    lambda message: self.problems.add(display(files.meta_path, self.root), None, "author", message),
                )
        statements: dict[str, Statement] = {}
        where: dict[str, str] = {}
        sentences: SentenceIndex | None = None
        for path in files.statement_files:
            shown = display(path, self.root)
            doc = self._statements_doc(path, shown)
            if doc is None:
                continue
            for key in sorted(set(doc) - {"source", "statements"}):
                self.problems.add(shown, doc.line_of(key), key, "unknown field")
            if doc["source"] != source.id:  # only if the quick look at `source:` was fooled
                self.problems.add(shown, doc.line_of("source"), "source", f"names source '{doc['source']}', expected '{source.id}'")
                continue
            items = doc.get("statements")
            if not isinstance(items, LineList):
                self.problems.add(shown, doc.line_of("statements"), "statements", "expected a list of statements")
                continue
            if sentences is None:
                sentences = SentenceIndex(source.text, source.language)
            for index, item in enumerate(items):
                prefix = f"statements[{index}]."
                raw: StatementIn | None = validate_record(StatementIn, item, shown, items.line_of(index), prefix, self.problems)
                if raw is None:
                    continue
                assert isinstance(item, LineDict)
                stmt = self._resolve(raw, item, shown, prefix, source, entities, sentences)
                if stmt is None:
                    continue
                first = where.get(stmt.id) or self.explicit_ids.get(stmt.id)
                if first is not None:
                    self.problems.add(shown, item.line_of("id"), f"{prefix}id", f"duplicate statement id '{stmt.id}' (first at {first})")
                    continue
                statements[stmt.id] = stmt
                where[stmt.id] = f"{shown}:{item.line}"
                if raw.id is not None:
                    self.explicit_ids[stmt.id] = where[stmt.id]
                for ref in stmt.regarding:
                    self.pending_regarding.append((shown, item.line_of("regarding"), f"{prefix}regarding", ref))
        self.statement_ids.update(statements)
        self._lint_unit(statements)
        derived = derive_shortcuts(statements, self.onto)
        return Unit(source=source, statements=statements, derived=derived)

    def _lint_unit(self, statements: dict[str, Statement]) -> None:
        """Rules within one source: the same triple, quote and assertor twice is a duplicate."""
        seen: dict[tuple[Any, ...], Statement] = {}
        for stmt in statements.values():
            self.used_entities.update(x for x in (stmt.subject, stmt.object, stmt.asserted_by, stmt.expressed_in) if x)
            key = (stmt.subject, stmt.predicate, stmt.object, repr(stmt.value), stmt.quote.start, stmt.quote.end, stmt.asserted_by)
            if key in seen:
                first = seen[key]
                self.problems.add(
                    stmt.file,
                    stmt.line,
                    "quote",
                    f"duplicate statement: same triple, quote and assertor as '{first.id}' ({first.file}:{first.line})",
                )
            else:
                seen[key] = stmt

    def finish(self, scan: Scan, known_statement: Callable[[str], bool] | None = None) -> None:
        """Rules over the whole corpus, after every unit: references and unused entities.

        ``known_statement`` answers for statements not loaded in this run (an incremental build
        asks the store); unused entities are then left to the SHACL shapes (``qg:mentionedIn``).
        """
        for shown, line, field_name, ref in self.pending_regarding:
            if ref not in self.statement_ids and not (known_statement and known_statement(ref)):
                self.problems.add(shown, line, field_name, f"unknown statement '{ref}'{self._suggest(ref, self.statement_ids)}")
        if known_statement is None and not self.problems.items:
            for ent_id in scan.entities:
                if ent_id not in self.used_entities:
                    file, line = scan.entity_where[ent_id]
                    self.problems.add(
                        file, line, "id", f"entity '{ent_id}' is not used by any statement (nothing enters the graph without a source)"
                    )
        self.problems.raise_if_any()

    def _resolve(
        self,
        raw: StatementIn,
        item: LineDict,
        file: str,
        prefix: str,
        source: Source,
        entities: Mapping[str, Entity],
        sentences: SentenceIndex,
    ) -> Statement | None:
        ok = True

        def fail(field: str, message: str) -> None:
            nonlocal ok
            ok = False
            self.problems.add(file, item.line_of(field), f"{prefix}{field}", message)

        def entity(field: str, ent_id: str | None) -> Entity | None:
            if ent_id is None:
                return None
            found = entities.get(ent_id)
            if found is None:
                fail(field, f"unknown entity '{ent_id}'{self._suggest(ent_id, entities)}")
            return found

        relation = self.onto.relations.get(raw.predicate)
        if relation is None or relation.abstract:
            usable = [n for n, r in self.onto.relations.items() if not r.abstract]
            fail(
                "predicate",
                f"unknown predicate '{raw.predicate}'{self._suggest(raw.predicate, usable)}; `kg vocabulary` lists the {len(usable)} relations",
            )
        subject = entity("subject", raw.subject)
        obj = entity("object", raw.object)
        asserted_by_id = raw.asserted_by or source.author
        if asserted_by_id is None:
            fail("asserted_by", "missing: the source has no author, so say who asserts this")
        asserter = entity("asserted_by", asserted_by_id)
        context = entity("expressed_in", raw.expressed_in)
        for field_name, mentioned in (("subject", subject), ("object", obj), ("asserted_by", asserter), ("expressed_in", context)):
            if mentioned is not None:
                self._label_in_language(mentioned, source, functools.partial(fail, field_name))
        if (problem := asserter_problem(asserter, raw.voice)) is not None:
            fail("asserted_by", problem)
        if context is not None and context.kind not in CONTEXT_KINDS:
            fail("expressed_in", f"'{context.id}' is a {context.kind}; only an event or document can be where something was expressed")
        if relation is not None and not relation.abstract:
            if relation.is_attribute:
                if raw.object is not None or raw.value is None:
                    fail("value", f"'{raw.predicate}' takes a literal 'value:', not an 'object:'")
            elif raw.value is not None or raw.object is None:
                fail("object", f"'{raw.predicate}' takes an entity 'object:', not a 'value:'")
            if subject is not None and relation.domain is not None and relation.domain not in self.entity_classes(subject):
                fail(
                    "subject",
                    f"'{raw.predicate}' expects a subject of class {local_name(relation.domain)}; '{subject.id}' is a {subject.kind}",
                )
            if obj is not None and relation.range is not None and relation.range not in self.entity_classes(obj):
                fail(
                    "object",
                    f"'{raw.predicate}' expects an object of class {local_name(relation.range)}; '{obj.id}' is a {obj.kind}{' (' + obj.type + ')' if obj.type else ''}",
                )
        if raw.when is not None and raw.when not in source.text:
            fail("when", f"'{raw.when}' does not occur in the source; give the time in the source's own words")
        if raw.value_lang is not None and not isinstance(raw.value, str):
            fail("value_lang", "only a text value has a language")
        explain = not self.problems.full and self.hint_chars < HINT_BUDGET_CHARS  # a closest passage costs the text's length
        try:
            span = anchor(source.text, raw.quote, raw.occurrence, explain=explain)
        except AnchorError as exc:
            message = str(exc)
            if explain:
                self.hint_chars += len(source.text)
            elif message == QUOTE_NOT_FOUND:
                message += f" (no closest passage searched: {HINT_BUDGET_CHARS:,} characters of text were searched for the quotes before)"
            fail("quote", message)
            span = None
        if not ok or span is None or relation is None:
            return None
        prefix_text, suffix_text = sentences.context(span)
        # model_construct: every field below comes from a validated StatementIn or was computed here,
        # and validating a million resolved records again would cost more than reading them
        quote = Quote.model_construct(
            exact=raw.quote, start=span.start, end=span.end, prefix=prefix_text, suffix=suffix_text, line=sentences.line_of(span.start)
        )
        value_lang = raw.value_lang or (source.language if isinstance(raw.value, str) else None)
        statement_id = raw.id or derive_statement_id(source.id, raw.subject, raw.predicate, raw.object, raw.value, span.start, span.end)
        polarity: Literal["for", "against"] | None = None
        if relation.polarity is not None:
            polarity = "for" if relation.polarity.endswith("#For") else "against"
        assert asserted_by_id is not None
        return Statement.model_construct(
            **raw.model_dump(include=CURATED_AS_WRITTEN),
            id=statement_id,
            source=source.id,
            value_lang=value_lang,
            asserted_by=asserted_by_id,
            quotes=(quote,),
            regarding=tuple(raw.regarding),
            polarity=polarity,
            quoted_from=quoted_from(raw.voice, asserter, context),
            file=file,
            line=item.line,
        )

    def _label_in_language(self, entity: Entity, source: Source, report: Callable[[str], None]) -> None:
        """An entity needs a label in the language of every source that mentions it (reported once per source)."""
        lang = source.language.split("-", 1)[0]
        if lang not in DISPLAY_LANGS or entity.label.get(lang) or (source.id, entity.id) in self.missing_labels:
            return
        self.missing_labels.add((source.id, entity.id))
        report(
            f"'{entity.id}' has no {lang} label, and source '{source.id}' is in {lang}: add label.{lang} to '{entity.id}' in the entities"
        )

    def load(self) -> Corpus:
        scan = self.scan()
        sources: dict[str, Source] = {}
        statements: dict[str, Statement] = {}
        for files in scan.sources.values():
            unit = self.load_unit(files, scan.entities)
            if unit is not None:
                sources[unit.source.id] = unit.source
                statements.update(unit.statements)
        self.progress("statements", len(statements))
        self.finish(scan)
        return Corpus(sources=sources, entities=dict(scan.entities), statements=statements)


def derive_statement_id(source: str, subject: str, predicate: str, obj: str | None, value: object, start: int, end: int) -> str:
    """A stable id from what makes a statement itself (FtM-style): same content, same id."""
    key = "\x1f".join([source, subject, predicate, obj or "", repr(value), str(start), str(end)])
    return "s-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def _line_of_key(path: Path, key: str) -> int | None:
    """The line of a top-level key in a YAML file, found without parsing it again."""
    found = re.search(rf"^{re.escape(key)}:", path.read_text(encoding="utf-8", errors="replace"), re.MULTILINE)
    return None if found is None else found.string.count("\n", 0, found.start()) + 1


def load_corpus(data_dir: Path, ontology: Ontology | None = None, progress: Callable[[str, int], None] | None = None) -> Corpus:
    """Load and check a data folder; raise :class:`DataError` listing every problem found."""
    return Loader(data_dir, ontology, progress).load()
