"""What supply listings and needs are found by, without infrastructure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from listing.domain.errors import SearchQueryInvalid
from listing.domain.inventory import IntendedMode, Willingness
from listing.domain.market import SupplyKind
from listing.domain.market_search import demand_keys, supply_keys
from listing.domain.patent import LegalStatus, PartyType
from listing.domain.search import facet_keys, keywords
from listing.domain.tiers import Tier
from listing.search import market
from shared.domain import PatentType
from shared.domain.terms import PaymentMode

pytestmark = pytest.mark.unit

PATENT = facet_keys(
    ipc_codes=["H01M 10/48"],
    industry_codes=["C3841"],
    region_code="110108",
    patent_type="invention",
    patentee_types=["university"],
    legal_status="valid",
    payment_mode="lump_sum",
    tier="A",
    willingness="willing",
    intended_modes=["license"],
    unexploited=True,
)


def test_a_supply_listing_states_its_own_codes_and_inherits_its_patents_facts() -> None:
    keys = set(
        supply_keys(
            kind="transfer",
            ipc_codes=["H01M 4/13"],
            industry_codes=[],
            region_code="440305",
            patent_type="invention",
            patent_keys=PATENT,
        )
    )
    assert {"ipc:H01M 4/13", "ipc:H01M 4", "region:44", "region:4403", "kind:transfer"} <= keys
    # The listing's own codes replace the patent's.
    assert "ipc:H01M 10/48" not in keys
    assert "region:11" not in keys
    assert not any(k.startswith("industry:") for k in keys)
    inherited = {"patentee:university", "status:valid", "mode:lump_sum", "tier:A"}
    assert inherited | {"willing:willing", "intended:license", "unexploited:1"} <= keys


def test_a_listing_of_a_patent_outside_the_catalogue_has_only_its_own_keys() -> None:
    keys = supply_keys(
        kind="license", ipc_codes=[], industry_codes=["C38"], region_code=None, patent_type=None
    )
    assert keys == ("industry:C", "industry:C3", "industry:C38", "kind:license")


def test_a_need_is_found_by_its_codes() -> None:
    assert demand_keys(ipc_codes=["H02S 40/10"], industry_codes=[], region_code="3205") == (
        "ipc:H",
        "ipc:H02",
        "ipc:H02S",
        "ipc:H02S 40",
        "ipc:H02S 40/10",
        "region:32",
        "region:3205",
    )


def _filters(**over: object) -> market.ListingFilters:
    base: dict[str, object] = {
        "q": None,
        "ipc": (),
        "industry": (),
        "region": (),
        "price_min": None,
        "price_max": None,
        "sort": None,
        "limit": 20,
        "position": None,
    }
    return market.ListingFilters(**{**base, **over})  # type: ignore[arg-type]


def test_every_supply_filter_asks_for_the_key_its_listing_carries() -> None:
    command = market.SearchSupply(
        filters=_filters(ipc=("H01M",), industry=("C38",), region=("11", "44")),
        kind=(SupplyKind.TRANSFER,),
        patent_type=(PatentType.INVENTION,),
        patentee_type=(PartyType.UNIVERSITY,),
        status=(LegalStatus.VALID,),
        payment_mode=(PaymentMode.LUMP_SUM,),
        tier=(Tier.A,),
        willingness=(Willingness.WILLING,),
        intended_mode=(IntendedMode.LICENSE,),
        unexploited=True,
    )
    query = market.supply_query(command)
    listing = set(
        supply_keys(
            kind="transfer",
            ipc_codes=["H01M 10/48"],
            industry_codes=["C3841"],
            region_code="110108",
            patent_type="invention",
            patent_keys=PATENT,
        )
    )
    assert len(query.facets) == 12
    for group in query.facets:
        assert group & listing, group
    assert query.order == "newest"
    assert query.excluded == frozenset()
    assert market.supply_query(
        market.SearchSupply(filters=_filters(), unexploited=False)
    ).excluded == {"unexploited:1"}


def test_keywords_and_prices_reach_the_query_and_a_bad_ipc_is_named() -> None:
    query = market.engine_query(
        _filters(q="锂电池 检测", price_min=Decimal("1"), position=("f" * 16, 40)), [], set()
    )
    assert query.keywords == ("锂电池", "检测")
    assert (query.price_min, query.order, query.offset) == (Decimal("1"), "relevance", 40)
    with pytest.raises(SearchQueryInvalid, match="Z99"):
        market.engine_query(_filters(ipc=("Z99",)), [], set())


def test_keywords_are_separated_by_spaces_or_punctuation_as_people_type_them() -> None:
    assert [k.text for k in keywords("锂电池，检测")] == ["锂电池", "检测"]
    assert [k.text for k in keywords("ＢＭＳ；故障诊断 (SOC)")] == ["bms", "故障诊断", "soc"]
    with pytest.raises(ValueError, match="only spaces and punctuation"):
        keywords("，。！？ ")
