"""Validation before anything is written: each rule refuses with a message
that names the field (FieldError.field for the GUI, the words for the user)."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from shelterdesk.core.models import Child, Consent, Resident, SafetyFlags, Stay
from shelterdesk.core.validation import (
    ValidationError,
    check_child,
    check_consent,
    check_resident,
    check_stay,
)
from shelterdesk.i18n import set_language

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 12, 0)


def _stay(**kw) -> Stay:
    base = dict(admitted_at=datetime(2026, 11, 1, 9, 0), admission_type="temporary_protection",
                main_complaint="dv_spouse", referral_source="police")
    return Stay(**(base | kw))


def _only(errors, field):
    assert [e.field for e in errors] == [field], errors
    return errors[0].message


def test_valid_records_pass():
    assert check_resident(Resident(family_name="見本", given_name="花子",
                                   family_kana="みほん", given_kana="ハナコ",
                                   birth_date=date(1990, 1, 1)), TODAY) == []
    assert check_stay(_stay(), NOW) == []
    assert check_child(Child(given_name="太郎", birth_date=date(2015, 1, 1)),
                       date(2026, 11, 1), TODAY) == []


def test_discharge_before_admission():
    msg = _only(check_stay(_stay(discharged_on=date(2026, 10, 31),
                                 discharge_destination="independent"), NOW), "discharged_on")
    assert "Discharge date" in msg and "admission" in msg


def test_discharge_on_admission_day_is_fine():
    assert check_stay(_stay(discharged_on=date(2026, 11, 1),
                            discharge_destination="relatives"), NOW) == []


def test_discharge_needs_a_destination_from_the_list():
    msg = _only(check_stay(_stay(discharged_on=date(2026, 11, 2)), NOW), "discharge_destination")
    assert "Discharge destination" in msg
    msg = _only(check_stay(_stay(discharged_on=date(2026, 11, 2),
                                 discharge_destination="moon"), NOW), "discharge_destination")
    assert "'moon'" in msg


@pytest.mark.parametrize("born, admitted, ok", [
    (date(2008, 11, 2), date(2026, 11, 1), True),   # 17, turns 18 tomorrow
    (date(2008, 11, 1), date(2026, 11, 1), False),  # 18 on the day of admission
    (date(1990, 1, 1), date(2026, 11, 1), False),
])
def test_child_must_be_under_18_at_admission(born, admitted, ok):
    errors = check_child(Child(given_name="子", birth_date=born), admitted, TODAY)
    if ok:
        assert errors == []
    else:
        msg = _only(errors, "birth_date")
        assert "under 18 at admission" in msg


def test_child_rules_carry_the_prefix_of_the_form_row():
    errors = check_child(Child(given_name="子", birth_date=date(2000, 1, 1)), date(2026, 11, 1),
                         TODAY, prefix="children[2].")
    assert errors[0].field == "children[2].birth_date"


@pytest.mark.parametrize("record", ["resident", "child"])
def test_future_birth_date(record):
    if record == "resident":
        errors = check_resident(Resident(alias="ソラ", birth_date=date(2026, 11, 22)), TODAY)
    else:
        errors = check_child(Child(given_name="子", birth_date=date(2026, 11, 22)), None, TODAY)
    assert "Date of birth is in the future" in _only(errors, "birth_date")


def test_implausible_birth_date():
    errors = check_resident(Resident(alias="ソラ", birth_date=date(1900, 1, 1)), TODAY)
    assert "not plausible" in _only(errors, "birth_date")


@pytest.mark.parametrize("field, label, change", [
    ("main_complaint", "Primary complaint", {"main_complaint": "unhappiness"}),
    ("admission_type", "Admission type", {"admission_type": "walk_in"}),
    ("referral_source", "Referral source", {"referral_source": "neighbour"}),
    ("issue_tags", "Secondary issues", {"issue_tags": ("poverty", "bad_weather")}),
])
def test_unknown_code_in_a_stay(field, label, change):
    msg = _only(check_stay(_stay(**change), NOW), field)
    assert msg.startswith(label) and "not in the list" in msg


@pytest.mark.parametrize("field, label, safety", [
    ("protection_order", "Protection order", SafetyFlags(protection_order="maybe")),
    ("danger_level", "Perpetrator danger", SafetyFlags(danger_level="extreme")),
])
def test_unknown_code_in_safety_flags(field, label, safety):
    msg = _only(check_resident(Resident(alias="ソラ", safety=safety), TODAY), field)
    assert msg.startswith(label)


def test_unknown_code_child_sex_and_consent_scope():
    assert _only(check_child(Child(given_name="子", sex="X"), None, TODAY), "sex").startswith("Sex")
    assert _only(check_consent(Consent(scope="everyone", recipient="架空市",
                                       given_on=TODAY)), "scope").startswith("Consent scope")


def test_required_codes_say_so():
    msg = _only(check_stay(_stay(main_complaint=""), NOW), "main_complaint")
    assert msg == "Primary complaint is required."


def test_name_or_alias_required():
    assert "alias" in _only(check_resident(Resident(), TODAY), "family_name")
    assert check_resident(Resident(alias="ソラ（仮）"), TODAY) == []


def test_kana_fields_take_kana_only():
    msg = _only(check_resident(Resident(family_name="見本", family_kana="見本"), TODAY),
                "family_kana")
    assert "kana" in msg


def test_length_limits():
    msg = _only(check_resident(Resident(family_name="長" * 101), TODAY), "family_name")
    assert "Family name" in msg and "100" in msg
    assert check_resident(Resident(family_name="長" * 100), TODAY) == []


def test_admission_in_the_future_and_review_before_admission():
    assert "future" in _only(check_stay(_stay(admitted_at=datetime(2026, 11, 22, 0, 5)), NOW),
                             "admitted_at")
    assert _only(check_stay(_stay(review_on=date(2026, 10, 1)), NOW), "review_on")


def test_consent_dates_in_order():
    errors = check_consent(Consent(scope="municipality_aftercare", recipient="架空市",
                                   given_on=date(2026, 11, 1), expires_on=date(2026, 10, 1),
                                   withdrawn_on=date(2026, 10, 2)))
    assert {e.field for e in errors} == {"expires_on", "withdrawn_on"}


def test_validation_error_collects_every_field():
    errors = check_stay(_stay(main_complaint="x", referral_source="y"), NOW)
    e = ValidationError(errors)
    assert e.for_field("main_complaint") and e.for_field("referral_source")
    assert "Primary complaint" in str(e) and "Referral source" in str(e)


def test_messages_follow_the_language():
    set_language("ja")
    try:
        ja = check_stay(_stay(main_complaint=""), NOW)[0].message
    finally:
        set_language("en")
    en = check_stay(_stay(main_complaint=""), NOW)[0].message
    assert en == "Primary complaint is required."
    # Japanese, not the English msgid: fails when no catalog is loaded.
    assert ja != en
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", ja), ja
