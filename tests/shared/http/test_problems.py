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


async def test_a_deadline_in_a_year_the_calendar_lacks_is_a_503_naming_the_year() -> None:
    """Not a 500: the operator has a year's State Council notice to add, and the request
    succeeds once it is (nothing was recorded)."""
    from datetime import date

    import httpx
    from fastapi import FastAPI

    from shared.domain import load_default
    from shared.http.problems import install_problem_handlers

    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/deadline")
    async def deadline() -> str:
        return load_default().add_working_days(date(2099, 12, 28), 5).isoformat()

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/deadline")
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM_JSON
    problem = response.json()
    assert problem["type"].endswith("/working-calendar-year-missing")
    assert problem["year"] == 2099
    assert "operator must add 2099" in problem["detail"]
