"""Open-licence declarations: drafting, announcing, changing, withdrawing, ending."""
