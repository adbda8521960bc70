"""Aftercare on the command line (issue 10's contract; scripts and checks use it):

    discharge --stay ID --on DATE --destination CODE [--note TEXT]
              [--aftercare default|none] [--reason TEXT] [--visit]
    aftercare list [--stay ID] [--due-before DATE] [--json]
    aftercare record --item ID --outcome CODE --on DATE [--note TEXT]
    partner add --name NAME [--recipient AGE1…] [--closed DATE …] [--note TEXT]
    consent add --resident ID --scope CODE --recipient PARTNER --given DATE [--expires DATE]
    export aftercare --partner NAME --out FILE [--passphrase]
    import aftercare-results --file FILE

``discharge`` closes the stay and saves its schedule in one transaction and
prints the schedule; ``--aftercare none`` needs a reason (``--reason``, else
the note). ``export`` exits 1 with the reason and writes no file when nobody
has a valid consent for that partner; a generated passphrase is printed once
(standard output) and never stored. ``import`` prints ``updated N, unchanged
K, conflicts C`` and one line per conflict naming the item id; conflicting
items keep their local values. Names never reach standard error.
"""

from __future__ import annotations

import json
from pathlib import Path

from shelterdesk.cli.common import add_db_option, add_user_option, unlock
from shelterdesk.core import codes
from shelterdesk.i18n import _


def _date(text: str):
    import argparse

    from shelterdesk.core.dates import DateFormatError, parse_date
    try:
        return parse_date(text)
    except DateFormatError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _common(sp):
    add_db_option(sp)
    add_user_option(sp)
    return sp


def register(sub) -> None:
    sp = _common(sub.add_parser("discharge", help=_("discharge a stay and make its aftercare "
                                                    "schedule")))
    sp.add_argument("--stay", required=True, type=int, metavar="ID", help=_("stay number"))
    sp.add_argument("--on", required=True, type=_date, metavar="DATE",
                    help=_("discharge date"))
    sp.add_argument("--destination", required=True, metavar="CODE",
                    choices=[c.code for c in codes.DISCHARGE_DESTINATION],
                    help=_("discharge destination (a code)"))
    sp.add_argument("--note", default="", metavar="TEXT", help=_("discharge note"))
    sp.add_argument("--aftercare", choices=("default", "none"), default="default",
                    help=_("default: the default schedule; none: no aftercare (give a reason)"))
    sp.add_argument("--reason", default="", metavar="TEXT",
                    help=_("why there is no aftercare"))
    sp.add_argument("--visit", action="store_true",
                    help=_("she agrees to a visit interview (+30 days)"))
    sp.set_defaults(func=cmd_discharge)

    ap = sub.add_parser("aftercare", help=_("aftercare items"))
    asub = ap.add_subparsers(dest="aftercare_command", required=True, metavar="COMMAND")
    lp = _common(asub.add_parser("list", help=_("list aftercare items")))
    lp.add_argument("--stay", type=int, metavar="ID", help=_("only this stay"))
    lp.add_argument("--due-before", type=_date, metavar="DATE",
                    help=_("only items due before DATE"))
    lp.add_argument("--json", action="store_true", help=_("print a JSON array"))
    lp.set_defaults(func=cmd_list)
    rp = _common(asub.add_parser("record", help=_("record the outcome of an item")))
    rp.add_argument("--item", required=True, type=int, metavar="ID", help=_("item number"))
    rp.add_argument("--outcome", required=True, metavar="CODE",
                    choices=[c.code for c in codes.AFTERCARE_OUTCOME], help=_("outcome code"))
    rp.add_argument("--on", required=True, type=_date, metavar="DATE", help=_("date"))
    rp.add_argument("--note", default="", metavar="TEXT", help=_("note"))
    rp.add_argument("--new-date", type=_date, metavar="DATE",
                    help=_("the new date (outcome rescheduled)"))
    rp.set_defaults(func=cmd_record)

    pp = sub.add_parser("partner", help=_("partner agencies"))
    psub = pp.add_subparsers(dest="partner_command", required=True, metavar="COMMAND")
    pa = _common(psub.add_parser("add", help=_("register a partner")))
    pa.add_argument("--name", required=True, metavar="NAME", help=_("partner name"))
    pa.add_argument("--recipient", default="", metavar="AGE1…",
                    help=_("the partner's age recipient (public key)"))
    pa.add_argument("--closed", action="append", type=_date, default=[], metavar="DATE",
                    help=_("an extra closure day of the partner (repeatable)"))
    pa.add_argument("--note", default="", metavar="TEXT", help=_("note"))
    pa.set_defaults(func=cmd_partner_add)

    cp = sub.add_parser("consent", help=_("consents"))
    csub = cp.add_subparsers(dest="consent_command", required=True, metavar="COMMAND")
    ca = _common(csub.add_parser("add", help=_("record a consent")))
    ca.add_argument("--resident", required=True, type=int, metavar="ID",
                    help=_("resident number"))
    ca.add_argument("--scope", required=True, metavar="CODE",
                    choices=[c.code for c in codes.CONSENT_SCOPE], help=_("consent scope"))
    ca.add_argument("--recipient", required=True, metavar="PARTNER", help=_("recipient"))
    ca.add_argument("--given", required=True, type=_date, metavar="DATE",
                    help=_("date consent was given"))
    ca.add_argument("--expires", type=_date, metavar="DATE", help=_("expiry date"))
    ca.set_defaults(func=cmd_consent_add)

    ep = sub.add_parser("export", help=_("encrypted hand-overs"))
    esub = ep.add_subparsers(dest="export_command", required=True, metavar="WHAT")
    ea = _common(esub.add_parser("aftercare", help=_("the aftercare schedule for a partner, "
                                                     "as an encrypted age file")))
    ea.add_argument("--partner", required=True, metavar="NAME", help=_("partner name"))
    ea.add_argument("--out", required=True, metavar="FILE", help=_("file to write"))
    ea.add_argument("--passphrase", action="store_true",
                    help=_("encrypt with a generated passphrase instead of the partner's key"))
    ea.set_defaults(func=cmd_export)

    ip = sub.add_parser("import", help=_("results coming back"))
    isub = ip.add_subparsers(dest="import_command", required=True, metavar="WHAT")
    ia = _common(isub.add_parser("aftercare-results",
                                 help=_("import a partner's aftercare results")))
    ia.add_argument("--file", required=True, metavar="FILE", help=_("the encrypted file"))
    ia.set_defaults(func=cmd_import)


