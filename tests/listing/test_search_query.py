"""QueryModel: the query string validated in one step, answered like FastAPI's own."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import httpx
from fastapi import Depends, FastAPI
from pydantic import BaseModel, ConfigDict, Field

from listing.api.search.query import QueryModel
from shared.http.problems import install_problem_handlers


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(default=None, max_length=10, description="关键词", examples=["电池"])
    colour: list[Colour] = Field(default_factory=list)
    limit: int = Field(default=20, ge=1, le=100)


PARAMS = QueryModel(Params)


def app() -> FastAPI:
    application = FastAPI()
    install_problem_handlers(application)

    @application.get("/things", openapi_extra=PARAMS.openapi)
    async def things(params: Annotated[Params, Depends(PARAMS)]) -> dict[str, object]:
        return params.model_dump(mode="json")

    return application


async def get(**params: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get("/things", params=params)


async def test_lists_take_every_value_and_other_fields_the_last() -> None:
    response = await get(q="电池", colour=["red", "blue"], limit=["5", "7"])
    assert response.json() == {"q": "电池", "colour": ["red", "blue"], "limit": 7}
    assert (await get()).json() == {"q": None, "colour": [], "limit": 20}


async def test_bad_parameters_get_the_same_problem_as_from_fastapi() -> None:
    for params, field in (
        ({"limit": "0"}, "query.limit"),
        ({"colour": "green"}, "query.colour.0"),
        ({"size": "9"}, "query.size"),
    ):
        response = await get(**params)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == field


def test_openapi_names_every_parameter_with_its_schema_inlined() -> None:
    spec = app().openapi()
    parameters = {p["name"]: p for p in spec["paths"]["/things"]["get"]["parameters"]}
    assert list(parameters) == ["q", "colour", "limit"]
    assert parameters["q"]["description"] == "关键词"
    assert parameters["q"]["schema"]["examples"] == ["电池"]
    assert parameters["colour"]["schema"]["items"]["enum"] == ["red", "blue"]
    assert parameters["limit"]["schema"] == {
        "default": 20,
        "maximum": 100,
        "minimum": 1,
        "title": "Limit",
        "type": "integer",
    }
    assert not any(p["required"] for p in parameters.values())
