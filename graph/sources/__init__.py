"""Reading a data folder: files, YAML with line numbers, texts, quote anchoring, derived statements.

The first stage of the pipeline: a data folder (``sources/``, ``entities.yaml``, ``statements/``)
becomes checked, anchored records of :mod:`graph.model.records`, or a :class:`graph.errors.DataError`
naming file, line and field. Imports only :mod:`graph.model` below it.
"""
