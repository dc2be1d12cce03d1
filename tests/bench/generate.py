"""A synthetic corpus in the format of ``data/``, realistic enough to measure every phase.

``generate(n, out, seed)`` writes ``sources/*.txt`` and ``*.yaml``, ``entities/*.yaml`` and
``statements/*.yaml`` with about ``n`` statements. The text of each source is generated *from*
its statements, and each quote is then cut out of the finished text, so that every quote really
occurs where the loader will look for it: the loader anchors, validates and builds a generated
corpus exactly as it does curated data.

What makes it realistic for a benchmark:

* German and English sources (about 60/40), headline, author line and paragraphs, with filler
  sentences between the statements; source sizes are heavy-tailed (most sources have a few dozen
  statements, a few have hundreds, split over several statement files).
* Entities with a heavy-tailed degree distribution: subjects and objects are drawn with Zipf
  weights from each pool, so a few people and organisations appear everywhere and most appear
  once or twice. Only entities that some statement uses are written (the loader refuses unused
  ones).
* All four voices: narration, claims (with a claimant and often the lawsuit they were made in),
  quotations in typographic quote marks (a few spanning a paragraph break, written as YAML block
  scalars) and judgements; hedged statements, time expressions, translations of German quotes.
* Stances in pairs with declared negations (``negates``), offices (``holdsOffice``,
  ``officeIn``), events with participants (lawsuits, merger proposals, partnerships, e-mails,
  blog posts) and the statement pairs that make the ontology's property chains fire, so derived
  shortcuts are built too; ``regarding`` links an agreement to the quotation agreed with.
* Quotes that occur more than once in their source carry ``occurrence:``.

The same seed gives byte-identical files.
"""

from __future__ import annotations

import bisect
import itertools
import json
import os
import random
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import UsageError
from graph.sources.anchor import occurrences

from . import lexicon as lx

#: Statements per statements file; larger sources are split over several files.
STATEMENTS_PER_FILE = 400
#: Entities per file under entities/.
ENTITIES_PER_FILE = 5_000
_ZIPF_S = 1.05
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue", "é": "e"})
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 _.,/-]*$")
_YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}


def slug(text: str) -> str:
    """An id from a label: lower case ASCII, words joined by hyphens."""
    ascii_text = text.translate(_TRANSLIT).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:120]


@dataclass
class GenEntity:
    id: str
    kind: str
    label_de: str
    label_en: str
    type: str | None = None
    aliases: tuple[str, ...] = ()
    description: tuple[str, str] | None = None
    negates: str | None = None
    participants: tuple[str, ...] = ()
    wikidata: str | None = None


@dataclass
class GenStatement:
    fields: dict[str, Any]
    start: int
    end: int


@dataclass
class Summary:
    statements: int = 0
    sources: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    voices: Counter[str] = field(default_factory=Counter)
    bytes: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "statements": self.statements,
            "sources": self.sources,
            "entities": sum(self.entities.values()),
            "entities_by_kind": dict(sorted(self.entities.items())),
            "statements_by_voice": dict(sorted(self.voices.items())),
            "bytes": self.bytes,
        }


class _Pool:
    """Entities of one kind, created on first use and drawn with Zipf weights (heavy tail)."""

    def __init__(self, size: int, make: Any, rng: random.Random):
        self.size = max(1, size)
        self.make = make
        self.rng = rng
        weights = [1.0 / (rank + 1) ** _ZIPF_S for rank in range(self.size)]
        self.cum = list(itertools.accumulate(weights))
        self.made: dict[int, GenEntity] = {}

    def pick_index(self) -> int:
        return min(bisect.bisect_left(self.cum, self.rng.random() * self.cum[-1]), self.size - 1)

    def pick(self) -> GenEntity:
        return self.get(self.pick_index())

    def get(self, index: int) -> GenEntity:
        found = self.made.get(index)
        if found is None:
            found = self.made[index] = self.make(index)
        return found


