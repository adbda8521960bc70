"""The occupancy rule: a family room is taken as a whole by one family."""

from __future__ import annotations

from shelterdesk.core.occupancy import (
    FAMILY,
    FREE,
    OCCUPIED,
    OUT_OF_SERVICE,
    BedSlot,
    may_take,
    occupancy,
)


def _house(stay_in=None):
    """101 (single), 201 A/B/C (family), 301 (out of service)."""
    stay_in = stay_in or {}
    beds = [(1, False, False, 11, "A"), (2, True, False, 21, "A"), (2, True, False, 22, "B"),
            (2, True, False, 23, "C"), (3, False, True, 31, "A")]
    return [BedSlot(r, f, o, b, label, stay_in.get(b)) for r, f, o, b, label in beds]


def test_an_empty_house_has_every_usable_bed_free():
    uses = occupancy(_house())
    assert {b: u.state for b, u in uses.items()} == {
        11: FREE, 21: FREE, 22: FREE, 23: FREE, 31: OUT_OF_SERVICE}


def test_a_family_in_one_bed_of_a_family_room_holds_its_other_beds():
    uses = occupancy(_house({21: 7}))
    assert uses[21].state == OCCUPIED
    assert (uses[22].state, uses[22].family_bed, uses[22].family_stay) == (FAMILY, "A", 7)
    assert uses[23].state == FAMILY
    assert uses[11].state == FREE
    assert may_take(_house({21: 7}), 22) == FAMILY          # nobody else moves in
    assert may_take(_house({21: 7}), 22, stay_id=7) is None  # she may change beds
    assert may_take(_house({21: 7}), 21) == OCCUPIED
    assert may_take(_house({21: 7}), 31) == OUT_OF_SERVICE
    assert may_take(_house({21: 7}), 11) is None


def test_a_single_room_holds_nothing_else_and_old_double_bookings_stay_visible():
    assert occupancy(_house({11: 1}))[21].state == FREE
    uses = occupancy(_house({22: 5, 23: 6}))  # written before the rule
    assert (uses[22].state, uses[23].state) == (OCCUPIED, OCCUPIED)
    assert (uses[21].state, uses[21].family_bed, uses[21].family_stay) == (FAMILY, "B", 5)
