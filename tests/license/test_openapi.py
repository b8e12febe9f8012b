"""The OpenAPI document is what a front-end developer reads: every business endpoint
has a summary and a description in Chinese, and every request body has examples with
Chinese names that the API itself accepts."""

from __future__ import annotations

import re
from typing import Any

import httpx
from pydantic import BaseModel

from license.api.credit import schemas as credit
from license.api.deals.schemas import DealCreate, OfferIn, RecordalIn
from license.api.filing.schemas import FilingCreate
from license.api.licenses.schemas import (
    LicenseCreate,
    NegotiatedLicenseCreate,
    PaymentCreate,
    RescissionCreate,
    TerminationCreate,
)
from license.api.mediation import schemas as mediation
from license.api.royalties.schemas import RoyaltyReportCreate

CJK = re.compile(r"[\u4e00-\u9fff]")

REQUEST_MODELS: dict[str, type[BaseModel]] = {
    "LicenseCreate": LicenseCreate,
    "PaymentCreate": PaymentCreate,
    "FilingCreate": FilingCreate,
    "RoyaltyReportCreate": RoyaltyReportCreate,
    "NegotiatedLicenseCreate": NegotiatedLicenseCreate,
    "TerminationCreate": TerminationCreate,
    "RescissionCreate": RescissionCreate,
    "MediationCaseCreate": mediation.MediationCaseCreate,
    "MediationResponseCreate": mediation.MediationResponseCreate,
    "MediationProceedingCreate": mediation.MediationProceedingCreate,
    "MediationRefusalCreate": mediation.MediationRefusalCreate,
    "MediationSessionCreate": mediation.MediationSessionCreate,
    "MediationExtensionCreate": mediation.MediationExtensionCreate,
    "MediationSettlementCreate": mediation.MediationSettlementCreate,
    "MediationTerminationCreate": mediation.MediationTerminationCreate,
    "DealCreate": DealCreate,
    "OfferIn": OfferIn,
    "RecordalIn": RecordalIn,
    "CreditRecordCreate": credit.CreditRecordCreate,
    "CandidateConfirm": credit.CandidateConfirm,
    "ReasonIn": credit.ReasonIn,
    "ObjectionCreate": credit.ObjectionCreate,
    "DecisionIn": credit.DecisionIn,
}


async def test_every_endpoint_is_documented_in_chinese_with_valid_examples(
    license_client: httpx.AsyncClient,
) -> None:
    document: dict[str, Any] = (await license_client.get("/openapi.json")).json()
    operations = [
        (path, method, operation)
        for path, item in document["paths"].items()
        if path.startswith("/v1/")
        for method, operation in item.items()
    ]
    assert {(p, m) for p, m, _ in operations} >= {
        ("/v1/licenses", "post"),
        ("/v1/licenses/{license_id}/payments", "post"),
        ("/v1/licenses/{license_id}/filing", "post"),
        ("/v1/licenses/{license_id}/royalties", "get"),
        ("/v1/licenses/{license_id}/royalties/{period_id}/report", "post"),
        ("/v1/negotiated-licenses", "post"),
        ("/v1/breaches", "get"),
        ("/v1/licenses/{license_id}", "get"),
        ("/v1/mediation-cases", "post"),
        ("/v1/mediation-cases/{case_id}/closure", "post"),
        ("/v1/deals", "post"),
        ("/v1/deals/{deal_id}/offers", "post"),
        ("/v1/deals/{deal_id}/offers/{offer_id}/acceptance", "post"),
        ("/v1/deals/{deal_id}/signatures", "post"),
        ("/v1/deals/{deal_id}/recordal", "post"),
    }
    for path, method, operation in operations:
        where = f"{method.upper()} {path}"
        assert CJK.search(operation.get("summary", "")), where
        assert CJK.search(operation.get("description", "")), where
        body = operation.get("requestBody")
        if body is None:
            continue
        if "application/json" not in body["content"]:
            # An evidence upload's body is the document itself (PDF, OFD, PNG, JPEG).
            assert set(body["content"]) <= {
                "application/pdf",
                "application/ofd",
                "image/png",
                "image/jpeg",
            }, where
            continue
        content = body["content"]["application/json"]
        model_name = content["schema"]["$ref"].rsplit("/", 1)[-1]
        examples = content.get("examples")
        assert examples, where
        assert all(CJK.search(example["summary"]) for example in examples.values()), where
        for example in examples.values():
            REQUEST_MODELS[model_name].model_validate(example["value"])
