"""Bootstrap of the license service process."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from license import consumers
from license.api.breaches import endpoints as breaches
from license.api.credit import endpoints as credit
from license.api.deals import endpoints as deals
from license.api.declarations import endpoints as declarations
from license.api.evidence import endpoints as evidence
from license.api.filing import endpoints as filing
from license.api.licenses import endpoints as licenses
from license.api.mediation import endpoints as mediation
from license.api.royalties import endpoints as royalties
from license.config import LicenseSettings
from license.models import infrastructure
from license.workers import deadline_watch, mediation_deadline_watch
from shared.events import topics
from shared.http.app import create_http_app
from shared.runtime import ConsumerSpec, ServiceRuntime

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(settings: LicenseSettings | None = None) -> FastAPI:
    settings = settings or LicenseSettings()
    runtime = ServiceRuntime(
        settings,
        tables=infrastructure,
        migrations_dir=MIGRATIONS,
        publishes={topics.LICENSE},
        consumers=[ConsumerSpec(consumers.GROUP_ID, consumers.router)],
        # The filing and royalty deadline watch and the mediation deadline watch (every
        # instance; SKIP LOCKED shares them).
        workers=[deadline_watch, mediation_deadline_watch],
    )
    return create_http_app(
        runtime,
        title="ipmarket license",
        description=(
            "专利许可服务 — licences, negotiated deals and transfers, licence ends, dispute "
            "mediation and credit supervision.\n\n"
            "- **取得开放许可** `POST /v1/licenses`: accept an announced declaration's terms; "
            "then `POST /v1/licenses/{id}/payments` (licensee's voucher or the patentee's "
            "confirmation) makes the licence take effect.\n"
            "- **备案** `POST /v1/licenses/{id}/filing`: enter the filing number within "
            "3 months of effect; reminders and alarms are published as events.\n"
            "- **提成费** `GET /v1/licenses/{id}/royalties`, `POST /v1/licenses/{id}/"
            "royalties/{period_id}/report`: running royalties per period.\n"
            "- **协商许可** `POST /v1/negotiated-licenses`: a patentee records a licence it "
            "negotiated on a granted patent.\n"
            "- **违约记录** `GET /v1/breaches`: the operator's register of late reports "
            "and payments.\n"
            "- **专利纠纷调解** `POST /v1/mediation-cases`: a party to a licence asks a "
            "mediation organisation to mediate; acceptance within 5 working days, closing "
            "within 30 days; a signed settlement can change the royalty rate.\n"
            "- **协商交易** `POST /v1/deals`: offers, counter-offers, acceptance and both "
            "parties' signatures of a licence or a transfer; a transfer is recorded with "
            "the patent office (`POST /v1/deals/{id}/recordal`).\n"
            "- **信用监管** `POST /v1/credit-records`: the regulator records dishonest "
            "conduct with evidence (`POST /v1/documents`) and a period; the party sees its "
            "records and objects; a record in force restricts the party in listing."
        ),
        # In the OpenAPI document's order of paths.
        routers=[
            licenses.router,
            declarations.router,
            filing.router,
            royalties.router,
            licenses.negotiated_router,
            breaches.router,
            mediation.router,
            deals.router,
            credit.router,
            evidence.router,
        ],
        openapi_tags=[
            {"name": "licenses", "description": "Licences and their payments (许可与付款)."},
            {"name": "filing", "description": "Filing licences with CNIPA (许可合同备案)."},
            {"name": "royalties", "description": "Running royalties (提成费报告与支付)."},
            {"name": "breaches", "description": "Late reports and payments (违约记录)."},
            {"name": "deals", "description": "Negotiated licences and transfers (协商交易)."},
            {
                "name": "mediation",
                "description": "Dispute mediation on a licence (专利纠纷调解).",
            },
            {"name": "credit", "description": "Credit supervision (信用监管)."},
            {"name": "documents", "description": "Evidence documents (证据材料)."},
            {
                "name": "declarations",
                "description": "Open-licence declarations as this service knows them.",
            },
        ],
    )
