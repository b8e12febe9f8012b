"""The statistics' rules: what is counted, from which event, and how figures are asked
for. Standard library and ``shared.domain`` only."""
