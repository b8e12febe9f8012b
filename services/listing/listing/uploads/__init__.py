"""Inventory uploads (盘点清单上传): a file of rows, each a patent's inventory record and,
for a patent not yet catalogued, its catalogue facts, run as a job by ``shared.uploads``."""
