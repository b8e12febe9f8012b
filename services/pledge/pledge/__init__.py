"""Pledge service: patent pledge registrations (专利权质押登记) for bank loans, with its own
view of the catalogue and encumbrances; valuation and insurance come with later issues."""
