"""What the interactive page shows, prepared from the networkx projection: plain JSON-ready data.

The page draws one edge per (subject, relation, object) and lists on it every statement that
supports it, each with its quotes, who asserts it and the source; nodes carry their labels in
both languages. Everything the browser needs to draw (colours, shapes, sizes, positions, physics)
is produced by pyvis's ``Network`` so that the vis-network options stay the ones pyvis documents;
the page itself is rendered by :mod:`graph.view.page`, not by pyvis's template.

Positions are computed here (:mod:`graph.view.layout`) when a graph is too big for the browser's
physics to settle quickly; smaller graphs are laid out by vis-network, which then stops.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import pyoxigraph
from pyvis.edge import Edge
from pyvis.network import Network
from rdflib import Literal, URIRef

from graph.errors import UsageError
from graph.model.lang import display_label
from graph.model.ontology import Ontology, default_ontology
from graph.model.vocab import QG, RDFS
from graph.view.layout import spread_layout
from graph.view.strings import STRINGS

LANGS = ("de", "en")

#: above either bound the layout is computed in Python and the browser's physics stays off
PHYSICS_MAX_NODES = 400
PHYSICS_MAX_EDGES = 1500

#: node colour (Okabe–Ito, safe for colour-blind readers) and a vis shape whose size follows degree
KIND_STYLE: dict[str, tuple[str, str]] = {
    "person": ("#0072B2", "dot"),
    "organization": ("#E69F00", "square"),
    "stance": ("#CC79A7", "diamond"),
    "office": ("#F0E442", "triangle"),
    "event": ("#56B4E9", "hexagon"),
    "document": ("#8C8C8C", "triangleDown"),
    "topic": ("#333333", "star"),
}
OTHER_KIND = ("#BBBBBB", "dot")

#: edge styles; the page's legend shows the same colours
SUPPORT_COLOR = "#009E73"
OPPOSE_COLOR = "#D55E00"
DERIVED_COLOR = "#7A7A7A"
EDGE_COLOR = "#9AA0A6"
CONFLICT_GLOW = "rgba(230, 159, 0, 0.95)"

LABEL_MAX = 48


def negations(store: pyoxigraph.Store) -> dict[str, set[str]]:
    """Stance id → the stances it negates (qg:negates, declared by the curator; symmetric)."""
    query = f"""
    PREFIX schema: <https://schema.org/>
    SELECT ?a ?b WHERE {{
      GRAPH ?g {{ ?x <{QG.negates}> ?y }}
      GRAPH ?gx {{ ?x schema:identifier ?a }} GRAPH ?gy {{ ?y schema:identifier ?b }}
    }}"""
    out: dict[str, set[str]] = defaultdict(set)
    for row in store.query(query):  # type: ignore[union-attr]
        out[row["a"].value].add(row["b"].value)
        out[row["b"].value].add(row["a"].value)
    return dict(out)


def conflicting_positions(graph: nx.MultiDiGraph, negates: Mapping[str, set[str]]) -> dict[tuple[str, str], set[str]]:
    """(holder, stance) pairs the graph records both for and against → the statements involved.

    Supporting a stance counts as opposing every stance it negates (that is what qg:negates
    declares). Deliberately small: it ignores time and voice; ``kg contradictions`` (another
    module) is the place for a full account.
    """
    sides: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: {"for": set(), "against": set()})
    for holder, stance, key, d in graph.edges(keys=True, data=True):
        if d.get("polarity") not in ("for", "against"):
            continue
        sides[holder, stance][d["polarity"]].add(key)
        if d["polarity"] == "for":
            for other in negates.get(stance, ()):
                sides[holder, other]["against"].add(key)
    return {pair: s["for"] | s["against"] for pair, s in sides.items() if s["for"] and s["against"]}


def _labels(labels: Mapping[str, str], fallback: str) -> dict[str, str]:
    # a missing label falls back visibly: "Elon Musk (de)"
    return {lang: display_label(labels, lang, fallback) for lang in LANGS}


def _term_labels(onto: Ontology, iri: URIRef) -> dict[str, str]:
    """rdfs:label of any ontology term by language (classes, individuals such as qg:For)."""
    return {label.language: str(label) for label in onto.graph.objects(iri, RDFS.label) if isinstance(label, Literal) and label.language}


def _short(text: str) -> str:
    if len(text) <= LABEL_MAX:
        return text
    cut = text[: LABEL_MAX - 1].rsplit(" ", 1)[0] if " " in text[: LABEL_MAX - 1] else text[: LABEL_MAX - 1]
    return cut.rstrip(" ,;:") + "…"


def _statement(key: str, d: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": key,
        "voice": d["voice"],
        "by": d["asserted_by"],
        "source": d["source"],
        "in": d.get("expressed_in", ""),
        "translation": d.get("translation", ""),
        "when": d.get("when", ""),
        "polarity": d.get("polarity", ""),
        "hedged": bool(d.get("hedged")),
        "derived_from": list(d.get("derived_from", [])),
        "quotes": [{f: q[f] for f in ("exact", "lang", "start", "end", "prefix", "suffix")} for q in d["quotes"]],
    }


def _node_size(degree: int, physics: bool) -> float:
    """Radius by degree; smaller in big graphs, where thousands of nodes share the screen."""
    if physics:
        return round(min(10 + 4.5 * math.sqrt(degree), 60), 1)
    return round(min(6 + 3 * math.sqrt(degree), 30), 1)


def _node_color(color: str, conflict: bool) -> dict[str, Any]:
    border = "#E69F00" if conflict else "#2B2B2B"
    return {"background": color, "border": border, "highlight": {"background": color, "border": "#000000"}}


def _edge_style(polarity: str, derived: bool, n_statements: int, conflict: bool) -> dict[str, Any]:
    color = SUPPORT_COLOR if polarity == "for" else OPPOSE_COLOR if polarity == "against" else DERIVED_COLOR if derived else EDGE_COLOR
    style: dict[str, Any] = {
        "color": {"color": color, "highlight": "#000000", "hover": color},
        "width": min(1 + n_statements, 5) + (2 if conflict else 0),
    }
    if polarity == "against":
        style["dashes"] = [8, 5]
    elif derived:
        style["dashes"] = [2, 4]
    if conflict:
        style["shadow"] = {"enabled": True, "color": CONFLICT_GLOW, "size": 14, "x": 0, "y": 0}
    return style


def _names(
    graph: nx.MultiDiGraph,
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    conflicts: list[dict[str, Any]],
    label_of: Mapping[str, dict[str, str]],
    everyone: Mapping[str, Mapping[str, Any]],
) -> dict[str, dict[str, str]]:
    """Labels of every entity the page names: drawn ones, and those statements mention (who asserts
    them, where they were expressed) even when a focus or a source selection left them out."""
    mentioned: set[str] = set(graph.nodes)
    for edge in edges:
        for st in edge["statements"]:
            mentioned.update(x for x in (st["by"], st["in"]) if x)
    for node in nodes:
        mentioned.update(x for a in node["attributes"] for x in (a["by"], a["in"]) if x)
    mentioned.update(x for c in conflicts for x in (c["holder"], c["stance"]))
    return {
        ident: label_of.get(ident)
        or _labels({"de": everyone.get(ident, {}).get("label_de", ""), "en": everyone.get(ident, {}).get("label_en", "")}, ident)
        for ident in sorted(mentioned)
    }


def _sources(graph: nx.MultiDiGraph) -> dict[str, dict[str, str]]:
    """Title and date of every source a drawn statement comes from."""
    found: dict[str, dict[str, str]] = {}
    for _, _, d in graph.edges(data=True):
        found.setdefault(d["source"], {"title": d["source_title"], "date": d.get("source_date", "")})
    for _, attrs in graph.nodes(data=True):
        for a in attrs.get("attributes", []):
            found.setdefault(a["source"], {"title": a["source_title"], "date": a.get("source_date", "")})
    return dict(sorted(found.items()))


def _options(net: Network, physics: bool) -> dict[str, Any]:
    """vis-network options: pyvis's physics settings, with what the page needs added."""
    if physics:
        net.force_atlas_2based(gravity=-110, central_gravity=0.012, spring_length=170, spring_strength=0.05, damping=0.5, overlap=0.6)
    else:
        net.toggle_physics(False)
    options: dict[str, Any] = json.loads(net.options.to_json())
    options["physics"]["stabilization"] = {"enabled": physics, "iterations": 600, "updateInterval": 50, "fit": True}
    options["layout"] = {"randomSeed": 7, "improvedLayout": physics}
    options["nodes"] = {"font": {"size": 14, "face": "system-ui, sans-serif"}, "borderWidth": 1.5, "borderWidthSelected": 3}
    options["edges"] = {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
        "font": {"size": 11, "align": "middle", "strokeWidth": 3, "color": "#333333"},
        "selectionWidth": 2,
        "hoverWidth": 1,
        "color": {"inherit": False},
        "smooth": {"enabled": True, "type": "continuous", "roundness": 0.2} if physics else {"enabled": False},
    }
    options["interaction"] = {
        "hover": physics,  # hover highlighting redraws everything on every move: too slow for big graphs
        "tooltipDelay": 120,
        "keyboard": False,
        "hideEdgesOnDrag": not physics,
        "hideEdgesOnZoom": not physics,
        "multiselect": False,
    }
    return options


