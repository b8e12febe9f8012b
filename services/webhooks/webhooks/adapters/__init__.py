"""What the webhooks process builds once to talk to things outside its database: the
key box that seals secrets, and the listing service's HTTP API."""

from __future__ import annotations

from dataclasses import dataclass

from webhooks.adapters.listing import ListingClient
from webhooks.adapters.secret_box import SecretBox


@dataclass(frozen=True)
class Adapters:
    secret_box: SecretBox
    listing: ListingClient
