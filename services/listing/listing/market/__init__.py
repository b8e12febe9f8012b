"""Supply and demand (供需信息): patents offered for transfer or licence, technical needs."""
