"""Evidence (证明材料): documents kept with their SHA-256, referenced by id."""
