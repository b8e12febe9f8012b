"""JSON log lines carry the service and the trace id of the action."""

from __future__ import annotations

import json
import logging

from shared.observability.logging import JsonFormatter
from shared.observability.tracing import continue_trace, reset_trace


def test_json_log_line_has_trace_id_and_extras() -> None:
    token = continue_trace("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
    try:
        record = logging.LogRecord(
            "x", logging.INFO, __file__, 1, "专利 %s 已登记", ("201710601862.3",), None
        )
        record.application_number = "201710601862.3"
        line = json.loads(JsonFormatter("listing").format(record))
    finally:
        reset_trace(token)
    assert line["msg"] == "专利 201710601862.3 已登记"
    assert line["service"] == "listing"
    assert line["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert line["application_number"] == "201710601862.3"
