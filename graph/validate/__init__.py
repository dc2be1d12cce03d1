"""SHACL: the shapes of ``ontology/shapes.ttl`` checked by pySHACL, and compiled to SPARQL for scale."""