def view_model(
    graph: nx.MultiDiGraph,
    *,
    negates: Mapping[str, set[str]] | None = None,
    lang: str = "en",
    focus: str | None = None,
    title: str = "quotegraph",
    names: Iterable[tuple[str, Mapping[str, Any]]] = (),
    ontology: Ontology | None = None,
    layout_seed: int = 1,
) -> dict[str, Any]:
    """Everything the page needs, as JSON-ready data (see the module docstring).

    ``focus`` is the id of a node the page selects and centres on when it opens.
    ``names`` are entities beyond the drawn ones (id, attributes with label_de/label_en) whose
    names statements mention: who asserts them, where they were expressed.
    """
    if lang not in LANGS:
        raise UsageError(f"--lang must be one of {', '.join(LANGS)}, not '{lang}'")
    onto = ontology or default_ontology()
    conflicts = conflicting_positions(graph, negates or {})
    conflict_statements = {key for keys in conflicts.values() for key in keys}
    conflict_stances = {stance for _, stance in conflicts}

    # one drawn edge per (subject, relation, object), with every statement that supports it
    grouped: dict[tuple[str, str, str], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for u, v, key, d in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[3]["relation"], e[2])):
        grouped[u, d["relation"], v].append((key, d))

    physics = graph.number_of_nodes() <= PHYSICS_MAX_NODES and len(grouped) <= PHYSICS_MAX_EDGES
    degree = dict(graph.degree())
    size = {ident: _node_size(degree[ident], physics) for ident in graph.nodes}
    positions: dict[Any, tuple[float, float]] = {}
    if not physics:
        order = sorted(graph.nodes)
        positions = spread_layout(
            order,
            sorted({(u, v) for u, _, v in grouped}),
            seed=layout_seed,
            mass=[math.sqrt(1 + degree[i]) for i in order],  # hubs push harder, so their neighbourhoods get room
            radius=[size[i] * 1.15 for i in order],  # a square's corners reach past its size
        )

    net = Network(directed=True, height="100%", width="100%")
    label_of: dict[str, dict[str, str]] = {}
    for ident, attrs in sorted(graph.nodes(data=True)):
        label_of[ident] = _labels({"de": attrs.get("label_de", ""), "en": attrs.get("label_en", "")}, ident)
    nodes: list[dict[str, Any]] = []
    node_sources: dict[str, set[str]] = defaultdict(set)
    for ident, attrs in sorted(graph.nodes(data=True)):
        kind = attrs.get("kind", "")
        color, shape = KIND_STYLE.get(kind, OTHER_KIND)
        node_degree = int(degree[ident])
        extra: dict[str, Any] = {"x": positions[ident][0], "y": positions[ident][1]} if ident in positions else {}
        if kind == "stance":
            extra["widthConstraint"] = {"maximum": 170}
        net.add_node(
            ident,
            label=_short(label_of[ident][lang]),
            shape=shape,
            color=_node_color(color, ident in conflict_stances),
            size=size[ident],
            borderWidth=3 if ident in conflict_stances else 1.5,
            **extra,
        )
        attributes = [
            {**_statement(a["statement"], a), "relation": a["relation"], "value": a["value"]} for a in attrs.get("attributes", [])
        ]
        node_sources[ident].update(a["source"] for a in attributes)
        nodes.append(
            {
                "id": ident,
                "kind": kind,
                "type": attrs.get("type", ""),
                "label": label_of[ident],
                "short": {lang_: _short(text) for lang_, text in label_of[ident].items()},
                "aliases": list(attrs.get("aliases", [])),
                "description": {lang_: attrs.get(f"description_{lang_}", "") for lang_ in LANGS},
                "wikidata": attrs.get("wikidata", ""),
                "degree": node_degree,
                "attributes": attributes,
            }
        )

    edges: list[dict[str, Any]] = []
    pair_count: dict[frozenset[str], int] = defaultdict(int)
    for number, ((u, relation, v), statements) in enumerate(grouped.items()):
        edge_id = f"e{number}"
        polarity = next((d["polarity"] for _, d in statements if d.get("polarity")), "")
        derived = all(d.get("derived") for _, d in statements)
        conflict = any(key in conflict_statements for key, _ in statements)
        style = _edge_style(polarity, derived, len(statements), conflict)
        pair = frozenset((u, v))
        if physics and pair_count[pair]:  # parallel edges: bend each a little more, so each can be clicked
            style["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.18 * pair_count[pair]}
        pair_count[pair] += 1
        rel_labels = _labels(onto.relations[relation].labels if relation in onto.relations else {}, relation)
        label = ("⚠ " if conflict else "") + rel_labels[lang]
        # pyvis's Edge, not Network.add_edge: add_edge scans the node list for both ends, O(n) per edge
        net.edges.append(Edge(u, v, directed=True, id=edge_id, label=label, **style).options)
        sources = sorted({d["source"] for _, d in statements})
        node_sources[u].update(sources)
        node_sources[v].update(sources)
        edges.append(
            {
                "id": edge_id,
                "from": u,
                "to": v,
                "relation": relation,
                "polarity": polarity,
                "derived": derived,
                "conflict": conflict,
                "sources": sources,
                "statements": [_statement(key, d) for key, d in statements],
            }
        )

    for node in nodes:
        node["sources"] = sorted(node_sources[node["id"]])
    conflict_list: list[dict[str, Any]] = [
        {"holder": h, "stance": s, "statements": sorted(keys)} for (h, s), keys in sorted(conflicts.items())
    ]

    name_map = _names(graph, nodes, edges, conflict_list, label_of, dict(names))
    sources_info = _sources(graph)

    relations_used = sorted({e["relation"] for e in edges} | {a["relation"] for n in nodes for a in n["attributes"]})
    kinds_used = sorted({n["kind"] for n in nodes})
    types_used = sorted({n["type"] for n in nodes if n["type"]})
    voices = {"narration": QG.Narration, "claim": QG.Claim, "quotation": QG.Quotation, "judgement": QG.Judgement}
    return {
        "format": 1,
        "title": title,
        "lang": lang,
        "focus": focus if focus in graph else None,
        "physics": physics,
        "strings": STRINGS,
        "kinds": [
            {
                "id": kind,
                "label": _labels(onto.class_labels.get(onto.kinds[kind], {}) if kind in onto.kinds else {}, kind),
                "color": KIND_STYLE.get(kind, OTHER_KIND)[0],
                "shape": KIND_STYLE.get(kind, OTHER_KIND)[1],
            }
            for kind in kinds_used
        ],
        "types": {t: _labels(onto.class_labels.get(onto.classes[t], {}) if t in onto.classes else {}, t) for t in types_used},
        "relations": {r: _labels(onto.relations[r].labels if r in onto.relations else {}, r) for r in relations_used},
        "voices": {v: _labels(_term_labels(onto, iri), v) for v, iri in voices.items()},
        "polarities": {"for": _labels(_term_labels(onto, QG.For), "for"), "against": _labels(_term_labels(onto, QG.Against), "against")},
        "edge_colors": {
            "for": SUPPORT_COLOR,
            "against": OPPOSE_COLOR,
            "derived": DERIVED_COLOR,
            "other": EDGE_COLOR,
            "conflict": CONFLICT_GLOW,
        },
        "sources": sources_info,
        "names": name_map,
        "nodes": nodes,
        "edges": edges,
        "conflicts": conflict_list,
        "vis": {"nodes": net.nodes, "edges": net.edges, "options": _options(net, physics)},
    }
