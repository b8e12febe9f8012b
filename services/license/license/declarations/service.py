"""Declaration view use cases: learn listing's declarations from its events (their
patents' legal status is in the catalogue view), and show a declaration as this service
knows it. Services never commit; the caller's unit of work does."""

from __future__ import annotations

from license.declarations.commands import (
    DeclarationChange,
    RecordEnd,
    RecordPublication,
    RecordWithdrawal,
)
from license.declarations.repository import DeclarationRepository
from license.domain.declaration import DeclarationStatus, DeclarationView
from license.domain.errors import declaration_unknown
from license.domain.pledge import PledgeView
from license.pledges.service import pledges
from shared.db.uow import UnitOfWork


def declarations(uow: UnitOfWork) -> DeclarationRepository:
    return DeclarationRepository(uow.session, uow.clock)


async def record_publication(uow: UnitOfWork, command: RecordPublication) -> None:
    """Learn a declaration or a newer version of its terms; a withdrawal stays."""
    repo = declarations(uow)
    view = await repo.get(command.declaration_id, lock="update")
    if view is None:
        await repo.add(
            DeclarationView.published(
                command.declaration_id, command.application_number, command.publication
            )
        )
    elif view.record_publication(command.publication):
        await repo.save(view)


async def record_change(uow: UnitOfWork, command: DeclarationChange) -> None:
    """Apply a withdrawal, lapse, expiry, suspension or reinstatement to the view,
    creating it (without terms) if the publication has not arrived yet: a withdrawal or
    an end is final, even when it arrives before the publication it ends."""
    repo = declarations(uow)
    view = await repo.get(command.declaration_id, lock="update")
    if view is None:
        view = DeclarationView(
            command.declaration_id, command.application_number, DeclarationStatus.ANNOUNCED
        )
        _apply(view, command)
        await repo.add(view)
    elif _apply(view, command):
        await repo.save(view)


def _apply(view: DeclarationView, command: DeclarationChange) -> bool:
    if isinstance(command, RecordWithdrawal):
        return view.record_withdrawal(command.effective_at)
    if isinstance(command, RecordEnd):
        return view.record_end(command.status, command.effective_at)
    return view.record_suspension(command.suspended, command.effective_at)


async def get_declaration(
    uow: UnitOfWork, declaration_id: str
) -> tuple[DeclarationView, list[PledgeView]]:
    """The declaration with the pledges registered on its patent."""
    view = await declarations(uow).get(declaration_id)
    if view is None:
        raise declaration_unknown(declaration_id)
    return view, await pledges(uow).active_on(view.application_number)
