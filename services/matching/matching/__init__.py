"""The matching service: stock patents matched to the enterprises that can use them (供需对接)."""
