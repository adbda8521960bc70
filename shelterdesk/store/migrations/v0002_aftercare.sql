-- Part of schema version 2 (store/migrations: V2_SCRIPTS): aftercare items carry a calendar UID and a change counter,
-- partners their closure days, stays the reason for "no aftercare", and every
-- hand-over remembers which revision of which item it carried.

ALTER TABLE aftercare ADD COLUMN uid TEXT;
ALTER TABLE aftercare ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE aftercare ADD COLUMN created_at TEXT;
ALTER TABLE aftercare ADD COLUMN updated_at TEXT;
ALTER TABLE aftercare ADD COLUMN follows_id INTEGER REFERENCES aftercare(id);
CREATE UNIQUE INDEX aftercare_uid ON aftercare(uid);

ALTER TABLE stay ADD COLUMN aftercare_none_reason TEXT;

CREATE TABLE partner_closure (
    partner_id INTEGER NOT NULL REFERENCES partner(id) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    PRIMARY KEY (partner_id, day)
) WITHOUT ROWID;

CREATE TABLE aftercare_export (
    id         INTEGER PRIMARY KEY,
    partner_id INTEGER NOT NULL REFERENCES partner(id),
    created_at TEXT NOT NULL,
    items      INTEGER NOT NULL,
    sha256     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE aftercare_export_item (
    export_id INTEGER NOT NULL REFERENCES aftercare_export(id) ON DELETE CASCADE,
    item_id   INTEGER NOT NULL REFERENCES aftercare(id),
    sequence  INTEGER NOT NULL,
    PRIMARY KEY (export_id, item_id)
) WITHOUT ROWID;
CREATE INDEX aftercare_export_item_item ON aftercare_export_item(item_id, export_id);
