"""Reading the audit log (managers and administrators): a filtered page of
rows, newest first, and the chain check.

Reading the log is itself audited (``view`` / ``audit``, with the filter's
ids and codes only), once per filter a person applies, not per page turned.
Pages are keyed by id (``before_id``), never by OFFSET: the first page over a
million rows reads only the newest rows matching the filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shelterdesk.core.codes import MANAGEMENT
from shelterdesk.core.models import AuditEntry

AUDIT_ROLES = tuple(sorted(MANAGEMENT))
PAGE = 200


@dataclass(frozen=True)
class AuditFilter:
    account_id: int | None = None
    action: str = ""
    resident_id: int | None = None
    first: date | None = None
    last: date | None = None

    def detail(self) -> str:
        """The filter as an audit detail: ids, codes and dates only."""
        parts = [f"account={self.account_id}" if self.account_id is not None else "",
                 f"action={self.action}" if self.action else "",
                 f"resident={self.resident_id}" if self.resident_id is not None else "",
                 f"from={self.first.isoformat()}" if self.first else "",
                 f"to={self.last.isoformat()}" if self.last else ""]
        return " ".join(p for p in parts if p)


def _where(f: AuditFilter, before_id: int | None) -> tuple[str, list]:
    clauses, params = [], []
    if before_id is not None:
        clauses.append("a.id < ?")
        params.append(before_id)
    if f.account_id is not None:
        clauses.append("a.account_id = ?")
        params.append(f.account_id)
    if f.action:
        clauses.append("a.action = ?")
        params.append(f.action)
    if f.resident_id is not None:
        clauses.append("((a.entity = 'resident' AND a.entity_id = ?) OR (a.entity = 'stay' AND "
                       "a.entity_id IN (SELECT id FROM stay WHERE resident_id = ?)))")
        params += [f.resident_id, f.resident_id]
    if f.first is not None:
        clauses.append("a.at >= ?")
        params.append(f.first.isoformat())
    if f.last is not None:
        clauses.append("a.at < ?")
        params.append(date.fromordinal(f.last.toordinal() + 1).isoformat())
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def entries(db, f: AuditFilter = AuditFilter(), *, before_id: int | None = None,
            limit: int = PAGE) -> list[AuditEntry]:
    """Up to ``limit`` rows matching ``f``, newest first, older than ``before_id``."""
    where, params = _where(f, before_id)
    rows = db.query("SELECT a.id, a.at, a.account_id, a.action, a.entity, a.entity_id, a.detail "
                    f"FROM audit a{where} ORDER BY a.id DESC LIMIT ?", (*params, limit))
    return [AuditEntry(r[0], datetime.fromisoformat(r[1]), r[2], r[3], r[4], r[5], r[6])
            for r in rows]


def actions(db) -> list[str]:
    """The actions the log knows (for the filter's pick list)."""
    return [r[0] for r in db.query("SELECT DISTINCT action FROM audit ORDER BY action")]


def staff(db) -> list[tuple[int, str]]:
    return [(r[0], r[1]) for r in db.query("SELECT id, display_name FROM account ORDER BY id")]


def open_view(session, f: AuditFilter = AuditFilter(), *, limit: int = PAGE) -> list[AuditEntry]:
    """A manager's look at the log: the role checked, the look audited, the first page."""
    session.require(*AUDIT_ROLES)
    session.db.audit("view", "audit", None, f.detail())
    return entries(session.db, f, limit=limit)


def verify(session) -> list[str]:
    """The chain check, for a manager; audited with the number of problems."""
    session.require(*AUDIT_ROLES)
    problems = session.db.verify_audit()
    session.db.audit("verify", "audit", None, f"problems={len(problems)}")
    return problems
