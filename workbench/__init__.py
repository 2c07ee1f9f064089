"""workbench: a translation and bilingual alignment workbench for diplomatic texts (EN/RU/KM).

Stages (one module or subpackage each), all reading and writing one Project/Segment model
(:mod:`workbench.store`):

ingest -> segment -> (tm | mt + glossary) -> align -> editor (ui) -> qa -> export (tmx, glossary)
"""

__version__ = "0.1.0"

LANGUAGES = {"en": "English", "ru": "Russian", "km": "Khmer"}
