"""From checked records to RDF: IRIs, statement nodes, claims graphs, N-Quads.

Imports :mod:`graph.sources` and :mod:`graph.model` below it; nothing here opens a store.
"""
