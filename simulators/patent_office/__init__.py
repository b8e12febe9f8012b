"""A local patent office recordal and legal-status service: the contract is in
docs/registry.md."""
