"""The steps a person takes, as user events, shared by the journeys."""

from __future__ import annotations


def click(qtbot, widget) -> None:
    """A left click in the middle of ``widget``, as a person makes it."""
    from PySide6.QtCore import Qt

    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def menu_action(window, name: str):
    """The main window's ``QAction`` called ``name``, enabled (as a person sees it in the menu)."""
    from PySide6.QtGui import QAction

    action = window.findChild(QAction, name)
    assert action is not None, f"no action {name}"
    assert action.isEnabled(), f"{name} is disabled"
    return action


def row_point(view, row: int):
    """The middle of ``row``'s first cell in the list's viewport, where a person clicks it."""
    return view.visualRect(view.model().index(row, 0)).center()


def click_row(qtbot, view, row: int, modifier=None) -> None:
    """A left click on ``row`` of an item view, with ``modifier`` (Shift, Ctrl) held if given."""
    from PySide6.QtCore import Qt

    held = Qt.KeyboardModifier.NoModifier if modifier is None else modifier
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, held, pos=row_point(view, row))


def shift_click_rows(qtbot, view, first: int, last: int) -> None:
    """Select rows ``first``..``last`` as a person does: click the first, shift+click the last."""
    from PySide6.QtCore import Qt

    click_row(qtbot, view, first)
    click_row(qtbot, view, last, Qt.KeyboardModifier.ShiftModifier)


def selected_rows(view) -> list[int]:
    """The rows drawn as selected, top to bottom."""
    return sorted(index.row() for index in view.selectionModel().selectedRows())


def cell_text(window, row: int, key: str) -> str:
    """The text the article list shows at ``row`` in the column showing ``key``."""
    model = window.model
    return model.data(model.index(row, model.column_of_key(key))) or ""


def listed_titles(window) -> list[str]:
    """The titles the article list shows, top to bottom."""
    return [cell_text(window, row, "title") for row in range(window.model.rowCount())]


def facet_rows(window, facet: str) -> list[tuple[str, str]]:
    """(value, count) as the sidebar's ``facet`` section shows them."""
    model = window.sidebar.sections[facet].model
    return [(model.data(model.index(row, model.VALUE)), model.data(model.index(row, model.COUNT)))
            for row in range(model.rowCount())]


def click_facet_value(qtbot, window, facet: str, label: str, *, exclude: bool = False) -> None:
    """Click ``label`` in the sidebar's ``facet`` section: the value itself to show only its
    articles, or with ``exclude`` the button beside it that leaves them out."""
    from PySide6.QtCore import Qt

    section = window.sidebar.sections[facet]
    view, model = section.view, section.model
    rows = [row for row, (value, _) in enumerate(facet_rows(window, facet)) if value == label]
    assert rows, f"the {facet} section shows no {label!r}"
    column = model.EXCLUDE if exclude else model.VALUE
    rect = view.visualRect(model.index(rows[0], column))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def painted_runs(reader) -> list[tuple[str, str]]:
    """(text, background colour) of each piece of the reader's text drawn on a coloured background."""
    from PySide6.QtCore import Qt

    runs = []
    block = reader.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            background = fragment.charFormat().background()
            if fragment.isValid() and background.style() != Qt.BrushStyle.NoBrush:
                runs.append((fragment.text(), background.color().name()))
            fragments += 1
        block = block.next()
    return runs


def select_text_in_reader(qtbot, reader, quote: str) -> None:
    """Drag the mouse across ``quote`` where the reader shows it (its first occurrence, on screen)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor

    found = reader.document().find(quote)
    assert not found.isNull(), f"the reader does not show {quote!r}"
    points = []
    for position in (found.selectionStart(), found.selectionEnd()):
        cursor = QTextCursor(reader.document())
        cursor.setPosition(position)
        points.append(reader.cursorRect(cursor).center())
    viewport = reader.viewport()
    assert all(viewport.rect().contains(point) for point in points), f"{quote!r} is not on screen"
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=points[0])
    qtbot.mouseMove(viewport, points[1])
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=points[1])


def scroll_wheel(view, notches: int) -> None:
    """Turn the mouse wheel over ``view`` by ``notches`` (positive: down the list)."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    viewport = view.viewport()
    centre = QPointF(viewport.rect().center())
    event = QWheelEvent(centre, QPointF(viewport.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, -120 * notches), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(viewport, event)


def type_text(qtbot, widget, text: str) -> None:
    """Type ``text`` as a person does: ASCII keys as key clicks, Cyrillic letters as the key
    events a Russian layout sends, Han characters as the input method commits them (a run
    at a time). QTest's own ``keyClicks`` can only type ASCII."""
    import re

    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QInputMethodEvent, QKeyEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    for run in re.findall(r"[\u3400-\u9fff]+|.", text, flags=re.DOTALL):
        if run.isascii():
            qtbot.keyClicks(widget, run)
        elif len(run) > 1 or "\u3400" <= run <= "\u9fff":
            event = QInputMethodEvent("", [])
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                         Qt.KeyboardModifier.NoModifier, run))


