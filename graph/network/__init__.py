"""The graph as a network: projection to networkx, the build's network cache, analysis, stances, graph formats."""
