"""The demo database: a fictitious facility with about two years of history.

Every name is plainly made up (family names such as 見本 and 架空, "sample" and
"fictitious"), so nobody mistakes the demo for real records. Deterministic for
a given seed, so screenshots and tests see the same residents.

Like a real house: every resident has her own name (names are drawn without
replacement, so one name never stands for two people), siblings never share a
given name, and the safety flag (要注意) is the exception — about one resident
in five — because a flag on everybody tells staff nothing.

The demo's password is printed on the first-run screen, so its key slots use a
fixed, cheap Argon2id cost (:data:`DEMO_KDF`) instead of the calibrated half
second per slot: calibrating and sealing five slots was most of the time the
demo took to create, and the cost protects nothing here.
"""

from __future__ import annotations

import random
from dataclasses import replace
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
#: OWASP's minimum Argon2id setting (19 MiB, two passes): the demo password is
#: public, so only the shape of a real slot matters, not its cost.
DEMO_KDF = KdfParams(time_cost=2, memory_kib=19 * 1024, parallelism=1)
FAMILY = [("見本", "みほん"), ("架空", "かくう"), ("試用", "しよう"), ("仮名", "かめい"),
          ("例示", "れいじ"), ("模擬", "もぎ"), ("試験", "しけん"), ("標本", "ひょうほん"),
          ("雛形", "ひながた"), ("擬似", "ぎじ"), ("想定", "そうてい"), ("演習", "えんしゅう")]
GIVEN = [("花子", "はなこ"), ("桜", "さくら"), ("美咲", "みさき"), ("陽子", "ようこ"),
         ("真由美", "まゆみ"), ("恵", "めぐみ"), ("由紀", "ゆき"), ("彩", "あや"),
         ("千尋", "ちひろ"), ("葵", "あおい"), ("舞", "まい"), ("直美", "なおみ"),
         ("明美", "あけみ"), ("智子", "ともこ"), ("裕子", "ゆうこ"), ("玲奈", "れな"),
         ("詩織", "しおり"), ("楓", "かえで"), ("瞳", "ひとみ"), ("香織", "かおり")]
CHILD_GIVEN = [("太郎", "たろう", "M"), ("結衣", "ゆい", "F"), ("蓮", "れん", "M"),
               ("陽菜", "ひな", "F"), ("湊", "みなと", "M"), ("凛", "りん", "F")]
#: (nationality, language, family names, given names): every pair is one person.
FOREIGN = [("PH", "tl", ("Sample", "Example"), ("Maria", "Joy", "Grace")),
           ("BR", "pt", ("Exemplo", "Amostra"), ("Ana", "Júlia", "Bia")),
           ("VN", "vi", ("Mẫu", "Thử"), ("Lan", "Hoa", "Mai")),
           ("KR", "ko", ("견본", "예시"), ("지은", "수진", "민지")),
           ("CN", "zh", ("样本", "示例"), ("丽", "芳", "静")),
           ("NP", "ne", ("Namuna", "Udaharan"), ("Sita", "Gita", "Maya"))]
#: Aliases are names too: each one is used once.
ALIASES = [chr(cp) + "さん（仮）" for cp in range(0x30A2, 0x30AB, 2)] + [
    chr(cp) + "さん（仮）" for cp in range(0x30CA, 0x30CF)]


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
    kdf = kdf or DEMO_KDF
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
    names = _Names(rng)
    free = {b[0]: b[1] for b in db.query(
        "SELECT b.id, r.family FROM bed b JOIN room r ON r.id=b.room_id "
        "WHERE r.out_of_service=0")}
    room_of = dict(db.query("SELECT id, room_id FROM bed"))  # a family room is one family's
    occupied: dict[int, date | None] = {}  # bed -> discharge date (None: open)
    start = today - timedelta(days=days)
    day = start
    n = opened = 0
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
                    # Flags are the minority: one resident in five among those
                    # still in residence (the 3rd, 8th, 13th… open stay), and
                    # about as often in the history.
                    if until is None:
                        opened += 1
                        flagged = opened % 5 == 3
                    else:
                        flagged = rng.random() < 0.18
                    _admit_one(db, rng, names, day, bed, bool(free[bed]), until, today,
                               flagged)
                    occupied[bed] = until
            day += timedelta(days=1)
        _casework(db, rng, today, start)
        _aftercare(db, rng, today)
    _plans(db, rng, today)


