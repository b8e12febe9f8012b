"""Problem responses render whatever a client sent them to quote."""

from __future__ import annotations

import json

from shared.http.problems import PROBLEM_JSON, problem_response


def test_a_lone_surrogate_quoted_by_a_problem_is_written_as_its_json_escape() -> None:
    # A decimal field's message quotes the input; "80000\ud8000" failed the 422 (a 500).
    response = problem_response(
        422,
        "validation-error",
        "Request is not valid",
        "body.asking_price: '80000\ud8000' is not a decimal",
        "/v1/supply-listings",
        errors=[{"field": "body.k\udfff", "message": "invalid", "code": "decimal_parsing"}],
    )
    assert response.media_type == PROBLEM_JSON
    text = response.body.decode("utf-8")  # valid UTF-8
    assert "\\ud800" in text
    problem = json.loads(text)
    assert problem["detail"] == "body.asking_price: '80000\ud8000' is not a decimal"
    assert problem["errors"][0]["field"] == "body.k\udfff"
    assert problem["status"] == 422


def test_a_problem_keeps_chinese_text_as_it_is() -> None:
    response = problem_response(
        404, "not-found", "Resource not found", "专利 201710601862.3 不存在"
    )
    assert "专利 201710601862.3 不存在".encode() in response.body
