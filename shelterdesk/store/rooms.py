"""Rooms and beds, and who is in which bed."""

from __future__ import annotations

from dataclasses import dataclass

from shelterdesk.core.models import Bed, Room
from shelterdesk.core.validation import Checker, ValidationError
from shelterdesk.i18n import _


def check_room(room: Room) -> None:
    c = Checker()
    if not room.name.strip():
        c.add("room_name", _("Enter the room's name."))
    c.length("room_name", _("Room"), room.name, 40)
    labels = [b.label.strip() for b in room.beds]
    if not labels:
        c.add("beds", _("A room needs at least one bed."))
    if any(not lab for lab in labels) or len(set(labels)) != len(labels):
        c.add("beds", _("Each bed in a room needs its own label."))
    c.raise_if_any()


def insert_room(con, room: Room) -> int:
    """Inside the caller's transaction."""
    check_room(room)
    if con.execute("SELECT 1 FROM room WHERE name=?", (room.name.strip(),)).fetchone():
        raise ValidationError([_field("room_name", _("A room with this name exists already."))])
    sort = con.execute("SELECT coalesce(max(sort), 0) + 1 FROM room").fetchone()[0]
    rid = con.execute("INSERT INTO room(name, family, out_of_service, note, sort) "
                      "VALUES (?,?,?,?,?)", (room.name.strip(), int(room.family),
                                             int(room.out_of_service), room.note, sort)).lastrowid
    con.executemany("INSERT INTO bed(room_id, label) VALUES (?,?)",
                    [(rid, b.label.strip()) for b in room.beds])
    return rid


def _field(name, message):
    from shelterdesk.core.validation import FieldError
    return FieldError(name, message)


def list_rooms(db) -> list[Room]:
    rooms: dict[int, Room] = {}
    for rid, name, family, oos, note in db.query(
            "SELECT id, name, family, out_of_service, note FROM room ORDER BY sort, name"):
        rooms[rid] = Room(rid, name, bool(family), bool(oos), note)
    for bid, rid, label in db.query("SELECT id, room_id, label FROM bed ORDER BY room_id, label"):
        rooms[rid].beds.append(Bed(bid, rid, label))
    return list(rooms.values())


@dataclass
class BedState:
    room_id: int
    room: str
    family_room: bool
    out_of_service: bool
    bed_id: int
    bed: str
    stay_id: int | None
    resident_id: int | None
    occupant_alias: str
    occupant_name: str
    children: int


def bed_board(db) -> list[BedState]:
    """Every bed with its occupant (an open stay), in room order."""
    rows = db.query(
        "SELECT rm.id, rm.name, rm.family, rm.out_of_service, b.id, b.label, s.id, r.id, "
        "       r.alias, trim(r.family_name || ' ' || r.given_name), "
        "       (SELECT count(*) FROM stay_child sc WHERE sc.stay_id = s.id) "
        "FROM bed b JOIN room rm ON rm.id = b.room_id "
        "LEFT JOIN stay s ON s.bed_id = b.id AND s.discharged_on IS NULL "
        "LEFT JOIN resident r ON r.id = s.resident_id "
        "ORDER BY rm.sort, rm.name, b.label")
    return [BedState(r[0], r[1], bool(r[2]), bool(r[3]), r[4], r[5], r[6], r[7], r[8] or "",
                     r[9] or "", r[10] or 0) for r in rows]


def free_beds(db) -> list[BedState]:
    return [b for b in bed_board(db) if b.stay_id is None and not b.out_of_service]


def bed_label(db, bed_id: int | None) -> tuple[str, str]:
    if bed_id is None:
        return "", ""
    row = db.query_one("SELECT rm.name, b.label FROM bed b JOIN room rm ON rm.id=b.room_id "
                       "WHERE b.id=?", (bed_id,))
    return (row[0], row[1]) if row else ("", "")
