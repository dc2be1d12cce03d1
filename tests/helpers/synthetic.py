"""A generated graph shaped like :func:`graph.network.projection.project`'s, for scale tests and the benchmark.

Building thousands of curated statements through the loader and SHACL would measure the build,
not the page; this makes the projection directly, with the same node and edge attributes, real
relation names from the ontology, a few hubs (endpoints drawn with heavy-tailed weights, as in
news networks) and quotes with sentences around them.
"""

from __future__ import annotations

import random

import networkx as nx

from graph.model.ontology import default_ontology

KINDS = [("person", 40), ("organization", 25), ("stance", 15), ("event", 10), ("document", 5), ("office", 3), ("topic", 2)]
_VOCABULARY = (
    "der die das und nicht mit gegen für eine Klage Unternehmen sagte erklärte Vorstand Gericht Vertrag Fusion "
    "Regierung Bericht Quelle offen geschlossen Milliarden Dollar Streit Partner Gewinn Modell Daten Zukunft"
)
WORDS = _VOCABULARY.split()


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def synthetic_projection(
    n_nodes: int = 5000, n_edges: int = 20000, *, n_sources: int = 200, seed: int = 7, communities: int = 0, inside: float = 0.9
) -> nx.MultiDiGraph:
    """``n_nodes`` entities and ``n_edges`` statements between them (no self-loops).

    With ``communities``, nodes fall into that many groups and a share ``inside`` of the
    statements stays within one group, as stories cluster around a topic; without, endpoints are
    drawn from the whole graph (a hairball: the worst case for drawing, every edge is long).
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    relations = sorted(r.name for r in default_ontology().relations.values() if not r.is_attribute and not r.abstract and not r.chain)
    graph = nx.MultiDiGraph()
    kinds = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    for i in range(n_nodes):
        kind = rng.choices(kinds, weights)[0]
        graph.add_node(
            f"n{i}",
            id=f"n{i}",
            iri=f"https://example.org/entity/n{i}",
            kind=kind,
            type="",
            label_de=f"{kind.capitalize()} {i} (de)",
            label_en=f"{kind.capitalize()} {i}",
            aliases=[f"alias-{i}"],
            description_de=_sentence(rng, 8),
            description_en=_sentence(rng, 8),
            wikidata="",
        )
    ids = list(graph.nodes)
    hub_weights = [1 / (rank + 5) ** 0.9 for rank in range(n_nodes)]
    groups: list[tuple[list[str], list[float]]] = []
    if communities:
        members: dict[int, list[int]] = {}
        for index in range(n_nodes):
            members.setdefault(rng.randrange(communities), []).append(index)
        groups = [([ids[i] for i in m], [hub_weights[i] for i in m]) for m in members.values()]
    for number in range(n_edges):
        if groups and rng.random() < inside:
            group_ids, group_weights = rng.choice(groups)
            u, v = rng.choices(group_ids, group_weights, k=2)
        else:
            u, v = rng.choices(ids, hub_weights, k=2)
        while u == v:
            v = rng.choice(ids)
        relation = rng.choice(relations)
        source = f"s{rng.randrange(n_sources):03d}"
        exact = _sentence(rng, rng.randint(4, 12))
        start = rng.randrange(0, 20_000)
        graph.add_edge(
            u,
            v,
            key=f"st-{number}",
            statement=f"st-{number}",
            relation=relation,
            voice=rng.choice(["narration", "narration", "claim", "quotation", "judgement"]),
            asserted_by=rng.choice(ids[:50]),
            source=source,
            source_title=f"Generated source {source}",
            source_date=f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            expressed_in="",
            translation=_sentence(rng, 8),
            when="",
            polarity={"supports": "for", "opposes": "against"}.get(relation, ""),
            hedged=rng.random() < 0.05,
            derived=False,
            derived_from=[],
            quotes=[
                {
                    "exact": exact,
                    "lang": "de",
                    "start": start,
                    "end": start + len(exact),
                    "prefix": _sentence(rng, 5) + " ",
                    "suffix": " " + _sentence(rng, 6) + ".",
                }
            ],
            quote=exact,
        )
    return graph
