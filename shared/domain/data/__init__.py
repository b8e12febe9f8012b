"""Data files of :mod:`shared.domain` (a package so that wheels ship its JSON files)."""