class Generator:
    """Builds the corpus source by source; see the module docstring."""

    def __init__(self, statements: int, seed: int):
        self.target = statements
        self.rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
        rng = self.rng
        self.people = _Pool(max(30, statements // 12), self._person, rng)
        self.orgs = _Pool(max(15, statements // 30), self._org, rng)
        self.stance_pairs = _Pool(max(8, statements // 80), lambda i: self._stance(i, False), rng)
        self.topics = _Pool(len(lx.STANCE_TOPICS) + len(lx.SECTORS), self._topic, rng)
        self.documents = _Pool(max(5, statements // 500), self._document, rng)
        self.events = _Pool(max(10, statements // 15), self._event, rng)
        self.journalists = _Pool(max(3, statements // 400), self._journalist, rng)
        self.negated_stances: dict[int, GenEntity] = {}
        self.entities: dict[str, GenEntity] = {}
        self.used: set[str] = set()
        self.summary = Summary()

    # -- entities -----------------------------------------------------------------------------
    def _register(self, entity: GenEntity) -> GenEntity:
        assert entity.id not in self.entities, entity.id
        self.entities[entity.id] = entity
        return entity

    def _person(self, i: int) -> GenEntity:
        first = lx.FIRST_NAMES[i % len(lx.FIRST_NAMES)]
        # a bijection of i onto (first, last) that varies both from the first index on
        last = lx.LAST_NAMES[(i // len(lx.FIRST_NAMES) + 13 * (i % len(lx.FIRST_NAMES))) % len(lx.LAST_NAMES)]
        combos = len(lx.FIRST_NAMES) * len(lx.LAST_NAMES)
        if i >= combos:
            last += "-" + lx.LAST_NAMES[(i // combos) % len(lx.LAST_NAMES)]
            if i >= combos * len(lx.LAST_NAMES):
                last += f" {i // (combos * len(lx.LAST_NAMES)) + 1}"
        name = f"{first} {last}"
        description = ("Manager in der Industrie.", "Industry executive.") if i % 7 == 0 else None
        return self._register(GenEntity(slug(name), "person", name, name, aliases=(last,), description=description))

    def _journalist(self, i: int) -> GenEntity:
        name = f"{lx.FIRST_NAMES[(i * 7 + 3) % len(lx.FIRST_NAMES)]} {lx.LAST_NAMES[(i * 11 + 5) % len(lx.LAST_NAMES)]} (Redaktion {i + 1})"
        return self._register(GenEntity(slug(name), "person", name, name, description=("Journalist.", "Journalist.")))

    def _org(self, i: int) -> GenEntity:
        stem = lx.ORG_STEMS[i % len(lx.ORG_STEMS)]
        sector_de, sector_en = lx.SECTORS[(i // len(lx.ORG_STEMS) + i % len(lx.ORG_STEMS)) % len(lx.SECTORS)]
        span = len(lx.ORG_STEMS) * len(lx.SECTORS)
        form = lx.LEGAL_FORMS[(i // span) % len(lx.LEGAL_FORMS)]
        number = f" {i // (span * len(lx.LEGAL_FORMS)) + 1}" if i >= span * len(lx.LEGAL_FORMS) else ""
        de, en = f"{stem} {sector_de} {form}{number}", f"{stem} {sector_en} {form}{number}"
        # every fifth organisation is linked to Wikidata (made-up item numbers: only their form matters)
        wikidata = f"Q{100_000 + i}" if i % 5 == 0 else None
        return self._register(GenEntity(slug(en), "organization", de, en, aliases=(stem,), wikidata=wikidata))

    def _stance(self, pair: int, negated: bool) -> GenEntity:
        topic_de, topic_en = lx.STANCE_TOPICS[pair % len(lx.STANCE_TOPICS)]
        verbs = lx.STANCE_VERBS[(pair // len(lx.STANCE_TOPICS)) % len(lx.STANCE_VERBS)]
        span = len(lx.STANCE_TOPICS) * len(lx.STANCE_VERBS)
        year_de = f" bis {2025 + pair // span}" if pair >= span else ""
        year_en = f" by {2025 + pair // span}" if pair >= span else ""
        de = f"{topic_de} {verbs[1] if negated else verbs[0]}{year_de}"
        en = f"{topic_en} {verbs[3] if negated else verbs[2]}{year_en}"
        entity = GenEntity(slug(en), "stance", de, en)
        # every other pair declares that the two stances contradict each other
        if negated and pair % 2 == 0:
            entity.negates = self.stance_pairs.get(pair).id
        return self._register(entity)

    def _stance_of(self, negated: bool) -> GenEntity:
        pair = self.stance_pairs.pick_index()
        if not negated:
            return self.stance_pairs.get(pair)
        negative = self.negated_stances.get(pair)
        if negative is None:
            negative = self.negated_stances[pair] = self._stance(pair, True)
        return negative

    def _topic(self, i: int) -> GenEntity:
        if i < len(lx.STANCE_TOPICS):
            de, en = lx.STANCE_TOPICS[i]
            de, en = de.split(" ", 1)[1], en
        else:
            sector_de, sector_en = lx.SECTORS[i - len(lx.STANCE_TOPICS)]
            de, en = f"{sector_de}branche", f"{sector_en} industry"
        return self._register(GenEntity("topic-" + slug(en), "topic", de, en))

    def _document(self, i: int) -> GenEntity:
        org = self.orgs.get(i % self.orgs.size)
        if i % 3 == 0:
            return self._register(
                GenEntity(
                    f"code-{org.id}", "document", f"Quellcode von {org.label_de}", f"source code of {org.label_en}", type="SourceCode"
                )
            )
        year = 2015 + i % 10
        return self._register(
            GenEntity(
                f"report-{year}-{org.id}-{i}",
                "document",
                f"Jahresbericht {year} von {org.label_de}",
                f"{org.label_en} annual report {year}",
            )
        )

    def _agent(self) -> GenEntity:
        return self.people.pick() if self.rng.random() < 0.6 else self.orgs.pick()

    def _event(self, i: int) -> GenEntity:
        kind = ("Lawsuit", "MergerProposal", "Partnership", "Email", "BlogPost", "EmailExchange")[i % 6]
        if kind == "Lawsuit":
            a, b = self._two(self._agent)
            de, en = f"Klage von {a.label_de} gegen {b.label_de}", f"{a.label_en}'s lawsuit against {b.label_en}"
        elif kind == "MergerProposal":
            a, b = self._two(self.orgs.pick)
            de, en = f"Fusion von {a.label_de} und {b.label_de}", f"the merger of {a.label_en} and {b.label_en}"
        elif kind == "Partnership":
            a, b = self._two(self.orgs.pick)
            de, en = f"Partnerschaft von {a.label_de} und {b.label_de}", f"the partnership of {a.label_en} and {b.label_en}"
        elif kind == "Email":
            a, b = self._two(self.people.pick)
            de, en = f"E-Mail von {a.label_de} an {b.label_de}", f"the e-mail from {a.label_en} to {b.label_en}"
        elif kind == "BlogPost":
            a, b = self._two(self._agent)
            de, en = f"Stellungnahme im Blog von {a.label_de}", f"the blog post by {a.label_en}"
        else:
            a, b = self._two(self.people.pick)
            de, en = f"E-Mail-Korrespondenz zwischen {a.label_de} und {b.label_de}", f"the e-mails between {a.label_en} and {b.label_en}"
        # e-mails and posts are documents, a partnership an organisation (a W3C ORG collaboration)
        entity_kind = {"Partnership": "organization", "Email": "document", "BlogPost": "document", "EmailExchange": "document"}.get(
            kind, "event"
        )
        return self._register(GenEntity(f"event-{i}-{slug(en)[:60].strip('-')}", entity_kind, de, en, type=kind, participants=(a.id, b.id)))

    def _two(self, draw: Any) -> tuple[GenEntity, GenEntity]:
        a = draw()
        for _ in range(20):
            b = draw()
            if b.id != a.id:
                return a, b
        return a, self.people.get(self.people.size - 1 if a.id != self.people.get(self.people.size - 1).id else 0)

    def _event_of(self, kind: str) -> GenEntity:
        for _ in range(50):
            event = self.events.pick()
            if event.type == kind:
                return event
        base = {"Lawsuit": 0, "MergerProposal": 1, "Partnership": 2, "Email": 3, "BlogPost": 4, "EmailExchange": 5}[kind]
        return self.events.get(base)

    def _any_entity(self) -> GenEntity:
        roll = self.rng.random()
        if roll < 0.35:
            return self.people.pick()
        if roll < 0.65:
            return self.orgs.pick()
        if roll < 0.8:
            return self.events.pick()
        if roll < 0.9:
            return self.topics.pick()
        return self.documents.pick()

    def _office(self, org: GenEntity, role: int) -> GenEntity:
        roles = (
            ("Vorstandsvorsitz", "chief executive"),
            ("Aufsichtsratsvorsitz", "supervisory board chair"),
            ("Finanzvorstand", "chief financial officer"),
        )
        de, en = roles[role % len(roles)]
        ident = f"office-{slug(en)}-{org.id}"
        found = self.entities.get(ident)
        return found or self._register(GenEntity(ident, "office", f"{de} von {org.label_de}", f"{en} of {org.label_en}"))

    # -- statements -----------------------------------------------------------------------------
    def _plan(self, author: GenEntity, count: int, source_id: str) -> list[dict[str, Any]]:
        """What a source says: a list of statement plans (triple, voice, assertor, extras)."""
        plans: list[dict[str, Any]] = []
        rng = self.rng
        quoted = 0
        while len(plans) < count:
            roll = rng.random()
            if roll < 0.06:
                suit = self._event_of("Lawsuit")
                a, b = suit.participants
                plans.append({"s": a, "p": "filed", "o": suit.id})
                plans.append({"s": suit.id, "p": "defendant", "o": b})
                if rng.random() < 0.5:
                    plans.append({"s": a, "p": "inLegalDisputeWith", "o": b, "when": True})
            elif roll < 0.10:
                merger = self._event_of("MergerProposal")
                proposer = self._agent()
                plans.append({"s": proposer.id, "p": "proposed", "o": merger.id})
                for party in merger.participants:
                    plans.append({"s": merger.id, "p": "mergerParty", "o": party})
            elif roll < 0.15:
                mail = self._event_of("Email")
                sender, recipient = mail.participants
                plans.append({"s": sender, "p": "sent", "o": mail.id})
                plans.append({"s": mail.id, "p": "recipient", "o": recipient})
                quoted += 1
                quote_id = f"{source_id}-q{quoted}"
                plans.append(
                    {
                        "s": sender,
                        "p": "supports",
                        "o": self._stance_of(False).id,
                        "voice": "quotation",
                        "by": sender,
                        "in": mail.id,
                        "id": quote_id,
                    }
                )
                if rng.random() < 0.7:
                    plans.append({"s": recipient, "p": "agreedWith", "o": sender, "regarding": quote_id})
            elif roll < 0.20:
                org = self.orgs.pick()
                office = self._office(org, rng.randrange(3))
                plans.append({"s": self.people.pick().id, "p": "holdsOffice", "o": office.id})
                plans.append({"s": office.id, "p": "officeIn", "o": org.id})
            elif roll < 0.25:
                org = self.orgs.pick()
                if rng.random() < 0.5:
                    plans.append({"s": self._any_entity().id, "p": "describedAs", "value": rng.choice(lx.DESCRIPTIONS)})
                else:
                    n = rng.randrange(2, 900)
                    plans.append({"s": org.id, "p": "fundingNeed", "value": (f"{n} Millionen Euro pro Jahr", f"{n} million euros a year")})
            elif roll < 0.45:
                holder = self._agent()
                plans.append({"s": holder.id, "p": rng.choice(("supports", "opposes")), "o": self._stance_of(rng.random() < 0.3).id})
            else:
                plans.append(self._simple())
        for plan in plans[:count]:
            self._voice(plan, author)
        return plans[:count]

    def _simple(self) -> dict[str, Any]:
        rng = self.rng
        relation = rng.choice(
            (
                "criticised",
                "criticised",
                "discussed",
                "discussed",
                "inLegalDisputeWith",
                "respondedTo",
                "published",
                "cutTiesWith",
                "concerns",
                "contains",
                "partOf",
                "contradicts",
                "keepsClosed",
                "deFactoSubsidiaryOf",
                "profitMachineFor",
                "onlyPathToRival",
                "repliedTo",
                "before",
                "partner",
            )
        )
        agent_agent = ("inLegalDisputeWith", "cutTiesWith")
        if relation in agent_agent:
            s, o = self._two(self._agent)
        elif relation in ("criticised", "discussed", "respondedTo", "published"):
            s, o = self._agent(), self._any_entity()
        elif relation in ("concerns", "contains", "partOf", "contradicts"):
            s, o = self._any_entity(), self._any_entity()
        elif relation == "keepsClosed":
            s, o = self._agent(), self.documents.pick()
        elif relation in ("deFactoSubsidiaryOf", "onlyPathToRival"):
            s, o = self._two(self.orgs.pick)
        elif relation == "profitMachineFor":
            s, o = self.orgs.pick(), self._agent()
        elif relation == "repliedTo":  # an answer to an e-mail, a letter or a post: a document
            s, o = self._agent(), self._event_of(self.rng.choice(("Email", "BlogPost", "EmailExchange")))
        elif relation == "before":
            s, o = self.events.pick(), self.events.pick()
        else:  # partner
            s = self._event_of("Partnership")
            o = self.entities[s.participants[rng.randrange(2)]]
        if s.id == o.id:
            return self._simple()
        return {"s": s.id, "p": relation, "o": o.id}

    def _voice(self, plan: dict[str, Any], author: GenEntity) -> None:
        if "voice" in plan:
            return
        roll = self.rng.random()
        if roll < 0.62:
            plan["voice"] = "narration"
        elif roll < 0.80:
            plan["voice"] = "claim"
            plan["by"] = self._agent().id
            if self.rng.random() < 0.5:
                plan["in"] = self._event_of("Lawsuit").id if self.rng.random() < 0.7 else self.documents.pick().id
        elif roll < 0.92:
            plan["voice"] = "quotation"
            subject = self.entities[plan["s"]]
            plan["by"] = subject.id if subject.kind in ("person", "organization") else self.people.pick().id
        else:
            plan["voice"] = "judgement"
        if plan["voice"] == "narration" and self.rng.random() < 0.05:
            plan["hedged"] = True

    # -- text -----------------------------------------------------------------------------------
    def _label(self, ident: str, lang: str) -> str:
        entity = self.entities[ident]
        return entity.label_de if lang == "de" else entity.label_en

    def _clause(self, plan: dict[str, Any], lang: str) -> str:
        de, en = lx.CLAUSES[plan["p"]]
        template = de if lang == "de" else en
        obj = plan["value"][0 if lang == "de" else 1] if "value" in plan else self._label(plan["o"], lang)
        return template.format(s=self._label(plan["s"], lang), o=obj)

    def _sentence(self, plan: dict[str, Any], lang: str, when: str | None, spans_paragraph: str | None) -> tuple[str, int, int]:
        """The sentence that says ``plan`` and the span of its quote within the sentence."""
        li = 0 if lang == "de" else 1
        clause = self._clause(plan, lang)
        voice = plan["voice"]
        if voice == "quotation":
            if spans_paragraph:
                clause = f"{_cap(clause)}.\n\n{spans_paragraph}"[:-1]
            sentence = lx.QUOTATION[li].format(c=_cap(clause), who=self._label(plan["by"], lang))
            # the quote keeps its typographic marks: „…“ in German, “…,” in English
            return sentence, 0, len(clause) + (2 if lang == "de" else 3)
        if voice == "claim":
            sentence = lx.CLAIM[li].format(c=clause, who=self._label(plan["by"], lang))
            start = sentence.index(clause)
            return sentence, start, start + len(clause)
        if voice == "judgement":
            sentence = lx.JUDGEMENT[li].format(c=clause)
            return sentence, 0, len(sentence)
        if plan.get("hedged"):
            sentence = lx.HEDGE[li].format(c=clause)
            return sentence, 0, len(sentence)
        if when:
            lead = f"{when} gilt: " if lang == "de" else f"{when}, "
            sentence = f"{lead}{clause}."
            return sentence, len(lead), len(sentence) - 1
        sentence = _cap(clause) + "."
        return sentence, 0, len(sentence) - (1 if self.rng.random() < 0.5 else 0)

    def source(self, index: int, count: int) -> tuple[dict[str, Any], str, list[GenStatement]]:
        rng = self.rng
        source_id = f"src-{index:06d}"
        lang = "de" if rng.random() < 0.6 else "en"
        li = 0 if lang == "de" else 1
        author = self.journalists.pick()
        plans = self._plan(author, count, source_id)
        title = lx.HEADLINES[li].format(s=self._label(plans[0]["s"], lang))
        pieces = [title, "\n\n", author.label_de if lang == "de" else author.label_en, "\n\n"]
        offset = sum(len(p) for p in pieces)
        statements: list[GenStatement] = []
        in_paragraph = 0
        for plan in plans:
            when = None
            plain_narration = plan["voice"] == "narration" and not plan.get("hedged")
            if plain_narration and (plan.get("when") or rng.random() < 0.08):
                when = rng.choice(lx.TIMES)[li]
            spans = None
            if plan["voice"] == "quotation" and rng.random() < 0.03:
                spans = self._filler(li)
            sentence, start, end = self._sentence(plan, lang, when, spans)
            if in_paragraph:
                pieces.append(" ")
                offset += 1
            fields = self._fields(plan, lang, author, when)
            statements.append(GenStatement(fields, offset + start, offset + end))
            pieces.append(sentence)
            offset += len(sentence)
            in_paragraph += 1
            if rng.random() < 0.3:
                filler = " " + self._filler(li)
                pieces.append(filler)
                offset += len(filler)
            if in_paragraph >= rng.randrange(2, 6):
                pieces.append("\n\n")
                offset += 2
                in_paragraph = 0
        text = "".join(pieces).rstrip() + "\n"
        for st in statements:
            quote = text[st.start : st.end]
            st.fields["quote"] = quote
            starts = occurrences(text, quote)
            if len(starts) > 1:
                st.fields["occurrence"] = starts.index(st.start) + 1
        meta: dict[str, Any] = {"id": source_id, "title": title, "author": author.id, "language": lang}
        self.used.add(author.id)
        if index % 3 == 0:
            meta["date"] = f"20{15 + index % 10}-{1 + index % 12:02d}-{1 + index % 28:02d}"
        if index % 4 == 0:
            meta["url"] = f"https://news.example.org/{lang}/{source_id}"
        if index % 5 == 0:
            meta["publisher"] = "Beispiel-Zeitung" if lang == "de" else "Example Times"
        return meta, text, statements

    def _filler(self, li: int) -> str:
        return self.rng.choice(lx.FILLER[li]).format(n=self.rng.randrange(1, 40), m=self.rng.randrange(2, 999))

    def _fields(self, plan: dict[str, Any], lang: str, author: GenEntity, when: str | None) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        if "id" in plan:
            fields["id"] = plan["id"]
        fields["subject"] = plan["s"]
        fields["predicate"] = plan["p"]
        if "value" in plan:
            fields["value"] = plan["value"][0 if lang == "de" else 1]
        else:
            fields["object"] = plan["o"]
        fields["voice"] = plan["voice"]
        if plan.get("by") and plan["by"] != author.id:
            fields["asserted_by"] = plan["by"]
        if plan.get("in"):
            fields["expressed_in"] = plan["in"]
        if when:
            fields["when"] = when
        if plan.get("hedged"):
            fields["hedged"] = True
        if plan.get("regarding"):
            fields["regarding"] = [plan["regarding"]]
        if lang == "de":
            fields["translation"] = _cap(self._clause(plan, "en")) + "."
        for key in ("subject", "object", "asserted_by", "expressed_in"):
            if key in fields:
                self.used.add(fields[key])
        self.summary.voices[plan["voice"]] += 1
        return fields


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- YAML, written by hand: fast, deterministic and in the style curators write -------------------
def _scalar(value: Any, indent: int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if "\n" in text:
        pad = " " * (indent + 2)
        return "|-\n" + "\n".join(pad + line if line else "" for line in text.split("\n"))
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS and not text.endswith((":", " ")) and ": " not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _statements_yaml(source_id: str, statements: list[GenStatement]) -> str:
    lines = [f"source: {source_id}", "statements:"]
    for st in statements:
        first = True
        for key, value in st.fields.items():
            lead = "  - " if first else "    "
            first = False
            if isinstance(value, list):
                lines.append(f"{lead}{key}: [{', '.join(value)}]")
            else:
                lines.append(f"{lead}{key}: {_scalar(value, 4)}")
    return "\n".join(lines) + "\n"


def _entity_yaml(entity: GenEntity, negates: str | None) -> str:
    lines = [f"  - id: {entity.id}", f"    kind: {entity.kind}"]
    if entity.type:
        lines.append(f"    type: {entity.type}")
    lines.append(
        f"    label: {{de: {json.dumps(entity.label_de, ensure_ascii=False)}, en: {json.dumps(entity.label_en, ensure_ascii=False)}}}"
    )
    if entity.aliases:
        names = ", ".join(json.dumps(a, ensure_ascii=False) for a in entity.aliases)
        lines.append(f"    aliases: {{de: [{names}], en: [{names}]}}")
    if entity.description:
        de, en = entity.description
        lines.append(f"    description: {{de: {json.dumps(de, ensure_ascii=False)}, en: {json.dumps(en, ensure_ascii=False)}}}")
    if entity.wikidata:
        lines.append(f"    wikidata: {entity.wikidata}")
    if negates:
        lines.append(f"    negates: [{negates}]")
    return "\n".join(lines)


def _sizes(total: int, rng: random.Random) -> list[int]:
    """Statements per source: heavy-tailed (Pareto), 3 to 2,000, adding up to ``total``."""
    sizes: list[int] = []
    left = total
    while left > 0:
        size = min(left, 2_000, max(3, int(rng.paretovariate(1.6) * 12)))
        sizes.append(size)
        left -= size
    return sizes


def generate(statements: int, out: Path, seed: int = 1, progress: Any = None) -> dict[str, Any]:
    """Write a corpus of about ``statements`` statements into the new folder ``out``."""
    if statements < 10:
        raise UsageError("--statements must be at least 10")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"{out} exists and is not an empty folder; choose a new one")
    tmp = out.with_name(f".{out.name}.generating")
    shutil.rmtree(tmp, ignore_errors=True)
    for sub in ("sources", "statements", "entities"):
        (tmp / sub).mkdir(parents=True)
    gen = Generator(statements, seed)
    summary = gen.summary
    written = 0
    try:
        for index, size in enumerate(_sizes(statements, gen.rng)):
            meta, text, stmts = gen.source(index, size)
            sid = meta["id"]
            meta_text = "\n".join(f"{k}: {v if k == 'date' else _scalar(v, 0)}" for k, v in meta.items()) + "\n"
            summary.bytes += _write(tmp / "sources" / f"{sid}.yaml", meta_text)
            summary.bytes += _write(tmp / "sources" / f"{sid}.txt", text)
            for part, chunk_start in enumerate(range(0, len(stmts), STATEMENTS_PER_FILE)):
                name = f"{sid}.yaml" if part == 0 else f"{sid}.{part + 1}.yaml"
                summary.bytes += _write(
                    tmp / "statements" / name, _statements_yaml(sid, stmts[chunk_start : chunk_start + STATEMENTS_PER_FILE])
                )
            summary.sources += 1
            summary.statements += len(stmts)
            written += len(stmts)
            if progress:
                progress(len(stmts))
        used = [e for ident, e in gen.entities.items() if ident in gen.used]
        used_ids = {e.id for e in used}
        by_kind: dict[str, list[GenEntity]] = {}
        for entity in used:
            by_kind.setdefault(entity.kind, []).append(entity)
            summary.entities[entity.kind] += 1
        for kind, items in sorted(by_kind.items()):
            for part, chunk_start in enumerate(range(0, len(items), ENTITIES_PER_FILE)):
                chunk = items[chunk_start : chunk_start + ENTITIES_PER_FILE]
                body = "\n".join(_entity_yaml(e, e.negates if e.negates in used_ids else None) for e in chunk)
                summary.bytes += _write(tmp / "entities" / f"{kind}-{part + 1:03d}.yaml", f"entities:\n{body}\n")
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return summary.as_dict()


def _write(path: Path, text: str) -> int:
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)