#: Partner agencies of the demo's milestones (fictitious).
AGENCIES = ["さいたま市福祉事務所（デモ）", "ハローワーク（デモ）", "法テラス（デモ）", ""]


def _plans(db, rng: random.Random, today: date) -> None:
    """A plan for every stay in residence: goals in several domains from the
    template, milestones in every status with dates around today (some
    overdue), a responsible caseworker or manager, and a review for plans older
    than three weeks. Through the store's own calls: the demo shows what the
    program writes."""
    from shelterdesk.core.plans import Review
    from shelterdesk.store import plans

    items = plans.template(db)
    staff = [s.account_id for s in plans.responsible_staff(db)]
    open_stays = db.query("SELECT id, admitted_on FROM stay WHERE discharged_on IS NULL "
                          "ORDER BY id")
    with db.transaction():
        for n, (stay_id, admitted_text) in enumerate(open_stays):
            admitted = date.fromisoformat(admitted_text)
            chosen = [items[0], *rng.sample(items[1:], 3)]
            pid = plans.start_plan(db, stay_id, [t.id for t in chosen], admitted,
                                   today + timedelta(days=rng.randint(1, 30)))
            plan = plans.get_plan(db, stay_id, audit_view=False)
            for i, m in enumerate(plan.milestones()):
                target = admitted + timedelta(days=7 + 12 * i + rng.randint(0, 10))
                past = target < today
                kind = (i + n) % 6
                if kind == 5:
                    status, reason = "dropped", "本人の希望により中止（デモ）"
                elif past:
                    status, reason = ("done", "") if kind < 3 else (
                        "in_progress" if kind == 3 else "planned", "")  # overdue
                else:
                    status, reason = ("in_progress" if kind == 1 else "planned"), ""
                plans.update_milestone(db, replace(
                    m, target_on=target, status=status, dropped_reason=reason,
                    responsible_account_id=staff[(n + i) % len(staff)] if staff else None,
                    partner_agency=AGENCIES[(n + i) % len(AGENCIES)]))
            if (today - admitted).days > 21:
                reviewed = admitted + timedelta(days=14)
                plans.add_review(db, pid, Review(reviewed, "目標を本人と確認（デモ）",
                                                 today + timedelta(days=rng.randint(-3, 20))),
                                 today=today)


#: Demo texts of the caseworker's desk (fictitious, no real person behind them).
DEMO_NOTES = [
    ("interview", "caseworker", "面接。今後の住まいについて本人の希望を確認した（デモ）。"),
    ("daily", "all", "生活リズムが整ってきた。夜間の巡回で変わりなし（デモ）。"),
    ("health", "caseworker", "通院同行。次回予約は来週（デモ）。"),
    ("legal", "manager", "保護命令の申立てについて弁護士と相談（デモ）。"),
    ("children", "all", "子どもの登校準備について話した（デモ）。"),
    ("safety", "caseworker", "外出時の経路を一緒に確認した（デモ）。"),
    ("other", "all", "ハローワークの求人情報を渡した（デモ）。"),
]
DEMO_SUPPORT = [
    ("childcare", "保育（日中の見守り）"), ("learning", "宿題の支援"),
    ("schooling", "教育委員会と区域外就学を協議"), ("nursery", "保育所の優先入所を申請"),
    ("psych_care", "心理士との面談"), ("child_guidance", "児童相談所と情報共有"),
    ("health", "乳幼児健診に同行"),
]
DEMO_SESSIONS = ["自立支援講座：家計の管理", "自立支援講座：仕事探し", "料理教室",
                 "自立支援講座：住まい探し", "リラクゼーション", "法律相談会"]


