"""The app's colours: the platform's own, or a high-contrast palette (white on black, yellow
for focus and selection, strong borders, a focus frame on every control that takes focus).

High contrast is switched from File › High contrast, kept per person on this computer
(`outreach_app.user_choices`), and applied at start before the first window (the first-run
setup and unlock screens too); until the person chooses, the system's contrast preference
(Qt 6.10's `QStyleHints.accessibility()`) decides.

A widget that colours its own text (an error line, a warning, a hint) takes a *tone* through
`set_tone` instead of a literal style sheet: the tone has a colour for each palette, and a
switch re-applies the tone of every widget alive, so nothing stays dark red on black.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from outreach_app import user_choices

TONE_PROPERTY = "outreachTone"
TALLY_FOCUS_NAME = "tallyCounter"  # the tally tiles' page: its keys count while it has focus
_EXTRA_PROPERTY = "outreachToneExtra"

BLACK, WHITE, YELLOW = "#000000", "#ffffff", "#ffff00"
# Colours on black, each at least 7:1 (WCAG AAA): errors, success, warnings, dimmed text.
HC_ERROR, HC_INFO, HC_WARNING, HC_DIM = "#ff9e9e", "#8cff9e", "#ffd166", "#e0e0e0"

#: Each tone: (the platform palette's style sheet, the high-contrast one).
TONES: dict[str, tuple[str, str]] = {
    "error": ("color: #8a1c1c;", f"color: {HC_ERROR}; font-weight: bold;"),
    "info": ("color: #1d4d2b;", f"color: {HC_INFO};"),
    "warning": ("color: #8a4b00;", f"color: {HC_WARNING};"),
    "dim": ("color: #555;", f"color: {HC_DIM};"),
    "quiet": ("color: #333;", f"color: {WHITE};"),
    "faint": ("color: palette(mid);", f"color: {HC_DIM};"),
    "short": ("color: #b00020; font-weight: bold;", f"color: {HC_ERROR}; font-weight: bold;"),
    "error-box": (
        "color: #8a1c1c; background: #fdecea; padding: 6px; border-radius: 3px;",
        f"color: {HC_ERROR}; background: {BLACK}; padding: 4px; border: 2px solid {HC_ERROR};",
    ),
    "info-box": (
        "color: #1d4d2b; background: #e7f4ea; padding: 6px; border-radius: 3px;",
        f"color: {HC_INFO}; background: {BLACK}; padding: 4px; border: 2px solid {HC_INFO};",
    ),
    "banner": (
        "color: #8a1c1c; background: #fdecea; border: 1px solid #e3a6a0; padding: 6px; "
        "border-radius: 3px; font-weight: bold;",
        f"color: {HC_ERROR}; background: {BLACK}; padding: 4px; border: 2px solid {HC_ERROR}; "
        "font-weight: bold;",
    ),
    "hint-box": (
        "color: #1d3d5c; background: #e8f0f8; padding: 6px; border-radius: 3px;",
        f"color: {WHITE}; background: {BLACK}; padding: 4px; border: 2px solid {WHITE};",
    ),
    "backdrop": ("background: #d9d9d9;", f"background: {BLACK};"),
    # The scroll area alone (not its scroll bars): a tone with its own selector.
    "backdrop-area": (
        "QScrollArea { background: #d9d9d9; }",
        f"QScrollArea {{ background: {BLACK}; }}",
    ),
}

#: Colours item models give cells: (the platform palette's, the high-contrast one).
CELL_COLOURS: dict[str, tuple[str, str]] = {
    "muted": ("#6b6b6b", "#b8b8b8"),  # voided records, reversals, people no longer active
    "hidden": ("#6b4d00", HC_WARNING),  # small counts hidden ("<5")
    "alert": ("#8a1c1c", HC_ERROR),
    "alert-background": ("#fdecea", "#3a0000"),
    # The Inventory table: an expired lot's text, and the rows that need attention. In high
    # contrast the backgrounds are dark, so the white text (and the expired red) still read.
    "expired": ("#b00020", HC_ERROR),
    "expiring-background": ("#fff3cd", "#2a1f00"),
    "reorder-background": ("#fde2e1", "#3a0000"),
    "count-needed-background": ("#ffd8a8", "#4a2600"),  # orange: apart from the reorder pink
}

# Strong borders and a yellow frame on the control that has the focus. The style sheet
# draws these controls whole, so their colours are given here as well as in the palette.
# Spin boxes: with a border from a style sheet and no arrows (the quantity boxes), Qt 6.11
# leaves their text one pixel wide unless the arrows sit in the margin; so in high contrast
# numbers change by typing, the arrow keys, the wheel or the +1/+5 buttons, not by arrows.
# A ticked box is filled yellow.
HIGH_CONTRAST_SHEET = f"""
QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox, QAbstractItemView {{
    background: {BLACK}; color: {WHITE}; border: 2px solid {WHITE};
    selection-background-color: {YELLOW}; selection-color: {BLACK};
}}
QPushButton, QToolButton {{
    background: {BLACK}; color: {WHITE}; border: 2px solid {WHITE}; padding: 3px 4px;
}}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{
    subcontrol-origin: margin; width: 10px; background: transparent; border: none;
}}
QAbstractSpinBox::up-arrow, QAbstractSpinBox::down-arrow {{ image: none; width: 0px; }}
QPushButton:pressed, QToolButton:pressed, QPushButton:checked, QToolButton:checked {{
    background: {WHITE}; color: {BLACK};
}}
QPushButton:default {{ border-width: 3px; }}
QPushButton:disabled, QToolButton:disabled, QLineEdit:disabled, QAbstractSpinBox:disabled,
QComboBox:disabled {{
    color: #a0a0a0; border: 2px dashed #a0a0a0;
}}
QComboBox QAbstractItemView {{ border: 2px solid {YELLOW}; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QAbstractSpinBox:focus,
QComboBox:focus, QAbstractItemView:focus, QPushButton:focus, QToolButton:focus {{
    border: 3px solid {YELLOW};
}}
QWidget#{TALLY_FOCUS_NAME} {{ border: 3px solid transparent; }}
QWidget#{TALLY_FOCUS_NAME}:focus {{ border: 3px solid {YELLOW}; }}
QCheckBox, QRadioButton {{ border: 2px solid transparent; padding: 2px; }}
QCheckBox::indicator, QRadioButton::indicator {{
    width: 14px; height: 14px; border: 2px solid {WHITE}; background: {BLACK};
}}
QRadioButton::indicator {{ border-radius: 9px; }}
QCheckBox::indicator:checked, QRadioButton::indicator:checked {{ background: {YELLOW}; }}
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled {{ border-color: #a0a0a0; }}
QCheckBox:focus, QRadioButton:focus, QGroupBox:focus {{ border: 2px solid {YELLOW}; }}
QTabBar::tab {{
    background: {BLACK}; color: {WHITE}; border: 2px solid {WHITE}; padding: 6px 12px;
}}
QTabBar::tab:selected {{ background: {WHITE}; color: {BLACK}; }}
QTabBar:focus {{ border: 2px solid {YELLOW}; }}
QHeaderView::section {{
    background: {BLACK}; color: {WHITE}; border: 1px solid {WHITE}; padding: 4px;
    font-weight: bold;
}}
QGroupBox {{ border: 2px solid {WHITE}; margin-top: 1.4em; padding-top: 0.4em; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; }}
QMenuBar, QMenu {{ background: {BLACK}; color: {WHITE}; }}
QMenu {{ border: 2px solid {WHITE}; }}
QMenuBar::item:selected, QMenu::item:selected {{ background: {YELLOW}; color: {BLACK}; }}
QMenu::item:disabled {{ color: #a0a0a0; }}
QToolTip {{ background: {BLACK}; color: {WHITE}; border: 2px solid {YELLOW}; }}
QStatusBar, QToolBar {{ border-top: 1px solid {WHITE}; }}
QSplitter::handle {{ background: {WHITE}; }}
"""


class _Shown:
    """What is shown now, and the platform's own look to come back to (saved at the first
    switch, so a run that never switches leaves the platform's palette unset: it follows the
    system)."""

    high = False
    style: str | None = None
    palette: QPalette | None = None


def high_contrast_palette() -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    colours = {
        roles.Window: BLACK,
        roles.WindowText: WHITE,
        roles.Base: BLACK,
        roles.AlternateBase: "#1c1c1c",
        roles.Text: WHITE,
        roles.Button: BLACK,
        roles.ButtonText: WHITE,
        roles.BrightText: YELLOW,
        roles.Highlight: YELLOW,
        roles.HighlightedText: BLACK,
        roles.Link: "#7fdfff",
        roles.LinkVisited: "#ffa8ff",
        roles.ToolTipBase: BLACK,
        roles.ToolTipText: WHITE,
        roles.PlaceholderText: "#c8c8c8",
        roles.Light: WHITE,
        roles.Midlight: "#e0e0e0",
        roles.Mid: "#c8c8c8",  # "color: palette(mid)" (the on-hand hint) stays readable
        roles.Dark: "#a0a0a0",
        roles.Shadow: WHITE,
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#a0a0a0"))
    return palette


def is_high_contrast() -> bool:
    return _Shown.high


def system_prefers_high_contrast() -> bool:
    """The system's contrast preference, where this Qt reports it (6.10 and later)."""
    hints = QGuiApplication.styleHints()
    accessibility = getattr(hints, "accessibility", None)
    preference = getattr(Qt, "ContrastPreference", None)
    if accessibility is None or preference is None:
        return False
    return bool(accessibility().contrastPreference() == preference.HighContrast)


def starting_contrast() -> bool:
    """At start: the person's choice on this computer, else the system's preference."""
    chosen = user_choices.high_contrast()
    return system_prefers_high_contrast() if chosen is None else chosen


def apply_theme(app: QApplication, high: bool) -> None:
    """The whole app in high contrast (or back to the platform's look), live."""
    if _Shown.style is None or _Shown.palette is None:
        if not high:
            return  # never switched: the platform's palette stays unset
        _Shown.style, _Shown.palette = app.style().name(), QPalette(app.palette())
    _Shown.high = high  # first: widgets that follow the palette's change ask for it
    if high:
        app.setStyle("Fusion")  # native Windows and macOS styles ignore a custom palette
        app.setPalette(high_contrast_palette())
        app.setStyleSheet(HIGH_CONTRAST_SHEET)
    else:
        if app.style().name() != _Shown.style:
            app.setStyle(_Shown.style)
        app.setPalette(_Shown.palette)
        app.setStyleSheet("")
    for widget in app.allWidgets():
        if widget.property(TONE_PROPERTY):
            _restyle(widget)


def switch_contrast(high: bool) -> None:
    """File › High contrast: applied at once and remembered for the next start."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_theme(app, high)
    user_choices.save_high_contrast(high)


def follow_system(app: QApplication) -> None:
    """Until the person chooses, a change of the system's contrast applies at once."""
    accessibility = getattr(QGuiApplication.styleHints(), "accessibility", None)
    if accessibility is None:
        return
    hints: QObject = accessibility()

    def changed(*_args: object) -> None:
        if user_choices.high_contrast() is None:
            apply_theme(app, system_prefers_high_contrast())

    hints.contrastPreferenceChanged.connect(changed)  # type: ignore[attr-defined]


def cell_colour(name: str) -> QColor:
    """A cell's colour (`CELL_COLOURS`) in the palette shown, asked each time a cell is drawn."""
    normal, contrast = CELL_COLOURS[name]
    return QColor(contrast if is_high_contrast() else normal)


def text_colour(tone: str) -> str:
    """The colour of `tone`'s text in the palette shown, for HTML written when shown."""
    sheet = tone_sheet(tone)
    return sheet.split("color:", 1)[1].split(";", 1)[0].strip()


def tone_sheet(tone: str | None, high: bool | None = None) -> str:
    if not tone:
        return ""
    normal, contrast = TONES[tone]
    return contrast if (is_high_contrast() if high is None else high) else normal


def set_tone(widget: QWidget, tone: str | None, extra: str = "") -> None:
    """`widget`'s text in `tone` (None: the palette's own colours), plus `extra` style
    (padding, weight) the same in both palettes; followed when the palette switches."""
    widget.setProperty(TONE_PROPERTY, tone or "")
    widget.setProperty(_EXTRA_PROPERTY, extra)
    _restyle(widget)


def _restyle(widget: QWidget) -> None:
    tone = str(widget.property(TONE_PROPERTY) or "")
    extra = str(widget.property(_EXTRA_PROPERTY) or "")
    widget.setStyleSheet(" ".join(part for part in (tone_sheet(tone), extra) if part))
