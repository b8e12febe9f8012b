"""Declaration view endpoints: thin — call the service, shape the response."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from license.api import schemas as shared
from license.api.declarations import schemas
from license.api.deps import Caller
from license.declarations import service
from license.domain.declaration import DeclarationView
from license.domain.pledge import PledgeView
from shared.http.dependencies import UnitOfWorkDep
from shared.http.routes import StrictRoute

router = APIRouter(route_class=StrictRoute)

DeclarationIdPath = Annotated[str, Path(max_length=64, description="Id of the declaration.")]


@router.get(
    "/declarations/{declaration_id}",
    response_model=schemas.DeclarationViewPublic,
    tags=["declarations"],
    summary="开放许可声明 A declaration as the license service knows it",
)
async def get_declaration(
    declaration_id: DeclarationIdPath, _: Caller, uow: UnitOfWorkDep
) -> schemas.DeclarationViewPublic:
    """本服务所知的开放许可声明：状态、当前条款版本，以及该专利上已登记的质押。

    The declaration's status and current terms as this service learned them from
    listing: the terms a licensee accepting now would get, and the pledges registered
    on the patent. 404 `declaration-unknown` until the announcement has arrived."""
    return _declaration_public(*await service.get_declaration(uow, declaration_id))


def _declaration_public(
    view: DeclarationView, pledges: list[PledgeView]
) -> schemas.DeclarationViewPublic:
    return schemas.DeclarationViewPublic(
        declaration_id=view.declaration_id,
        application_number=view.application_number,
        status=view.status,
        patent_number=view.patent_number,
        patent_type=view.patent_type,
        title=view.title,
        patentees=shared.patentees_out(view.patentees),
        terms_version=view.terms_version,
        terms=shared.TermsOut.of(view.terms) if view.terms else None,
        announced_at=view.announced_at,
        withdrawn_at=view.withdrawn_at,
        pledges=[schemas.PledgePublic.model_validate(p, from_attributes=True) for p in pledges],
    )
