"""Tax evidence endpoints: thin — parse, call the service, shape the response."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from registry_sync.api.deps import Caller
from registry_sync.api.tax_evidence import schemas
from registry_sync.tax_evidence import service
from registry_sync.tax_evidence.pdf import render_pdf
from shared.http.dependencies import UnitOfWorkDep
from shared.http.routes import StrictRoute

router = APIRouter(tags=["tax-evidence"], route_class=StrictRoute)

RegistrationId = Annotated[str, Path(max_length=36)]


@router.get(
    "/tech-contract-registrations/{registration_id}/tax-evidence",
    response_model=schemas.TaxEvidencePublic,
    summary="Tax evidence of a registered contract (技术转让免征增值税备查资料)",
)
async def get_tax_evidence(
    registration_id: RegistrationId, uow: UnitOfWorkDep, principal: Caller
) -> schemas.TaxEvidencePublic:
    """技术转让收入免征增值税备查资料 — the evidence a seller keeps for the VAT exemption
    on technology transfer and licence income: the contract, the parties, the registration
    number and the values the registration office certified, and the rule the exemption
    rests on. For a registered transfer or licence contract only (409
    `tax-evidence-unavailable` otherwise); its parties, the operator and regulators read
    it, and anyone else is told it does not exist (404). `/tax-evidence.pdf` is the same
    document as a PDF."""
    return schemas.TaxEvidencePublic.of(
        await service.get_tax_evidence(uow, principal, registration_id)
    )


@router.get(
    "/tech-contract-registrations/{registration_id}/tax-evidence.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The evidence, A4."}},
    summary="Tax evidence as a PDF (技术转让免征增值税备查资料 PDF)",
)
async def get_tax_evidence_pdf(
    registration_id: RegistrationId, uow: UnitOfWorkDep, principal: Caller
) -> Response:
    """技术转让收入免征增值税备查资料（PDF）— the same evidence as `/tax-evidence`, as an
    A4 PDF in Chinese with English labels, for the seller's files and the tax office. The
    text is real text (searchable, extractable), in the viewer's Song typeface."""
    evidence = await service.get_tax_evidence(uow, principal, registration_id)
    return Response(
        render_pdf(evidence),
        media_type="application/pdf",
        headers={
            "Content-Disposition": (
                f'inline; filename="tax-evidence-{evidence.registration_number}.pdf"'
            )
        },
    )
