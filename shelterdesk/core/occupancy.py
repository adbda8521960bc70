"""Who holds which bed: the occupancy rule, as a pure calculation.

The rule (the store's queries, the board, the free-bed count, the intake
wizard's suggestion and the move dialog all follow it):

- a bed of an out-of-service room is never free;
- a bed with an open stay is occupied by that stay;
- **a family room is taken as a whole by one family**: once one of its beds
  has an open stay, its other beds belong to that family (her children sleep
  there) and are neither free nor offered to anyone else;
- every other bed is free.

Why the whole room rather than "her children occupy beds of the same room":
a mother with one child and a mother with two would otherwise share a room
with a stranger's family as soon as the count of beds allowed it, which a
shelter does not do (safety, privacy, children's quarrels); and the number
of beds a family uses is not a count staff keep (a toddler sleeps with her
mother, a teenager does not). Taking the room as a whole needs no such
count, and the board can still show which family a bed belongs to.

Data written before the rule may hold two stays in one family room; each
occupied bed is then shown with its own occupant, and the remaining beds
belong to the first occupied bed (by label).
"""

from __future__ import annotations

from dataclasses import dataclass

FREE = "free"
OCCUPIED = "occupied"
FAMILY = "family"          # another bed of a family room in use
OUT_OF_SERVICE = "out_of_service"


@dataclass(frozen=True)
class BedSlot:
    """One bed as the store reads it: its room and its open stay (if any)."""
    room_id: int
    family_room: bool
    out_of_service: bool
    bed_id: int
    bed: str
    stay_id: int | None = None


@dataclass(frozen=True)
class BedUse:
    state: str
    #: For FAMILY: the bed label and the stay of the family holding the room.
    family_bed: str = ""
    family_stay: int | None = None


def occupancy(slots: list[BedSlot]) -> dict[int, BedUse]:
    """The state of every bed (by bed id) under the rule above."""
    holder: dict[int, BedSlot] = {}
    for s in sorted(slots, key=lambda s: (s.room_id, s.bed)):
        if s.stay_id is not None and s.family_room and s.room_id not in holder:
            holder[s.room_id] = s
    uses: dict[int, BedUse] = {}
    for s in slots:
        if s.out_of_service:
            uses[s.bed_id] = BedUse(OUT_OF_SERVICE)
        elif s.stay_id is not None:
            uses[s.bed_id] = BedUse(OCCUPIED)
        elif s.family_room and s.room_id in holder:
            h = holder[s.room_id]
            uses[s.bed_id] = BedUse(FAMILY, h.bed, h.stay_id)
        else:
            uses[s.bed_id] = BedUse(FREE)
    return uses


def may_take(slots: list[BedSlot], bed_id: int, stay_id: int | None = None) -> str | None:
    """Why stay ``stay_id`` (None: a new admission) may not take bed
    ``bed_id`` — one of OUT_OF_SERVICE, OCCUPIED, FAMILY — or None when it may.
    Her own bed and the beds her own family holds do not count against her."""
    others = [s if s.stay_id != stay_id or stay_id is None else
              BedSlot(s.room_id, s.family_room, s.out_of_service, s.bed_id, s.bed)
              for s in slots]
    use = occupancy(others).get(bed_id)
    if use is None or use.state == FREE:
        return None
    return use.state
