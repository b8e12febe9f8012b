"""The inventory record's input model: the body of ``PUT /v1/patents/{n}/inventory`` (the
API takes it from here) and what each row of an inventory upload is checked against
(``listing/uploads``), so that both refuse the same values with the same messages."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from listing.domain.inventory import IntendedMode, Inventor, Willingness
from listing.inventory.commands import RecordInventory
from shared.http.types import UsccStr, VisibleStr


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


# A person as others read the name: something visible, no control characters.
PersonName = Annotated[VisibleStr, Field(max_length=100)]


class InventorIn(_Input):
    name: PersonName = Field(examples=["张伟"])
    contact: str | None = Field(default=None, max_length=200, examples=["zhangwei@example.edu.cn"])


class InventoryIn(_Input):
    """The inventory record (盘点登记) of a patent; a PUT replaces it whole."""

    willingness: Willingness = Field(description="Whether the institution wants to transform it.")
    intended_modes: list[IntendedMode] = Field(default_factory=list, max_length=5)
    inventors: list[InventorIn] = Field(default_factory=list, max_length=50)
    portfolios: list[Annotated[VisibleStr, Field(max_length=100)]] = Field(
        default_factory=list, max_length=20, description="Named patent portfolios (专利组合)."
    )
    state_funding_project: str | None = Field(
        default=None, max_length=200, description="Reference of the state-funded project."
    )
    notes: str | None = Field(default=None, max_length=4000)
    institution_uscc: UsccStr | None = Field(
        default=None,
        description="The operator only: the institution it records for (a patentee).",
    )

    def to_command(self, application_number: str) -> RecordInventory:
        return RecordInventory(
            application_number=application_number,
            willingness=self.willingness,
            inventors=tuple(Inventor(i.name, i.contact) for i in self.inventors),
            intended_modes=tuple(self.intended_modes),
            portfolios=tuple(self.portfolios),
            state_funding_project=self.state_funding_project,
            notes=self.notes,
            institution_uscc=self.institution_uscc,
        )
