"""Enumerations that the events and the services' domains share: how a licence is paid
for and reported, what kind of licence it is, what a pledgee may consent to.

The event schemas (``shared.events.schemas``) use them as their field types, so a domain
package takes them from here and imports nothing that imports pydantic.
"""

from __future__ import annotations

from enum import StrEnum


class PaymentMode(StrEnum):
    """How an open licence is paid for (专利开放许可 royalty methods)."""

    LUMP_SUM = "lump_sum"
    RUNNING_ROYALTY = "running_royalty"
    ENTRY_FEE_PLUS_ROYALTY = "entry_fee_plus_royalty"
    FREE = "free"


class ReportingPeriod(StrEnum):
    """How often a running royalty is reported and paid (提成费报告期)."""

    ANNUAL = "annual"
    SEMIANNUAL = "semiannual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"


class LicenseKind(StrEnum):
    """普通许可 / 排他许可 / 独占许可."""

    ORDINARY = "ordinary"
    SOLE = "sole"
    EXCLUSIVE = "exclusive"


class ConsentSubject(StrEnum):
    """What a pledgee may consent to while its pledge is registered (质权人同意)."""

    TRANSFER = "transfer"
    LICENSE = "license"
    OPEN_LICENSE = "open_license"
    ABANDONMENT = "abandonment"


class WillImplement(StrEnum):
    """An enterprise's answer to a patent matching proposed: would it implement it?"""

    YES = "yes"
    NO = "no"
    UNDECIDED = "undecided"


class MarketEvaluation(StrEnum):
    """How an enterprise judges a proposed patent's market."""

    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"
