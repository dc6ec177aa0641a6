"""Devices of one organisation and their records, between stores (contracts §9).

- `trust`, `joining`, `invitation_file`: who belongs to the organisation (invitations, join);
- `envelope`: the sealed, signed file a bundle travels in;
- `records`: records in their travelling form, read out of a store;
- `merge` (with `merge_records`, `merge_shared`, `merge_context`, `held`): the merge core,
  records in, one transaction, counts out; what bundles and the hub sync share;
- `bundles`: `bundle export` and `bundle import`;
- `hub`, `hub_diff`, `hub_connect`: the sync with a PostgreSQL hub, in batches through the same
  merge core.
"""
