"""The tax evidence as an A4 PDF, in Chinese.

Rendered with reportlab and its built-in CID font ``STSong-Light``: a PDF viewer supplies
the glyphs (Adobe's Chinese font pack, or the system's), so nothing is embedded, the file
stays small, and the text is real text a tax officer's tools can search and extract.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from registry_sync.domain.registration import ContractParty
from registry_sync.domain.tax_evidence import TaxEvidence
from shared.domain.calendar import SHANGHAI

FONT = "STSong-Light"


@cache
def _styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = ParagraphStyle("base", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=24, alignment=1),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=9, alignment=1),
        "heading": ParagraphStyle("heading", parent=base, fontSize=12, leading=20),
        "body": base,
        "note": ParagraphStyle("note", parent=base, fontSize=8.5, leading=13),
    }


def render_pdf(evidence: TaxEvidence) -> bytes:
    styles = _styles()
    contract = evidence.contract
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"技术转让免征增值税备查资料 {evidence.registration_number}",
        author="ipmarket registry-sync",
        subject="Evidence for the VAT exemption on technology transfer income",
    )
    story = [
        Paragraph("技术转让收入免征增值税备查资料", styles["title"]),
        Paragraph(
            "Evidence for the VAT exemption on technology transfer income",
            styles["subtitle"],
        ),
        Spacer(1, 6 * mm),
        _table(
            [
                ("文件编号 Document", evidence.document_number),
                ("出具时间 Issued", _moment(evidence)),
            ]
        ),
        Paragraph("一、合同 Contract", styles["heading"]),
        _table(
            [
                ("合同类别 Category", evidence.contract_name),
                ("专利号 Patent number", contract.patent_number or "—"),
                ("申请号 Application number", contract.application_number),
                ("签订日期 Signed on", _date(contract.signed_on)),
                ("生效日期 Effective", _date(contract.effective_date)),
                ("有效期至 Period ends", _date(contract.period_end)),
            ]
        ),
        Paragraph("二、当事人 Parties", styles["heading"]),
        _table(
            [row for p in evidence.sellers for row in _party_rows("让与人/许可人 Seller", p)]
            + [row for p in evidence.buyers for row in _party_rows("受让人/被许可人 Buyer", p)]
        ),
        Paragraph("三、技术合同认定登记 Registration", styles["heading"]),
        _table(
            [
                ("登记编号 Registration number", evidence.registration_number),
                ("登记日期 Registered on", _date(evidence.registered_on)),
                (
                    "核定合同金额 Certified contract value",
                    _money(evidence.certified_contract_value),
                ),
                (
                    "核定技术交易额 Certified technology transaction value",
                    _money(evidence.certified_technology_value),
                ),
            ]
        ),
        Paragraph("四、免税依据 Basis", styles["heading"]),
        Paragraph(evidence.basis, styles["body"]),
        Spacer(1, 5 * mm),
        Paragraph(
            "本资料依据技术合同认定登记机构核定的登记信息生成，供让与人/许可人留存备查；"
            "是否免征增值税由主管税务机关认定。可凭登记编号向登记机构核验。"
            " This document is generated from the registration the office certified, for the "
            "seller's records; the tax authority decides the exemption. Verify the "
            "registration number with the registration office.",
            styles["note"],
        ),
    ]
    document.build(story)
    return buffer.getvalue()


def _table(rows: list[tuple[str, str]]) -> Table:
    styles = _styles()
    table = Table(
        # Values are the parties' own text: escaped, since a paragraph reads markup.
        [
            [Paragraph(label, styles["body"]), Paragraph(escape(value), styles["body"])]
            for label, value in rows
        ],
        colWidths=[62 * mm, 108 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.95, 0.95, 0.95)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _party_rows(role: str, party: ContractParty) -> list[tuple[str, str]]:
    return [(role, party.name), ("统一社会信用代码 USCC", party.uscc or "—")]


def _date(value: date | None) -> str:
    return "—" if value is None else f"{value.year}年{value.month}月{value.day}日"


def _money(value: Decimal) -> str:
    return f"人民币 {value:,.2f} 元 (CNY)"


def _moment(evidence: TaxEvidence) -> str:
    local = evidence.issued_at.astimezone(SHANGHAI)
    return f"{_date(local.date())} {local:%H:%M}（北京时间）"
