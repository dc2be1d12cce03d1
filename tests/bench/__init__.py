"""Benchmarks at scale: a synthetic corpus generator and a benchmark of every build phase.

A developer's tool, kept beside the tests (it is not shipped in the wheel): from a checkout,
``python -m tests.bench run --sizes 10000,100000`` prints the benchmark table and
``python -m tests.bench generate -n 10000 -o corpus`` writes a corpus. See
:mod:`tests.bench.generate` and :mod:`tests.bench.run`.
"""
