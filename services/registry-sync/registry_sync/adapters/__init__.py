"""Registry-sync's adapters to the outside offices (their protocols: ``domain/``)."""
