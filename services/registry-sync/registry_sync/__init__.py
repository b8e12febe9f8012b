"""Registry-sync service: technology-contract registrations (技术合同认定登记) for licences and
transfers, and (in a later issue) the adapter to the registration office."""
