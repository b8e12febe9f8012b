"""The follower: keeps each relevance index of this instance in step with its table.

Every indexed table has ``search_xid``, the id of the transaction that last wrote the
row (a row trigger sets it; migration ``20261207_search_feed``). The follower reads a
table's rows in ``(search_xid, key)`` order after its watermark, only below the xmin of
a fresh snapshot: every transaction below it has ended, so no row can still appear
below the watermark later, whatever order transactions commit in. A batch is applied
to the index (a row that is not searchable is deleted), committed, and then the
watermark is recorded; a crash in between applies the batch again, which is harmless.

Each listing instance keeps its own index (a directory per source under
``ListingSettings.search_index_dir``), fed by the committed rows, so instances agree up
to their read lag. A statement trigger NOTIFYs ``listing_search`` on every write, and the
follower LISTENs there; the poll is the fallback. Until an index has caught up with the
table as it was when the follower started, relevance searches are refused with
:class:`SearchIndexBuilding` (503). :meth:`SearchFollower.rebuild` builds a fresh index
beside the serving one and swaps it in once caught up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import asyncpg

from listing.search.engine.index import (
    CURRENT,
    SCHEMA_VERSION,
    SearchDocument,
    SearchIndex,
    Watermark,
)
from shared.errors import ProblemError
from shared.workers import PeriodicWorker

log = logging.getLogger(__name__)

CHANNEL = "listing_search"
LISTENER = "ipmarket-listing-search-listen"
_XMIN = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
_NEXT_XID = "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint"


class IndexSource(Protocol):
    """A table an index follows: one index (directory ``name``) per source."""

    name: str  # the index's directory name ("patents")
    table: str  # the table (with search_xid)
    key: str  # its primary key column
    select: str  # SQL select list over the table aliased t (search_xid is added)

    def document(self, row: asyncpg.Record) -> SearchDocument | None:
        """The row's document; None: the row is not searchable (it is deleted)."""
        ...


class SearchIndexBuilding(ProblemError):
    status = 503
    slug = "search-index-building"
    title = "The search index is still being built"


@dataclass
class Feed:
    """One source's index being fed: ``goal`` is the next transaction id when feeding
    began; the index has caught up once everything below it is applied."""

    source: IndexSource
    index: SearchIndex
    goal: int
    caught_up: bool = False
    mark: Watermark = field(default_factory=Watermark)


