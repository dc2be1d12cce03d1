"""``kg contradictions``: who supported and opposed the same proposition, with both sides quoted."""

from __future__ import annotations

from typing import Any

import networkx as nx
from rich.table import Table
from rich.text import Text

from graph.cli.app import BuildOption, LangOption, app, build_dir, handle_errors, out_console
from graph.cli.ask import AnswerFormat, FormatOption, emit_csv, emit_json, provenance_text
from graph.cli.output import note
from graph.model.lang import Lang
from graph.network.analysis import label, term_label
from graph.network.projection import project
from graph.network.stances import Contradiction, Evidence, contradictions


def _evidence_dict(graph: nx.MultiDiGraph, e: Evidence, lang: str) -> dict[str, Any]:
    p = e.position
    return {
        "polarity": e.polarity,
        "stance": p.stance,
        "stance_label": label(graph, p.stance, lang),
        "stated_polarity": p.polarity,
        "step": e.step,
        "date": e.dated,  # when its source says it happened
        "latest": e.latest,  # its date, else the date its source was published (it had happened by then)
        "statement": p.statement.as_dict(graph, lang),
        "agreed_with": p.agreed.as_dict(graph, lang) if p.agreed else None,
    }


def _framing(c: Contradiction) -> list[dict[str, Any]]:
    """The sides that rest only on judgements: whose reading of the holder the contradiction is, not the holder's own."""
    found = []
    for side in c.sides:
        data = [e.position.statement.data for e in side.evidence]
        if data and all(d["voice"] == "judgement" for d in data):
            found.append({"side": side.polarity, "judgement_by": sorted({d["asserted_by"] for d in data})})
    return found


def _framing_line(graph: nx.MultiDiGraph, c: Contradiction, frame: dict[str, Any], lang: str) -> str:
    by = ", ".join(label(graph, a, lang) if a in graph else a for a in frame["judgement_by"])
    holder, side = label(graph, c.holder, lang), term_label(graph, frame["side"].capitalize(), lang)
    if lang == "de":
        return f"wessen Deutung: die Seite „{side}“ beruht nur auf dem Urteil von {by}, nicht auf dem, was {holder} gesagt oder getan haben soll"
    return f"whose framing: the {side} side rests only on the judgement of {by}, not on what {holder} is reported to have said or done"


def _contradiction_dict(graph: nx.MultiDiGraph, c: Contradiction, lang: str) -> dict[str, Any]:
    return {
        "holder": c.holder,
        "holder_label": label(graph, c.holder, lang),
        "proposition": c.proposition,
        "proposition_label": label(graph, c.proposition, lang),
        "stances": [{"stance": s, "label": label(graph, s, lang)} for s in c.stances],
        "order_known": c.order_known,
        "framing": _framing(c),
        "sides": [{"polarity": side.polarity, "evidence": [_evidence_dict(graph, e, lang) for e in side.evidence]} for side in c.sides],
    }


CSV_FIELDS = [
    "holder",
    "proposition",
    "side",
    "order",
    "polarity",
    "stance",
    "stated_polarity",
    "statement",
    "quote",
    "translation",
    "voice",
    "asserted_by",
    "expressed_in",
    "when",
    "source",
    "agreed_statement",
    "agreed_quote",
    "agreed_translation",
    "agreed_asserted_by",
]


def _csv_rows(graph: nx.MultiDiGraph, found: list[Contradiction], lang: str) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for c in found:
        for side_number, side in enumerate(c.sides, 1):
            for e in side.evidence:
                d = _evidence_dict(graph, e, lang)
                s, a = d["statement"], d["agreed_with"] or {}
                rows.append(
                    [
                        c.holder,
                        c.proposition,
                        side_number,
                        "known" if c.order_known else "unknown",
                        e.polarity,
                        e.position.stance,
                        e.position.polarity,
                        s["statement"],
                        s["quote"],
                        s["translation"],
                        s["voice"],
                        s["asserted_by"],
                        s["expressed_in"],
                        s["when"],
                        s["source"],
                        a.get("statement", ""),
                        a.get("quote", ""),
                        a.get("translation", ""),
                        a.get("asserted_by", ""),
                    ]
                )
    return rows


def _position_text(graph: nx.MultiDiGraph, e: Evidence, lang: str) -> Text:
    """What the statement says: the stance taken, or the agreement and the stance agreed with."""
    p = e.position
    text = Text()
    if p.agreed is not None:
        text.append(term_label(graph, p.statement.relation, lang), style="cyan")
        text.append(f" {label(graph, p.agreed.subject, lang)} → ")
        text.append(term_label(graph, p.agreed.relation, lang), style="cyan")
    else:
        text.append(term_label(graph, p.statement.relation, lang), style="cyan")
    text.append(f" {label(graph, p.stance, lang)}")
    text.append(f"\n{p.statement.id}", style="dim")
    return text


