"""SHACL: the shapes of ``ontology/shapes.ttl``: what data can break checked on every build, every shape by pySHACL or as SPARQL for an audit."""
