"""The output folder and its builds, the Oxigraph store inside each, its statistics and its RDF exports."""
