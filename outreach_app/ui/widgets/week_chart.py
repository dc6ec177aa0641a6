"""A bar chart of the five weeks on the Dashboard page, drawn with pyqtgraph.

pyqtgraph (with numpy) takes about half a second to import, so only the Dashboard page imports
this module, and only once it has been shown: start-up never pays for it. Bars of weeks whose
small count of people is hidden are drawn grey at the threshold's height, as in the PDF.

Where a chart is narrow (two charts side by side, a small window, French or Spanish week names)
the week names go on two lines ("27" over "oct.", "Cette" over "semaine") rather than run into
each other; they are measured again whenever the plot changes size.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from typing import Any

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pyqtgraph as pg

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QWidget

from outreach_app.domain.dashboard import WeekBars

from outreach_app.ui.theme import is_high_contrast

BAR = "#3b6e8f"
BAR_HIDDEN = "#c9d3da"
GAP = 6  # pixels kept free between two week names
# The chart's colours, ordinary and in high contrast (File › High contrast): white on black
# there, bright cyan bars and grey hidden ones, as the rest of the window.
COLOURS = {
    False: {"background": "w", "title": "#222222", "text": "#333333", "axis": "#888888",
            "bar": BAR, "hidden": BAR_HIDDEN},
    True: {"background": "k", "title": "#ffffff", "text": "#ffffff", "axis": "#ffffff",
           "bar": "#00e5ff", "hidden": "#8c8c8c"},
}  # fmt: skip


def two_lines(name: str) -> str:
    """`name` broken at its first space ("Cette semaine" -> "Cette\nsemaine")."""
    return name.replace(" ", "\n", 1)


class WeekChart(pg.PlotWidget):  # type: ignore[misc]
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        self._title = title
        self.setMouseEnabled(x=False, y=False)
        self.setMenuEnabled(False)
        self.hideButtons()
        plot = self.getPlotItem()
        plot.showGrid(y=True, alpha=0.25)
        small = self._tick_font = QFont()
        small.setPointSize(8)
        for side in ("left", "bottom"):
            self.getAxis(side).setStyle(tickFont=small)
        # pyqtgraph drops a tick label that reaches past the axis' end: the fifth bar's
        # "This week" (longer in French and Spanish) lost its label on both charts.
        self.getAxis("bottom").setStyle(hideOverlappingLabels=False)
        self._shown = pg.BarGraphItem(x=[], height=[], width=0.6, brush=BAR, pen=None)
        self._hidden = pg.BarGraphItem(x=[], height=[], width=0.6, brush=BAR_HIDDEN, pen=None)
        self.addItem(self._shown)
        self.addItem(self._hidden)
        self.colour_for(is_high_contrast())
        self.setMinimumHeight(150)
        self.bars: WeekBars | None = None
        self.names: list[str] = []
        self.labels: list[str] = []  # as drawn under the bars (maybe on two lines)
        plot.getViewBox().sigResized.connect(self._place_labels)

    def set_title(self, title: str) -> None:
        self._title = title
        self._draw_title()

    def _draw_title(self) -> None:
        self.setTitle(self._title, color=COLOURS[self.high_contrast]["title"], size="10pt")

    def colour_for(self, high: bool) -> None:
        """Ordinary colours, or high contrast's."""
        self.high_contrast = high
        colours = COLOURS[high]
        self.setBackground(colours["background"])
        self._draw_title()
        for side in ("left", "bottom"):
            axis = self.getAxis(side)
            axis.setTextPen(colours["text"])
            axis.setPen(colours["axis"])
        self._shown.setOpts(brush=colours["bar"])
        self._hidden.setOpts(brush=colours["hidden"])

    def changeEvent(self, event: QEvent) -> None:
        """File › High contrast changes the application's palette: the chart follows."""
        super().changeEvent(event)
        kinds = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        coloured = getattr(self, "high_contrast", None)  # None while pyqtgraph builds it
        if event.type() in kinds and coloured is not None and coloured != is_high_contrast():
            self.colour_for(is_high_contrast())

    def show_bars(self, names: Sequence[str], bars: WeekBars) -> None:
        """Five bars, oldest week first; the hidden ones grey."""
        self.bars = bars
        self.names = list(names)
        xs = list(range(len(names)))
        self._shown.setOpts(x=xs, height=list(bars.shown))
        self._hidden.setOpts(x=xs, height=list(bars.hidden))
        top = max([*bars.shown, *bars.hidden, 1])
        self.setYRange(0, top * 1.1, padding=0)
        self.setXRange(-0.7, len(names) - 0.3, padding=0)  # room for the last label's ends
        # Never so narrow that names on two lines run into each other; the left axis' numbers
        # and the margins besides.
        slot = self._room_needed([two_lines(name) for name in self.names])
        axis = self.getAxis("left").width()
        self.setMinimumWidth(int(slot * (len(names) + 0.4) + axis + 2 * GAP))
        self._place_labels()

    def slot_width(self) -> float:
        """The pixels from one bar to the next: the room for its week's name."""
        box = self.getPlotItem().getViewBox()
        low, high = box.viewRange()[0]
        return float(box.width()) / max(high - low, 1.0)

    def _room_needed(self, labels: Sequence[str]) -> float:
        """The smallest distance between two bars at which `labels` do not touch: half of each
        of two neighbours, and a gap."""
        metrics = QFontMetrics(self._tick_font)
        widths = [
            max(metrics.horizontalAdvance(line) for line in label.split("\n")) for label in labels
        ]
        pairs = [(a + b) / 2 for a, b in itertools.pairwise(widths)]
        return max(pairs, default=0.0) + GAP

    def _place_labels(self, *_args: Any) -> None:
        one_line = self._room_needed(self.names) <= self.slot_width()
        labels = self.names if one_line else [two_lines(name) for name in self.names]
        if labels != self.labels:
            self.labels = labels
            axis = self.getAxis("bottom")
            axis.setTicks([list(enumerate(labels))])
            # pyqtgraph sizes the axis for one line of text: room for the second one
            lines = 1 if one_line else 2
            axis.setHeight(QFontMetrics(self._tick_font).lineSpacing() * lines + 14)

    def heights(self) -> tuple[list[Any], list[Any]]:
        """The drawn heights (shown, grey), as the chart holds them."""
        return list(self._shown.opts["height"]), list(self._hidden.opts["height"])
