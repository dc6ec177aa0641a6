"""A bar chart of the five weeks on the Dashboard page, drawn with pyqtgraph.

pyqtgraph (with numpy) takes about half a second to import, so only the Dashboard page imports
this module, and only once it has been shown: start-up never pays for it. Bars of weeks whose
small count of people is hidden are drawn grey at the threshold's height, as in the PDF.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pyqtgraph as pg

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from outreach_app.domain.dashboard import WeekBars

BAR = "#3b6e8f"
BAR_HIDDEN = "#c9d3da"


class WeekChart(pg.PlotWidget):  # type: ignore[misc]
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        self.setTitle(title, color="#222222", size="10pt")
        self.setMouseEnabled(x=False, y=False)
        self.setMenuEnabled(False)
        self.hideButtons()
        plot = self.getPlotItem()
        plot.showGrid(y=True, alpha=0.25)
        small = QFont()
        small.setPointSize(8)
        for side in ("left", "bottom"):
            axis = self.getAxis(side)
            axis.setTextPen("#333333")
            axis.setPen("#888888")
            axis.setStyle(tickFont=small)
        # pyqtgraph drops a tick label that reaches past the axis' end: the fifth bar's
        # "This week" (longer in French and Spanish) lost its label on both charts.
        self.getAxis("bottom").setStyle(hideOverlappingLabels=False)
        self._shown = pg.BarGraphItem(x=[], height=[], width=0.6, brush=BAR, pen=None)
        self._hidden = pg.BarGraphItem(x=[], height=[], width=0.6, brush=BAR_HIDDEN, pen=None)
        self.addItem(self._shown)
        self.addItem(self._hidden)
        self.setMinimumHeight(150)
        self.bars: WeekBars | None = None

    def show_bars(self, names: Sequence[str], bars: WeekBars) -> None:
        """Five bars, oldest week first; the hidden ones grey."""
        self.bars = bars
        xs = list(range(len(names)))
        self._shown.setOpts(x=xs, height=list(bars.shown))
        self._hidden.setOpts(x=xs, height=list(bars.hidden))
        self.getAxis("bottom").setTicks([list(enumerate(names))])
        top = max([*bars.shown, *bars.hidden, 1])
        self.setYRange(0, top * 1.1, padding=0)
        self.setXRange(-0.7, len(names) - 0.3, padding=0)  # room for the last label's ends

    def heights(self) -> tuple[list[Any], list[Any]]:
        """The drawn heights (shown, grey), as the chart holds them."""
        return list(self._shown.opts["height"]), list(self._hidden.opts["height"])
