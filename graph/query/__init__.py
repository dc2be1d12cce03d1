"""Asking the store: checking, binding and running SPARQL, result tables, name lookup, the bundled ``.rq`` files."""
