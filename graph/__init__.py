"""quotegraph: a knowledge graph of people, organisations and positions, every edge with its quote.

The package is layered so that imports only point inwards:
``model`` (pydantic records) → ``loader``/``rdf``/``store`` (reading data, writing RDF) →
``sparql``/``export`` (asking and writing out) → ``cli`` (the ``kg`` command).
"""

__version__ = "0.1.0"
