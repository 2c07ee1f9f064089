"""Project exports: TMX 1.4b and plain text per language."""