def drop_on(window, paths) -> None:
    """Drag ``paths`` from a file manager and drop them on the window."""
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    centre = window.rect().center()
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)


def right_click(window, point, *, viewport=None):
    """Right-click the reader (or another ``viewport``) at ``point``; returns the context menu that
    pops up."""
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication, QMenu

    viewport = viewport or window.reader.viewport()
    QApplication.sendEvent(viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                                                       viewport.mapToGlobal(point)))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu


def merge_picker():
    """The merge picker when it is the dialog in front, else None."""
    from PySide6.QtWidgets import QApplication

    widget = QApplication.activeModalWidget()
    return widget if widget is not None and widget.objectName() == "mergePicker" else None


def status_text(window) -> str:
    """The message the window's status bar shows."""
    return window.statusBar().currentMessage()


def focus_on(qtbot, window, widget) -> None:
    """Put the keyboard on ``widget`` of the active ``window``, as a click on it would."""
    window.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def drawn_texts(widget) -> list[str]:
    """The strings ``widget`` draws with ``QPainter.drawText(rect, flags, text)`` when painted
    now: what the person reads on it, elided as it is shown."""
    from PySide6.QtGui import QPainter

    drawn: list[str] = []
    draw_text = QPainter.drawText

    def recording(painter, *args):
        if len(args) == 3 and isinstance(args[2], str):
            drawn.append(args[2])
        return draw_text(painter, *args)

    QPainter.drawText = recording
    try:
        widget.grab()
    finally:
        QPainter.drawText = draw_text
    return drawn


def double_click_mention(qtbot, window, title: str, name: str):
    """Read the article ``title`` and double-click the first ``name`` in it, as a person opens
    its entity's page; returns the page once the keyboard is in it."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    click_row(qtbot, window.list_view, listed_titles(window).index(title))
    reader = window.reader
    qtbot.waitUntil(lambda: reader.current_document is not None and reader.current_document.title == title)
    reader.setFocus()
    qtbot.waitUntil(reader.hasFocus)
    offset = reader.current_document.text.index(name)
    reader.scroll_to_offset(offset)
    cursor = reader.textCursor()
    cursor.setPosition(reader.position_of(offset) + 1)
    qtbot.mouseDClick(reader.viewport(), Qt.MouseButton.LeftButton, pos=reader.cursorRect(cursor).center())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and QApplication.focusWidget().window().objectName() == "entityPage")
    return QApplication.focusWidget().window()


def merge_by_typing(qtbot, table, typed: str) -> None:
    """M on the selected rows of Review entities' ``table``, ``typed`` in the merge picker's
    box and Enter: the rows merged into the name the picker offers first."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit

    qtbot.keyClick(table, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: merge_picker() is not None)
    box = merge_picker().findChild(QLineEdit, "mergeFilter")
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, typed)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: merge_picker() is None)


def sort_arrow(header) -> str | None:
    """Which way the sort arrow drawn on ``header`` points ("up" or "down"), or None when none
    is drawn: the pixels that differ from the header drawn without it form a triangle whose wide
    side is at the bottom when it points up."""
    if not header.isSortIndicatorShown():
        return None
    shown = header.grab().toImage()
    header.setSortIndicatorShown(False)
    try:
        plain = header.grab().toImage()
    finally:
        header.setSortIndicatorShown(True)
    widths = [sum(shown.pixel(x, y) != plain.pixel(x, y) for x in range(shown.width()))
              for y in range(shown.height())]
    drawn = [y for y, width in enumerate(widths) if width]
    if not drawn:
        return None
    top, bottom = widths[drawn[0]], widths[drawn[-1]]
    return "up" if bottom > top else "down" if top > bottom else None


def click_header(qtbot, header, section: int) -> None:
    """A left click on the middle of ``header``'s ``section``, as a person sorts by a column."""
    from PySide6.QtCore import QPoint, Qt

    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
