-- Part of schema version 2 (store/migrations: V2_SCRIPTS). Released steps are never edited.
-- Each role grant carries the granting slot's Ed25519 signature (store/grants.py):
-- JSON {"by": slot id, "at": timestamp, "sig": base64}.
ALTER TABLE account_role ADD COLUMN grant_sig TEXT;
