"""The residents list: search as you type (kana folding), views, sorting,
safety marks, keyboard, and opening a profile (audited)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from shelterdesk.core.dates import format_date
from shelterdesk.gui.main_window import MainWindow
from shelterdesk.gui.models.residents import COL_ADMITTED, COL_KANA, COL_NAME, COL_SAFETY
from shelterdesk.gui.views.record import RecordView
from shelterdesk.gui.views.record.children import ChildrenTab
from shelterdesk.gui.views.record.stays import StaysTab
from shelterdesk.gui.views.residents import ResidentsPage
from shelterdesk.gui.widgets.safety import SAFETY_ROLE
from shelterdesk.store import residents as repo
from shelterdesk.store import session as sessions
from shelterdesk.store import stays

ADMIN, PASSWORD = "admin", "correct horse 1"


def names(page: ResidentsPage) -> list[str]:
    m = page.model
    return [m.data(m.index(r, COL_NAME)) for r in range(m.rowCount())]


def test_search_as_you_type_folds_kana_and_width(qtbot, populated, type_text):
    s = sessions.unlock(populated, ADMIN, PASSWORD)
    page = ResidentsPage(s.db)
    qtbot.addWidget(page)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    assert sorted(names(page)) == sorted(["見本 花子", "架空 桜", "メグさん"])
    qtbot.keySequence(page, QKeySequence.StandardKey.Find)
    assert page.search.hasFocus()
    type_text(page.search, "ミホン")  # katakana finds the hiragana みほん
    qtbot.waitUntil(lambda: names(page) == ["見本 花子"], timeout=2000)
    page.search.clear()
    type_text(page.search, "ｶｸｳ")  # half-width katakana finds かくう
    qtbot.waitUntil(lambda: names(page) == ["架空 桜"], timeout=2000)
    page.search.clear()
    type_text(page.search, "メグ")  # the alias
    qtbot.waitUntil(lambda: names(page) == ["メグさん"], timeout=2000)
    page.search.clear()
    type_text(page.search, "見本")  # kanji
    qtbot.waitUntil(lambda: names(page) == ["見本 花子"], timeout=2000)
    assert page.count_label.text() == "1 resident"
    s.lock()


def test_views_sorting_marks_and_opening_a_profile(qtbot, populated, shoot, texts):
    s = sessions.unlock(populated, ADMIN, PASSWORD)
    s.kdf = None
    window = MainWindow(s, populated, idle_ms=60_000)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    page = window.pages["residents"]
    m = page.model
    # kana order by default; a click on the header sorts in SQL, twice reverses
    assert [m.data(m.index(r, COL_KANA)) for r in range(3)] == [
        "かくう さくら", "しよう めぐみ", "みほん はなこ"]
    header = page.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=_section_center(header, COL_ADMITTED))
    assert m.sort_key == "admitted"
    dates = [m.row_at(r).admitted_on for r in range(3)]
    assert dates == sorted(dates)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=_section_center(header, COL_ADMITTED))
    assert m.descending
    assert [m.row_at(r).admitted_on for r in range(3)] == sorted(dates, reverse=True)

    # the safety mark: a badge and a tooltip naming every flag
    row = next(r for r in range(3) if m.data(m.index(r, COL_NAME)) == "見本 花子")
    assert m.data(m.index(row, COL_SAFETY)) == "Caution"
    assert m.data(m.index(row, COL_SAFETY), SAFETY_ROLE).any
    tip = m.data(m.index(row, COL_SAFETY), Qt.ItemDataRole.ToolTipRole)
    assert "Perpetrator danger: High — 来訪者に注意" in tip
    assert "Whereabouts secret" in tip
    other = next(r for r in range(3) if m.data(m.index(r, COL_NAME)) == "架空 桜")
    assert m.data(m.index(other, COL_SAFETY)) == ""
    shoot(window, "residents_test")

    # discharge one; "In residence" drops her, "Discharged" shows only her
    rid = m.row_at(other).resident_id
    stay = stays.open_stay_of(s.db, rid)
    stays.discharge(s.db, stay.id, stay.admitted_on, "independent")
    page.refresh()
    assert "架空 桜" not in names(page)
    assert m.columnCount() == 8  # in residence: no discharge columns
    page.view_buttons.button(2).click()
    assert names(page) == ["架空 桜"]
    # the discharged and all views say when she left and where to
    assert [m.headerData(c, Qt.Orientation.Horizontal) for c in (8, 9)] == \
        ["Discharged", "Destination"]
    assert m.data(m.index(0, 8)) == format_date(stay.admitted_on)
    assert m.data(m.index(0, 9)) == "Independent living (apartment etc.)"
    page.view_buttons.button(1).click()
    assert len(names(page)) == 3
    assert m.columnCount() == 10

    # keyboard: type, Down into the table, Enter opens her profile (audited)
    page.view_buttons.button(0).click()
    page.search.setFocus()
    qtbot.keyClicks(page.search, "hana")  # no romaji match: nothing, and nothing breaks
    page.apply_search()
    assert names(page) == []
    page.search.clear()
    page.apply_search()
    views_before = s.db.query_one("SELECT count(*) FROM audit WHERE action='view'")[0]
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    target = m.row_at(page.table.currentIndex().row())
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    profile = window.pages["resident"]  # her record
    assert window.current_page() == "resident"
    assert s.db.query_one("SELECT count(*) FROM audit WHERE action='view' AND entity_id=?",
                          (target.resident_id,))[0] == 1
    assert s.db.query_one("SELECT count(*) FROM audit WHERE action='view'")[0] == views_before + 1
    shown = "\n".join(texts())
    assert target.display_name in shown
    assert str(target.stay_id) in shown and str(target.resident_id) in shown
    qtbot.mouseClick(profile.back_button, Qt.MouseButton.LeftButton)
    assert window.current_page() == "residents"
    assert "resident" not in window.pages
    window.close()


def test_double_click_opens_and_the_profile_shows_safety_first(qtbot, populated, shoot):
    s = sessions.unlock(populated, ADMIN, PASSWORD)
    window = MainWindow(s, populated, idle_ms=60_000)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    page = window.pages["residents"]
    m = page.model
    row = next(r for r in range(m.rowCount()) if m.data(m.index(r, COL_NAME)) == "見本 花子")
    index = m.index(row, COL_NAME)
    rect = page.table.visualRect(index)
    # a real double click arrives as press, release, double-click, release
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_page() == "resident"
    page = window.pages["resident"]
    assert page.banner.isVisible()
    assert "Whereabouts secret" in page.banner.text()
    shoot(window, "record_test")
    window.close()


def test_the_record_shows_safety_ids_and_children(qtbot, populated, shoot):
    s = sessions.unlock(populated, ADMIN, PASSWORD)
    rows = repo.list_residents(s.db)
    mihon = next(r for r in rows if r.display_name == "見本 花子")
    kakuu = next(r for r in rows if r.display_name == "架空 桜")
    profile = RecordView(s, resident_id=mihon.resident_id)
    qtbot.addWidget(profile)
    profile.show()
    assert profile.banner.isVisible()
    assert "Perpetrator danger: High — 来訪者に注意" in profile.banner.text()
    assert profile.tab(StaysTab).table.item(0, 0).text() == str(mihon.stay_id)
    shoot(profile, "profile_test")
    calm = RecordView(s, resident_id=kakuu.resident_id)
    qtbot.addWidget(calm)
    calm.show()
    assert not calm.banner.isVisible()
    assert calm.tab(ChildrenTab).table.rowCount() == 2
    # what the read-only profile also showed: days in residence, children's allergies
    stays_table, children_table = calm.tab(StaysTab).table, calm.tab(ChildrenTab).table
    last = stays_table.columnCount() - 1
    assert stays_table.horizontalHeaderItem(last).text() == "Days"
    assert stays_table.item(0, last).text().isdigit()
    last = children_table.columnCount() - 1
    assert children_table.horizontalHeaderItem(last).text() == "Allergies"
    views = s.db.query("SELECT entity_id FROM audit WHERE action='view' ORDER BY id")
    assert views[-2:] == [(mihon.resident_id,), (kakuu.resident_id,)]
    s.lock()


def _section_center(header, section):
    from PySide6.QtCore import QPoint
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    return QPoint(x, header.height() // 2)


def test_the_model_fetches_further_pages(qtbot, populated, monkeypatch):
    from shelterdesk.gui.models import residents as model_module
    monkeypatch.setattr(model_module, "PAGE_SIZE", 2)
    s = sessions.unlock(populated, ADMIN, PASSWORD)
    m = model_module.ResidentsModel(s.db)
    m.reload()
    assert m.rowCount() == 2 and m.total == 3 and m.canFetchMore()
    m.fetchMore()
    assert m.rowCount() == 3 and not m.canFetchMore()
    assert repo.count_residents(s.db) == 3
    s.lock()
