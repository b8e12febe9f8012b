"""Uploads: a file of rows (CSV or JSON Lines) received as a job, kept in the service's
database, and worked through by a background worker that hands each batch of rows to the
service's row handler (docs/uploads.md is the integrators' contract).

- :mod:`shared.uploads.formats`: encodings, CSV and JSON Lines parsing, row numbers and
  row errors (framework-free);
- :mod:`shared.uploads.tables`: the job, chunk and row-error tables a service adds to its
  metadata and its migrations;
- :mod:`shared.uploads.jobs`: the job store (receive, find by key, claim with a lease,
  progress, finish);
- :mod:`shared.uploads.runner`: the worker that runs jobs through a :class:`RowHandler`;
- :mod:`shared.uploads.http`: the FastAPI pieces a service's endpoints use.
"""

from shared.uploads.formats import Column, RawRow, RowError, UploadSpec
from shared.uploads.jobs import JobStatus, UploadJob, UploadStore
from shared.uploads.runner import RowHandler, upload_worker
from shared.uploads.tables import UploadTables, define_upload_tables

__all__ = [
    "Column",
    "JobStatus",
    "RawRow",
    "RowError",
    "RowHandler",
    "UploadJob",
    "UploadSpec",
    "UploadStore",
    "UploadTables",
    "define_upload_tables",
    "upload_worker",
]
