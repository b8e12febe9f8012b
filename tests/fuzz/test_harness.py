"""The fuzzing stage's own pieces, without services: the id pool, the mutations, and how
a logged traceback becomes a finding."""

from __future__ import annotations

import base64
import dataclasses
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from devstack.processes import ServiceProcess
from tests.fuzz.findings import ROOT, Findings, finding, logged_since, own_frames
from tests.fuzz.harness import CURSORS, ROLES, IdPool, _mutated

TRACEBACK = f"""Traceback (most recent call last):
  File "{ROOT}/.venv/lib/python3.11/site-packages/fastapi/routing.py", line 381, in run
    return await dependant.call(**values)
  File "{ROOT}/services/pledge/pledge/api/endpoints.py", line 367, in list_pledges
    after = (datetime.fromisoformat(page.cursor["t"]), str(page.cursor["id"]))
KeyError: 't'"""

CHAINED = f"""Traceback (most recent call last):
  File "asyncpg/protocol/protocol.pyx", line 197, in bind_execute
asyncpg.exceptions.CharacterNotInRepertoireError: invalid byte sequence

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "{ROOT}/services/pledge/pledge/repository.py", line 119, in get_pledge
    return await self.session.get(PledgeRecord, pledge_id)
sqlalchemy.exc.DBAPIError: (asyncpg.Error) invalid byte sequence for encoding "UTF8": 0x00
[SQL: SELECT ...]
(Background on this error at: https://sqlalche.me/e/21/dbapi)"""


def test_pool_names_ids_after_the_collection_and_serves_shorter_names() -> None:
    pool = IdPool()
    pool.harvest("/v1/supply-listings", {"items": [{"id": "s-1"}, {"id": "s-2"}]})
    pool.harvest("/v1/pledges/{pledge_id}", {"id": "p-1", "application_number": "2019"})
    pool.harvest("/v1/insurance-policies", {"id": "ip-1"})
    assert pool.values_for("listing_id") == ["s-1", "s-2"]
    assert pool.values_for("pledge_id") == ["p-1"]
    assert pool.values_for("policy_id") == ["ip-1"]
    assert pool.values_for("application_number") == ["2019"]
    assert pool.values_for("limit") == []


def test_every_organisation_type_and_nobody_is_a_role() -> None:
    names = [r.name for r in ROLES]
    assert names[-1] == "anonymous"
    assert ROLES[-1].headers == {}
    assert len(names) == len(set(names)) == 11
    operator = next(r for r in ROLES if r.name == "operator")
    assert operator.headers["Authorization"].startswith("Bearer ")


@settings(max_examples=50, database=None, deadline=None)
@given(st.data())
def test_mutations_keep_the_shape_of_what_they_mutate(data: st.DataObject) -> None:
    value = {"title": "abc", "n": 5, "ok": True, "tags": ["x", "y"], "nested": {"id": "1"}}
    mutated = data.draw(_mutated(value, None, in_body=False))
    assert isinstance(mutated, dict)
    assert set(mutated) == set(value)
    assert mutated["ok"] is True
    assert isinstance(mutated["tags"], list)
    assert len(mutated["tags"]) == 2
    # A lone surrogate cannot be put in a URL: outside bodies none is generated.
    assert not any("\ud800" in text for text in _strings(mutated))


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [t for v in value.values() for t in _strings(v)]
    if isinstance(value, list):
        return [t for v in value for t in _strings(v)]
    return [value] if isinstance(value, str) else []


@settings(max_examples=50, database=None, deadline=None)
@given(CURSORS)
def test_cursors_are_base64_json(cursor: str) -> None:
    json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


def test_a_traceback_becomes_one_signature_at_our_innermost_frame(tmp_path: Path) -> None:
    log = tmp_path / "pledge.log"
    log.write_text('{"level": "INFO", "msg": "started"}\n')
    process = ServiceProcess("fuzz-pledge", "pledge", {}, 1, log)
    offset = log.stat().st_size
    # A request path with U+0085 in it: a line end for str.splitlines(), not for the log.
    record = {"msg": "unexpected error", "path": "/v1/pledges/\x85", "exc": TRACEBACK}
    with log.open("a") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    found = finding(
        "GET /v1/pledges",
        process,
        "bank",
        "Server error",
        500,
        "curl ...",
        logged_since(process, offset),
    )
    assert found.exception == "KeyError: 't'"
    assert found.origin == "services/pledge/pledge/api/endpoints.py:367 in list_pledges"
    assert "site-packages" not in found.traceback
    findings = Findings()
    assert findings.add(found)
    shrunk = dataclasses.replace(found, curl="curl")
    assert not findings.add(shrunk)  # the same signature on the same operation...
    assert list(findings) == [shrunk]  # ...and the shorter request stays


def test_the_last_exception_of_a_chain_is_the_one_reported() -> None:
    process = ServiceProcess("fuzz-pledge", "pledge", {}, 1, Path("/nonexistent"))
    found = finding(
        "POST /v1/pledges/{pledge_id}/repayments", process, "bank", "Server error", 500, "", CHAINED
    )
    assert found.exception.startswith("sqlalchemy.exc.DBAPIError:")
    assert found.origin == "services/pledge/pledge/repository.py:119 in get_pledge"
    assert own_frames(TRACEBACK).count('File "') == 1
