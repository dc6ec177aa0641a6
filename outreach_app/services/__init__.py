"""Use cases over a unit of work. Plain Python: no Qt. They return frozen values."""
