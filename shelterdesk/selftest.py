"""``shelterdesk --self-test``: does this copy of the program work on this PC?

Run by the IT volunteer after copying the frozen folder (or installing from the
wheelhouse) and by CI against the frozen build. Each check prints one line
(its name through gettext, so in Japanese by default) and the run exits 0 only
if every check passed. A missing data file (a catalog, the stylesheet, a
migration, ReportLab's own fonts, Qt's Japanese catalog or a plugin) is a
failure here, never a silently English or unstyled program later.

Everything happens in an owner-only temporary folder that is removed at the
end, whatever failed: an encrypted database with one fictitious resident
(synthetic name, cheap fixed key-derivation cost), her intake sheet built in
memory, an age round trip in memory. The database in the per-user data folder
is never opened. No Qt here: the Qt checks (QtPdf, Qt's catalog, the icon) are
in :mod:`shelterdesk.gui.selftest`, imported lazily like the GUI itself.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from shelterdesk.i18n import N_, _

#: Synthetic only (見本 = "sample"): never a real person's name.
SAMPLE_FAMILY, SAMPLE_GIVEN = "見本", "花子"
SAMPLE_PASSWORD = "self-test-" + "pw-2026"  # a throwaway database


class CheckFailed(Exception):
    """A check's own one-line reason (already translated)."""


@dataclass
class _Context:
    folder: Path | None = None
    session: object = None
    db_path: Path | None = None
    stay_id: int | None = None
    pdf: bytes | None = None
    notes: list[str] = field(default_factory=list)


#: A msgid of this module: the Japanese catalog must translate it.
_PROBE = "All {total} checks passed ({s:.1f} s)."


def _check_package_data(ctx: _Context) -> str:
    from importlib import resources as ir

    import reportlab

    from shelterdesk import i18n, resources
    missing = []
    if not i18n.has_catalog("ja") or i18n.translation("ja").gettext(_PROBE) == _PROBE:
        missing.append("locale/ja/LC_MESSAGES/shelterdesk.mo")
    for name in (resources.STYLESHEET, resources.APP_ICON):
        if not resources.path(name).is_file():
            missing.append(f"resources/{name}")
    if not any(p.name.endswith(".sql")
               for p in ir.files("shelterdesk.store.migrations").iterdir()):
        missing.append("store/migrations/*.sql")
    # Babel's locale data of every language a document is printed in (the
    # frozen folder keeps only those): the names countries.py and dates.py ask for.
    from babel import localedata
    for lang in i18n.DOCUMENT_LANGUAGES:
        for name in sorted({{"tl": "fil", "zh": "zh_Hans"}.get(lang, lang),
                            {"tl": "fil", "zh": "zh_Hans_CN"}.get(lang, lang)}):
            if not localedata.exists(name):
                missing.append(f"babel/locale-data/{name}.dat")
    rl_fonts = Path(reportlab.__file__).resolve().parent / "fonts"
    if not (rl_fonts / "Vera.ttf").is_file():
        missing.append("reportlab/fonts")
    if missing:
        raise CheckFailed(_("missing: {files}").format(files=", ".join(missing)))
    return ""


def _check_temp_folder(ctx: _Context) -> str:
    ctx.folder = Path(tempfile.mkdtemp(prefix="shelterdesk-selftest-"))
    if os.name == "posix":
        mode = stat.S_IMODE(ctx.folder.stat().st_mode)
        if mode & 0o077:
            raise CheckFailed(_("others may read it (mode {mode:o})").format(mode=mode))
    return ""


def _check_create(ctx: _Context) -> str:
    from shelterdesk.core.models import Bed, Facility, Room
    from shelterdesk.store import facility
    from shelterdesk.store.demo import DEMO_KDF
    assert ctx.folder is not None
    ctx.db_path = ctx.folder / "selftest.db"
    session, _code = facility.create_facility(
        ctx.db_path, Facility(name="自己診断（架空）", capacity=1),
        [Room(None, "101", family=False, beds=[Bed(None, None, "A")])],
        "selftest", "自己診断", SAMPLE_PASSWORD, DEMO_KDF)
    session.lock()
    with open(ctx.db_path, "rb") as f:
        if f.read(16).startswith(b"SQLite format 3"):
            raise CheckFailed(_("the database file is not encrypted"))
    return ""


def _check_unlock(ctx: _Context) -> str:
    from shelterdesk.store import session as sessions
    assert ctx.db_path is not None
    ctx.session = sessions.unlock(ctx.db_path, "selftest", SAMPLE_PASSWORD)
    return ""


def _check_resident(ctx: _Context) -> str:
    from shelterdesk.core.models import Resident, Stay
    from shelterdesk.store import residents, rooms, stays
    db = ctx.session.db
    bed = rooms.free_beds(db)[0]
    her = Resident(family_name=SAMPLE_FAMILY, given_name=SAMPLE_GIVEN, family_kana="みほん",
                   given_kana="はなこ", birth_date=date(1990, 4, 1), nationality="JP")
    stay = Stay(admitted_at=datetime.now().replace(second=0, microsecond=0),
                admission_type="temporary_protection", main_complaint="dv_spouse",
                referral_source="dv_center", bed_id=bed.bed_id)
    saved = stays.admit(db, stays.Admission(her, stay))
    ctx.stay_id = saved.id
    back = residents.get_resident(db, saved.resident_id, audit_view=False)
    if (back.family_name, back.given_name) != (SAMPLE_FAMILY, SAMPLE_GIVEN):
        raise CheckFailed(_("the name read back differs from the name written"))
    return ""


