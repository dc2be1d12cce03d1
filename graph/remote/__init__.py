"""Other graph stores: pushing a build into one, and asking a remote SPARQL endpoint."""
