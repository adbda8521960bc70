"""Bulk synthetic data for the benchmark (``make bench``, bench_store.py): tens
of thousands of plainly fictitious residents written in one transaction with
plain inserts.

Not for the program's own use and not for tests of behaviour: it skips the
services' validation and writes one audit row for the whole batch. Every
name is made up from "sample"-like family names (見本, 架空, 試用 …), so a
benchmark database can never be mistaken for real records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from shelterdesk.core import codes
from shelterdesk.core.text import fold, search_key
from shelterdesk.store.rows import now_text

FAMILY = [("見本", "みほん"), ("架空", "かくう"), ("試用", "しよう"), ("仮名", "かめい"),
          ("例示", "れいじ"), ("模擬", "もぎ"), ("試験", "しけん"), ("標本", "ひょうほん"),
          ("雛形", "ひながた"), ("擬似", "ぎじ"), ("想定", "そうてい"), ("演習", "えんしゅう"),
          ("練習", "れんしゅう"), ("空欄", "くうらん"), ("無名", "むめい"), ("匿名", "とくめい")]
GIVEN = [("花子", "はなこ"), ("桜", "さくら"), ("美咲", "みさき"), ("陽子", "ようこ"),
         ("真由美", "まゆみ"), ("恵", "めぐみ"), ("由紀", "ゆき"), ("彩", "あや"),
         ("千尋", "ちひろ"), ("葵", "あおい"), ("舞", "まい"), ("直美", "なおみ"),
         ("明美", "あけみ"), ("智子", "ともこ"), ("裕子", "ゆうこ"), ("玲奈", "れな"),
         ("結子", "ゆいこ"), ("詩織", "しおり"), ("楓", "かえで"), ("瞳", "ひとみ")]
CHILD_GIVEN = [("太郎", "たろう", "M"), ("結衣", "ゆい", "F"), ("蓮", "れん", "M"),
               ("陽菜", "ひな", "F"), ("湊", "みなと", "M"), ("凛", "りん", "F")]


@dataclass
class Counts:
    residents: int = 20_000
    stays: int = 25_000
    children: int = 30_000
    aftercare: int = 200_000
    open_stays: int = 40
    child_support: int = 60_000   # issue 9: children's support log rows
    case_notes: int = 200_000     # issue 9: case notes


def populate(db, counts: Counts | None = None, *, today: date = date(2026, 11, 21),
             seed: int = 2026) -> Counts:
    """Fill an empty facility database; returns the counts written."""
    c = counts or Counts()
    rng = random.Random(seed)
    stamp = now_text()
    with db.transaction() as con:
        # One single-bed room per open stay, so every open stay has a bed.
        base = con.execute("SELECT coalesce(max(sort), 0) FROM room").fetchone()[0]
        bed_ids = []
        for i in range(c.open_stays):
            rid = con.execute("INSERT INTO room(name, family, sort) VALUES (?, 0, ?)",
                              (f"S{i + 1:03d}", base + i + 1)).lastrowid
            bed_ids.append(con.execute("INSERT INTO bed(room_id, label) VALUES (?, 'A')",
                                       (rid,)).lastrowid)

        residents = []
        for i in range(1, c.residents + 1):
            (fam, fk), (giv, gk) = rng.choice(FAMILY), rng.choice(GIVEN)
            alias = f"{gk[:1]}{i % 97}さん（仮）" if rng.random() < 0.2 else ""
            birth = (today - timedelta(days=rng.randint(18 * 365, 70 * 365))).isoformat()
            danger = rng.choice([None, None, None, "low", "medium", "high"])
            residents.append((
                i, fam, giv, fk, gk, alias, birth, "JP", "ja",
                int(rng.random() < 0.4), rng.choice(["none", "none", "applied", "issued"]),
                danger, "来所者に注意（架空）" if danger == "high" else "",
                int(rng.random() < 0.5),
                search_key(fam, giv, fam + giv, alias, fk, gk, fk + gk), fold(fk + gk),
                stamp, stamp))
        con.executemany(
            "INSERT INTO resident(id, family_name, given_name, family_kana, given_kana, alias, "
            "birth_date, nationality, language, support_measure, protection_order, "
            "danger_level, danger_warning, whereabouts_secret, search_key, match_key, "
            "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", residents)

        # Stays: one per resident, the rest second stays of earlier residents.
        # The latest stay of the last ``open_stays`` residents is open.
        owners = list(range(1, c.residents + 1))
        owners += rng.sample(range(1, c.residents - c.open_stays + 1), c.stays - c.residents)
        stays, stay_end = [], {}
        complaints = [x.code for x in codes.MAIN_COMPLAINT]
        destinations = [x.code for x in codes.DISCHARGE_DESTINATION if x.code != "other"]
        first_by_resident: dict[int, date] = {}
        for sid, rid in enumerate(owners, start=1):
            if rid in first_by_resident:  # second stay: after the first one
                admitted = first_by_resident[rid] + timedelta(days=rng.randint(200, 900))
                if admitted >= today - timedelta(days=30):
                    admitted = today - timedelta(days=rng.randint(31, 60))
            else:
                admitted = today - timedelta(days=rng.randint(400, 20 * 365))
                first_by_resident[rid] = admitted
            open_ = rid > c.residents - c.open_stays
            if open_:
                admitted = today - timedelta(days=rng.randint(0, 120))
                end, bed, dest = None, bed_ids[rid - (c.residents - c.open_stays) - 1], None
            else:
                end = min(admitted + timedelta(days=int(rng.expovariate(1 / 45)) + 1),
                          today - timedelta(days=1))
                bed, dest = None, rng.choice(destinations)
            stay_end[sid] = end
            stays.append((sid, rid, admitted.isoformat(), "10:00", "temporary_protection",
                          rng.choice(complaints), "police", bed,
                          end.isoformat() if end else None, dest, stamp, stamp))
        con.executemany(
            "INSERT INTO stay(id, resident_id, admitted_on, admitted_time, admission_type, "
            "main_complaint, referral_source, bed_id, discharged_on, discharge_destination, "
            "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", stays)

        children, links = [], []
        for cid in range(1, c.children + 1):
            sid = rng.randint(1, len(stays))
            rid = stays[sid - 1][1]
            fam, fk = residents[rid - 1][1], residents[rid - 1][3]
            giv, gk, sex = rng.choice(CHILD_GIVEN)
            admitted = date.fromisoformat(stays[sid - 1][2])
            birth = (admitted - timedelta(days=rng.randint(30, 17 * 365))).isoformat()
            children.append((cid, rid, fam, giv, fk, gk, birth, sex, "子", stamp, stamp))
            links.append((sid, cid))
        con.executemany(
            "INSERT INTO child(id, resident_id, family_name, given_name, family_kana, "
            "given_kana, birth_date, sex, relationship, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)", children)
        con.executemany("INSERT OR IGNORE INTO stay_child(stay_id, child_id) VALUES (?,?)", links)

        kinds = [x.code for x in codes.AFTERCARE_KIND]
        outcomes = [x.code for x in codes.AFTERCARE_OUTCOME]
        closed = [sid for sid, end in stay_end.items() if end is not None]
        offsets = (7, 14, 30, 90, 180, 365, 30, 60)
        rows = []
        for n in range(c.aftercare):
            sid = closed[n % len(closed)]
            due = stay_end[sid] + timedelta(days=offsets[(n // len(closed)) % len(offsets)])
            done = due <= today and rng.random() < 0.9
            rows.append((sid, rng.choice(kinds), due.isoformat(),
                         rng.choice(outcomes) if done else None,
                         due.isoformat() if done else None))
        con.executemany("INSERT INTO aftercare(stay_id, kind, due_on, outcome, done_on) "
                        "VALUES (?,?,?,?,?)", rows)
        db.audit("synthetic_bulk", "database", None,
                 f"residents={c.residents} stays={c.stays} children={c.children} "
                 f"aftercare={c.aftercare}")
    populate_casework(db, c, today=today, seed=seed)
    return c


def populate_casework(db, counts: Counts | None = None, *, today: date = date(2026, 11, 21),
                      seed: int = 2026) -> None:
    """Issue 9's rows: children's support (on the stays' children), school and
    nursery steps for the open stays' children, case notes of every category
    and visibility spread over the residents, programme sessions twice a week
    for two years with the open stays' residents attending."""
    c = counts or Counts()
    rng = random.Random(seed + 9)
    with db.transaction() as con:
        links = con.execute("SELECT sc.stay_id, sc.child_id, s.admitted_on FROM stay_child sc "
                            "JOIN stay s ON s.id = sc.stay_id").fetchall()
        kinds = [x.code for x in codes.CHILD_SUPPORT_KIND]
        rows = []
        for n in range(c.child_support):
            sid, cid, admitted = links[n % len(links)]
            on = date.fromisoformat(admitted) + timedelta(days=rng.randint(0, 60))
            rows.append((cid, sid, rng.choice(kinds), min(on, today).isoformat(),
                         "支援（架空）", 1, ""))
        con.executemany("INSERT INTO child_support(child_id, stay_id, kind, on_date, step, "
                        "account_id, note) VALUES (?,?,?,?,?,?,?)", rows)
        open_links = con.execute("SELECT sc.stay_id, sc.child_id FROM stay_child sc JOIN stay s "
                                 "ON s.id = sc.stay_id WHERE s.discharged_on IS NULL").fetchall()
        con.executemany("INSERT INTO child_step(child_id, stay_id, step, status, on_date, "
                        "updated_at) VALUES (?,?,?,?,?,?)",
                        [(cid, sid, "school_confidential", rng.choice(["done", "in_progress"]),
                          today.isoformat(), today.isoformat()) for sid, cid in open_links])
        stays = con.execute("SELECT id, resident_id, admitted_on FROM stay").fetchall()
        cats = [x.code for x in codes.CASE_NOTE_CATEGORY]
        vis = ["caseworker", "caseworker", "caseworker", "all", "manager"]
        rows = []
        for n in range(c.case_notes):
            sid, rid, admitted = stays[rng.randrange(len(stays))]
            on = date.fromisoformat(admitted) + timedelta(days=rng.randint(0, 90))
            rows.append((rid, sid, f"{min(on, today).isoformat()}T10:{n % 60:02d}:00",
                         rng.choice(cats), 1, rng.choice(vis), "面接の記録（架空）" * 8))
        con.executemany("INSERT INTO case_note(resident_id, stay_id, written_at, category, "
                        "author_account_id, visible_to_role, body) VALUES (?,?,?,?,?,?,?)", rows)
        open_residents = [r[0] for r in con.execute(
            "SELECT resident_id FROM stay WHERE discharged_on IS NULL")]
        day = today - timedelta(days=730)
        while day <= today:
            if day.weekday() in (1, 4):
                sid = con.execute("INSERT INTO programme_session(title, held_on, facilitator) "
                                  "VALUES ('講座（架空）', ?, '講師')", (day.isoformat(),)).lastrowid
                if day > today - timedelta(days=120):
                    con.executemany("INSERT INTO programme_attendance VALUES (?,?)",
                                    [(sid, r) for r in open_residents if rng.random() < 0.5])
            day += timedelta(days=1)
        db.audit("synthetic_bulk", "casework", None,
                 f"child_support={c.child_support} case_notes={c.case_notes}")


def table_counts(db) -> dict[str, int]:
    return {t: db.query(f"SELECT count(*) FROM {t}")[0][0]
            for t in ("resident", "stay", "child", "aftercare")}


def add_plans(db, *, today: date = date(2026, 11, 21), seed: int = 9, goals: int = 5,
              milestones: int = 15) -> int:
    """Extend the database with an independence plan per stay (``goals`` goals,
    ``milestones`` milestones spread over them, every status, some overdue),
    unless plans are there already; returns the number of plans written."""
    if db.query_one("SELECT count(*) FROM plan")[0]:
        return 0
    rng = random.Random(seed)
    domains = [x.code for x in codes.PLAN_DOMAIN]
    statuses = ("planned", "in_progress", "done", "done", "dropped")
    staff = db.query_one("SELECT min(id) FROM account")[0]
    stays = db.query("SELECT id, admitted_on FROM stay ORDER BY id")
    with db.transaction() as con:
        plan_rows, goal_rows, ms_rows = [], [], []
        gid = 0
        for pid, (sid, admitted) in enumerate(stays, start=1):
            start = date.fromisoformat(admitted)
            plan_rows.append((pid, sid, admitted,
                              (start + timedelta(days=rng.randint(14, 60))).isoformat()))
            first_goal = gid + 1
            for g in range(goals):
                gid += 1
                goal_rows.append((gid, pid, domains[(pid + g) % len(domains)],
                                  f"目標{g + 1}（架空）", g))
            for m in range(milestones):
                status = statuses[rng.randrange(len(statuses))]
                target = start + timedelta(days=7 * (m + 1))
                ms_rows.append((first_goal + m % goals, f"取り組み{m + 1}（架空）",
                                target.isoformat(), status, staff if m % 3 == 0 else None,
                                "架空の理由" if status == "dropped" else ""))
        con.executemany("INSERT INTO plan(id, stay_id, created_on, next_review_on) "
                        "VALUES (?,?,?,?)", plan_rows)
        con.executemany("INSERT INTO plan_goal(id, plan_id, domain, goal, sort) "
                        "VALUES (?,?,?,?,?)", goal_rows)
        con.executemany("INSERT INTO milestone(goal_id, title, target_on, status, "
                        "responsible_account_id, dropped_reason) VALUES (?,?,?,?,?,?)", ms_rows)
        db.audit("synthetic_bulk", "database", None, f"plans={len(plan_rows)}")
    return len(plan_rows)
