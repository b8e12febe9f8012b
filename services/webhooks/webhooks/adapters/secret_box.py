"""Secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256) under keys from settings.

The first key encrypts; every key decrypts, so keys rotate without a migration. The
answers kept for Idempotency-Key replays carry secrets too: they are sealed under the same
keys (:class:`SealedResponses`).
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import SecretStr


class SecretBox:
    def __init__(self, keys: list[SecretStr]) -> None:
        if not keys:
            raise ValueError("at least one secret encryption key is required")
        self._fernet = MultiFernet([Fernet(k.get_secret_value().encode()) for k in keys])

    def seal(self, secret: str) -> str:
        return self.seal_bytes(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        return self.open_bytes(sealed.encode()).decode()

    def seal_bytes(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def open_bytes(self, sealed: bytes) -> bytes:
        try:
            return self._fernet.decrypt(sealed)
        except InvalidToken as exc:
            raise ValueError(
                "a stored secret cannot be decrypted with the configured keys"
            ) from exc


class SealedResponses:
    """The idempotency layer's response sealer (``shared.db.idempotency.ResponseSealer``):
    the answers that create or rotate a secret carry it in clear."""

    def __init__(self, box: SecretBox) -> None:
        self._box = box

    def seal(self, body: bytes) -> bytes:
        return self._box.seal_bytes(body)

    def open(self, sealed: bytes) -> bytes:
        return self._box.open_bytes(sealed)
