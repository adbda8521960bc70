-- Schema version 2. Shipped: never edit.
-- Each role grant carries the granting slot's Ed25519 signature (store/grants.py):
-- JSON {"by": slot id, "at": timestamp, "sig": base64}.
ALTER TABLE account_role ADD COLUMN grant_sig TEXT;
