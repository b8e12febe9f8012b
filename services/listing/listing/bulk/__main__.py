"""``python -m listing.bulk patents.jsonl``: import a JSON-lines file of patents into the
database of ``LISTING_DATABASE_URL``."""

from __future__ import annotations

import asyncio
import json
import sys

import asyncpg

from listing.bulk.service import import_patents
from listing.config import ListingSettings
from listing.industries.service import use_concordance
from shared.db.engine import asyncpg_dsn


async def _main(path: str) -> int:
    settings = ListingSettings()
    use_concordance(settings.concordance_dir)
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:
        with open(path, encoding="utf-8") as lines:  # noqa: ASYNC230 - a CLI reading its input
            report = await import_patents(
                conn,
                (json.loads(line) for line in lines if line.strip()),
                registered_by="bulk-import",
            )
    finally:
        await conn.close()
    print(
        f"imported {report.imported}, already catalogued {report.skipped}, "
        f"refused {len(report.refused)}"
    )
    for line, why in report.refused[:50]:
        print(f"  line {line}: {why}", file=sys.stderr)
    return 1 if report.refused else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(_main(sys.argv[1])))
