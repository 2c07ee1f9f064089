"""Translation memory: the SQLite memory and its lookup (``memory``), matching rules (``match``), TMX in and out
of the memory (``io``), filling a project from it (``fill``), TMX 1.4b reading and writing (``tmx``), and a
project's segments as TMX units (``units``)."""
