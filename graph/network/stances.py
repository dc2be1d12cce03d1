"""Stance changes: holders who supported and opposed the same proposition, with both quotes.

A *position* is a holder's ``supports``/``opposes`` statement on a stance, or a statement that
the holder ``agreedWith`` someone, whose ``regardingStatement`` is a stance statement: agreeing
is taking that stance with that polarity, and the evidence is both the agreement's quote and
the quote of the stance agreed with.

A *proposition* is a group of stances declared to negate each other (``qg:negates`` in the
data, never guessed from words): holding one is opposing the other. It is named after the
stance of the group most positions are held on (ties: the smaller id). Each position is turned
into a polarity on the proposition; a holder with positions both for and against it has changed
(or contradicted) their position. Holders and stances are entities shared by every source, so
a second source's positions join the same groups.

Time decides which side comes first when it is known: the event a statement was expressed in
(or the event that contains it, ``partOf``) may be ordered by narrated ``before`` statements,
and across sources by dates. A statement's own date (``date:``, given by its source to the day,
the month or the year) says when;
its source's publication date says only that it had happened by then. So one side comes first
by date when some position of it happened, at the latest, before a position of the other side
is dated to have happened: a date of publication is an upper bound, never a lower one. Words
such as "Derzeit" are shown, never interpreted. Everything is read from the projection
(:func:`graph.network.projection.project`), which is read from the store.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.errors import GraphInvalid
from graph.model import dates
from graph.network.analysis import label, statement_fields

FOR, AGAINST = "for", "against"


def _flip(polarity: str) -> str:
    return AGAINST if polarity == FOR else FOR


@dataclass(frozen=True)
class Statement:
    """One statement as evidence: what it says, its quote and where it comes from."""

    id: str
    subject: str
    relation: str
    object: str
    data: dict[str, Any] = field(compare=False, repr=False)

    def as_dict(self, graph: nx.MultiDiGraph, lang: str = "en") -> dict[str, Any]:
        d = self.data
        return {
            **statement_fields(graph, self.id, self.subject, self.relation, self.object, d, lang),
            "quotes": d["quotes"],
            "source_title": d["source_title"],
            "expressed_in_label": label(graph, d["expressed_in"], lang) if d["expressed_in"] in graph else "",
            "hedged": d["hedged"],
        }


@dataclass(frozen=True)
class Position:
    """A holder for or against a stance, stated directly or by agreeing with a stance statement."""

    holder: str
    stance: str
    polarity: str  # on ``stance``, as stated
    statement: Statement  # the holder's statement (the agreement, for an agreement)
    agreed: Statement | None = None  # the stance statement agreed with


@dataclass(frozen=True)
class Evidence:
    """A position as one side of a contradiction, with what is known of its time."""

    position: Position
    polarity: str  # on the proposition
    step: int | None  # events known to come before the one it was expressed in; None if unordered

    @property
    def latest(self) -> str:
        """The latest it can have happened: its own date, else its source's date ('' if neither)."""
        data = self.position.statement.data
        return str(data.get("date") or data.get("source_date") or "")

    @property
    def dated(self) -> str:
        """When its source says it happened ('' if the source gives no date for it)."""
        return str(self.position.statement.data.get("date") or "")


def dated_before(first: list[Evidence], second: list[Evidence]) -> bool:
    """Some position of ``first`` happened, at the latest, before one of ``second`` is dated (see the module docstring).

    A date given only to the month or the year is the span of its days: "2017-09" is before
    "2017-10-02" but not before "2017-09-20", and "2017" is before nothing in 2017.
    """
    return any(a.latest and b.dated and dates.latest(a.latest) < dates.earliest(b.dated) for a in first for b in second)


@dataclass(frozen=True)
class Side:
    polarity: str  # for or against the proposition
    evidence: list[Evidence]


@dataclass(frozen=True)
class Contradiction:
    """A holder who was both for and against one proposition; ``sides`` earlier first when known."""

    holder: str
    proposition: str
    stances: list[str]  # every stance of the proposition's group (it and what negates it)
    sides: tuple[Side, Side]
    order_known: bool


def _statement(key: str, u: str, v: str, data: dict[str, Any]) -> Statement:
    return Statement(key, u, data["relation"], v, data)


