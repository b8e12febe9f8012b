"""Ingestion: the public events, a consumer batch at a time, into facts and attributes."""
