"""Rooms and beds, and who is in which bed.

Which beds are free follows core.occupancy's rule: a family room is taken as a
whole by one family (her children sleep in its other beds); see that module
for why. The board, the free-bed count, the intake wizard and the move dialog
read it from here, and stays.py refuses a bed the rule does not leave free.
"""

from __future__ import annotations

from dataclasses import dataclass

from shelterdesk.core import occupancy
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
    #: core.occupancy's FREE, OCCUPIED, FAMILY or OUT_OF_SERVICE.
    state: str = occupancy.FREE
    #: For FAMILY: the bed (label) and stay of the family the room belongs to.
    family_bed: str = ""
    family_stay: int | None = None


def bed_board(db) -> list[BedState]:
    """Every bed with its occupant (an open stay) and its state, in room order."""
    rows = db.query(
        "SELECT rm.id, rm.name, rm.family, rm.out_of_service, b.id, b.label, s.id, r.id, "
        "       r.alias, trim(r.family_name || ' ' || r.given_name), "
        "       (SELECT count(*) FROM stay_child sc WHERE sc.stay_id = s.id) "
        "FROM bed b JOIN room rm ON rm.id = b.room_id "
        "LEFT JOIN stay s ON s.bed_id = b.id AND s.discharged_on IS NULL "
        "LEFT JOIN resident r ON r.id = s.resident_id "
        "ORDER BY rm.sort, rm.name, b.label")
    board = [BedState(r[0], r[1], bool(r[2]), bool(r[3]), r[4], r[5], r[6], r[7], r[8] or "",
                      r[9] or "", r[10] or 0) for r in rows]
    uses = occupancy.occupancy(_slots(board))
    for b in board:
        use = uses[b.bed_id]
        b.state, b.family_bed, b.family_stay = use.state, use.family_bed, use.family_stay
    return board


def _slots(board: list[BedState]) -> list[occupancy.BedSlot]:
    return [occupancy.BedSlot(b.room_id, b.family_room, b.out_of_service, b.bed_id, b.bed,
                              b.stay_id) for b in board]


def free_beds(db) -> list[BedState]:
    """The beds a new admission or a move may take (core.occupancy's FREE)."""
    return [b for b in bed_board(db) if b.state == occupancy.FREE]


def bed_refusal(db, bed_id: int, stay_id: int | None = None) -> str | None:
    """Why stay ``stay_id`` (None: a new admission) may not take ``bed_id``:
    core.occupancy's OUT_OF_SERVICE, OCCUPIED or FAMILY, or None."""
    return occupancy.may_take(_slots(bed_board(db)), bed_id, stay_id)


@dataclass
class Unassigned:
    """An open stay without a bed ("no bed yet" at intake)."""
    stay_id: int
    resident_id: int
    occupant_alias: str
    occupant_name: str
    children: int


def without_bed(db) -> list[Unassigned]:
    """Everyone in residence who has no bed yet, earliest arrival first."""
    rows = db.query(
        "SELECT s.id, r.id, r.alias, trim(r.family_name || ' ' || r.given_name), "
        "       (SELECT count(*) FROM stay_child sc WHERE sc.stay_id = s.id) "
        "FROM stay s JOIN resident r ON r.id = s.resident_id "
        "WHERE s.discharged_on IS NULL AND s.bed_id IS NULL "
        "ORDER BY s.admitted_on, s.admitted_time, s.id")
    return [Unassigned(r[0], r[1], r[2] or "", r[3] or "", r[4] or 0) for r in rows]


def bed_label(db, bed_id: int | None) -> tuple[str, str]:
    if bed_id is None:
        return "", ""
    row = db.query_one("SELECT rm.name, b.label FROM bed b JOIN room rm ON rm.id=b.room_id "
                       "WHERE b.id=?", (bed_id,))
    return (row[0], row[1]) if row else ("", "")