def _casework(db, rng: random.Random, today: date, start: date) -> None:
    """Case notes, children's support and programme sessions for the demo
    (issue 9): raw rows in populate's transaction, audited once."""
    from shelterdesk.core.casework import step_applies
    staff = [r[0] for r in db.query("SELECT id FROM account ORDER BY id")]
    stays = db.query("SELECT id, resident_id, admitted_on, discharged_on FROM stay")
    con = db.con
    notes = supports = 0
    for stay_id, rid, admitted, discharged in stays:
        first = date.fromisoformat(admitted)
        last = date.fromisoformat(discharged) if discharged else today
        span = max(0, (last - first).days)
        for _ in range(rng.randint(2, 5) if discharged is None else rng.randint(0, 2)):
            cat, vis, body = rng.choice(DEMO_NOTES)
            on = first + timedelta(days=rng.randint(0, span))
            nid = con.execute(
                "INSERT INTO case_note(resident_id, stay_id, written_at, category, "
                "author_account_id, visible_to_role, body) VALUES (?,?,?,?,?,?,?)",
                (rid, stay_id, f"{on.isoformat()}T{rng.randint(9, 18):02d}:{rng.randint(0, 59):02d}"
                 ":00", cat, rng.choice(staff), vis, body)).lastrowid
            notes += 1
        if discharged is None and notes % 4 == 0:
            con.execute(
                "INSERT INTO case_note(resident_id, stay_id, written_at, category, "
                "author_account_id, visible_to_role, body, corrects_id) "
                "SELECT resident_id, stay_id, written_at, category, author_account_id, "
                "visible_to_role, body || '（訂正：日付を修正）', id FROM case_note WHERE id=?",
                (nid,))
        kids = db.query("SELECT c.id, c.birth_date FROM stay_child sc JOIN child c "
                        "ON c.id = sc.child_id WHERE sc.stay_id=?", (stay_id,))
        for child_id, born in kids:
            born_on = date.fromisoformat(born) if born else None
            for _ in range(rng.randint(1, 4)):
                kind, step = rng.choice(DEMO_SUPPORT)
                on = first + timedelta(days=rng.randint(0, span))
                con.execute("INSERT INTO child_support(child_id, stay_id, kind, on_date, step, "
                            "account_id, note) VALUES (?,?,?,?,?,?,?)",
                            (child_id, stay_id, kind, on.isoformat(), step, rng.choice(staff),
                             "（デモ）"))
                supports += 1
            if discharged is not None:
                continue
            for step in ("out_of_area_school", "school_confidential", "nursery_priority"):
                if not step_applies(step, born_on, today) or rng.random() < 0.3:
                    continue  # untouched: shown as not started
                status = rng.choice(["in_progress", "done", "pending"])
                on = first + timedelta(days=min(span, rng.randint(1, 10)))
                contact = "教育委員会 学務課（デモ）" if step != "nursery_priority" \
                    else "市 保育課（デモ）"
                con.execute("INSERT INTO child_step(child_id, stay_id, step, status, on_date, "
                            "contact, account_id, note, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
                            (child_id, stay_id, step, status,
                             None if status == "pending" else on.isoformat(), contact,
                             rng.choice(staff), "", f"{on.isoformat()}T10:00:00"))
    sessions = attended = 0
    day = start
    while day <= today + timedelta(days=7):
        if day.weekday() in (1, 4):  # Tuesdays and Fridays
            sid = con.execute("INSERT INTO programme_session(title, held_on, facilitator) "
                              "VALUES (?,?,?)", (rng.choice(DEMO_SESSIONS), day.isoformat(),
                                                 "講師（デモ）")).lastrowid
            sessions += 1
            if day <= today:
                present = [r[0] for r in db.query(
                    "SELECT resident_id FROM stay WHERE admitted_on <= ? AND "
                    "(discharged_on IS NULL OR discharged_on > ?)", (day.isoformat(),) * 2)]
                who = [r for r in present if rng.random() < 0.6]
                con.executemany("INSERT OR IGNORE INTO programme_attendance(session_id, "
                                "resident_id) VALUES (?,?)", [(sid, r) for r in who])
                attended += len(who)
        day += timedelta(days=1)
    db.audit("demo", "casework", None,
             f"notes={notes} child_support={supports} sessions={sessions} attended={attended}")


#: The demo's partner municipality (its consents name it; its key is made fresh).
DEMO_PARTNER = "さいたま市（デモ）"


