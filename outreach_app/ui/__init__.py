"""The PySide6 desktop app. Qt is imported only below this package."""

from outreach_app.ui.pyside_feature_scan import answer_from_bytes

answer_from_bytes()  # before the app's own modules and SQLAlchemy are imported
