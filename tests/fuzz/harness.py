"""The fuzzing stage's pieces: how hard it tries (from the environment), who calls (one
token per role), what it knows of the running system (ids to aim at), and how it bends
the data schemathesis generates towards the inputs that break servers.

``make test`` runs the short pass (the defaults: a few derandomized examples per
operation); ``make fuzz`` the thorough one. The environment:

- ``FUZZ_EXAMPLES``: examples per operation in the fuzzing phase (default 10). Set, the
  run is a thorough one: failing cases shrink to smaller ones.
- ``FUZZ_PHASES``: comma-separated schemathesis phases (default ``examples,fuzzing``).
- ``FUZZ_KEEP_GOING=1``: an operation's test goes on after a 5xx and fails at its end
  with every distinct one (without shrinking them); to list all, not the first.
- ``FUZZ_SEED``: the seed of a run to replay. Unset, a run with ``FUZZ_EXAMPLES`` set
  draws a random seed (pytest's header shows it); the short pass is derandomized.
"""

from __future__ import annotations

import base64
import importlib
import json
import os
import random
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import strategies as st
from schemathesis import Config, HookContext

from devstack import demo
from shared.auth import OrgType, Scope, issue_token
from shared.settings import ServiceSettings
from tests.support.stack import org

# Schemathesis' phases; "stateful" needs a state machine, not per-operation tests.
PHASES = ("examples", "coverage", "fuzzing", "stateful")
USABLE_PHASES = ("examples", "coverage", "fuzzing")
SETTINGS = ServiceSettings()  # the services' default development signing key


@dataclass(frozen=True)
class FuzzSettings:
    examples: int
    phases: tuple[str, ...]
    seed: int | None  # None: derandomized
    shrink: bool  # a failing case shrinks to a smaller one (thorough pass only)
    keep_going: bool  # record every distinct 5xx of an operation, fail at its end

    @classmethod
    def from_env(cls) -> FuzzSettings:
        examples = os.environ.get("FUZZ_EXAMPLES")
        phases = tuple(
            p.strip() for p in os.environ.get("FUZZ_PHASES", "examples,fuzzing").split(",")
        )
        unknown = set(phases) - set(USABLE_PHASES)
        if unknown:
            raise ValueError(f"FUZZ_PHASES: {sorted(unknown)}? choose from {USABLE_PHASES}")
        seed_text = os.environ.get("FUZZ_SEED")
        if seed_text:
            seed: int | None = int(seed_text)
        elif examples:
            seed = random.SystemRandom().randrange(2**32)
        else:
            seed = None
        return cls(
            examples=int(examples or 10),
            phases=phases,
            seed=seed,
            shrink=examples is not None,
            keep_going=os.environ.get("FUZZ_KEEP_GOING", "") not in ("", "0"),
        )

    def config(self) -> Config:
        data: dict[str, Any] = {
            "request-timeout": 30,
            "generation": {
                "mode": "all",
                "max-examples": self.examples,
                "deterministic": self.seed is None,
                "no-shrink": not self.shrink,
                "database": "none",
            },
            "phases": {name: {"enabled": name in self.phases} for name in PHASES},
            # The curl commands carry the role's token: a development token, for replay.
            "output": {"sanitization": {"enabled": False}},
            # Nothing learned in one run changes the next: the short pass stays the same.
            "cache": {"enabled": False},
        }
        if self.seed is not None:
            data["seed"] = self.seed
        return Config.from_dict(data)

    def describe(self) -> str:
        seed = "derandomized" if self.seed is None else f"FUZZ_SEED={self.seed}"
        going = " FUZZ_KEEP_GOING=1" if self.keep_going else ""
        return f"FUZZ_EXAMPLES={self.examples} FUZZ_PHASES={','.join(self.phases)} {seed}{going}"


FUZZ = FuzzSettings.from_env()


# -- who calls ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Role:
    """Who calls: an organisation of one type with the scopes that type has, or nobody."""

    name: str
    org_id: str | None
    headers: dict[str, str]


def _scopes(org_type: OrgType) -> list[str]:
    scopes = [Scope.READ.value, Scope.WRITE.value]
    if org_type is OrgType.OPERATOR:
        scopes.append(Scope.OPERATE.value)
    return scopes


