"""Why the webhooks service refuses something. Each rule has its own problem type."""

from __future__ import annotations

from shared.errors import Conflict, Forbidden, InvalidRequest, ProblemError


class EndpointUrlRefused(InvalidRequest):
    slug = "webhook-endpoint-url-refused"
    title = "The endpoint URL may not receive deliveries"


class PlatformAlreadyRegistered(Conflict):
    slug = "webhook-platform-already-registered"
    title = "A platform with this organisation id is already connected"


class NotYourPlatform(Forbidden):
    slug = "webhook-not-your-platform"
    title = "Only the platform itself or the operator may do this"


class DeliveryNotReplayable(Conflict):
    slug = "webhook-delivery-not-replayable"
    title = "Only a failed delivery can be replayed"


class InboundSignatureRejected(ProblemError):
    status = 401
    slug = "webhook-signature-rejected"
    title = "The webhook signature was not accepted"


class InboundDuplicate(Conflict):
    slug = "webhook-duplicate"
    title = "A webhook with this webhook-id was already received from the platform"


class InboundPayloadRefused(InvalidRequest):
    slug = "webhook-inbound-payload-refused"
    title = "The inbound listing was refused"


class ListingUnavailable(ProblemError):
    status = 503
    slug = "webhook-listing-unavailable"
    title = "The listing service did not answer; send the webhook again later"


class InboundListingUnknown(ProblemError):
    status = 404
    slug = "webhook-inbound-listing-unknown"
    title = "The platform published no listing under this reference"


class DeliveryStatsWindowRefused(InvalidRequest):
    slug = "webhook-delivery-stats-window-refused"
    title = "The delivery statistics cannot cover this window"