class SearchFollower(PeriodicWorker):
    """The periodic worker ``search-index``: feeds every source's index."""

    NAME = "search-index"

    def __init__(
        self,
        dsn: str,
        sources: Sequence[IndexSource],
        directory: Path | None,
        *,
        interval_s: float = 5.0,
        batch: int = 2000,
        retry_after_s: int = 5,
    ) -> None:
        super().__init__(self.NAME, interval_s, self._tick, lifetime=self._lifetime)
        self.dsn = dsn
        self.sources = list(sources)
        self._temporary = directory is None
        self.directory = directory or Path(tempfile.mkdtemp(prefix="listing-search-"))
        self.batch = batch
        self.retry_after_s = retry_after_s
        self.feeds: dict[str, Feed] = {}
        self.rebuilding: dict[str, Feed] = {}
        self.listening = False
        self._conn: asyncpg.Connection | None = None

    # -- what searches use -------------------------------------------------------------

    def index(self, name: str) -> SearchIndex:
        """The serving index of source ``name``; :class:`SearchIndexBuilding` until it
        has caught up with its table."""
        feed = self.feeds.get(name)
        if feed is None or not feed.caught_up:
            raise SearchIndexBuilding(
                f"the {name} index is catching up with the catalogue; retry shortly",
                retry_after=self.retry_after_s,
            )
        return feed.index

    def rebuild(self, name: str | None = None) -> list[str]:
        """Start building fresh indexes (of ``name``, or of every source) beside the
        serving ones; each is swapped in when caught up. Returns the names."""
        names = [s.name for s in self.sources if name is None or s.name == name]
        for source in self.sources:
            # An index being rebuilt already goes on being rebuilt.
            fresh = source.name not in self.rebuilding
            if source.name in names and source.name in self.feeds and fresh:
                # Its goal is set when it is first fed (0: not yet).
                self.rebuilding[source.name] = Feed(source, self._fresh(source), goal=0)
        self.wake()
        return names

    # -- the loop ----------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _lifetime(self) -> AsyncIterator[None]:
        listener = asyncio.create_task(self._listen(), name="listing-search-listen")
        try:
            yield
        finally:
            listener.cancel()
            await asyncio.gather(listener, return_exceptions=True)
            if self._conn is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._conn.close(), timeout=2)
            for feed in [*self.feeds.values(), *self.rebuilding.values()]:
                feed.index.close()
            if self._temporary:
                shutil.rmtree(self.directory, ignore_errors=True)

    async def _connection(self) -> asyncpg.Connection:
        if self._conn is None or self._conn.is_closed():
            self._conn = await asyncpg.connect(self.dsn)
        return self._conn

    async def _tick(self) -> None:
        conn = await self._connection()
        try:
            if not self.feeds:
                await self._open(conn)
            for feed in [*self.feeds.values(), *self.rebuilding.values()]:
                await self._follow(conn, feed)
            for name, fresh in list(self.rebuilding.items()):
                if fresh.caught_up:
                    self._swap(name, fresh)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            with contextlib.suppress(Exception):
                await self._conn.close()  # type: ignore[union-attr]
            self._conn = None
            raise

    async def _open(self, conn: asyncpg.Connection) -> None:
        goal = int(await conn.fetchval(_NEXT_XID))
        for source in self.sources:
            index = self._serving(source)
            mark = index.watermark()
            if mark.version != SCHEMA_VERSION:
                index.clear()
                mark = Watermark()
            self.feeds[source.name] = Feed(source, index, goal, mark=mark)

    async def _follow(self, conn: asyncpg.Connection, feed: Feed) -> None:
        """Apply batches until a batch comes back short."""
        source = feed.source
        if feed.goal == 0:
            feed.goal = int(await conn.fetchval(_NEXT_XID))
        read = (
            f"SELECT {source.select}, t.search_xid AS search_xid_, t.{source.key}::text AS key_"  # noqa: S608
            f" FROM {source.table} t WHERE (t.search_xid, t.{source.key}) > ($1, $2)"
            f" AND t.search_xid < ({_XMIN}) ORDER BY t.search_xid, t.{source.key} LIMIT $3"
        )
        while True:
            # Building from the catalogue: fewer, larger commits.
            batch = self.batch if feed.caught_up else self.batch * 10
            horizon = int(await conn.fetchval(_XMIN))
            rows = await conn.fetch(read, feed.mark.xid, feed.mark.key, batch)
            if rows:
                upserts, deletes = [], []
                for row in rows:
                    doc = source.document(row)
                    if doc is None:
                        deletes.append(row["key_"])
                    else:
                        upserts.append(doc)
                last = rows[-1]
                feed.mark = Watermark(int(last["search_xid_"]), str(last["key_"]))
                await asyncio.to_thread(feed.index.apply, upserts, deletes, feed.mark)
            if len(rows) < batch:
                if horizon >= feed.goal and not feed.caught_up:
                    feed.caught_up = True
                    log.info("search index caught up", extra={"index": source.name})
                return

    # -- directories -------------------------------------------------------------------

    def _serving(self, source: IndexSource) -> SearchIndex:
        base = self.directory / source.name
        current = base / CURRENT
        if current.exists():
            return SearchIndex(base / current.read_text().strip())
        return self._fresh(source, publish=True)

    def _fresh(self, source: IndexSource, *, publish: bool = False) -> SearchIndex:
        base = self.directory / source.name
        generation = uuid.uuid4().hex[:12]
        index = SearchIndex(base / generation)
        if publish:
            _publish(base, generation)
        return index

    def _swap(self, name: str, fresh: Feed) -> None:
        old = self.feeds[name]
        _publish(fresh.index.path.parent, fresh.index.path.name)
        self.feeds[name] = fresh
        del self.rebuilding[name]
        old.index.close()
        shutil.rmtree(old.index.path, ignore_errors=True)
        log.info("search index rebuilt and swapped in", extra={"index": name})

    # -- wake-ups ----------------------------------------------------------------------

    async def _listen(self) -> None:
        """Keep a connection LISTENing on ``listing_search``; reconnect when it drops."""
        while True:
            try:
                conn = await asyncpg.connect(
                    self.dsn, server_settings={"application_name": LISTENER}
                )
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("search follower cannot LISTEN yet", extra={"error": str(exc)})
                await asyncio.sleep(1.0)
                continue
            try:
                await self._listen_on(conn)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("search follower lost its LISTEN", extra={"error": str(exc)})
            finally:
                self.listening = False
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(conn.close(), timeout=2)
            await asyncio.sleep(0.5)

    async def _listen_on(self, conn: asyncpg.Connection) -> None:
        """Until the connection is lost: a wake-up for each notification."""
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        await conn.add_listener(CHANNEL, lambda *_: self.wake())
        self.listening = True
        self.wake()  # what was committed while nobody listened
        while not lost.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(lost.wait(), 5.0)
            if not lost.is_set():
                await asyncio.wait_for(conn.execute("SELECT 1"), 5)


def _publish(base: Path, generation: str) -> None:
    """Point ``base/CURRENT`` at ``generation`` (atomic rename)."""
    written = base / f"{CURRENT}.new"
    written.write_text(generation)
    written.replace(base / CURRENT)
