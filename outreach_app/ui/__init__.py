"""The PySide6 desktop app. Qt is imported only below this package."""
