"""Local stand-ins for the outside offices the platform talks to, each a real HTTP server
process that `make run` and the tests start beside the services (docs/registry.md holds
the contracts they implement)."""
