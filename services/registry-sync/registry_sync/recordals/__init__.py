"""Recordals with the patent office: licence filings (备案) and transfer registrations
(转让登记) submitted on the parties' behalf, polled until the office decides."""
