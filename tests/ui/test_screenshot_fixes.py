"""Two things screenshots showed cut: the Dashboard charts' fifth label ("This week"), which
pyqtgraph dropped for reaching past the axis' end, and the Staff view's last column header."""

from __future__ import annotations

from outreach_app.domain.dashboard import WeekBars

from outreach_app.ui.dialogs.staff_dialog import StaffDialog
from outreach_app.ui.models import staff_table as st


def test_the_last_week_keeps_its_label(qtbot):
    from outreach_app.ui.widgets.week_chart import WeekChart

    chart = WeekChart("Contacts")
    qtbot.addWidget(chart)
    names = ["1–7", "8–14", "15–21", "22–28", "This week"]
    chart.show_bars(names, WeekBars("CONTACTS", (1, 2, 3, 4, 5), (0, 0, 0, 0, 0)))
    axis = chart.getAxis("bottom")
    assert axis.style["hideOverlappingLabels"] is False
    low, high = chart.getViewBox().viewRange()[0]
    assert low < -0.6 and high > len(names) - 0.4  # room either side of the end bars


def test_the_pin_column_header_is_not_cut(qtbot, context):
    dialog = StaffDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    header = dialog.table.horizontalHeader()
    title = str(dialog.model.headerData(st.COL_PIN, header.orientation()))
    assert header.sectionSize(st.COL_PIN) >= header.fontMetrics().horizontalAdvance(title)
