"""The filings view: licences filed (备案) and transfers recorded with the patent office, as
license's events tell them; what reconciliation compares the registrations with."""
