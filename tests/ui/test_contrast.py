"""File › High contrast: white on black with a yellow focus frame, at once on every window
shown, remembered for the next start (before the first window: setup and unlock too), and the
system's contrast preference followed until the person chooses."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from outreach_app import user_choices
from tests.ui.conftest import close_window, signed_in_window

from outreach_app.ui import theme
from outreach_app.ui.app import prepare_app
from outreach_app.ui.dialogs.opening import UnlockDialog
from outreach_app.ui.page_registry import page_index

BLACK, WHITE, YELLOW = QColor("#000000"), QColor("#ffffff"), QColor("#ffff00")
ROLE = QPalette.ColorRole


def _window(qtbot, store, folder, tmp_path):
    return signed_in_window(qtbot, store, folder, tmp_path)


def _contrast_action(window):
    """File › High contrast, as the menu shows it."""
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    action = next(a for a in file_menu.actions() if a.text() == "&High contrast")
    assert action is window.menus.settings.contrast_action
    return action


def _yellow_frame(widget) -> bool:
    """The widget as drawn has a yellow column near its left edge (the focus frame)."""
    image = widget.grab().toImage()
    middle = image.height() // 2
    return any(image.pixelColor(x, middle) == YELLOW for x in range(4))


def test_high_contrast_switches_every_window_at_once(qtbot, ui_store, plain_folder, tmp_path):
    window = _window(qtbot, ui_store, plain_folder, tmp_path)
    window.show_page(page_index("Log encounter"))
    page = window.pages.widget(page_index("Log encounter"))
    before = page.palette().color(ROLE.Window)
    action = _contrast_action(window)
    assert not action.isChecked()

    action.trigger()  # File › High contrast

    for widget in (window, page, window.nav, page.form.code):
        palette = widget.palette()
        assert palette.color(ROLE.Window) == BLACK, widget
        assert palette.color(ROLE.WindowText) == WHITE
        assert palette.color(ROLE.Base) == BLACK
        assert palette.color(ROLE.Text) == WHITE
        assert palette.color(ROLE.Highlight) == YELLOW
    # A line that colours its own text follows too: no dark red on black.
    error = window.sign_in.screen.error
    assert theme.HC_ERROR in error.styleSheet()
    # Every quantity box still has room for its number (a style sheet border can squeeze it).
    for row in page.form.item_rows:
        edit = row.spin.lineEdit()
        assert edit.width() >= edit.fontMetrics().horizontalAdvance("999"), row.code
    # The control that has the focus wears a yellow frame.
    page.form.code.setFocus()
    qtbot.waitUntil(lambda: page.form.code.hasFocus())
    assert _yellow_frame(page.form.code)
    assert user_choices.high_contrast() is True

    action.trigger()  # and back
    assert page.palette().color(ROLE.Window) == before
    assert theme.HC_ERROR not in error.styleSheet()
    assert not _yellow_frame(page.form.code)
    assert user_choices.high_contrast() is False
    close_window(qtbot, window)


def test_the_choice_holds_at_the_next_start_before_the_first_window(
    qtbot, ui_store, plain_folder, tmp_path, monkeypatch
):
    window = _window(qtbot, ui_store, plain_folder, tmp_path)
    _contrast_action(window).trigger()
    close_window(qtbot, window)
    theme.apply_theme(QApplication.instance(), False)  # the app ends; a new one starts
    monkeypatch.setattr(theme, "system_prefers_high_contrast", lambda: False)

    prepare_app(QApplication.instance())  # what the app does before its first window
    unlock = UnlockDialog(plain_folder, None, "Open Outreach Tally")
    qtbot.addWidget(unlock)
    unlock.show()
    assert unlock.palette().color(ROLE.Window) == BLACK
    assert unlock.findChild(QLabel).palette().color(ROLE.WindowText) == WHITE
    again = _window(qtbot, ui_store, plain_folder, tmp_path)
    assert _contrast_action(again).isChecked()  # the menu says what is on
    close_window(qtbot, again)


def test_the_systems_preference_counts_until_the_person_chooses(monkeypatch):
    monkeypatch.setattr(theme, "system_prefers_high_contrast", lambda: True)
    assert user_choices.high_contrast() is None
    assert theme.starting_contrast() is True
    user_choices.save_high_contrast(False)  # turned off in the app: that choice wins
    assert theme.starting_contrast() is False
    monkeypatch.setattr(theme, "system_prefers_high_contrast", lambda: False)
    user_choices.save_high_contrast(True)
    assert theme.starting_contrast() is True


def test_a_change_of_the_systems_preference_shows_in_the_menu(
    qtbot, ui_store, plain_folder, tmp_path
):
    window = _window(qtbot, ui_store, plain_folder, tmp_path)
    action = _contrast_action(window)
    theme.apply_theme(QApplication.instance(), True)  # as when the system asks for it
    action.parent().menuBar().actions()[0].menu().aboutToShow.emit()  # File opens
    assert action.isChecked()
    assert user_choices.high_contrast() is None  # showing the tick chose nothing
    close_window(qtbot, window)


def test_the_system_hint_is_read_where_qt_has_it():
    assert theme.system_prefers_high_contrast() in (True, False)  # offscreen: no preference


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def _contrast(one: QColor, other: QColor) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_high_contrast_colour_reads_at_seven_to_one():
    """WCAG AAA for text: each colour a line or a cell takes in high contrast, on black (or on
    the alert rows' dark red)."""
    theme.apply_theme(QApplication.instance(), True)
    weak = {}
    for tone in theme.TONES:
        sheet = theme.tone_sheet(tone)
        if "color:" in sheet:
            colour = QColor(theme.text_colour(tone))
            if _contrast(colour, BLACK) < 7:
                weak[tone] = colour.name()
    for name in ("muted", "hidden", "alert", "expired"):
        if _contrast(theme.cell_colour(name), BLACK) < 7:
            weak[name] = theme.cell_colour(name).name()
    for text, background in (
        ("alert", "alert-background"),
        ("expired", "expiring-background"),  # an expired lot is also a lot to check
        (WHITE, "expiring-background"),
        (WHITE, "reorder-background"),
        (WHITE, "count-needed-background"),
    ):
        fore = text if isinstance(text, QColor) else theme.cell_colour(text)
        if _contrast(fore, theme.cell_colour(background)) < 7:
            weak[f"{fore.name()} on {background}"] = theme.cell_colour(background).name()
    palette = QApplication.instance().palette()
    for role in (ROLE.WindowText, ROLE.Text, ROLE.ButtonText, ROLE.PlaceholderText):
        if _contrast(palette.color(role), BLACK) < 7:
            weak[role.name] = palette.color(role).name()
    assert not weak, f"too faint on black: {weak}"


def test_the_dashboard_charts_follow_high_contrast(qtbot, qapp):
    from outreach_app.domain.dashboard import WeekBars

    from outreach_app.ui.widgets.week_chart import WeekChart

    chart = WeekChart("Contacts")
    qtbot.addWidget(chart)
    chart.resize(420, 260)
    chart.show()
    qtbot.waitExposed(chart)
    chart.show_bars(
        ["1–7", "8–14", "15–21", "22–28", "This week"], WeekBars("X", (4, 5, 6, 7, 8), (0,) * 5)
    )

    def drawn() -> set[str]:
        image = chart.grab().toImage()
        return {
            image.pixelColor(x, y).name()
            for x in range(0, image.width(), 3)
            for y in range(0, image.height(), 3)
        }

    before = drawn()
    assert "#ffffff" in before and "#000000" not in before and "#00e5ff" not in before
    theme.apply_theme(qapp, True)
    qtbot.waitUntil(lambda: "#00e5ff" in drawn() and "#000000" in drawn())  # bars on black
    assert "#ffffff" in drawn()  # the title and week names, white
    theme.apply_theme(qapp, False)
    qtbot.waitUntil(lambda: "#00e5ff" not in drawn() and "#000000" not in drawn())
