"""A local technology-contract registration office (技术合同认定登记机构): the contract is in
docs/registry.md."""
