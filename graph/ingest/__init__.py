"""Bringing in new sources and drafting their statements for the curator.

``project``, ``add``, ``html``, ``fetch`` and ``language`` make a project folder and bring a text
in (kg init, kg add: a file, an HTML page or a URL). ``extract`` drafts statements offline
(spaCy's blank pipelines and rule matchers; relations from the ontology's signal words);
``drafts`` and ``review`` keep them in a review file beside the statements until the curator
accepts or rejects them; ``evaluate`` compares drafts with curated statements. This room sits
beside ``graph.rdf``: it reads ``graph.sources`` and ``graph.model``.
"""
