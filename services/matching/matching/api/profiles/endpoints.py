"""Enterprise profiles (企业画像): an enterprise keeps its own and its consent to pushes;
the operator and regulators read them all; the operator imports them in bulk (an upload
job, docs/uploads.md)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse, StreamingResponse

from matching.api.deps import Caller, Enterprise, EnterpriseReader, Operator, Oversight
from matching.api.profiles import schemas
from matching.domain.errors import ProfileNotReadable
from matching.domain.profile import ProfileSource, check_industry
from matching.profiles import service
from matching.profiles.commands import Acting, ChangeConsent, SaveOwnProfile
from matching.profiles.repository import ProfileFilter
from matching.profiles.rows import SPEC
from shared.auth import OrgType, Principal
from shared.errors import NotFound
from shared.http.dependencies import PageDep, UnitOfWorkDep, get_runtime
from shared.http.pagination import Page
from shared.http.routes import StrictRoute
from shared.runtime import ServiceRuntime
from shared.uploads import UploadJob, UploadStore
from shared.uploads.http import UPLOAD_OPENAPI, UploadQueryDep, UploadRoute, receive_upload
from shared.uploads.jobs import engine_connections
from shared.uploads.responses import UploadJobOut, accepted, error_report_csv, error_report_json

TAG = "enterprise profiles"
UPLOAD_WORKER = "uploads"
router = APIRouter(route_class=StrictRoute, tags=[TAG])
uploads = APIRouter(route_class=UploadRoute, tags=[TAG])
RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]
JobId = Annotated[UUID, Path(description="The upload job's id.")]


def _acting(principal: Principal) -> Acting:
    return Acting(principal.org_id, principal.uscc)


@router.put(
    "/enterprise-profiles/me",
    response_model=schemas.ProfileOut,
    responses={201: {"model": schemas.ProfileOut, "description": "Created."}},
    summary="Create or replace the calling enterprise's profile (企业画像)",
)
async def save_own_profile(
    body: schemas.ProfileIn, principal: Enterprise, uow: UnitOfWorkDep, response: Response
) -> schemas.ProfileOut:
    """The enterprise's whole profile, replaced: 201 when created, 200 when replaced. The
    `uscc` must be the token's own (403 `profile-of-another-organisation`). Consent to
    pushes is part of the body: it is the enterprise's own act. A profile the operator
    imported becomes the enterprise's own (`source: self`) and no import replaces it
    again. Every save queues the enterprise for matching; `revision` moves when the
    text, industries or region change. Each broken rule is a 422 whose `type` names it
    and whose `field` names the field (docs/matching.md, "Profiles")."""
    consent = body.consent(body.push_consent)
    command = SaveOwnProfile(_acting(principal), body.uscc, body.to_input(), consent)
    profile, created = await service.save_own_profile(uow, command)
    await uow.commit()
    if created:
        response.status_code = status.HTTP_201_CREATED
    return schemas.ProfileOut.of(profile)


@router.get(
    "/enterprise-profiles/me",
    response_model=schemas.ProfileOut,
    summary="The calling enterprise's profile",
)
async def get_own_profile(principal: EnterpriseReader, uow: UnitOfWorkDep) -> schemas.ProfileOut:
    """404 until the enterprise has a profile (its own, or one the operator imported)."""
    return schemas.ProfileOut.of(await service.own_profile(uow, _acting(principal)))


@router.put(
    "/enterprise-profiles/me/consent",
    response_model=schemas.ProfileOut,
    summary="Give, change or withdraw the enterprise's consent to pushes",
)
async def change_consent(
    body: schemas.ConsentIn, principal: Enterprise, uow: UnitOfWorkDep
) -> schemas.ProfileOut:
    """The enterprise only (nobody else sets consent, not the operator): on its own
    profile or on the one the operator imported for it (404 when there is none).
    `industries_opted_in` (when any) limits pushes to those industries, by prefix;
    `industries_opted_out` excludes them; a code in both is refused."""
    command = ChangeConsent(_acting(principal), body.consent(body.push_consent))
    profile = await service.change_consent(uow, command)
    await uow.commit()
    return schemas.ProfileOut.of(profile)


@router.get(
    "/enterprise-profiles",
    response_model=Page[schemas.ProfileOut],
    summary="Every enterprise profile (operator, regulators), filtered, a page at a time",
)
async def list_profiles(
    principal: Oversight,
    uow: UnitOfWorkDep,
    page: PageDep,
    industry: Annotated[
        str | None,
        Query(
            max_length=16,
            description="Profiles with an industry class under this GB/T 4754-2017 code "
            "(C38, C384 or C3841).",
        ),
    ] = None,
    region: Annotated[
        str | None,
        Query(
            pattern=r"^\d{2}(?:\d{2}){0,2}$",
            description="Profiles whose region starts with these digits: a province (44), "
            "a prefecture (4403) or a county (440305).",
        ),
    ] = None,
    push_consent: Annotated[
        bool | None, Query(description="Only those that have (or have not) consented.")
    ] = None,
    source: Annotated[
        ProfileSource | None, Query(description="self (kept by the enterprise) or imported.")
    ] = None,
) -> Page[schemas.ProfileOut]:
    """In USCC order; pass `next_cursor` back as `cursor` for the next page."""
    where = ProfileFilter(
        industry=check_industry(industry, "industry") if industry is not None else None,
        region=region,
        push_consent=push_consent,
        source=source,
    )
    after = page.after(schemas.UsccPosition)
    found = await service.list_profiles(uow, where, page.limit, after.u if after else None)
    last = found[-1] if len(found) == page.limit else None
    return Page(
        items=[schemas.ProfileOut.of(p) for p in found],
        next_cursor=schemas.UsccPosition(u=last.uscc).cursor() if last else None,
    )


@router.get(
    "/enterprise-profiles/{uscc}",
    response_model=schemas.ProfileOut,
    summary="An enterprise's profile (the enterprise itself, the operator, regulators)",
)
async def get_profile(
    uscc: Annotated[str, Path(max_length=40, description="The enterprise's USCC.")],
    principal: Caller,
    uow: UnitOfWorkDep,
) -> schemas.ProfileOut:
    """Anyone else gets 403 `profile-not-readable`, whether or not the profile exists."""
    return schemas.ProfileOut.of(await service.readable_profile(uow, principal, uscc))


# -- the operator's bulk import ----------------------------------------------------------------


def _store(runtime: ServiceRuntime) -> UploadStore:
    return UploadStore(engine_connections(runtime.engine))


def _url(job_id: str) -> str:
    return f"/v1/enterprise-profiles/uploads/{job_id}"


@uploads.post(
    "/enterprise-profiles/uploads",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=UploadJobOut,
    summary="Import enterprise profiles (operator): CSV or JSON Lines, up to 100,000 rows",
    openapi_extra=UPLOAD_OPENAPI,
)
async def upload_profiles(
    request: Request, query: UploadQueryDep, principal: Operator, runtime: RuntimeDep
) -> JSONResponse:
    """Answers 202 with the job (`Location`: its URL) once the file is stored; the rows
    are checked and committed in the background, batch by batch. Each row creates or
    replaces an imported profile (`source: imported`), checked by the rules of
    `PUT /v1/enterprise-profiles/me`. A row never gives consent (a `push_consent` cell
    that says yes is refused) and never replaces a profile the enterprise keeps itself;
    re-importing an enterprise keeps the consent it gave. Columns (English or Chinese
    headers) are in docs/matching.md; encodings, the job and the error report in
    docs/uploads.md. `Idempotency-Key` names the upload."""
    received = await receive_upload(
        request,
        _store(runtime),
        SPEC,
        query,
        uploaded_by=principal.org_id,
        uploader_subject=principal.subject,
        clock=runtime.clock,
        on_behalf_of=None,
        options={},
    )
    runtime.wake(UPLOAD_WORKER)
    return accepted(received, _url(received.job.id))


async def _readable_job(job_id: UUID, principal: Principal, runtime: ServiceRuntime) -> UploadJob:
    job = await _store(runtime).get(str(job_id))
    if job is None or job.kind != SPEC.kind:
        raise NotFound(f"no profile upload {job_id}")
    if principal.org_type not in (OrgType.OPERATOR, OrgType.REGULATOR):
        raise ProfileNotReadable("a profile upload is read by the operator and regulators")
    return job


@router.get(
    "/enterprise-profiles/uploads/{job_id}",
    response_model=UploadJobOut,
    summary="Where a profile import stands: rows done of the total, errors so far",
)
async def get_upload(job_id: JobId, principal: Caller, runtime: RuntimeDep) -> UploadJobOut:
    """`status` ends as `succeeded`, `completed_with_errors`, `rejected` (atomic,
    nothing committed) or `failed`."""
    job = await _readable_job(job_id, principal, runtime)
    return UploadJobOut.of(job, _url(job.id))


@router.get(
    "/enterprise-profiles/uploads/{job_id}/errors.csv",
    summary="The import's row errors as CSV (row, line, field, reason)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
async def upload_errors_csv(
    job_id: JobId, principal: Caller, runtime: RuntimeDep
) -> StreamingResponse:
    """UTF-8 with a BOM, so that Excel opens it with its Chinese intact. Each reason
    ends with the rule's problem slug."""
    job = await _readable_job(job_id, principal, runtime)
    return error_report_csv(_store(runtime), job)


@router.get(
    "/enterprise-profiles/uploads/{job_id}/errors.json",
    summary="The import's row errors as JSON",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/json": {}}}},
)
async def upload_errors_json(
    job_id: JobId, principal: Caller, runtime: RuntimeDep
) -> StreamingResponse:
    job = await _readable_job(job_id, principal, runtime)
    return error_report_json(_store(runtime), job)
