"""Table models: one QAbstractTableModel per table, with column constants and named roles."""
