"""``kg extract`` as library calls: a source of a data folder, or a text or HTML file that is not one yet.

The CLI stays thin: it resolves what the user named here and prints what comes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph.errors import DataError, UsageError
from graph.ingest.evaluate import Evaluation, evaluate, matches, symmetric_relations
from graph.ingest.extract import Extraction, Extractor
from graph.ingest.language import detect_language
from graph.ingest.project import KNOWN_FILE, read_entity_records
from graph.ingest.unseen import match_new_entities, renamed
from graph.model.ontology import Ontology, default_ontology
from graph.model.records import Entity
from graph.sources.loader import Loader, Scan
from graph.sources.located import yaml_files
from graph.sources.text import read_source_text

HTML_SUFFIXES = (".html", ".htm", ".xhtml")


@dataclass
class Workspace:
    """A data folder scanned once, with one extractor per language."""

    data: Path
    scan: Scan
    loader: Loader
    onto: Ontology
    _extractors: dict[str, Extractor]
    known: dict[str, Entity]

    @classmethod
    def open(cls, data: Path, onto: Ontology | None = None) -> Workspace:
        onto = onto or default_ontology()
        loader = Loader(data, onto)
        scan = loader.scan()
        # a project just made by kg init has no source yet: a file can still be read against its entities
        empty = loader.display(data / "sources") if (data / "sources").is_dir() and not yaml_files(data / "sources") else None
        bad = [p for p in loader.problems.items if ("sources" in str(p.file) or "entities" in str(p.file)) and str(p.file) != empty]
        if bad:
            raise DataError(bad)
        known = dict(scan.entities)
        for record, _item in read_entity_records(data / KNOWN_FILE, data):  # kg init --with-bundled-entities
            known.setdefault(record.id, Entity.of(record))
        return cls(data, scan, loader, onto, {}, known)

    @property
    def entities(self) -> dict[str, Entity]:
        """The project's entities, then the known names it has not defined yet (``known-entities.yaml``).

        A mention of a known name is drafted with its id (``musk``), not as a new entity
        (``elon-musk``); accepting the draft copies the known entity into the project.
        """
        return self.known

    def extractor(self, language: str, *, unseen: bool = False) -> Extractor:
        """The extractor of a language; ``unseen``: one that knows no entity of the data folder."""
        lang = language.split("-")[0].lower()
        key = f"{lang}/unseen" if unseen else lang
        if key not in self._extractors:
            self._extractors[key] = Extractor({} if unseen else self.entities, self.onto, lang)
        return self._extractors[key]

    def is_source(self, name: str) -> bool:
        return name in self.scan.sources

    def extract_source(self, source: str) -> Extraction:
        files = self.scan.sources.get(source)
        if files is None:
            raise UsageError(f"no source '{source}' in {self.data}/sources/ and no file of that name")
        text, _ = read_source_text(files.text_path, self.data)
        return self.extractor(files.meta.language).extract(text, source, files.meta.author)

    def without_curated(self, extraction: Extraction) -> Extraction:
        """The drafts not already curated: no statement of the source matches them (as ``--evaluate`` matches).

        A source whose statements do not load (yet) keeps every draft.
        """
        files = self.scan.sources[extraction.source]
        loader = Loader(self.data, self.onto)
        unit = loader.load_unit(files, self.entities)
        if unit is None or loader.problems.items:
            return extraction
        symmetric = symmetric_relations(self.onto)
        gold = list(unit.statements.values())
        extraction.drafts = [d for d in extraction.drafts if not any(matches(d, g, symmetric) for g in gold)]
        return extraction

    def extract_file(self, path: Path, language: str | None = None) -> Extraction:
        """A text file (UTF-8, read as a source is) or an HTML page (its article text, as ``kg add`` stores it)."""
        if path.suffix.lower() in HTML_SUFFIXES:
            from graph.ingest.html import NoArticle, article_text

            try:
                page = path.read_bytes()
            except OSError as exc:
                raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
            try:
                text = article_text(page).text
            except NoArticle as exc:
                raise DataError.single(path, None, None, str(exc)) from None
        else:
            text, _ = read_source_text(path, path.resolve().parent)
        lang = language or detect_language(text)
        return self.extractor(lang).extract(text, path.stem)

    def evaluate_source(self, source: str, min_confidence: float = 0.0, *, unseen: bool = False) -> Evaluation:
        """The drafts of a source against its curated statements; ``unseen``: drafted without the entities (:mod:`graph.ingest.unseen`)."""
        files = self.scan.sources.get(source)
        if files is None:
            raise UsageError(f"no source '{source}' in {self.data}/sources/")
        unit = self.loader.load_unit(files, self.entities)
        self.loader.problems.raise_if_any()
        assert unit is not None
        gold = unit.all_statements()
        if unseen:
            blind = self.extractor(files.meta.language, unseen=True)
            text, _ = read_source_text(files.text_path, self.data)
            extraction = blind.extract(text, source, files.meta.author)
            named = {e for g in gold for e in (g.subject, g.object, g.asserted_by) if e}
            extraction = renamed(extraction, match_new_entities(extraction, self.entities, blind, named))
        else:
            extraction = self.extract_source(source)
        drafts = [d for d in extraction.drafts if d.confidence >= min_confidence]
        return evaluate(source, extraction.text, drafts, gold, self.onto)
