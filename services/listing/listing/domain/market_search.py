"""What a supply listing or a technical need can be found by.

Both are searched like the catalogue: keywords in their title and description, and
filters as facet keys (``ipc:H01M``, ``region:44``, ...). A supply listing carries its own
codes (its publisher may narrow the patent's) and inherits the facts only the catalogue
knows about its patent: legal status, patentee types, the open licence's payment mode and
the inventory's tier, willingness, intended modes and unexploited flag, so that a front end
filters listings and patents alike. A need has only its own codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from listing.domain.search import code_keys


class ListingSort(StrEnum):
    RELEVANCE = "relevance"  # the default with keywords
    NEWEST = "newest"  # published most recently first; the default without keywords


# The facet namespaces a supply listing states itself; the patent's keys in these are
# replaced by the listing's.
_OWN = frozenset({"ipc", "industry", "region", "type"})


def supply_keys(
    *,
    kind: str,
    ipc_codes: Iterable[str],
    industry_codes: Iterable[str],
    region_code: str | None,
    patent_type: str | None,
    patent_keys: Iterable[str] = (),
) -> tuple[str, ...]:
    """A supply listing's facet keys: its own codes and kind, and the facts of its patent
    (none when the patent is not in the catalogue)."""
    keys = code_keys(ipc_codes=ipc_codes, industry_codes=industry_codes, region_code=region_code)
    keys.add(f"kind:{kind}")
    if patent_type:
        keys.add(f"type:{patent_type}")
    keys.update(k for k in patent_keys if k.split(":", 1)[0] not in _OWN)
    return tuple(sorted(keys))


def demand_keys(
    *, ipc_codes: Iterable[str], industry_codes: Iterable[str], region_code: str | None
) -> tuple[str, ...]:
    return tuple(
        sorted(
            code_keys(ipc_codes=ipc_codes, industry_codes=industry_codes, region_code=region_code)
        )
    )