def _aftercare(db, rng: random.Random, today: date) -> None:
    """A partner, and the default schedule for every discharged stay: items
    past due mostly done, some left open (the due list's overdue section), a
    few stays with "no aftercare" and its reason."""
    import pyrage

    from shelterdesk.store import aftercare
    from shelterdesk.store.rows import d2s
    partner = db.query_one("SELECT id FROM partner WHERE name=?", (DEMO_PARTNER,))
    if partner is None:
        key = pyrage.x25519.Identity.generate()
        with db.transaction() as con:
            pid = con.execute("INSERT INTO partner(name, age_recipient, note) VALUES (?,?,?)",
                              (DEMO_PARTNER, str(key.to_public()), "デモ用の連携先")).lastrowid
            db.audit("create", "partner", pid, "recipient=yes closures=0")
    else:
        pid = partner[0]
    case = db.query_one("SELECT id FROM account WHERE login='case'")
    staff = case[0] if case else None
    done_outcomes = ["completed"] * 6 + ["not_reached", "needs_support", "declined"]
    for sid, discharged in db.query("SELECT id, discharged_on FROM stay WHERE discharged_on "
                                    "IS NOT NULL ORDER BY id"):
        on = date.fromisoformat(discharged)
        if rng.random() < 0.08:
            aftercare.save_schedule(db, sid, None, "本人が連絡を希望しない（デモ）")
            continue
        proposal = aftercare.propose(db, on, visit=rng.random() < 0.4)
        items = [aftercare.NewItem(p.kind, p.due_on,
                                   None if p.kind == "visit" else staff,
                                   pid if p.kind == "visit" else None) for p in proposal]
        ids = aftercare.save_schedule(db, sid, items)
        with db.transaction() as con:
            for item_id, it in zip(ids, items, strict=True):
                # Long past: recorded, as in a house that keeps up; the last few
                # weeks: mostly recorded, a handful left for the due list.
                old = it.due_on < today - timedelta(days=30)
                if it.due_on < today - timedelta(days=3) and (old or rng.random() < 0.7):
                    con.execute("UPDATE aftercare SET outcome=?, done_on=?, sequence=1 "
                                "WHERE id=?", (rng.choice(done_outcomes), d2s(it.due_on),
                                               item_id))


class _Names:
    """Names drawn without replacement: Japanese (family × given), foreign
    (per country), aliases. When the foreign names run out, Japanese ones are
    used; the Japanese pool (240) is larger than two years of admissions."""

    def __init__(self, rng: random.Random):
        self.japanese = [(f, g) for f in FAMILY for g in GIVEN]
        self.foreign = [(fam, giv, nat, lang) for nat, lang, fams, givs in FOREIGN
                        for fam in fams for giv in givs]
        self.aliases = list(ALIASES)
        self.used: set[tuple[str, str]] = set()
        for pool in (self.japanese, self.foreign, self.aliases):
            rng.shuffle(pool)

    def person(self, foreign: bool) -> tuple[str, str, str, str, str, str]:
        if foreign and self.foreign:
            fam, given, nat, lang = self.foreign.pop()
            return fam, given, "", "", nat, lang
        if not self.japanese:  # only with a far longer history than the demo's
            self.japanese = [((f"{f}{len(self.used) + 2}", fk), g) for f, fk in FAMILY
                             for g in GIVEN]
        (fam, fk), (given, gk) = self.japanese.pop()
        self.used.add((fam, given))
        return fam, given, fk, gk, "JP", "ja"

    def alias(self) -> str:
        return self.aliases.pop() if self.aliases else ""


def _safety(rng: random.Random, flagged: bool) -> SafetyFlags:
    """No flag, or one or two of them (a high danger level with its note)."""
    if not flagged:
        return SafetyFlags()
    kinds = rng.sample(["danger", "support", "order", "secret"], rng.randint(1, 2))
    danger = rng.choice(["low", "medium", "high"]) if "danger" in kinds else None
    return SafetyFlags(support_measure="support" in kinds,
                       protection_order=rng.choice(["applied", "issued"]) if "order" in kinds
                       else "none",
                       danger_level=danger,
                       danger_warning="来所者に注意（デモ）" if danger == "high" else "",
                       whereabouts_secret="secret" in kinds)


def _admit_one(db, rng, names: _Names, day: date, bed: int, family_room: bool,
               until: date | None, today: date, flagged: bool) -> None:
    fam, given, fk, gk, nat, lang = names.person(rng.random() < 0.12)
    foreign = nat != "JP"
    birth = day - timedelta(days=rng.randint(18 * 365, 62 * 365))
    r = Resident(
        family_name=fam, given_name=given, family_kana=fk, given_kana=gk,
        alias=names.alias() if rng.random() < 0.1 else "",
        birth_date=birth, nationality=nat, language=lang, interpreter_needed=foreign,
        registered_municipality=rng.choice(["さいたま市", "川口市", "越谷市", "所沢市", "川越市"]),
        safety=_safety(rng, flagged))
    kids = []
    if family_room and rng.random() < 0.8:
        # Siblings never share a given name.
        for cg, ck, sex in rng.sample(CHILD_GIVEN, rng.randint(1, 3)):
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
