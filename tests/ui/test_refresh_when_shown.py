"""A write reloads only the pages on screen; a hidden page catches up when it is shown."""

from __future__ import annotations

from tests.ui.pages_support import log

from outreach_app.ui.pages.encounters import EncountersPage


def test_hidden_page_waits_and_shown_page_recounts(ui_store, context, qtbot):
    log(ui_store, participant_code="ZZ-TEST-01", items={"SYRINGE": 1})
    page = EncountersPage(context)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    assert page.count_label.text() == "1 of 1 record shown"

    page.hide()
    submitted: list[object] = []
    original = context.worker.submit
    context.worker.submit = lambda job, *a: (submitted.append(job), original(job, *a))[1]
    log(ui_store, participant_code="ZZ-TEST-02", items={"SYRINGE": 1})
    context.data_changed.emit()
    assert submitted == []  # nobody is looking: no reload queued on the worker

    page.show()
    qtbot.waitExposed(page)
    assert submitted  # caught up on showing
    assert page.count_label.text() == "2 of 2 records shown"

    log(ui_store, participant_code="ZZ-TEST-03", items={"SYRINGE": 1})
    context.data_changed.emit()  # visible: the rows and the total both follow
    assert page.count_label.text() == "3 of 3 records shown"
