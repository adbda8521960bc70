-- Part of schema version 2 (store/migrations: V2_SCRIPTS).
-- Capacity by the date a change takes effect (store.settings.capacity_on; the
-- reports' capacity over time). The first change also records the capacity
-- before it, effective from 0001-01-01.
CREATE TABLE capacity_change (
    effective_on TEXT PRIMARY KEY,
    capacity     INTEGER NOT NULL CHECK (capacity > 0),
    changed_at   TEXT NOT NULL
) WITHOUT ROWID;

-- One anonymous row per stay removed by the retention purge (store.retention):
-- exactly the fields the fiscal-year and monthly figures count, no name, no
-- birth date, no free text, no link to anything personal. Past years'
-- statistics are computed from stay ∪ retained_stay and stay unchanged.
CREATE TABLE retained_stay (
    stay_id               INTEGER PRIMARY KEY,
    admitted_on           TEXT NOT NULL,
    discharged_on         TEXT NOT NULL,
    admission_type        TEXT NOT NULL,
    main_complaint        TEXT NOT NULL,
    referral_source       TEXT NOT NULL,
    discharge_destination TEXT NOT NULL,
    bed_id                INTEGER,
    age_bracket           TEXT NOT NULL,
    companion_children    INTEGER NOT NULL DEFAULT 0,
    purged_on             TEXT NOT NULL
);

-- One anonymous row per aftercare item removed by the purge: when it was due,
-- its outcome and when it was done (the monthly and fiscal-year aftercare
-- figures), nothing else. The figures read aftercare ∪ retained_aftercare.
CREATE TABLE retained_aftercare (
    id        INTEGER PRIMARY KEY,
    due_on    TEXT NOT NULL,
    outcome   TEXT,
    done_on   TEXT,
    purged_on TEXT NOT NULL
);
