"""Standard Webhooks signatures (https://www.standardwebhooks.com).

A message is signed as ``HMAC-SHA256(secret, f"{webhook_id}.{timestamp}.{body}")``,
base64-encoded and sent as ``v1,<signature>``; several space-separated signatures
are sent while a rotated secret overlaps its successor. Secrets are 24-64 random
bytes, shared base64-encoded behind the ``whsec_`` prefix.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
SIGNATURE_VERSION = "v1"
DEFAULT_TOLERANCE_S = 300


class InvalidSecret(ValueError):
    pass


class SignatureRejected(ValueError):
    """Why an inbound message's signature was not accepted."""


def generate_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret, or :class:`InvalidSecret`."""
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise InvalidSecret("a signing secret is whsec_ followed by base64") from exc
    if not 24 <= len(key) <= 64:
        raise InvalidSecret("a signing secret holds 24 to 64 bytes")
    return key


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,<base64>`` signature."""
    content = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), content, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


@dataclass(frozen=True)
class SignedHeaders:
    webhook_id: str
    timestamp: int
    signatures: tuple[str, ...]

    def as_dict(self) -> dict[str, str]:
        return {
            "webhook-id": self.webhook_id,
            "webhook-timestamp": str(self.timestamp),
            "webhook-signature": " ".join(self.signatures),
        }


def sign_all(
    secrets_in_force: Iterable[str], webhook_id: str, timestamp: int, body: bytes
) -> SignedHeaders:
    """The headers of one attempt, signed with every secret in force (rotation overlap)."""
    signatures = tuple(sign(s, webhook_id, timestamp, body) for s in secrets_in_force)
    if not signatures:
        raise InvalidSecret("an endpoint needs at least one secret in force")
    return SignedHeaders(webhook_id, timestamp, signatures)


def verify(
    secrets_in_force: Iterable[str],
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: int,
    tolerance_s: int = DEFAULT_TOLERANCE_S,
) -> SignedHeaders:
    """Check an inbound message on its raw body; :class:`SignatureRejected` says why not."""
    webhook_id = headers.get("webhook-id")
    raw_timestamp = headers.get("webhook-timestamp")
    raw_signatures = headers.get("webhook-signature")
    if not webhook_id or not raw_timestamp or not raw_signatures:
        raise SignatureRejected(
            "webhook-id, webhook-timestamp and webhook-signature headers are required"
        )
    try:
        timestamp = int(raw_timestamp)
    except ValueError:
        raise SignatureRejected("webhook-timestamp is not an integer") from None
    if abs(now - timestamp) > tolerance_s:
        raise SignatureRejected(
            f"webhook-timestamp is more than {tolerance_s} s away from now (replay protection)"
        )
    offered = [s.partition(",") for s in raw_signatures.split()]
    for secret in secrets_in_force:
        expected = sign(secret, webhook_id, timestamp, body).partition(",")[2]
        for version, _, signature in offered:
            if version == SIGNATURE_VERSION and hmac.compare_digest(signature, expected):
                return SignedHeaders(webhook_id, timestamp, (f"v1,{signature}",))
    raise SignatureRejected("no webhook-signature matches the body with the platform's secret")
