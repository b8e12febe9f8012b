"""The daily reconciliation of filings with technology-contract registrations: runs, their
mismatch reports (API and CSV) and events."""
