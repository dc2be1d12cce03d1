"""The domain model: sources, entities and statements, as strict pydantic records.

Two layers. ``*In`` models are what curators write in ``data/`` (strict, unknown fields
refused, so that a typo in a field name is an error and not a silently ignored key).
:class:`Source`, :class:`Entity` and :class:`Statement` are the resolved records the rest of the
package uses: references checked, quotes anchored to character offsets, polarity known.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from graph.model.dates import FORMS, check_partial

Kind = Literal["person", "organization", "stance", "office", "event", "document", "topic"]
KINDS: tuple[str, ...] = ("person", "organization", "stance", "office", "event", "document", "topic")
Voice = Literal["narration", "claim", "quotation", "judgement"]
VOICES: tuple[str, ...] = ("narration", "claim", "quotation", "judgement")
Polarity = Literal["for", "against"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_control_chars(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("contains control characters")
    return value


def _single_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    return value


#: Ids are short, stable and safe in IRIs and file names: ``musk``, ``musk-v-openai``.
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,127}$")]
#: Plain text from curators: no control characters, trimmed, not empty.
Text = Annotated[str, StringConstraints(min_length=1, max_length=100_000, strip_whitespace=True), AfterValidator(_no_control_chars)]
Line = Annotated[
    str,
    StringConstraints(min_length=1, max_length=2_000, strip_whitespace=True),
    AfterValidator(_no_control_chars),
    AfterValidator(_single_line),
]
LanguageTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")]
WikidataId = Annotated[str, StringConstraints(pattern=r"^Q[1-9][0-9]{0,11}$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"{}|\\^`]+$", max_length=2_000)]

_STRICT = ConfigDict(strict=True, extra="forbid", frozen=True)


#: The languages tables, views and queries show labels in (``--lang``).
class Labels(BaseModel):
    """A name in German and/or English: at least one. The loader asks for the language of every source that mentions the entity."""

    model_config = _STRICT
    de: Line | None = None
    en: Line | None = None

    @model_validator(mode="after")
    def _at_least_one(self) -> Labels:
        if self.de is None and self.en is None:
            raise ValueError("give at least one label: de or en (the language of the sources that mention it)")
        return self

    def get(self, lang: str) -> str | None:
        value = getattr(self, lang, None)
        return value if isinstance(value, str) else None

    def as_dict(self) -> dict[str, str]:
        return {lang: value for lang in ("de", "en") if (value := self.get(lang))}


class Aliases(BaseModel):
    """Other names by which users look an entity up."""

    model_config = _STRICT
    de: list[Line] = Field(default_factory=list)
    en: list[Line] = Field(default_factory=list)


class Descriptions(BaseModel):
    model_config = _STRICT
    de: Text | None = None
    en: Text | None = None


# ---------------------------------------------------------------------------------------------
# What curators write
# ---------------------------------------------------------------------------------------------


class SourceIn(BaseModel):
    """``data/sources/<id>.yaml``: metadata of one source; the text lives beside it."""

    model_config = _STRICT
    id: Id
    title: Line
    author: Id | None = Field(default=None, description="entity id of the author, when known")
    language: LanguageTag
    date: dt.date | None = Field(default=None, description="publication date, only when known")
    url: Url | None = None
    text: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+\.txt$")] | None = Field(
        default=None, description="text file name in the same folder; default <id>.txt"
    )
    publisher: Line | None = None
    licence: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.+-]{0,63}$")] | None = Field(
        default=None, description="licence of the text, an SPDX id where one exists (CC-BY-SA-4.0) or a short id (public-domain-us-gov)"
    )
    licence_url: Url | None = Field(default=None, description="where the licence (or the reason for public domain) is stated")
    attribution: Line | None = Field(default=None, description="the credit line the licence asks for, as it should be shown")
    retrieved: dt.datetime | None = Field(default=None, description="when the text was read: the fetch of a URL, or the file kg add read")
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = Field(
        default=None, description="SHA-256 of the text file as added; the build refuses a text that no longer matches"
    )
    excerpt: list[Line] = Field(
        default_factory=list,
        description="how the text differs from the published one, one line each: cuts, layout cleaning (curation record)",
    )
    verified: Text | None = Field(default=None, description="how, when and against what the text was checked (curation record)")
    note: Text | None = None


class EntityIn(BaseModel):
    """One entry of ``data/entities.yaml``."""

    model_config = _STRICT
    id: Id
    kind: Kind
    type: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Za-z]{1,63}$")] | None = Field(
        default=None, description="a finer class from the ontology, e.g. Lawsuit"
    )
    label: Labels
    aliases: Aliases = Field(default_factory=Aliases)
    description: Descriptions = Field(default_factory=Descriptions)
    wikidata: WikidataId | None = Field(default=None, description="only when verified")
    negates: list[Id] = Field(default_factory=list, description="stances this stance contradicts")
    distinct_from: list[Id] = Field(
        default_factory=list, description="entities that share a name with this one but are not the same, on purpose"
    )


class StatementIn(BaseModel):
    """One entry under ``statements:`` in ``data/statements/<source>.yaml``."""

    model_config = _STRICT
    id: Id | None = Field(default=None, description="stable id; derived from the content when absent")
    subject: Id
    predicate: Annotated[str, StringConstraints(pattern=r"^[a-z][A-Za-z]{0,63}$")]
    object: Id | None = None
    value: Annotated[str, StringConstraints(min_length=1, max_length=2_000)] | int | float | bool | dt.date | None = None
    value_lang: LanguageTag | None = None
    voice: Voice
    asserted_by: Id | None = Field(
        default=None,
        description="who asserts it; the source's author when absent. For a quotation whose writer the source does not name, the document it is quoted from",
    )
    expressed_in: Id | None = Field(default=None, description="event or document in which it was expressed (the lawsuit, an e-mail)")
    quote: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    occurrence: Annotated[int, Field(ge=1)] | None = Field(default=None, description="which match, when a quote occurs more than once")
    translation: Text | None = None
    when: Line | None = Field(default=None, description="time in the source's words, e.g. 'Derzeit'")
    date: dt.date | str | None = Field(
        default=None, description="when, as precise as the source says it: " + FORMS + "; never more precise than the text"
    )
    hedged: bool = False
    inferred: bool = Field(
        default=False, description="the curator's inference: the text implies it but does not state it (say from what in note:)"
    )
    regarding: list[Id] = Field(default_factory=list, description="ids of statements this one is about")
    note: Text | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _a_year_is_text(cls, value: Any) -> Any:
        """YAML reads ``date: 2017`` as a number: a year."""
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("date")
    @classmethod
    def _a_month_or_a_year(cls, value: dt.date | str | None) -> dt.date | str | None:
        """A day is a date; text must be a month (``2015-12``) or a year (``2015``), never filled in to a day."""
        return check_partial(value) if isinstance(value, str) else value


class StatementsFileIn(BaseModel):
    model_config = _STRICT
    source: Id
    statements: list[dict[str, object]]


# ---------------------------------------------------------------------------------------------
# Resolved records
# ---------------------------------------------------------------------------------------------


class Source(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True)
    id: str
    title: str
    author: str | None
    language: str
    date: dt.date | None
    url: str | None
    publisher: str | None
    note: str | None
    text: str
    sha256: str
    path: Path
    licence: str | None = None
    licence_url: str | None = None
    attribution: str | None = None
    retrieved: dt.datetime | None = None
    excerpt: list[str] = Field(default_factory=list)
    verified: str | None = None


class Entity(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True)
    id: str
    kind: str
    type: str | None
    label: Labels
    aliases: Aliases
    description: Descriptions
    wikidata: str | None
    negates: tuple[str, ...]
    distinct_from: tuple[str, ...] = ()

    @classmethod
    def of(cls, record: EntityIn) -> Entity:
        """The checked entity of a curator's record: every list field as a tuple (the model is frozen)."""
        fields = dict(record)
        return cls(**{**fields, **{k: tuple(v) for k, v in fields.items() if isinstance(v, list)}})


