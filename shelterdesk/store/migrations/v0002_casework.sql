-- Part of schema version 2 (store/migrations: V2_SCRIPTS): the caseworker's desk (issue 9).

-- A correction is a new note naming the note it corrects; both are kept.
ALTER TABLE case_note ADD COLUMN corrects_id INTEGER REFERENCES case_note(id);
CREATE INDEX case_note_corrects ON case_note(corrects_id) WHERE corrects_id IS NOT NULL;

-- The school and nursery checklist of a companion child in one stay
-- (core/casework.py CHILD_STEP): one row per step once someone touched it.
CREATE TABLE child_step (
    id         INTEGER PRIMARY KEY,
    child_id   INTEGER NOT NULL REFERENCES child(id),
    stay_id    INTEGER NOT NULL REFERENCES stay(id),
    step       TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending', 'in_progress', 'done', 'not_needed')),
    on_date    TEXT,
    contact    TEXT NOT NULL DEFAULT '',
    account_id INTEGER REFERENCES account(id),
    note       TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    UNIQUE (child_id, stay_id, step)
);
CREATE INDEX child_step_stay ON child_step(stay_id);

CREATE INDEX child_support_stay ON child_support(stay_id, on_date);
CREATE INDEX programme_session_held ON programme_session(held_on);
CREATE INDEX programme_attendance_resident ON programme_attendance(resident_id, session_id);
