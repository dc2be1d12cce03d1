"""The model at the centre: pydantic records of the curated data, and the vocabulary read from the ontology.

``records`` holds what a data folder's YAML becomes; ``vocab`` the RDF namespaces, whose terms
must exist in ``ontology/quotegraph.ttl`` (a test checks); ``ontology`` reads the ontology into
what the loader checks statements against; ``lang`` the languages labels are given in and which
one to show (light, so that every command can take ``--lang`` without importing pydantic's
models); ``dates`` a statement's date at the precision its source gives (day, month or year). Imports nothing above itself.
"""
