"""Listing service: the patent catalogue, open-licence declarations (专利开放许可声明),
supply and demand listings, and the encumbrance view that guards declarations."""
