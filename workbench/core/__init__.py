"""The core every stage stands on: errors, configuration and paths, safe file I/O, the project store."""