# The organisations of the demo data set (devstack.demo), which the stage loads before it
# fuzzes: as these, the fuzzer acts on patents, declarations, a licence and a pledge that
# are theirs. The other types get an organisation of their own.
DEMO_ORGS = {o.org_type: o for o in (demo.UNIVERSITY, demo.ENTERPRISE, demo.BANK, demo.OPERATOR)}


def roles() -> list[Role]:
    """One role per organisation type, then no token at all."""
    result = []
    for org_type in OrgType:
        caller = DEMO_ORGS.get(org_type) or org(org_type, f"fuzz {org_type.value}")
        token = issue_token(
            SETTINGS,
            org_id=caller.org_id,
            org_name=caller.name,
            org_type=org_type,
            uscc=caller.uscc,
            scopes=_scopes(org_type),
        )
        result.append(Role(org_type.value, caller.org_id, {"Authorization": f"Bearer {token}"}))
    result.append(Role("anonymous", None, {}))
    return result


ROLES = roles()


def role(name: str) -> Role:
    return next(r for r in ROLES if r.name == name)


# -- ids to aim at -----------------------------------------------------------------------


def _singular(segment: str) -> str:
    name = segment.replace("-", "_")
    if name.endswith("ies"):
        return name[:-3] + "y"
    return name.removesuffix("s")


@dataclass
class IdPool:
    """Ids that exist in the running system, by parameter name (``pledge_id``, ...): the
    seed data's and those of what the fuzzer created. Random ids only ever find 404s;
    these take a request past the lookup into the code behind it."""

    ids: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, value: object) -> None:
        if not isinstance(value, str) or not value:
            return
        known = self.ids.setdefault(name, [])
        if value not in known and len(known) < 50:
            known.append(value)

    def values_for(self, parameter: str) -> list[str]:
        """Ids for a parameter: those kept under its name, or under a longer name that
        ends with it (``supply_listing_id`` serves ``listing_id``)."""
        if parameter != "application_number" and not parameter.endswith("_id"):
            return []
        found: list[str] = []
        for name, values in self.ids.items():
            if name == parameter or name.endswith(f"_{parameter}"):
                found.extend(values)
        return found

    def harvest(self, path: str, body: object) -> None:
        """Keep the ids of a successful response: ``id`` named after the path's last
        collection (``/v1/pledges/{pledge_id}/...`` -> ``pledge_id``), and every
        ``application_number``."""
        items = body.get("items") if isinstance(body, dict) else None
        records = items if isinstance(items, list) else [body]
        collections = [s for s in path.split("/") if s and not s.startswith("{")]
        name = f"{_singular(collections[-1])}_id" if collections else "id"
        for record in records:
            if not isinstance(record, dict):
                continue
            self.add(name, record.get("id"))
            self.add("application_number", record.get("application_number"))


POOL = IdPool()


# -- inputs that break servers -----------------------------------------------------------

# Spliced into or put in place of generated strings. Text databases refuse NUL; a lone
# surrogate cannot be encoded as UTF-8; CR/LF breaks headers built from data; quotes,
# LIKE wildcards and backslashes test escaping; the dates and amounts test arithmetic
# and column ranges (the offsets also the conversion to UTC); long text tests index and
# column limits.
STRINGS = (
    "\x00",
    "\ud800",
    "\r\n",
    "'",
    '"',
    "\\",
    "%",
    "_",
    " ",
    "",
    "\u202e",
    "🙂",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    # In the calendar as written, out of it in UTC: no datetime holds the instant.
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "99999999999999999999999999999999.99",
    "-1",
    "0",
    "NaN",
    "Infinity",
    "x" * 10_000,
)
INTEGERS = (0, -1, 2**31 - 1, 2**31, -(2**31) - 1, 2**63 - 1, 2**63, -(2**63) - 1, 10**30)
FLOATS = (0.0, -0.0, 5e-324, 1e-9, 1e308, -1e308)
# Keys of the cursors the services issue (shared.http.pagination.encode_cursor callers).
CURSOR_KEYS = ("t", "id", "n", "k")

