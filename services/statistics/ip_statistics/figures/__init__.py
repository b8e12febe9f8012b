"""Figures: the facts aggregated by the dimensions asked for, as the caller may read them."""
