"""The project file's tables (one SQLite file per project; opened through :mod:`workbench.core.db`).

``project``      one row: name, source language, target languages (JSON list), created.
``document``     title, date, byline, origin file, format, cleaned text.
``segment``      document, position (global order within the document), paragraph number, source text.
``translation``  one row per segment and target language: text, origin (mt/tm/aligned/human),
                 status (new/draft/translated/reviewed/approved), score, meta (JSON, typed sections in
                 :mod:`workbench.core.meta`), version (optimistic locking), updated_at/by.
``history``      every change to a translation (old/new text, status, origin, who, when, action).
                 Nothing is deleted: undo writes a new change that restores the previous values.
``segment_log``  split/merge operations on segments with the texts involved (JSON), so they can be audited.
``setting``      project settings as JSON values (QA switches, MT model choice, alignment records...).
``qa_state``     per target, the number of QA problems found at a version of its text under a glossary and QA
                 settings stamp: what the editor's "QA problems only" filter reads (a cache; recomputed when
                 stale, never the only copy of anything).
``segment_fts``, ``translation_fts``
                 full-text indexes (FTS5, trigram, case-insensitive) of the source and target texts, kept in
                 step by triggers: the editor's search reads them instead of every segment.
"""

from __future__ import annotations

from .db import Schema

# The text is kept byte for byte: files store it, and opening compares it (see db.check_schema).
_MIGRATION_1 = """
        CREATE TABLE project (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL,
            source_lang TEXT NOT NULL,
            target_langs TEXT NOT NULL,
            created TEXT NOT NULL
        );
        CREATE TABLE document (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            date TEXT,
            byline TEXT,
            origin TEXT,
            format TEXT,
            text TEXT NOT NULL,
            created TEXT NOT NULL
        );
        CREATE TABLE segment (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            paragraph INTEGER NOT NULL,
            source TEXT NOT NULL
        );
        CREATE INDEX segment_doc_pos ON segment(document_id, position);
        CREATE TABLE translation (
            segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
            lang TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            origin TEXT CHECK (origin IS NULL OR origin IN ('mt','tm','aligned','human')),
            status TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new','draft','translated','reviewed','approved')),
            score REAL,
            meta TEXT NOT NULL DEFAULT '{}',
            version INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT,
            updated_by TEXT,
            PRIMARY KEY (segment_id, lang)
        );
        CREATE INDEX translation_status ON translation(lang, status);
        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL,
            lang TEXT NOT NULL,
            version INTEGER NOT NULL,
            action TEXT NOT NULL,
            old_text TEXT, new_text TEXT,
            old_status TEXT, new_status TEXT,
            old_origin TEXT, new_origin TEXT,
            author TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX history_seg ON history(segment_id, lang, id);
        CREATE TABLE segment_log (
            id INTEGER PRIMARY KEY,
            action TEXT NOT NULL,
            detail TEXT NOT NULL,
            author TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE TABLE setting (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """

# Version 2: what the editor needs to page, filter, count and search a big project by index instead of reading
# every segment (covering indexes over a target's language, status and origin; full-text indexes; the QA cache).
_MIGRATION_2 = """
        DROP INDEX translation_status;
        CREATE INDEX translation_status ON translation(lang, status, segment_id);
        CREATE INDEX translation_origin ON translation(lang, origin, segment_id);
        CREATE TABLE qa_state (
            segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
            lang TEXT NOT NULL,
            version INTEGER NOT NULL,
            stamp TEXT NOT NULL,
            problems INTEGER NOT NULL,
            PRIMARY KEY (segment_id, lang)
        );
        CREATE INDEX qa_state_problems ON qa_state(lang, problems, segment_id);
        CREATE VIRTUAL TABLE segment_fts USING fts5(source, content='segment', content_rowid='id',
                                                    tokenize='trigram case_sensitive 0');
        CREATE VIRTUAL TABLE translation_fts USING fts5(text, content='translation', content_rowid='rowid',
                                                        tokenize='trigram case_sensitive 0');
        CREATE TRIGGER segment_fts_insert AFTER INSERT ON segment BEGIN
            INSERT INTO segment_fts(rowid, source) VALUES (new.id, new.source);
        END;
        CREATE TRIGGER segment_fts_delete AFTER DELETE ON segment BEGIN
            INSERT INTO segment_fts(segment_fts, rowid, source) VALUES ('delete', old.id, old.source);
        END;
        CREATE TRIGGER segment_fts_update AFTER UPDATE OF source ON segment BEGIN
            INSERT INTO segment_fts(segment_fts, rowid, source) VALUES ('delete', old.id, old.source);
            INSERT INTO segment_fts(rowid, source) VALUES (new.id, new.source);
        END;
        CREATE TRIGGER translation_fts_insert AFTER INSERT ON translation BEGIN
            INSERT INTO translation_fts(rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE TRIGGER translation_fts_delete AFTER DELETE ON translation BEGIN
            INSERT INTO translation_fts(translation_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TRIGGER translation_fts_update AFTER UPDATE OF text ON translation BEGIN
            INSERT INTO translation_fts(translation_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
            INSERT INTO translation_fts(rowid, text) VALUES (new.rowid, new.text);
        END;
        INSERT INTO segment_fts(segment_fts) VALUES ('rebuild');
        INSERT INTO translation_fts(translation_fts) VALUES ('rebuild');
        """

#: ``MIGRATIONS[i]`` is the SQL script that upgrades a project file from user_version ``i`` to ``i + 1``.
MIGRATIONS = (_MIGRATION_1, _MIGRATION_2)
SCHEMA_VERSION = len(MIGRATIONS)

PROJECT_SCHEMA = Schema(kind="a workbench project", name="the project database", migrations=MIGRATIONS)
