"""The demo database: a fictitious facility with about two years of history.

Every name is plainly made up (family names such as 見本 and 架空, "sample" and
"fictitious"), so nobody mistakes the demo for real records. Deterministic for
a given seed, so screenshots and tests see the same residents.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from shelterdesk.core import codes
from shelterdesk.core.models import Bed, Child, Consent, Facility, Resident, Room, SafetyFlags, Stay
from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import facility as facility_repo
from shelterdesk.store import session as sessions
from shelterdesk.store import stays
from shelterdesk.store.vault import KdfParams

# Shown on the first-run screen: the demo holds only fictitious people.
DEMO_PASSWORD = "demo-2026"  # noqa: S105
FAMILY = [("見本", "みほん"), ("架空", "かくう"), ("試用", "しよう"), ("仮名", "かめい"),
          ("例示", "れいじ"), ("模擬", "もぎ")]
GIVEN = [("花子", "はなこ"), ("桜", "さくら"), ("美咲", "みさき"), ("陽子", "ようこ"),
         ("真由美", "まゆみ"), ("恵", "めぐみ"), ("由紀", "ゆき"), ("彩", "あや"),
         ("千尋", "ちひろ"), ("葵", "あおい"), ("舞", "まい"), ("直美", "なおみ")]
CHILD_GIVEN = [("太郎", "たろう", "M"), ("結衣", "ゆい", "F"), ("蓮", "れん", "M"),
               ("陽菜", "ひな", "F"), ("湊", "みなと", "M"), ("凛", "りん", "F")]
FOREIGN = [("Sample", "Maria", "PH", "tl"), ("Exemplo", "Ana", "BR", "pt"),
           ("Mẫu", "Lan", "VN", "vi"), ("견본", "지은", "KR", "ko"),
           ("样本", "丽", "CN", "zh"), ("Namuna", "Sita", "NP", "ne")]


def demo_rooms() -> list[Room]:
    rooms = []
    for i in range(1, 7):
        rooms.append(Room(None, f"{100 + i}", family=False, beds=[Bed(None, None, "A")]))
    for i in range(1, 5):
        rooms.append(Room(None, f"{200 + i}", family=True,
                          beds=[Bed(None, None, x) for x in "ABC"]))
    rooms.append(Room(None, "301", family=True, out_of_service=True,
                      note="改修中", beds=[Bed(None, None, "A"), Bed(None, None, "B")]))
    return rooms


def create_demo(db_path: Path, password: str = DEMO_PASSWORD, *, today: date | None = None,
                seed: int = 7, kdf: KdfParams | None = None) -> sessions.Session:
    today = today or date.today()
    session, _recovery = facility_repo.create_facility(
        db_path, Facility(name="デモ施設（架空）", capacity=20), demo_rooms(),
        "admin", "管理者（デモ）", password, kdf)
    for login, name, roles in (("intake", "受付（デモ）", {"intake"}),
                               ("case", "支援員（デモ）", {"caseworker"}),
                               ("manager", "施設長（デモ）", {"manager"})):
        accounts_repo.add_account(session, login, name, roles, password)
    populate(session.db, today, seed)
    return session


def populate(db, today: date, seed: int = 7, days: int = 730) -> None:
    rng = random.Random(seed)
    free = {b[0]: b[1] for b in db.query(
        "SELECT b.id, r.family FROM bed b JOIN room r ON r.id=b.room_id "
        "WHERE r.out_of_service=0")}
    room_of = dict(db.query("SELECT id, room_id FROM bed"))  # a family room is one family's
    occupied: dict[int, date | None] = {}  # bed -> discharge date (None: open)
    start = today - timedelta(days=days)
    day = start
    n = 0
    with db.transaction():
        while day <= today:
            for bed, until in list(occupied.items()):
                if until is not None and until <= day:
                    del occupied[bed]
            if rng.random() < 0.3:
                beds = [b for b in free if b not in occupied and not (
                    free[b] and any(room_of[o] == room_of[b] for o in occupied))]
                if beds:
                    n += 1
                    bed = rng.choice(beds)
                    length = int(rng.expovariate(1 / 45)) + 1
                    discharge = day + timedelta(days=length)
                    until = None if discharge > today else discharge
                    _admit_one(db, rng, n, day, bed, bool(free[bed]), until, today)
                    occupied[bed] = until
            day += timedelta(days=1)


def _admit_one(db, rng, n: int, day: date, bed: int, family_room: bool,
               until: date | None, today: date) -> None:
    foreign = rng.random() < 0.12
    if foreign:
        fam, given, nat, lang = rng.choice(FOREIGN)
        fk, gk = "", ""
    else:
        (fam, fk), (given, gk) = rng.choice(FAMILY), rng.choice(GIVEN)
        nat, lang = "JP", "ja"
    birth = day - timedelta(days=rng.randint(18 * 365, 62 * 365))
    danger = rng.choice([None, None, None, None, "low", "medium", "high"])
    r = Resident(
        family_name=fam, given_name=given, family_kana=fk, given_kana=gk,
        alias=f"{chr(0x30A2 + 2 * (n % 20))}さん（仮）" if rng.random() < 0.3 else "",
        birth_date=birth, nationality=nat, language=lang, interpreter_needed=foreign,
        registered_municipality=rng.choice(["さいたま市", "川口市", "越谷市", "所沢市", "川越市"]),
        safety=SafetyFlags(support_measure=rng.random() < 0.25,
                           protection_order=rng.choice(["none"] * 6 + ["applied", "issued"]),
                           danger_level=danger,
                           danger_warning="来所者に注意（デモ）" if danger == "high" else "",
                           whereabouts_secret=rng.random() < 0.2))
    kids = []
    if family_room and rng.random() < 0.8:
        for _ in range(rng.randint(1, 3)):
            cg, ck, sex = rng.choice(CHILD_GIVEN)
            kids.append(Child(family_name=fam, given_name=cg, family_kana=fk, given_kana=ck,
                              birth_date=day - timedelta(days=rng.randint(100, 17 * 365)),
                              sex=sex, relationship="子"))
    stay = Stay(admitted_at=datetime.combine(day, time(rng.randint(0, 23), rng.choice([0, 30]))),
                admission_type=rng.choice([c.code for c in codes.ADMISSION_TYPE]),
                main_complaint=rng.choices([c.code for c in codes.MAIN_COMPLAINT],
                                           weights=[60, 3, 12, 4, 4, 10, 1, 6])[0],
                issue_tags=tuple(rng.sample([c.code for c in codes.ISSUE_TAG], rng.randint(0, 2))),
                referral_source=rng.choice([c.code for c in codes.REFERRAL_SOURCE]),
                bed_id=bed)
    consents = [Consent(scope="municipality_aftercare", recipient="さいたま市（デモ）",
                        given_on=day)] if rng.random() < 0.6 else []
    now = datetime.combine(max(day, today), time(23, 59))
    s = stays.admit(db, stays.Admission(r, stay, kids, [], consents), now=now)
    if until is not None:
        dest = rng.choice([c.code for c in codes.DISCHARGE_DESTINATION if c.code != "other"])
        stays.discharge(db, s.id, until, dest)
