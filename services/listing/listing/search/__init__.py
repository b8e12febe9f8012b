"""Catalogue search: the search command, its use case and its hand-written queries."""