class Quote(BaseModel):
    """An exact span of a source, anchored by offsets (Unicode code points, end exclusive).

    ``prefix`` and ``suffix`` are the rest of the sentences around the quote (spaCy's
    sentencizer), so that ``prefix + exact + suffix`` reads as a whole and a reader sees the
    quote in context, as the W3C TextQuoteSelector intends.
    """

    model_config = ConfigDict(strict=True, frozen=True)
    exact: str
    start: int
    end: int
    prefix: str
    suffix: str
    line: int


class Statement(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True)
    id: str
    source: str
    subject: str
    predicate: str
    object: str | None
    value: str | int | float | bool | dt.date | None
    value_lang: str | None
    voice: str
    asserted_by: str
    expressed_in: str | None
    quotes: tuple[Quote, ...]
    translation: str | None
    when: str | None
    #: a day, or the ISO text of a month or a year (graph.model.dates)
    date: dt.date | str | None
    hedged: bool
    regarding: tuple[str, ...]
    note: str | None
    polarity: Polarity | None
    derived_via: str | None = None
    derived_from: tuple[str, ...] = ()
    #: the curator's inference, not stated by the text (``inferred: true``)
    inferred: bool = False
    #: the document a quotation's words are quoted from (an e-mail, a letter); equal to ``asserted_by``
    #: when the source does not name the writer, so that the document is who the words are attributed to
    quoted_from: str | None = None
    file: str = ""
    line: int = 0

    @property
    def is_derived(self) -> bool:
        return self.derived_via is not None

    @property
    def quote(self) -> Quote:
        return self.quotes[0]


@dataclass(frozen=True)
class Corpus:
    """Everything loaded from one data folder, checked and anchored (records are validated one by one)."""

    sources: dict[str, Source]
    entities: dict[str, Entity]
    statements: dict[str, Statement]
