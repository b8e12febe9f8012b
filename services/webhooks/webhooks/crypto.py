"""Secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256) under keys from settings.

The first key encrypts; every key decrypts, so keys rotate without a migration.
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
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise ValueError(
                "a stored secret cannot be decrypted with the configured keys"
            ) from exc
