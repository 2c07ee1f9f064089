"""Translation memory: the SQLite memory and its matching (``memory``), TMX 1.4b reading and writing (``tmx``),
and a project's segments as TMX units (``units``)."""
