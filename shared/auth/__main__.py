"""Issue a development token: ``python -m shared.auth --org-type university --name 清华大学``.

Uses the local development key (or ``IPMARKET_AUTH_JWT_KEY`` if set); production tokens
come from the platform's OpenID Connect provider instead.

The token carries the scopes its organisation type needs (listed below); ``--scope``
replaces them: the token then carries exactly the scopes named, e.g. a read-only token
with ``--scope ipmarket:read``.
"""

from __future__ import annotations

import argparse
import textwrap
import uuid

from shared.auth.principal import DEFAULT_SCOPES, SCOPE_DESCRIPTIONS, OrgType, Scope
from shared.auth.tokens import issue_token
from shared.settings import ServiceSettings


def scopes_help() -> str:
    """The epilog of ``--help``: each organisation type's default scopes, and every scope."""
    width = max(len(t.value) for t in OrgType)
    lines = ["default scopes by organisation type (--org-type):"]
    lines += [
        f"  {org_type.value:<{width}}  {' '.join(s.value for s in DEFAULT_SCOPES[org_type])}"
        for org_type in OrgType
    ]
    lines += ["", "scopes (--scope):"]
    for scope in Scope:
        lines.append(f"  {scope.value}")
        lines += textwrap.wrap(
            SCOPE_DESCRIPTIONS[scope], width=88, initial_indent=" " * 6, subsequent_indent=" " * 6
        )
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(
        prog="python -m shared.auth",
        description=__doc__,
        epilog=scopes_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    result.add_argument("--org-type", required=True, choices=[t.value for t in OrgType])
    result.add_argument("--name", required=True, help="organisation name, e.g. 清华大学")
    result.add_argument("--org-id", default=None, help="platform organisation id")
    result.add_argument("--uscc", default=None, help="unified social credit code")
    result.add_argument(
        "--scope",
        action="append",
        default=None,
        choices=[s.value for s in Scope],
        help="repeatable; replaces the organisation type's default scopes (listed below)",
    )
    result.add_argument("--ttl", type=int, default=12 * 3600, help="seconds")
    return result


def main() -> None:
    args = parser().parse_args()
    print(
        issue_token(
            ServiceSettings(),
            org_id=args.org_id or f"org-{uuid.uuid4().hex[:12]}",
            org_name=args.name,
            org_type=OrgType(args.org_type),
            uscc=args.uscc,
            scopes=args.scope,
            ttl_seconds=args.ttl,
        )
    )


if __name__ == "__main__":
    main()
