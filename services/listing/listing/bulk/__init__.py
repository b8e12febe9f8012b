"""Bulk import of the patent catalogue (from the official register or a data export).

Every row is validated exactly like ``POST /v1/patents`` (same input model, same domain
rules), gets its search columns, and is published as ``PatentRegistered`` through the
outbox, so every service's view of the catalogue fills as it would one by one. Rows go
in with ``COPY`` in chunks, each chunk one transaction; rows already catalogued are
skipped (and not published again); invalid rows are reported, not imported.

``python -m listing.bulk patents.jsonl`` imports a JSON-lines file into the database
of ``LISTING_DATABASE_URL``.
"""
