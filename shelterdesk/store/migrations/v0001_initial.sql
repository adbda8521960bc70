-- Schema version 1. Shipped: never edit; add v0002_*.sql and a step instead.
-- Dates are ISO 'YYYY-MM-DD' text, times 'HH:MM', timestamps 'YYYY-MM-DDTHH:MM:SS'.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE code (
    list     TEXT NOT NULL,
    code     TEXT NOT NULL,
    label_ja TEXT NOT NULL,
    label_en TEXT NOT NULL,
    sort     INTEGER NOT NULL,
    PRIMARY KEY (list, code)
) WITHOUT ROWID;

CREATE TABLE account (
    id           INTEGER PRIMARY KEY,
    login        TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    disabled     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    password_changed_at TEXT
);

CREATE TABLE account_role (
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('intake', 'caseworker', 'manager', 'admin')),
    PRIMARY KEY (account_id, role)
) WITHOUT ROWID;

CREATE TABLE room (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    family         INTEGER NOT NULL DEFAULT 0,
    out_of_service INTEGER NOT NULL DEFAULT 0,
    note           TEXT NOT NULL DEFAULT '',
    sort           INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE bed (
    id      INTEGER PRIMARY KEY,
    room_id INTEGER NOT NULL REFERENCES room(id),
    label   TEXT NOT NULL,
    UNIQUE (room_id, label)
);

CREATE TABLE resident (
    id                      INTEGER PRIMARY KEY,
    family_name             TEXT NOT NULL DEFAULT '',
    given_name              TEXT NOT NULL DEFAULT '',
    family_kana             TEXT NOT NULL DEFAULT '',
    given_kana              TEXT NOT NULL DEFAULT '',
    alias                   TEXT NOT NULL DEFAULT '',
    birth_date              TEXT,
    estimated_age           INTEGER,
    nationality             TEXT NOT NULL DEFAULT '',
    language                TEXT NOT NULL DEFAULT 'ja',
    interpreter_needed      INTEGER NOT NULL DEFAULT 0,
    safe_phone              TEXT NOT NULL DEFAULT '',
    registered_municipality TEXT NOT NULL DEFAULT '',
    health_notes            TEXT NOT NULL DEFAULT '',
    disability_certificate  TEXT NOT NULL DEFAULT '',
    pregnant                INTEGER NOT NULL DEFAULT 0,
    allergies               TEXT NOT NULL DEFAULT '',
    medications             TEXT NOT NULL DEFAULT '',
    support_measure         INTEGER NOT NULL DEFAULT 0,
    protection_order        TEXT NOT NULL DEFAULT 'none'
                            CHECK (protection_order IN ('none', 'applied', 'issued', 'expired')),
    danger_level            TEXT CHECK (danger_level IN ('high', 'medium', 'low')),
    danger_warning          TEXT NOT NULL DEFAULT '',
    whereabouts_secret      INTEGER NOT NULL DEFAULT 0,
    search_key              TEXT NOT NULL DEFAULT '',
    match_key               TEXT NOT NULL DEFAULT '',
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
);
CREATE INDEX resident_match ON resident(match_key, birth_date);

CREATE TABLE child (
    id             INTEGER PRIMARY KEY,
    resident_id    INTEGER NOT NULL REFERENCES resident(id),
    family_name    TEXT NOT NULL DEFAULT '',
    given_name     TEXT NOT NULL DEFAULT '',
    family_kana    TEXT NOT NULL DEFAULT '',
    given_kana     TEXT NOT NULL DEFAULT '',
    birth_date     TEXT,
    sex            TEXT CHECK (sex IN ('F', 'M')),
    relationship   TEXT NOT NULL DEFAULT '',
    school_before  TEXT NOT NULL DEFAULT '',
    school_after   TEXT NOT NULL DEFAULT '',
    grade          TEXT NOT NULL DEFAULT '',
    health_notes   TEXT NOT NULL DEFAULT '',
    allergies      TEXT NOT NULL DEFAULT '',
    child_guidance INTEGER NOT NULL DEFAULT 0,
    special_needs  TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX child_resident ON child(resident_id);

CREATE TABLE stay (
    id                    INTEGER PRIMARY KEY,
    resident_id           INTEGER NOT NULL REFERENCES resident(id),
    admitted_on           TEXT NOT NULL,
    admitted_time         TEXT,
    admission_type        TEXT NOT NULL,
    main_complaint        TEXT NOT NULL,
    referral_source       TEXT NOT NULL,
    bed_id                INTEGER REFERENCES bed(id),
    review_on             TEXT,
    discharged_on         TEXT,
    discharge_destination TEXT,
    discharge_note        TEXT NOT NULL DEFAULT '',
    ledger_id             TEXT UNIQUE,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    CHECK (discharged_on IS NULL OR discharged_on >= admitted_on),
    CHECK ((discharged_on IS NULL) = (discharge_destination IS NULL))
);
CREATE INDEX stay_resident ON stay(resident_id, admitted_on);
CREATE INDEX stay_open ON stay(discharged_on, admitted_on);
-- One occupant per bed at a time.
CREATE UNIQUE INDEX stay_bed_occupied ON stay(bed_id) WHERE discharged_on IS NULL AND bed_id IS NOT NULL;

CREATE TABLE stay_issue (
    stay_id INTEGER NOT NULL REFERENCES stay(id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (stay_id, tag)
) WITHOUT ROWID;

CREATE TABLE stay_child (
    stay_id  INTEGER NOT NULL REFERENCES stay(id) ON DELETE CASCADE,
    child_id INTEGER NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    PRIMARY KEY (stay_id, child_id)
) WITHOUT ROWID;
CREATE INDEX stay_child_child ON stay_child(child_id);

CREATE TABLE consent (
    id           INTEGER PRIMARY KEY,
    resident_id  INTEGER NOT NULL REFERENCES resident(id),
    scope        TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    given_on     TEXT NOT NULL,
    expires_on   TEXT,
    withdrawn_on TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX consent_resident ON consent(resident_id);

CREATE TABLE plan (
    id             INTEGER PRIMARY KEY,
    stay_id        INTEGER NOT NULL UNIQUE REFERENCES stay(id),
    created_on     TEXT NOT NULL,
    next_review_on TEXT,
    note           TEXT NOT NULL DEFAULT ''
);

CREATE TABLE plan_goal (
    id      INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
    domain  TEXT NOT NULL,
    goal    TEXT NOT NULL,
    sort    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE milestone (
    id             INTEGER PRIMARY KEY,
    goal_id        INTEGER NOT NULL REFERENCES plan_goal(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    target_on      TEXT,
    status         TEXT NOT NULL DEFAULT 'planned'
                   CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
    responsible    TEXT NOT NULL DEFAULT '',
    partner_agency TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    dropped_reason TEXT NOT NULL DEFAULT '',
    CHECK (status <> 'dropped' OR dropped_reason <> '')
);

CREATE TABLE plan_review (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
    reviewed_on TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);

CREATE TABLE child_support (
    id         INTEGER PRIMARY KEY,
    child_id   INTEGER NOT NULL REFERENCES child(id),
    stay_id    INTEGER REFERENCES stay(id),
    kind       TEXT NOT NULL,
    on_date    TEXT NOT NULL,
    step       TEXT NOT NULL DEFAULT '',
    account_id INTEGER REFERENCES account(id),
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX child_support_child ON child_support(child_id, on_date);

CREATE TABLE partner (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    age_recipient TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT ''
);

CREATE TABLE aftercare (
    id                  INTEGER PRIMARY KEY,
    stay_id             INTEGER NOT NULL REFERENCES stay(id),
    kind                TEXT NOT NULL,
    due_on              TEXT NOT NULL,
    assignee_account_id INTEGER REFERENCES account(id),
    assignee_partner_id INTEGER REFERENCES partner(id),
    outcome             TEXT,
    done_on             TEXT,
    note                TEXT NOT NULL DEFAULT ''
);
CREATE INDEX aftercare_stay ON aftercare(stay_id, due_on);
CREATE INDEX aftercare_due ON aftercare(due_on) WHERE outcome IS NULL;

CREATE TABLE programme_session (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    held_on     TEXT NOT NULL,
    facilitator TEXT NOT NULL DEFAULT ''
);

CREATE TABLE programme_attendance (
    session_id  INTEGER NOT NULL REFERENCES programme_session(id) ON DELETE CASCADE,
    resident_id INTEGER NOT NULL REFERENCES resident(id),
    PRIMARY KEY (session_id, resident_id)
) WITHOUT ROWID;

CREATE TABLE case_note (
    id                INTEGER PRIMARY KEY,
    resident_id       INTEGER NOT NULL REFERENCES resident(id),
    stay_id           INTEGER REFERENCES stay(id),
    written_at        TEXT NOT NULL,
    category          TEXT NOT NULL,
    author_account_id INTEGER NOT NULL REFERENCES account(id),
    visible_to_role   TEXT NOT NULL DEFAULT 'caseworker',
    body              TEXT NOT NULL
);
CREATE INDEX case_note_resident ON case_note(resident_id, written_at);

-- Unfinished intakes, saved as they are typed so a crash loses nothing.
CREATE TABLE draft (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER REFERENCES account(id),
    kind       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    payload    TEXT NOT NULL
);

-- Hash-chained: each row's hash covers its fields and the previous row's hash.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    account_id INTEGER,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL DEFAULT '',
    entity_id  INTEGER,
    detail     TEXT NOT NULL DEFAULT '',
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
