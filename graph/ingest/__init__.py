"""Bringing in new text: an article's text from HTML, and statements drafted from it for the curator.

``extract`` drafts statements offline (spaCy's blank pipelines and rule matchers; relations from the
ontology's signal words); ``drafts`` and ``review`` keep them in a review file beside the
statements until the curator accepts or rejects them; ``evaluate`` compares drafts with curated
statements. This room sits beside ``graph.rdf``: it reads ``graph.sources`` and ``graph.model``.
"""
