"""What the fuzzing stage found: each failure (a 5xx, or a response off its documented
schema) with the request that caused it (a curl command), the role that sent it, and the
traceback the service logged, reduced to one signature (the exception and the innermost
frame of our code) so that one defect reached through many operations reads as one."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from devstack.processes import ServiceProcess

# "module.Name: message" at the start of a line: an exception of the traceback (the last
# one is what reached the handler; chained ones come before it).
_EXCEPTION = re.compile(r"^(?!Traceback|During handling|The above exception)[A-Za-z_][\w.]*: ")
_FRAME = re.compile(r'^  File "(?P<path>[^"]+)", line (?P<line>\d+), in (?P<func>\S+)')


@dataclass(frozen=True)
class Finding:
    operation: str  # "POST /v1/patents"
    service: str
    role: str
    kind: str  # the failed check's title: "Server error", "Response violates schema"
    status: int
    exception: str  # the traceback's last line, or "" if the service logged none
    origin: str  # innermost frame of the repository's code: "path:line in function"
    curl: str
    traceback: str

    @property
    def signature(self) -> str:
        if not self.exception:
            return f"{self.kind}: HTTP {self.status}"
        return f"{self.exception} at {self.origin}"

    def report(self) -> str:
        lines = [
            f"{self.operation} -> {self.status} as {self.role}: {self.kind}",
            f"Reproduce with:\n\n    {self.curl}",
        ]
        if self.traceback:
            lines.append(f"{self.service} logged:\n\n{self.traceback}")
        return "\n\n".join(lines)


@dataclass
class Findings:
    """Distinct findings, by signature then operation."""

    by_signature: dict[str, dict[str, Finding]] = field(default_factory=dict)

    def add(self, finding: Finding) -> bool:
        """Keep ``finding``; False if one of the same signature and operation was kept
        already (the shorter request of the two stays: the one hypothesis shrank)."""
        operations = self.by_signature.setdefault(finding.signature, {})
        kept = operations.get(finding.operation)
        if kept is None or len(finding.curl) < len(kept.curl):
            operations[finding.operation] = finding
        return kept is None

    def __bool__(self) -> bool:
        return bool(self.by_signature)

    def __iter__(self) -> Iterator[Finding]:
        for operations in self.by_signature.values():
            yield from operations.values()

    def summary(self) -> str:
        """One paragraph per signature: the operations that reach it, and one request."""
        parts = []
        for signature, operations in self.by_signature.items():
            first = next(iter(operations.values()))
            reached = "\n".join(
                f"  - {f.service} {f.operation} ({f.role})" for f in operations.values()
            )
            parts.append(f"{signature}\n{reached}\n  e.g. {first.curl}")
        return "\n\n".join(parts)


SESSION = Findings()  # everything the session found, for the closing summary


def finding(
    operation: str,
    process: ServiceProcess,
    role: str,
    kind: str,
    status: int,
    curl: str,
    logged: str,
) -> Finding:
    traceback = own_frames(logged)
    frames = [_FRAME.match(line) for line in traceback.split("\n")]
    ours = [m for m in frames if m and _is_ours(m["path"])]
    origin = ""
    if ours:
        inner = ours[-1]
        origin = f"{_relative(inner['path'])}:{inner['line']} in {inner['func']}"
    raised = [line for line in traceback.split("\n") if _EXCEPTION.match(line)]
    return Finding(
        operation=operation,
        service=process.name,
        role=role,
        kind=kind,
        status=status,
        exception=raised[-1][:200] if raised else "",
        origin=origin,
        curl=curl,
        traceback=traceback,
    )


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _is_ours(path: str) -> bool:
    return path.startswith(ROOT + os.sep) and "site-packages" not in path


def _relative(path: str) -> str:
    return os.path.relpath(path, ROOT) if path.startswith(ROOT) else path


def log_size(process: ServiceProcess) -> int:
    try:
        return os.path.getsize(process.log_path)
    except OSError:
        return 0


def logged_since(process: ServiceProcess, offset: int) -> str:
    """The first traceback the service logged since ``offset`` (the services log JSON
    lines; plain lines are taken as they are)."""
    try:
        with process.log_path.open("rb") as handle:
            handle.seek(offset)
            # Lines end at "\n" only: a logged request path may hold U+0085 or U+2028,
            # which str.splitlines() would take for line ends.
            lines = handle.read().decode("utf-8", "replace").split("\n")
    except OSError:
        return ""
    plain = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            plain.append(line)
            continue
        if isinstance(record, dict) and record.get("exc"):
            return str(record["exc"])
    return "\n".join(plain[-40:])


def own_frames(traceback: str) -> str:
    """A traceback without the frames of installed packages."""
    kept: list[str] = []
    skipping = False
    for line in traceback.split("\n"):
        if line.startswith('  File "'):
            skipping = "site-packages" in line
        elif not line.startswith(" "):
            skipping = False
        if not skipping:
            kept.append(line)
    return "\n".join(kept)
