"""Merging records from several devices (bundle files or a shared PostgreSQL hub).

Every fact is an append-only event with a UUID key, so a merge is a set union; the bundle
format and signing come with the sync issue.
"""
