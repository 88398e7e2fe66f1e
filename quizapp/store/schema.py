"""The progress database's schema, as forward migrations keyed by `PRAGMA user_version`.

Never edit a migration that has shipped: add the next one. `tests/store/test_store.py` builds a
database at every earlier version, fills it, and checks the upgrade keeps everything; each
migration has its own test of the rows it must keep (`test_durations.py` for 4,
`test_predicted_pass.py` for 5).
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: spaced-repetition state, the review log, answers, the missed queue and settings.
    """
    CREATE TABLE item_state (
        item_id        TEXT PRIMARY KEY,
        kind           TEXT NOT NULL CHECK (kind IN ('card', 'question')),
        card_json      TEXT NOT NULL,             -- fsrs.Card.to_dict()
        due            INTEGER NOT NULL,          -- epoch seconds, for the due index
        lapses         INTEGER NOT NULL DEFAULT 0,
        reps           INTEGER NOT NULL DEFAULT 0,
        leech          INTEGER NOT NULL DEFAULT 0,
        introduced_day TEXT NOT NULL              -- local date of the first review
    ) WITHOUT ROWID;
    CREATE INDEX item_state_due ON item_state (kind, due);
    CREATE INDEX item_state_introduced ON item_state (kind, introduced_day);

    CREATE TABLE review (
        id           INTEGER PRIMARY KEY,
        item_id      TEXT NOT NULL,
        kind         TEXT NOT NULL,
        rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        reviewed_at  TEXT NOT NULL,               -- ISO 8601, UTC
        mode         TEXT NOT NULL,
        before_json  TEXT                         -- the state it replaced, for undo; NULL if new
    );
    CREATE INDEX review_item ON review (item_id, reviewed_at);
    CREATE INDEX review_time ON review (reviewed_at);

    CREATE TABLE answer (
        id            INTEGER PRIMARY KEY,
        question_id   TEXT NOT NULL,
        answered_at   TEXT NOT NULL,              -- ISO 8601, UTC
        day           TEXT NOT NULL,              -- the learner's local date
        correct       INTEGER NOT NULL,
        guess         INTEGER NOT NULL DEFAULT 0,
        mode          TEXT NOT NULL,
        response_json TEXT NOT NULL,
        review_id     INTEGER REFERENCES review (id) ON DELETE SET NULL
    );
    CREATE INDEX answer_question ON answer (question_id, answered_at);
    CREATE INDEX answer_time ON answer (answered_at);

    CREATE TABLE missed (
        question_id    TEXT PRIMARY KEY,
        times_missed   INTEGER NOT NULL,
        last_missed_at TEXT NOT NULL,
        right_days     INTEGER NOT NULL,          -- distinct days answered right since then
        in_queue       INTEGER NOT NULL,
        due            INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX missed_queue ON missed (in_queue, due, times_missed DESC);

    CREATE TABLE setting (
        key        TEXT PRIMARY KEY,
        value_json TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 2: practice exams, resumable at every step.
    """
    CREATE TABLE exam (
        id            INTEGER PRIMARY KEY,
        seed          INTEGER NOT NULL,
        started_at    TEXT NOT NULL,
        time_limit_s  INTEGER NOT NULL,
        questions_json TEXT NOT NULL,             -- question ids in exam order
        status        TEXT NOT NULL CHECK (status IN ('in_progress', 'submitted', 'timed_out')),
        position      INTEGER NOT NULL DEFAULT 0,
        elapsed_s     REAL NOT NULL DEFAULT 0,    -- time used up to the last committed step
        finished_at   TEXT,
        result_json   TEXT,
        predicted     INTEGER                     -- readiness estimate when it started
    );
    CREATE INDEX exam_status ON exam (status);

    CREATE TABLE exam_answer (
        exam_id       INTEGER NOT NULL REFERENCES exam (id) ON DELETE CASCADE,
        position      INTEGER NOT NULL,
        response_json TEXT,
        flagged       INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (exam_id, position)
    ) WITHOUT ROWID;
    """,
    # 3: stored progress that could not be used, kept instead of deleted (`quizapp doctor --repair`).
    """
    CREATE TABLE set_aside (
        id           INTEGER PRIMARY KEY,
        what         TEXT NOT NULL,               -- item_state | exam | setting
        key          TEXT NOT NULL,               -- the item id, exam id or setting key
        value_json   TEXT NOT NULL,               -- the row as it was (an exam with its answers)
        reason       TEXT NOT NULL,
        set_aside_at TEXT NOT NULL                -- ISO 8601, UTC
    );
    CREATE INDEX set_aside_what ON set_aside (what, key);
    """,
    # 4: time on each item, in ms from shown to submitted (pauses and time away left out). NULL is
    # "not measured" (every row written before this, an import without times), never 0.
    # One source of truth per event: a flashcard rating's time is on its review row; a question's
    # time is on its answer, and the review row the answer links to (review_id) carries none. An
    # exam item's time is summed over its visits and saved with each exam step.
    """
    ALTER TABLE answer ADD COLUMN duration_ms INTEGER CHECK (duration_ms >= 0);
    ALTER TABLE review ADD COLUMN duration_ms INTEGER CHECK (duration_ms >= 0);
    ALTER TABLE exam_answer ADD COLUMN duration_ms INTEGER CHECK (duration_ms >= 0);
    """,
    # 5: the pass chance predicted just before each exam (P(scaled >= passing), `study.passchance`),
    # kept beside `predicted` (the scaled score predicted then), so the predictions can be checked
    # against the results (a Brier score). NULL: an exam from before pass chances.
    """
    ALTER TABLE exam ADD COLUMN predicted_pass REAL
        CHECK (predicted_pass IS NULL OR (predicted_pass >= 0 AND predicted_pass <= 1));
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
