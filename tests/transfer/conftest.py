"""A facility with a discharged resident, her schedule, a partner with an age
key made by the reference ``age-keygen`` (or pyrage) and her consent."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pyrage
import pytest

from shelterdesk.core.aftercare import NewItem, Partner
from shelterdesk.core.models import Consent, Resident, SafetyFlags, Stay
from shelterdesk.store import aftercare, partners, stays

PARTNER = "架空市 女性相談支援課"
AGE = shutil.which("age")


@dataclass
class World:
    session: object
    db: object
    partner_id: int
    identity: str          # the partner's secret key
    identity_file: Path    # the same, as age-keygen writes it
    resident_id: int
    stay_id: int
    items: list[int]


def admit_and_discharge(db, family="見本", given="花子", *, consent=True,
                        recipient=PARTNER, phone="090-0000-0000", note="") -> tuple[int, int]:
    admitted = datetime.now().replace(second=0, microsecond=0) - timedelta(days=60)
    s = stays.admit(db, stays.Admission(
        Resident(family_name=family, given_name=given, family_kana="みほん", given_kana="はなこ",
                 birth_date=date(1990, 4, 1), safe_phone=phone,
                 registered_municipality="架空市", safety=SafetyFlags(danger_level="high")),
        Stay(admitted_at=admitted, admission_type="temporary_protection",
             main_complaint="dv_spouse", referral_source="police"),
        consents=[Consent(scope="municipality_aftercare", recipient=recipient,
                          given_on=admitted.date())] if consent else []))
    stays.discharge(db, s.id, date.today() - timedelta(days=20), "independent", note)
    return s.resident_id, s.id


@pytest.fixture
def world(session, tmp_path) -> World:
    db = session.db
    keyfile = tmp_path / "partner-key.txt"
    if AGE:
        subprocess.run(["age-keygen", "-o", str(keyfile)], check=True, capture_output=True)
        secret = next(ln for ln in keyfile.read_text().splitlines()
                      if ln.startswith("AGE-SECRET-KEY-"))
    else:
        secret = str(pyrage.x25519.Identity.generate())
        keyfile.write_text(secret + "\n")
    recipient = str(pyrage.x25519.Identity.from_str(secret).to_public())
    pid = partners.save_partner(session, Partner(name=PARTNER, recipient=recipient))
    rid, sid = admit_and_discharge(db)
    on = stays.get_stay(db, sid).discharged_on
    items = aftercare.save_schedule(db, sid, [
        NewItem(p.kind, p.due_on, assignee_account_id=session.account.id)
        for p in aftercare.propose(db, on)])
    return World(session, db, pid, secret, keyfile, rid, sid, items)
