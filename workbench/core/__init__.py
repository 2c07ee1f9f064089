"""The core every stage stands on: errors, configuration and paths, safe file I/O, the one SQLite helper (``db``),
the project store (``store``, its tables in ``schema``), the workflow rules (``workflow``) and the typed sections
of a translation's meta (``meta``)."""
