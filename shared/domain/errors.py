"""The one error raised by every identifier parser in :mod:`shared.domain`."""

from __future__ import annotations

from typing import Any


class InvalidIdentifier(ValueError):
    """An identifier (application number, USCC, IPC code, region code...) is not valid.

    ``kind`` names the identifier in snake_case (``"application_number"``, ``"uscc"``,
    ``"ipc_code"``, ``"region_code"``) so callers can map it to a field; ``reason`` is a
    plain English sentence naming exactly what is wrong (``"check digit is 3 but 7 was
    given"``) and is what an API shows to the user; ``value`` is the raw input. ``rule``
    names, in snake_case, a rule a caller may want to tell apart from a malformed value
    (``"check_digit"``: the value is well formed but its check digit does not match);
    None for the others.
    """

    def __init__(
        self, kind: str, reason: str, value: str | None = None, *, rule: str | None = None
    ) -> None:
        self.kind = kind
        self.reason = reason
        self.value = value
        self.rule = rule
        super().__init__(self._message())

    def __reduce__(self) -> tuple[Any, ...]:
        # The default would call InvalidIdentifier(message) and lose kind and reason.
        return _rebuild, (type(self), self.kind, self.reason, self.value, self.rule)

    def _message(self) -> str:
        label = self.kind.replace("_", " ")
        if self.value is None:
            return f"invalid {label}: {self.reason}"
        # Raw input can be anything a client sent; keep log lines and problem details short.
        shown = self.value if len(self.value) <= 40 else self.value[:37] + "..."
        return f"invalid {label} {shown!r}: {self.reason}"


def _rebuild(
    cls: type[InvalidIdentifier], kind: str, reason: str, value: str | None, rule: str | None
) -> InvalidIdentifier:
    return cls(kind, reason, value, rule=rule)