def _check_intake_sheet(ctx: _Context) -> str:
    from shelterdesk.reports import fonts
    from shelterdesk.reports.documents import document
    result = document("intake").build(ctx.session.db, ctx.stay_id, None, "自己診断")
    ctx.pdf = result.data
    used = fonts.load("BIZUDGothic")
    if used is None:
        raise CheckFailed(_("the Japanese print font BIZ UDGothic is not installed; documents "
                            "print with a fallback font ({hint})").format(hint=_font_hint()))
    if b"+BIZUDGothic" not in result.data:
        raise CheckFailed(_("BIZ UDGothic is installed but was not embedded in the PDF"))
    if result.missing:
        raise CheckFailed(_("characters no font can draw: {codes}").format(
            codes=" ".join(result.missing_codepoints)))
    where = fonts.located("BIZUDGothic")
    return _("{pages} page(s), BIZ UDGothic from {path}").format(pages=result.pages, path=where)


def _font_hint() -> str:
    if sys.platform == "win32":
        return _("Windows: Settings → Apps → Optional features → Japanese Supplemental Fonts")
    return _("Debian/Ubuntu: apt install fonts-morisawa-bizud-gothic fonts-morisawa-bizud-mincho")


def _check_age(ctx: _Context) -> str:
    import pyrage
    identity = pyrage.x25519.Identity.generate()
    message = "自己診断 age round trip".encode()
    sealed = pyrage.encrypt(message, [identity.to_public()])
    if not sealed.startswith(b"age-encryption.org/v1") or message in sealed:
        raise CheckFailed(_("the encrypted file is not in the age format"))
    if pyrage.decrypt(sealed, [identity]) != message:
        raise CheckFailed(_("the decrypted text differs from the original"))
    return ""


def _check_qtpdf(ctx: _Context) -> str:
    from shelterdesk.gui import selftest as qt_checks
    if ctx.pdf is None:  # the intake sheet failed: still try QtPdf on a page of our own
        from io import BytesIO

        from reportlab.pdfgen.canvas import Canvas
        buf = BytesIO()
        c = Canvas(buf)
        c.setFont("Helvetica", 40)
        c.drawString(72, 700, "ShelterDesk self-test")
        c.showPage()
        c.save()
        ctx.pdf = buf.getvalue()
    return qt_checks.render_first_page(ctx.pdf)


def _check_qt_japanese(ctx: _Context) -> str:
    from shelterdesk.gui import selftest as qt_checks
    return qt_checks.qt_japanese()


def _check_qt_resources(ctx: _Context) -> str:
    from shelterdesk.gui import selftest as qt_checks
    return qt_checks.stylesheet_and_icon()


def _check_cleanup(ctx: _Context) -> str:
    _clean(ctx)
    if ctx.folder is not None and ctx.folder.exists():
        raise CheckFailed(_("could not remove {path}").format(path=ctx.folder))
    return ""


def _clean(ctx: _Context) -> None:
    if ctx.session is not None:
        try:
            ctx.session.lock()
        except Exception:  # noqa: S110  (best effort: the folder goes next)
            pass
        ctx.session = None
    if ctx.folder is not None and ctx.folder.exists():
        shutil.rmtree(ctx.folder, ignore_errors=True)


#: (name, check). Names are msgids, translated when printed.
CHECKS: tuple[tuple[str, Callable[[_Context], str]], ...] = (
    (N_("Program files (catalogs, stylesheet, icon, migrations, ReportLab fonts)"),
     _check_package_data),
    (N_("Owner-only temporary folder"), _check_temp_folder),
    (N_("Create an encrypted database"), _check_create),
    (N_("Unlock the database"), _check_unlock),
    (N_("Write and read a resident with a Japanese name"), _check_resident),
    (N_("Build the intake sheet with the Japanese font embedded"), _check_intake_sheet),
    (N_("Encrypt and decrypt an age file"), _check_age),
    (N_("Load QtPdf and render a page offscreen"), _check_qtpdf),
    (N_("Load Qt's Japanese translations"), _check_qt_japanese),
    (N_("Load the stylesheet and the icon in Qt"), _check_qt_resources),
    (N_("Remove everything the self-test made"), _check_cleanup),
)


def run(out=None) -> int:
    """Run every check, one line each; 0 if all passed, else 1."""
    out = out or sys.stdout
    ctx = _Context()
    failed = 0
    started = time.monotonic()
    print(_("ShelterDesk self-test ({where})").format(where=_where_from()), file=out)
    try:
        for name, check in CHECKS:
            try:
                detail = check(ctx)
                mark = _("ok")
            except CheckFailed as e:
                detail, mark = str(e), _("FAILED")
                failed += 1
            except Exception as e:  # anything else: its type and message, one line
                detail = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
                mark = _("FAILED")
                failed += 1
            title = _(name)
            line = f"[{mark}] {title}"
            print(f"{line} — {detail}" if detail else line, file=out, flush=True)
    finally:
        _clean(ctx)
    seconds = time.monotonic() - started
    if failed:
        print(_("{n} of {total} checks failed ({s:.1f} s).").format(
            n=failed, total=len(CHECKS), s=seconds), file=out)
        return 1
    print(_("All {total} checks passed ({s:.1f} s).").format(total=len(CHECKS), s=seconds),
          file=out)
    return 0


def _where_from() -> str:
    if getattr(sys, "frozen", False):
        return _("frozen program in {path}").format(path=Path(sys.executable).parent)
    import shelterdesk
    return _("Python package in {path}").format(path=Path(shelterdesk.__file__).parent)
