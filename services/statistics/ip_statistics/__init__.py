"""The statistics service: figures of the acts the other services publish, by month,
region, industry and party type, and the operations console (``api/console``)."""
