"""Bearer-token authentication: signed JWTs carrying the acting organisation."""

from shared.auth.principal import OrgType, Principal, Scope
from shared.auth.tokens import TokenError, TokenVerifier, issue_token

__all__ = ["OrgType", "Principal", "Scope", "TokenError", "TokenVerifier", "issue_token"]
