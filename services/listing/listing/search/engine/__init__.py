"""The relevance engine: tantivy indexes in process (index), the segmenter (segment),
and the follower that feeds them from the catalogue (follower)."""
