"""Outreach Tally: offline encounter and supply tally for harm-reduction outreach teams."""

__version__ = "0.1.0"
