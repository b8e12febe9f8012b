"""Listing's view of pledges and exclusive licences, kept from other services' events,
and the declarations it suspends or reinstates (races between services)."""
