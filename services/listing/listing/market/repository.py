"""Supply listings and demands: loaded and saved as domain objects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Generic, TypeVar

from sqlalchemy import or_, text, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from listing import mapping
from listing.domain.market import Demand, ListingStatus, SupplyListing
from listing.market.models import DemandRecord, SupplyListingRecord
from shared.db.rows import loaded_row

ListingT = TypeVar("ListingT", SupplyListing, Demand)
RecordT = TypeVar("RecordT", SupplyListingRecord, DemandRecord)


class Listings(Generic[ListingT, RecordT]):
    """One kind of listing in its table."""

    def __init__(
        self,
        session: AsyncSession,
        table: type[RecordT],
        to_domain: Callable[[RecordT], ListingT],
        to_row: Callable[[ListingT], RecordT],
        end: str,
    ) -> None:
        self.session = session
        self._end = end
        self._table: type[RecordT] = table
        self._to_domain: Callable[[RecordT], ListingT] = to_domain
        self._to_row: Callable[[ListingT], RecordT] = to_row

    async def add(self, listing: ListingT) -> bool:
        """Insert; False if its source already published one with the same reference."""
        t = self._table
        result = await self.session.execute(
            insert(t)
            .values(**self._to_row(listing).model_dump())
            .on_conflict_do_nothing(
                index_elements=["source_org_id", "external_reference"],
                index_where=text("external_reference IS NOT NULL"),
            )
            .returning(col(t.id))
        )
        return result.first() is not None

    async def by_reference(self, source_org_id: str, external_reference: str) -> ListingT | None:
        t = self._table
        query = select(t).where(
            col(t.source_org_id) == source_org_id,
            col(t.external_reference) == external_reference,
        )
        record = (await self.session.execute(query)).scalar_one_or_none()
        return None if record is None else self._to_domain(record)

    async def get(self, listing_id: str) -> ListingT | None:
        record = await self.session.get(self._table, listing_id)
        return None if record is None else self._to_domain(record)

    async def get_for_update(self, listing_id: str) -> ListingT | None:
        """The listing, its row locked until the transaction ends: of an update and a
        close racing, one waits for the other and then sees what it did."""
        t = self._table
        query = select(t).where(col(t.id) == listing_id).with_for_update()
        record = (await self.session.execute(query)).scalar_one_or_none()
        return None if record is None else self._to_domain(record)

    async def save(self, listing: ListingT) -> None:
        """Write back a listing ``get_for_update`` loaded."""
        row = await loaded_row(self.session, self._table, listing.id)
        assert row is not None
        for name, value in self._to_row(listing).model_dump().items():
            setattr(row, name, value)
        await self.session.flush()

    async def past_end(self, today: date, limit: int) -> list[ListingT]:
        """Open listings whose end date is before ``today``, locked; rows another
        instance's sweep holds are skipped (it closes them)."""
        t = self._table
        end = col(getattr(t, self._end))
        query = (
            select(t)
            .where(col(t.status) != ListingStatus.CLOSED.value, end < today)
            .order_by(end, col(t.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [self._to_domain(r) for r in (await self.session.execute(query)).scalars()]

    async def newest(
        self, limit: int, after: tuple[datetime, str] | None, viewer_org_id: str
    ) -> list[ListingT]:
        """Newest first, after ``(created_at, id)``: the published ones, and those the
        viewer published that are not (yet)."""
        t = self._table
        query = (
            select(t)
            .where(
                or_(
                    col(t.status) == ListingStatus.PUBLISHED.value,
                    col(t.source_org_id) == viewer_org_id,
                )
            )
            .order_by(col(t.created_at).desc(), col(t.id).desc())
            .limit(limit)
        )
        if after is not None:
            created_at, listing_id = after
            query = query.where(
                tuple_(col(t.created_at), col(t.id)) < tuple_(created_at, listing_id)
            )
        return [self._to_domain(r) for r in (await self.session.execute(query)).scalars()]


class SupplyListings(Listings[SupplyListing, SupplyListingRecord]):
    """Supply listings, with the operator's review queue."""

    async def pending_review(
        self, limit: int, after: tuple[datetime, str] | None
    ) -> list[SupplyListing]:
        """Oldest first (a queue), after ``(created_at, id)``."""
        t = SupplyListingRecord
        query = (
            select(t)
            .where(col(t.status) == ListingStatus.PENDING_REVIEW.value)
            .order_by(col(t.created_at), col(t.id))
            .limit(limit)
        )
        if after is not None:
            query = query.where(tuple_(col(t.created_at), col(t.id)) > tuple_(*after))
        return [mapping.supply_listing(r) for r in (await self.session.execute(query)).scalars()]


def supply_listings(session: AsyncSession) -> SupplyListings:
    return SupplyListings(
        session,
        SupplyListingRecord,
        mapping.supply_listing,
        mapping.supply_listing_record,
        end="valid_until",
    )


def demands(session: AsyncSession) -> Listings[Demand, DemandRecord]:
    return Listings(session, DemandRecord, mapping.demand, mapping.demand_record, end="deadline")
