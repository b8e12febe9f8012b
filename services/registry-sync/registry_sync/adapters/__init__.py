"""Adapters to the outside offices: each implements a protocol of ``registry_sync.domain``."""
