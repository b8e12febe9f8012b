"""A query-string model parsed in one validation, for search (its only user).

FastAPI reads a query model (``Annotated[Model, Query()]``) field by field, inspecting
each field's type on every request: for search's thirteen filters, a large share of the
CPU the service spends on a request (docs/benchmarks.md tells how much).
:class:`QueryModel` hands the whole query string to a flat model at once and documents
the same parameters in OpenAPI::

    _PARAMS = QueryModel(SearchParams)

    @router.get("/search", openapi_extra=_PARAMS.openapi)
    async def search(params: Annotated[SearchParams, Depends(_PARAMS)]) -> ...

Errors are FastAPI's own (``RequestValidationError``, located at ``query.<field>``), so
callers get the same problem+json 422 either way.
"""

from __future__ import annotations

import typing
from typing import Any, Generic, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class QueryModel(Generic[M]):
    """A dependency that validates the query string as ``model`` (a repeated parameter
    fills a list field; for any other field the last value counts)."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self._lists = frozenset(
            name
            for name, field in model.model_fields.items()
            if typing.get_origin(field.annotation) is list
        )
        self.openapi: dict[str, Any] = {"parameters": query_parameters(model)}

    async def __call__(self, request: Request) -> M:
        query = request.query_params
        values = {k: query.getlist(k) if k in self._lists else v for k, v in query.items()}
        try:
            return self.model.model_validate(values)
        except ValidationError as exc:
            raise RequestValidationError(
                [{**error, "loc": ("query", *error["loc"])} for error in exc.errors()]
            ) from None


def query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """The model's fields as OpenAPI query parameters, with their schemas inlined."""
    schema = model.model_json_schema()
    definitions = schema.get("$defs", {})
    required = set(schema.get("required", ()))
    parameters = []
    for name, field in schema["properties"].items():
        parameter: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": _inline(field, definitions),
        }
        if "description" in field:
            parameter["description"] = field["description"]
        parameters.append(parameter)
    return parameters


def _inline(node: Any, definitions: dict[str, Any]) -> Any:
    """``node`` with every ``{"$ref": "#/$defs/X"}`` replaced by X's schema."""
    if isinstance(node, list):
        return [_inline(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = definitions[node["$ref"].rsplit("/", 1)[-1]]
        rest = {k: v for k, v in node.items() if k != "$ref"}
        return _inline({**target, **rest}, definitions)
    return {k: _inline(v, definitions) for k, v in node.items()}
