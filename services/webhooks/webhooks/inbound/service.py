"""Platforms publishing into the network by signed inbound webhooks.

Services never commit; the caller's unit of work does.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from shared.db.uow import UnitOfWork
from shared.errors import NotFound
from webhooks.adapters.listing import ListingAnswer, ListingClient, ListingTarget
from webhooks.adapters.secret_box import SecretBox
from webhooks.domain.errors import InboundDuplicate, InboundSignatureRejected
from webhooks.domain.signing import SignatureRejected, verify
from webhooks.inbound.commands import InboundListing, ReceiveInbound
from webhooks.repository import WebhooksRepository

log = logging.getLogger(__name__)


async def receive_inbound(
    uow: UnitOfWork,
    box: SecretBox,
    listing: ListingClient,
    command: ReceiveInbound,
    *,
    read: Callable[[bytes], InboundListing],
) -> tuple[str, str, ListingAnswer]:
    """Verify a platform's signed webhook on its raw body, ``read`` what it asks for (the
    caller's reader refuses a body that is not an inbound listing), and publish, update
    or close its listing through listing's API, which refuses a change of another
    platform's listing (403); ``(webhook_id, action, listing's answer)``. The webhook-id
    is claimed in this transaction: a repeat is refused; a refused request releases it
    (the caller does not commit)."""
    repo = WebhooksRepository(uow.session)
    platform = await repo.get_platform(command.platform_id)
    if platform is None:
        raise NotFound(f"platform {command.platform_id} is not connected")
    try:
        signed = verify(
            [box.open(platform.inbound_secret)],
            command.headers,
            command.raw_body,
            # The signature's timestamp is checked against the real time, not the rules'
            # clock: it guards against replayed requests.
            now=int(time.time()),
            tolerance_s=command.tolerance_s,
        )
    except SignatureRejected as exc:
        raise InboundSignatureRejected(str(exc)) from exc
    message = read(command.raw_body)
    if not await repo.claim_inbound(platform.id, signed.webhook_id, uow.clock.now()):
        raise InboundDuplicate(
            f"webhook-id {signed.webhook_id} was already received from platform {platform.id}"
        )
    if message.action == "publish":
        answer = await listing.publish(
            kind=message.kind, body=message.listing, org_id=platform.org_id, org_name=platform.name
        )
    else:
        answer = await listing.change(
            kind=message.kind,
            action=message.action,
            target=ListingTarget(message.listing_id, message.external_reference),
            body=message.listing,
            org_id=platform.org_id,
            org_name=platform.name,
        )
    if not answer.created:
        # Refused by listing (another platform's listing, a closed one, a broken rule):
        # passed back as listing answered it, and kept in the log like any refusal.
        log.info(
            "inbound %s of a %s from platform %s refused by listing: %s %s",
            message.action,
            message.kind,
            platform.id,
            answer.status_code,
            answer.body.get("type"),
        )
    if answer.created:
        await repo.set_inbound_listing(platform.id, signed.webhook_id, str(answer.body.get("id")))
    return signed.webhook_id, message.action, answer
