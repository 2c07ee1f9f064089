"""Ingest: read a source document (txt, Markdown, HTML), remove page furniture, split into sentences.

``readers`` decodes files and returns an :class:`IngestedDocument`; ``blocks`` extracts translatable blocks per
format; ``clean`` removes scraped-page furniture and finds title, byline and date; ``segment`` splits English,
Russian and Khmer into sentences; ``project`` runs ingest -> segment -> store for a new project.
"""

from .blocks import IngestedDocument
from .clean import clean_blocks, parse_date
from .lines import tidy
from .readers import (
    FORMATS,
    MAX_BYTES,
    decode_bytes,
    detect_format,
    format_for_name,
    ingest_file,
    ingest_text,
    read_text,
)

__all__ = ["FORMATS", "MAX_BYTES", "IngestedDocument", "clean_blocks", "decode_bytes", "detect_format",
           "format_for_name", "ingest_file", "ingest_text", "parse_date", "read_text", "tidy"]