def positions(graph: nx.MultiDiGraph) -> list[Position]:
    """Every position in the graph, in source order."""
    by_key = {key: (u, v, data) for u, v, key, data in graph.edges(keys=True, data=True)}
    found: list[Position] = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        if data["polarity"] and graph.nodes[v].get("kind") == "stance":
            found.append(Position(u, v, data["polarity"], _statement(key, u, v, data)))
        elif data["relation"] == "agreedWith":
            for regarded in data.get("regarding", []):
                if regarded not in by_key:
                    continue
                ru, rv, rdata = by_key[regarded]
                if rdata["polarity"] and graph.nodes[rv].get("kind") == "stance":
                    found.append(Position(u, rv, rdata["polarity"], _statement(key, u, v, data), _statement(regarded, ru, rv, rdata)))
    return sorted(found, key=lambda p: (p.statement.data["source"], p.statement.data["quotes"][0]["start"], p.statement.id, p.stance))


def propositions(graph: nx.MultiDiGraph, held: list[Position]) -> dict[str, tuple[str, bool]]:
    """For each stance: the proposition it belongs to and whether holding it is opposing that proposition."""
    stances = sorted(n for n, attrs in graph.nodes(data=True) if attrs.get("kind") == "stance")
    negation = nx.Graph()
    negation.add_nodes_from(stances)
    negation.add_edges_from((s, t) for s in stances for t in graph.nodes[s].get("negates", []) if t in negation)
    weight: dict[str, int] = defaultdict(int)
    for position in held:
        if position.agreed is None:
            weight[position.stance] += 1
    result: dict[str, tuple[str, bool]] = {}
    for component in nx.connected_components(negation):
        canonical = min(component, key=lambda s: (-weight[s], s))
        flipped = {canonical: False}
        for a, b in nx.bfs_edges(negation, canonical):
            flipped[b] = not flipped[a]
        for a, b in negation.subgraph(component).edges():
            if flipped[a] == flipped[b]:
                raise GraphInvalid([f"the stances {a} and {b} negate each other but a chain of negations makes them equal"])
        result.update({s: (canonical, flipped[s]) for s in component})
    return result


class _Time:
    """The order of events known from narrated ``before`` statements, and which event contains which."""

    def __init__(self, graph: nx.MultiDiGraph):
        self.before = nx.DiGraph()
        self.container: dict[str, list[str]] = defaultdict(list)
        for u, v, data in graph.edges(data=True):
            if data["voice"] != "narration" or data["derived"]:
                continue
            if data["relation"] == "before":
                self.before.add_edge(u, v)
            elif data["relation"] == "partOf":
                self.container[u].append(v)

    def anchors(self, event: str) -> set[str]:
        """The event and every event it is part of, that take part in a known order."""
        seen, todo = set(), [event] if event else []
        while todo:
            e = todo.pop()
            if e not in seen:
                seen.add(e)
                todo.extend(self.container.get(e, []))
        return {e for e in seen if e in self.before}

    def step(self, event: str) -> int | None:
        anchors = self.anchors(event)
        return max((len(nx.ancestors(self.before, a)) for a in anchors), default=None)

    def precedes(self, first: Side, second: Side) -> bool:
        """Some evidence of ``first`` is known to come before some of ``second``."""
        a = {x for e in first.evidence for x in self.anchors(e.position.statement.data["expressed_in"])}
        b = {x for e in second.evidence for x in self.anchors(e.position.statement.data["expressed_in"])}
        return any(x != y and nx.has_path(self.before, x, y) for x in a for y in b)


def contradictions(graph: nx.MultiDiGraph) -> list[Contradiction]:
    """Every holder and proposition with positions both for and against, by holder then proposition."""
    held = positions(graph)
    group_of = propositions(graph, held)
    time = _Time(graph)
    groups: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for position in held:
        proposition, flipped = group_of[position.stance]
        polarity = _flip(position.polarity) if flipped else position.polarity
        step = time.step(position.statement.data["expressed_in"])
        groups[position.holder, proposition].append(Evidence(position, polarity, step))
    found: list[Contradiction] = []
    for (holder, proposition), evidence in sorted(groups.items()):
        by_polarity = {p: [e for e in evidence if e.polarity == p] for p in (FOR, AGAINST)}
        if not (by_polarity[FOR] and by_polarity[AGAINST]):
            continue
        for items in by_polarity.values():
            items.sort(key=lambda e: (e.step is None, e.step or 0, e.latest == "", e.latest))  # stable: source order otherwise
        pro, contra = Side(FOR, by_polarity[FOR]), Side(AGAINST, by_polarity[AGAINST])
        contra_before = time.precedes(contra, pro) or dated_before(contra.evidence, pro.evidence)
        pro_before = time.precedes(pro, contra) or dated_before(pro.evidence, contra.evidence)
        contra_first, pro_first = contra_before and not pro_before, pro_before and not contra_before
        sides = (contra, pro) if contra_first else (pro, contra)
        stances = sorted(s for s, (p, _) in group_of.items() if p == proposition)
        found.append(Contradiction(holder, proposition, stances, sides, contra_first or pro_first))
    return found
