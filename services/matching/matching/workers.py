"""Matching's periodic workers (``shared.workers.PeriodicWorker``), listed in ``main.py``."""

from __future__ import annotations

from matching.profiles.uploads import ProfileUploads
from shared.uploads import upload_worker

# The operator's profile imports (profiles/uploads.py): woken by the upload endpoint, and
# every few seconds for a job an instance that died left behind (shared.uploads.runner).
profile_uploads = upload_worker([ProfileUploads()], name="uploads")