def _table(graph: nx.MultiDiGraph, c: Contradiction, lang: str, sources: dict[str, str]) -> Table:
    holder, proposition = label(graph, c.holder, lang), label(graph, c.proposition, lang)
    title = Text.assemble((holder, "bold"), " was for and against: ", (proposition, "bold"))
    table = Table(title=title, title_justify="left", show_lines=True, header_style="bold", expand=True)
    table.add_column("side", overflow="fold", width=12)
    table.add_column("position as stated", overflow="fold", ratio=4)
    table.add_column("quote (source language)", overflow="fold", ratio=5)
    table.add_column("translation (en)", overflow="fold", ratio=5)
    table.add_column("voice · by, where", overflow="fold", ratio=4)
    for number, side in enumerate(c.sides):
        when = ("earlier" if number == 0 else "later") if c.order_known else "order unknown"
        for i, e in enumerate(side.evidence):
            d = _evidence_dict(graph, e, lang)["statement"]
            head = Text(f"{term_label(graph, side.polarity.capitalize(), lang).upper()}\n({when})") if i == 0 else Text("")
            if e.dated:
                head.append(("\n" if i == 0 else "") + e.dated, style="dim")
            elif e.latest:
                head.append(("\n" if i == 0 else "") + f"by {e.latest} (reported)", style="dim")
            elif c.order_known and e.step is None:
                head.append(("\n" if i == 0 else "") + "(this one: time not known)", style="dim")
            table.add_row(
                head, _position_text(graph, e, lang), d["quote"], d["translation"], provenance_text(d, graph, lang, sources[d["source"]])
            )
            agreed = e.position.agreed
            if agreed is not None:
                a = agreed.as_dict(graph, lang)
                words = Text(f"↳ the statement agreed with:\n{a['subject_label']} {a['relation_label']} {a['object_label']}")
                words.append(f"\n{agreed.id}", style="dim")
                table.add_row(Text(""), words, a["quote"], a["translation"], provenance_text(a, graph, lang, sources[a["source"]]))
    return table


@app.command("contradictions")
@handle_errors
def contradictions_command(format: FormatOption = AnswerFormat.table, lang: LangOption = Lang.en, build: BuildOption = None) -> None:
    """Who supported and opposed the same proposition: both sides, every quote, earlier first.

    A position is a supports/opposes statement, or agreeing with someone else's stance
    statement (then both quotes are shown). Stances declared to negate each other (qg:negates)
    form one proposition: holding one is opposing the other. Sources are not separated: a
    second source about the same people adds its positions to the same propositions. A side is
    earlier when the events it was expressed in are narrated to come first (qg:before), or when
    its sources date it first (a statement's date; a publication date only bounds it from above).
    A side that rests only on judgements is named as someone's framing, not the holder's own position.
    """
    graph = project(build_dir(build).open_store())
    found = contradictions(graph)
    code = lang.value
    if format is AnswerFormat.json:
        emit_json({"contradictions": [_contradiction_dict(graph, c, code) for c in found]})
        return
    if format is AnswerFormat.csv:
        emit_csv(CSV_FIELDS, _csv_rows(graph, found, code))
        return
    if not found:
        out_console.print("No holder was both for and against the same proposition.")
        return
    # sources are referred to as [1], [2] … in the tables and named once below them
    sources: dict[str, str] = {}
    titles: dict[str, str] = {}
    for c in found:
        for side in c.sides:
            for e in side.evidence:
                for stmt in (e.position.statement, e.position.agreed):
                    if stmt is not None and stmt.data["source"] not in sources:
                        sources[stmt.data["source"]] = f"[{len(sources) + 1}]"
                        titles[stmt.data["source"]] = stmt.data["source_title"]
    for c in found:
        out_console.print(_table(graph, c, code, sources))
        for frame in _framing(c):
            out_console.print(_framing_line(graph, c, frame, code), markup=False, highlight=False)
        others = [label(graph, s, code) for s in c.stances if s != c.proposition]
        if others:
            out_console.print(Text(f"declared to negate it: {'; '.join(others)}", style="dim"))
    for ident, ref in sources.items():
        out_console.print(Text(f"{ref} source {ident}: {titles[ident]}", style="dim"))
    note(f"{len(found)} holder(s) and proposition(s) with positions for and against")
