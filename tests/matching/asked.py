"""Whether a profile was handed to the matcher: its request waits in the queue, or the
matcher already took it (it segments the profile's text, which every save clears). The
matcher runs in the tests' app, so a request may be gone by the time a test looks."""

from __future__ import annotations

import asyncpg

from matching.config import MatchingSettings
from shared.db.engine import asyncpg_dsn


async def asked_to_match(settings: MatchingSettings, usccs: list[str]) -> list[str]:
    """Which of ``usccs`` the matcher was asked to match, sorted."""
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:
        rows = await conn.fetch(
            "SELECT key FROM match_requests WHERE kind = 'enterprise' AND key = ANY($1::text[])"
            " UNION SELECT uscc FROM enterprise_profiles"
            " WHERE uscc = ANY($1::text[]) AND tokens IS NOT NULL ORDER BY 1",
            usccs,
        )
    finally:
        await conn.close()
    return [r[0] for r in rows]
