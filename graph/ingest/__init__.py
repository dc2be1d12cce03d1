"""Bringing in new sources: project folders, kg init, kg add, and (branch extract) drafted statements."""