_json_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(STRINGS[:12])
)
_json = st.recursive(
    _json_leaves,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


def _encode(value: object) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# Opaque cursors are base64 of JSON: the server decodes what a client sends back.
CURSORS = st.one_of(
    st.dictionaries(st.sampled_from(CURSOR_KEYS) | st.text(max_size=4), _json, max_size=4),
    _json,
).map(_encode)

MUTATE_PERCENT = 10  # how often a generated value is replaced or spliced
POOL_PERCENT = 50  # how often an id parameter takes an id that exists


def _chance(percent: int) -> st.SearchStrategy[bool]:
    # Hypothesis shrinks integers towards 0, so a failing case shrinks towards the value
    # schemathesis generated and keeps only the replacements that matter.
    return st.integers(0, 99).map(lambda n: n >= 100 - percent)


@st.composite
def _mutated(draw: st.DrawFn, value: object, key: str | None, *, in_body: bool) -> object:
    if isinstance(value, dict):
        return {k: draw(_mutated(v, k, in_body=in_body)) for k, v in value.items()}
    if isinstance(value, list):
        return [draw(_mutated(v, key, in_body=in_body)) for v in value]
    if key is not None:
        ids = POOL.values_for(key)
        if ids and bool(draw(_chance(POOL_PERCENT))):
            return draw(st.sampled_from(ids))
        if key == "cursor" and draw(_chance(50)):
            return draw(CURSORS)
    if isinstance(value, bool) or value is None or not draw(_chance(MUTATE_PERCENT)):
        return value
    if isinstance(value, str):
        # A lone surrogate cannot travel in a URL; only JSON can escape it.
        strings = STRINGS if in_body else tuple(s for s in STRINGS if s != "\ud800")
        extra = draw(st.sampled_from(strings))
        if draw(st.booleans()):
            return extra
        at = draw(st.integers(0, len(value)))
        return value[:at] + extra + value[at:]
    if isinstance(value, int):
        return draw(st.sampled_from(INTEGERS))
    if isinstance(value, float):
        return draw(st.sampled_from(FLOATS))
    return value


def flatmap_path_parameters(context: HookContext, path_parameters: Any) -> st.SearchStrategy[Any]:
    if not isinstance(path_parameters, dict):
        return st.just(path_parameters)
    return _mutated(path_parameters, None, in_body=False)


_ABSENT = object()


def flatmap_query(context: HookContext, query: Any) -> st.SearchStrategy[Any]:
    """Besides mutating what schemathesis generated, offer the optional id and cursor
    parameters it left out to the pool and the crafted cursors."""
    if query is not None and not isinstance(query, dict):
        return st.just(query)
    values: dict[str, Any] = dict(query or {})
    if context.operation is not None:
        for parameter in context.operation.query:
            name = parameter.name
            if name not in values and (name == "cursor" or POOL.values_for(name)):
                values[name] = _ABSENT
    if not values:
        return st.just(query)
    return _mutated(values, None, in_body=False).map(_present)


def _present(query: Any) -> dict[str, Any]:
    return {k: v for k, v in query.items() if v is not _ABSENT}


def flatmap_body(context: HookContext, body: Any) -> st.SearchStrategy[Any]:
    if not isinstance(body, dict | list):
        return st.just(body)
    return _mutated(body, None, in_body=True)


# -- schemas -----------------------------------------------------------------------------


# Documents are uploaded as the file's bytes (listing's POST /v1/documents): send the
# generated bytes for PDF and OFD as schemathesis does for other binary media types.
schemathesis.serializer.alias(["application/pdf", "application/ofd"], "application/octet-stream")


def load_schema(module: str) -> schemathesis.BaseSchema:
    """The OpenAPI schema of a service (``module``: its package), from its app factory:
    the document the running process serves at ``/openapi.json``. Loaded at collection,
    so pytest gets one test per operation."""
    app = importlib.import_module(f"{module}.main").create_app()
    schema = schemathesis.openapi.from_dict(app.openapi(), config=FUZZ.config())
    for hook in (flatmap_path_parameters, flatmap_query, flatmap_body):
        schema.hook(hook)
    return schema
