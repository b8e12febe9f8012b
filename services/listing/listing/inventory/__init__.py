"""The inventory of stock patents (存量专利盘点): records, evaluations, tiers."""