def _print_items(items) -> None:
    from shelterdesk.core.tabular import output_row
    for it in items:
        print(output_row((it.id, it.kind, it.due_on.isoformat(), it.assignee)))


def cmd_discharge(args) -> int:
    from shelterdesk.store import aftercare
    session = unlock(args)
    try:
        db = session.db
        items = None
        if args.aftercare == "default":
            items = [aftercare.NewItem(p.kind, p.due_on, assignee_account_id=session.account.id
                                       if session.account else None)
                     for p in aftercare.propose(db, args.on, visit=args.visit)]
        aftercare.discharge_with_schedule(db, args.stay, args.on, args.destination, args.note,
                                          items=items,
                                          none_reason=args.reason or args.note)
        made = aftercare.items_of_stay(db, args.stay)
    finally:
        session.lock()
    if not made:
        print(_("Discharged; no aftercare."))
    _print_items(made)
    return 0


def cmd_list(args) -> int:
    from shelterdesk.store import aftercare
    session = unlock(args)
    try:
        session.require(*aftercare.AFTERCARE_ROLES)
        items = aftercare.list_items(session.db, stay_id=args.stay, due_before=args.due_before)
        session.db.audit("list", "aftercare", None, f"count={len(items)}")
    finally:
        session.lock()
    if args.json:
        print(json.dumps([{
            "id": i.id, "stay_id": i.stay_id, "resident_id": i.resident_id, "kind": i.kind,
            "due_on": i.due_on.isoformat(), "assignee": i.assignee,
            "assignee_account_id": i.assignee_account_id,
            "assignee_partner_id": i.assignee_partner_id, "outcome": i.outcome,
            "done_on": i.done_on.isoformat() if i.done_on else None, "note": i.note,
            "sequence": i.sequence} for i in items], ensure_ascii=False, indent=1))
        return 0
    from shelterdesk.core.tabular import output_row
    print("\t".join(("id", "stay_id", "resident_id", "kind", "due_on", "assignee", "outcome",
                     "done_on")))
    for i in items:
        print(output_row((i.id, i.stay_id, i.resident_id, i.kind, i.due_on.isoformat(),
                          i.assignee, i.outcome or "", i.done_on or "")))
    return 0


def cmd_record(args) -> int:
    from shelterdesk.store import aftercare
    session = unlock(args)
    try:
        session.require(*aftercare.AFTERCARE_ROLES)
        res = aftercare.record_outcome(session.db, args.item, args.outcome, args.on, args.note,
                                       new_date=args.new_date)
    finally:
        session.lock()
    if res.follow_on_id:
        print(_("Follow-on item {id} made.").format(id=res.follow_on_id))
    return 0


def cmd_partner_add(args) -> int:
    from shelterdesk.core.aftercare import Partner
    from shelterdesk.store import partners
    session = unlock(args)
    try:
        pid = partners.save_partner(session, Partner(None, args.name, args.recipient, args.note,
                                                     tuple(args.closed)))
    finally:
        session.lock()
    print(_("Partner {id} registered.").format(id=pid))
    return 0


def cmd_consent_add(args) -> int:
    from shelterdesk.core.models import Consent
    from shelterdesk.store import residents
    session = unlock(args)
    try:
        residents.get_resident(session.db, args.resident, audit_view=False)
        kid = residents.insert_consent(session.db, Consent(
            None, args.resident, args.scope, args.recipient, args.given, args.expires))
    finally:
        session.lock()
    print(_("Consent {id} recorded.").format(id=kid))
    return 0


def cmd_export(args) -> int:
    from shelterdesk.store import aftercare, partners
    from shelterdesk.store.files import check_output_path
    from shelterdesk.transfer import handover
    out = Path(args.out)
    check_output_path(out, protect=[Path(args.db)])  # before any password is asked for
    session = unlock(args)
    try:
        session.require(*aftercare.AFTERCARE_ROLES)
        partner = partners.find_partner(session.db, args.partner)
        res = handover.export(session.db, partner.id, out, passphrase=args.passphrase,
                              protect=[Path(args.db), session.db.path])
    finally:
        session.lock()
    print(_("Wrote {path}: {people} people, {items} items; read back and decrypted.").format(
        path=res.path, people=res.people, items=res.items))
    if res.passphrase:
        print(_("Passphrase (tell it by phone; it is not stored): {p}").format(p=res.passphrase))
    return 0


def cmd_import(args) -> int:
    from shelterdesk.store import aftercare
    from shelterdesk.transfer import handover
    session = unlock(args)
    try:
        session.require(*aftercare.AFTERCARE_ROLES)
        results = handover.read_results(session.db, Path(args.file))
        updated = handover.apply(session.db, results)
    finally:
        session.lock()
    plan = results.plan
    print(f"updated {updated}, unchanged {len(plan.unchanged)}, conflicts {len(plan.conflicts)}")
    for c in plan.conflicts:
        print(f"conflict item {c.item_id}: " + _("changed here since the export; the local "
                                                  "values were kept"))
    return 0

