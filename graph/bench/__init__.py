"""Benchmarks at scale: a synthetic corpus generator and a benchmark of every build phase.

``python -m graph.bench`` runs the benchmark and prints one table; ``kg bench generate`` writes a
corpus. See :mod:`graph.bench.generate` and :mod:`graph.bench.run`.
"""
