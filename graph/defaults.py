"""Defaults that the command line shows in ``--help``, kept apart from the code that uses them.

``kg path`` should not load the build pipeline, the page renderer or an HTTP client just to
read their defaults: every ``kg`` command registers all commands at start-up, so the command
modules import only this module and load their engines inside the command that runs
(:mod:`graph.cli`). Each default is re-exported by the module it belongs to.
"""

from __future__ import annotations

#: the base of entity and statement IRIs (:mod:`graph.rdf.quads`)
DEFAULT_BASE_IRI = "https://w3id.org/quotegraph/id/"
#: who checks the SHACL shapes (:mod:`graph.build.pipeline`; "data": only what data can break, :mod:`graph.validate.contract`)
SHACL_ENGINES = ("auto", "pyshacl", "sparql", "data")
#: triples per request of ``kg push`` (:mod:`graph.remote.push`)
PUSH_BATCH_SIZE = 50_000
#: at most this many entities on a page (:mod:`graph.view.scope`); how long such a page takes to become usable in
#: Chromium is the benchmark phase "that view usable in Chromium" (python -m tests.bench run)
VIEW_MAX_NODES = 5_000
#: at most this many statements on a page (:mod:`graph.view.scope`)
VIEW_MAX_STATEMENTS = 20_000
