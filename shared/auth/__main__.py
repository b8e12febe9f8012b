"""Issue a development token: ``python -m shared.auth --org-type university --name 清华大学``.

Uses the local development key (or ``IPMARKET_AUTH_JWT_KEY`` if set); production tokens
come from the platform's OpenID Connect provider instead.
"""

from __future__ import annotations

import argparse
import uuid

from shared.auth.principal import OrgType
from shared.auth.tokens import issue_token
from shared.settings import ServiceSettings


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m shared.auth", description=__doc__)
    parser.add_argument("--org-type", required=True, choices=[t.value for t in OrgType])
    parser.add_argument("--name", required=True, help="organisation name, e.g. 清华大学")
    parser.add_argument("--org-id", default=None, help="platform organisation id")
    parser.add_argument("--uscc", default=None, help="unified social credit code")
    parser.add_argument(
        "--scope", action="append", default=None, help="repeatable; default read+write"
    )
    parser.add_argument("--ttl", type=int, default=12 * 3600, help="seconds")
    args = parser.parse_args()
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
