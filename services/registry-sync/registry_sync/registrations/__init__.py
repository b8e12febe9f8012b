"""Technology-contract registrations (技术合同认定登记): prepared, submitted, registered."""
