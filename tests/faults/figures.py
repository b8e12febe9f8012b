"""The campaign's table: one row per scenario, printed at the end of the session."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Figures:
    """What one scenario wrote, what arrived, and what went wrong."""

    scenario: str
    written: int = 0
    delivered: int = 0
    lost: int = 0
    duplicates: int = 0
    # Extra copies of one webhook-id at a receiver: the sender could not know the first
    # arrived (it was killed between the answer and its record); a Standard Webhooks
    # receiver drops them by id, so they are no second effect, but they are shown.
    redelivered: int = 0
    violations: list[str] = field(default_factory=list)
    recovery_s: float | None = None

    def row(self) -> str:
        recovery = "-" if self.recovery_s is None else f"{self.recovery_s:.1f}"
        return (
            f"| {self.scenario} | {self.written} | {self.delivered} | {self.lost} | "
            f"{self.duplicates} | {self.redelivered} | {len(self.violations)} | {recovery} |"
        )


HEADER = (
    "| scenario | written | delivered | lost | duplicate effects | redelivered webhook-ids "
    "| invariant violations | recovery s |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)

# Filled by the scenarios as they finish, in the order they ran.
ROWS: list[Figures] = []


def table() -> str:
    """Every row so far, in the scenarios' order (their labels start with it)."""
    return "\n".join([HEADER, *(f.row() for f in sorted(ROWS, key=lambda f: f.scenario))])


def report(figures: Figures) -> None:
    """Keep the row for the session's table and print it now (visible with ``-s``)."""
    ROWS.append(figures)
    print(f"\n{HEADER}\n{figures.row()}")
    for violation in figures.violations:
        print(f"  violation: {violation}")
