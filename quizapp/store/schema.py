"""The progress database's schema, as forward migrations keyed by `PRAGMA user_version`.

Never edit a migration that has shipped: add the next one. `tests/store/test_store.py` builds a
database at every earlier version, fills it, and checks the upgrade keeps everything; each
migration has its own test of the rows it must keep (`test_durations.py` for 4,
`test_predicted_pass.py` for 5, `test_summaries_migration.py` for 6).
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
    # 6: summaries, so what Home, the dashboard and `stats` show costs the same after a year of study
    # as on the first day (issue 18). Triggers keep them in the same transaction as the row that
    # changes them, whoever writes it (an answer, an undo, an import, a sync, a repair), and they are
    # rebuilt here from the log: the log stays the truth, these are only its running totals.
    # - tally: counters ('answers', 'answers_correct', 'answers_guess', 'reviews:<kind>');
    # - question_tally: per question, answers and right ones, and its first answer (by time, then
    #   id) with whether that was right and not a guess (`store.summaries.first_tries`);
    # - answer_recent: each question's newest 20 answers (`readiness.RECENT_ANSWERS`), from which
    #   any group's newest 20 can be merged (a group's newest 20 are among its questions' newest 20);
    # - review_outcome: the reviews true retention counts (of an item in review, with a scheduled
    #   interval), with that interval in days, worked out once from `before_json` when the review is
    #   written (`store.retention`), clustered by time so a period is one range;
    # - housekeeping: when the last full `quick_check` passed (`db.QUICK_CHECK_EVERY`).
    # And indexes: the newest question review (`review_kind`), the last exam (`exam_started`), the
    # median answer time (`answer_duration`).
    """
    CREATE TABLE tally (
        name TEXT PRIMARY KEY,
        n    INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO tally (name, n) SELECT 'answers', count(*) FROM answer;
    INSERT INTO tally (name, n) SELECT 'answers_correct', coalesce(sum(correct), 0) FROM answer;
    INSERT INTO tally (name, n) SELECT 'answers_guess', coalesce(sum(guess), 0) FROM answer;
    INSERT INTO tally (name, n) SELECT 'reviews:' || kind, count(*) FROM review GROUP BY kind;

    CREATE TABLE question_tally (
        question_id TEXT PRIMARY KEY,
        answered    INTEGER NOT NULL,
        correct     INTEGER NOT NULL,
        first_id    INTEGER NOT NULL,
        first_at    TEXT NOT NULL,
        first_right INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO question_tally (question_id, answered, correct, first_id, first_at, first_right)
        SELECT question_id, count(*), sum(correct), 0, '', 0 FROM answer GROUP BY question_id;
    UPDATE question_tally SET (first_id, first_at, first_right) = (
        SELECT id, answered_at, correct AND NOT guess FROM answer
        WHERE answer.question_id = question_tally.question_id ORDER BY answered_at, id LIMIT 1);

    CREATE TABLE answer_recent (
        id          INTEGER PRIMARY KEY,
        question_id TEXT NOT NULL,
        answered_at TEXT NOT NULL,
        correct     INTEGER NOT NULL
    );
    CREATE INDEX answer_recent_question ON answer_recent (question_id, answered_at);
    CREATE INDEX answer_recent_time ON answer_recent (answered_at);
    INSERT INTO answer_recent (id, question_id, answered_at, correct)
        SELECT id, question_id, answered_at, correct FROM (
            SELECT id, question_id, answered_at, correct, row_number() OVER (
                PARTITION BY question_id ORDER BY answered_at DESC, id DESC) AS newest
            FROM answer)
        WHERE newest <= 20;

    CREATE TRIGGER answer_summaries_insert AFTER INSERT ON answer BEGIN
        UPDATE tally SET n = n + CASE name WHEN 'answers' THEN 1 WHEN 'answers_correct' THEN new.correct
            ELSE new.guess END WHERE name IN ('answers', 'answers_correct', 'answers_guess');
        INSERT INTO question_tally (question_id, answered, correct, first_id, first_at, first_right)
            VALUES (new.question_id, 1, new.correct, new.id, new.answered_at, new.correct AND NOT new.guess)
            ON CONFLICT (question_id) DO UPDATE SET answered = answered + 1, correct = correct + new.correct;
        UPDATE question_tally SET first_id = new.id, first_at = new.answered_at,
            first_right = new.correct AND NOT new.guess
            WHERE question_id = new.question_id AND (new.answered_at, new.id) < (first_at, first_id);
        INSERT INTO answer_recent (id, question_id, answered_at, correct)
            VALUES (new.id, new.question_id, new.answered_at, new.correct);
        DELETE FROM answer_recent WHERE id IN (
            SELECT id FROM answer_recent WHERE question_id = new.question_id
            ORDER BY answered_at DESC, id DESC LIMIT -1 OFFSET 20);
    END;

    -- A removed or changed answer (an undo, a guess marked): the question's summaries are worked
    -- out again from its answers alone, through the answer_question index.
    CREATE TRIGGER answer_summaries_delete AFTER DELETE ON answer BEGIN
        UPDATE tally SET n = n - CASE name WHEN 'answers' THEN 1 WHEN 'answers_correct' THEN old.correct
            ELSE old.guess END WHERE name IN ('answers', 'answers_correct', 'answers_guess');
        DELETE FROM question_tally WHERE question_id = old.question_id;
        INSERT INTO question_tally (question_id, answered, correct, first_id, first_at, first_right)
            SELECT old.question_id, n, c, f.id, f.answered_at, f.correct AND NOT f.guess
            FROM (SELECT count(*) AS n, sum(correct) AS c FROM answer WHERE question_id = old.question_id)
            JOIN (SELECT id, answered_at, correct, guess FROM answer WHERE question_id = old.question_id
                  ORDER BY answered_at, id LIMIT 1) AS f;
        DELETE FROM answer_recent WHERE question_id = old.question_id;
        INSERT INTO answer_recent (id, question_id, answered_at, correct)
            SELECT id, question_id, answered_at, correct FROM answer WHERE question_id = old.question_id
            ORDER BY answered_at DESC, id DESC LIMIT 20;
    END;

    CREATE TRIGGER answer_summaries_update AFTER UPDATE OF question_id, answered_at, correct, guess
    ON answer BEGIN
        UPDATE tally SET n = n + CASE name WHEN 'answers' THEN 0
            WHEN 'answers_correct' THEN new.correct - old.correct ELSE new.guess - old.guess END
            WHERE name IN ('answers', 'answers_correct', 'answers_guess');
        DELETE FROM question_tally WHERE question_id IN (old.question_id, new.question_id);
        INSERT INTO question_tally (question_id, answered, correct, first_id, first_at, first_right)
            SELECT q.question_id, count(*), sum(a.correct), 0, '', 0
            FROM (SELECT old.question_id AS question_id UNION SELECT new.question_id) AS q
            JOIN answer AS a ON a.question_id = q.question_id GROUP BY q.question_id;
        UPDATE question_tally SET (first_id, first_at, first_right) = (
            SELECT id, answered_at, correct AND NOT guess FROM answer
            WHERE answer.question_id = question_tally.question_id ORDER BY answered_at, id LIMIT 1)
            WHERE question_id IN (old.question_id, new.question_id);
        DELETE FROM answer_recent WHERE question_id IN (old.question_id, new.question_id);
        INSERT INTO answer_recent (id, question_id, answered_at, correct)
            SELECT id, question_id, answered_at, correct FROM answer WHERE question_id = old.question_id
            ORDER BY answered_at DESC, id DESC LIMIT 20;
        INSERT OR IGNORE INTO answer_recent (id, question_id, answered_at, correct)
            SELECT id, question_id, answered_at, correct FROM answer WHERE question_id = new.question_id
            ORDER BY answered_at DESC, id DESC LIMIT 20;
    END;

    CREATE INDEX review_kind ON review (kind);
    CREATE TRIGGER review_tally_insert AFTER INSERT ON review BEGIN
        INSERT INTO tally (name, n) VALUES ('reviews:' || new.kind, 1)
            ON CONFLICT (name) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER review_tally_delete AFTER DELETE ON review BEGIN
        UPDATE tally SET n = n - 1 WHERE name = 'reviews:' || old.kind;
    END;
    CREATE TRIGGER review_tally_update AFTER UPDATE OF kind ON review BEGIN
        UPDATE tally SET n = n - 1 WHERE name = 'reviews:' || old.kind;
        INSERT INTO tally (name, n) VALUES ('reviews:' || new.kind, 1)
            ON CONFLICT (name) DO UPDATE SET n = n + 1;
    END;

    CREATE TABLE review_outcome (
        reviewed_at   TEXT NOT NULL,
        id            INTEGER NOT NULL,             -- the review's id
        kind          TEXT NOT NULL,
        rating        INTEGER NOT NULL,
        interval_days REAL NOT NULL,                -- the interval it was scheduled at
        PRIMARY KEY (reviewed_at, id)
    ) WITHOUT ROWID;
    INSERT INTO review_outcome (reviewed_at, id, kind, rating, interval_days)
        SELECT reviewed_at, id, kind, rating, interval FROM (
            SELECT reviewed_at, id, kind, rating,
                CASE WHEN json_valid(before_json) THEN json_extract(before_json, '$.card.state') END AS state,
                CASE WHEN json_valid(before_json) THEN (json_extract(before_json, '$.due') / 86400.0
                    + 2440587.5) - julianday(json_extract(before_json, '$.card.last_review')) END AS interval
            FROM review WHERE before_json IS NOT NULL)
        WHERE state = 2 AND interval IS NOT NULL;
    CREATE TRIGGER review_outcome_insert AFTER INSERT ON review
    WHEN new.before_json IS NOT NULL AND json_valid(new.before_json)
        AND json_extract(new.before_json, '$.card.state') = 2 BEGIN
        INSERT INTO review_outcome (reviewed_at, id, kind, rating, interval_days)
            SELECT new.reviewed_at, new.id, new.kind, new.rating, interval FROM (
                SELECT (json_extract(new.before_json, '$.due') / 86400.0 + 2440587.5)
                    - julianday(json_extract(new.before_json, '$.card.last_review')) AS interval)
            WHERE interval IS NOT NULL;
    END;
    CREATE TRIGGER review_outcome_delete AFTER DELETE ON review BEGIN
        DELETE FROM review_outcome WHERE reviewed_at = old.reviewed_at AND id = old.id;
    END;
    CREATE TRIGGER review_outcome_update AFTER UPDATE OF id, kind, rating, reviewed_at, before_json
    ON review BEGIN
        DELETE FROM review_outcome WHERE reviewed_at = old.reviewed_at AND id = old.id;
        INSERT INTO review_outcome (reviewed_at, id, kind, rating, interval_days)
            SELECT new.reviewed_at, new.id, new.kind, new.rating, interval FROM (
                SELECT CASE WHEN json_valid(new.before_json)
                    AND json_extract(new.before_json, '$.card.state') = 2
                    THEN (json_extract(new.before_json, '$.due') / 86400.0 + 2440587.5)
                    - julianday(json_extract(new.before_json, '$.card.last_review')) END AS interval)
            WHERE interval IS NOT NULL;
    END;

    CREATE INDEX exam_started ON exam (started_at);
    CREATE INDEX answer_duration ON answer (duration_ms) WHERE duration_ms IS NOT NULL;

    CREATE TABLE housekeeping (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 7: when each setting was last changed (ISO 8601, UTC, by the clock of the machine that changed
    # it), so a sync or import keeps the newest value of each, not whichever was here first. NULL:
    # set before this migration, older than any change that carries a time.
    """
    ALTER TABLE setting ADD COLUMN changed_at TEXT;
    """,
    # 8: true retention by UTC day (issue 18): `review_outcome` holds one row a counted review, so
    # the table's year was a range of some 20,000 rows after a year of study. `outcome_day` counts
    # them per UTC day (the stored time's date), kind and maturity (interval of 21 days or more,
    # `retention.MATURE_DAYS`); a period is then its whole days from here and the rows of the few
    # days a period boundary cuts (the learner's day starts at their hour in their zone) from
    # `review_outcome` (`RetentionRecords.review_outcomes`). Kept by triggers on `review_outcome`,
    # which the review triggers keep: the same transaction as the review, whoever writes it.
    """
    CREATE TABLE outcome_day (
        day     TEXT NOT NULL,                      -- substr(reviewed_at, 1, 10): the UTC date
        kind    TEXT NOT NULL,
        mature  INTEGER NOT NULL,                   -- interval_days >= 21
        reviews INTEGER NOT NULL,
        passed  INTEGER NOT NULL,                   -- rating > 1
        PRIMARY KEY (day, kind, mature)
    ) WITHOUT ROWID;
    INSERT INTO outcome_day (day, kind, mature, reviews, passed)
        SELECT substr(reviewed_at, 1, 10), kind, interval_days >= 21, count(*), sum(rating > 1)
        FROM review_outcome GROUP BY 1, 2, 3;
    CREATE TRIGGER outcome_day_insert AFTER INSERT ON review_outcome BEGIN
        INSERT INTO outcome_day (day, kind, mature, reviews, passed)
            VALUES (substr(new.reviewed_at, 1, 10), new.kind, new.interval_days >= 21, 1, new.rating > 1)
            ON CONFLICT (day, kind, mature) DO UPDATE
            SET reviews = reviews + 1, passed = passed + (new.rating > 1);
    END;
    CREATE TRIGGER outcome_day_delete AFTER DELETE ON review_outcome BEGIN
        UPDATE outcome_day SET reviews = reviews - 1, passed = passed - (old.rating > 1)
            WHERE day = substr(old.reviewed_at, 1, 10) AND kind = old.kind
            AND mature = (old.interval_days >= 21);
        DELETE FROM outcome_day WHERE day = substr(old.reviewed_at, 1, 10) AND kind = old.kind
            AND mature = (old.interval_days >= 21) AND reviews <= 0;
    END;
    CREATE TRIGGER outcome_day_update AFTER UPDATE ON review_outcome BEGIN
        UPDATE outcome_day SET reviews = reviews - 1, passed = passed - (old.rating > 1)
            WHERE day = substr(old.reviewed_at, 1, 10) AND kind = old.kind
            AND mature = (old.interval_days >= 21);
        DELETE FROM outcome_day WHERE day = substr(old.reviewed_at, 1, 10) AND kind = old.kind
            AND mature = (old.interval_days >= 21) AND reviews <= 0;
        INSERT INTO outcome_day (day, kind, mature, reviews, passed)
            VALUES (substr(new.reviewed_at, 1, 10), new.kind, new.interval_days >= 21, 1, new.rating > 1)
            ON CONFLICT (day, kind, mature) DO UPDATE
            SET reviews = reviews + 1, passed = passed + (new.rating > 1);
    END;
    """,
    # 9: timed answers counted per whole second of their time (issue 18), so the median answer time
    # (`ProgressStore.median_answer_ms`) finds the second its middle answer is in from these few
    # hundred rows and reads the `answer_duration` index within that second only, not from the
    # shortest answer up to the middle of them all. Kept by triggers on `answer`, in the answer's
    # transaction; built here from the answers.
    """
    CREATE TABLE answer_second (
        second INTEGER PRIMARY KEY,                 -- whole seconds: duration_ms / 1000
        n      INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO answer_second (second, n)
        SELECT CAST(duration_ms AS INTEGER) / 1000, count(*) FROM answer
        WHERE duration_ms IS NOT NULL GROUP BY 1;
    CREATE TRIGGER answer_second_insert AFTER INSERT ON answer WHEN new.duration_ms IS NOT NULL BEGIN
        INSERT INTO answer_second (second, n) VALUES (CAST(new.duration_ms AS INTEGER) / 1000, 1)
            ON CONFLICT (second) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER answer_second_delete AFTER DELETE ON answer WHEN old.duration_ms IS NOT NULL BEGIN
        UPDATE answer_second SET n = n - 1 WHERE second = CAST(old.duration_ms AS INTEGER) / 1000;
        DELETE FROM answer_second WHERE second = CAST(old.duration_ms AS INTEGER) / 1000 AND n <= 0;
    END;
    CREATE TRIGGER answer_second_update AFTER UPDATE OF duration_ms ON answer BEGIN
        UPDATE answer_second SET n = n - 1
            WHERE old.duration_ms IS NOT NULL AND second = CAST(old.duration_ms AS INTEGER) / 1000;
        DELETE FROM answer_second
            WHERE old.duration_ms IS NOT NULL AND second = CAST(old.duration_ms AS INTEGER) / 1000
            AND n <= 0;
        INSERT INTO answer_second (second, n) SELECT CAST(new.duration_ms AS INTEGER) / 1000, 1
            WHERE new.duration_ms IS NOT NULL
            ON CONFLICT (second) DO UPDATE SET n = n + 1;
    END;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
