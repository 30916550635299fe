"""Authentication levels: pure functions, no Django.

A service declares the minimum level a citizen needs ("anonymous", "spid1", "spid2" or "cie"); a login
records the level it reached. SPID levels map to the SAML ``AuthnContextClassRef`` values of the SPID
technical rules; CIE counts as level 3 (it satisfies every SPID level; SPID level 3 satisfies "cie" too).
"""

ANONYMOUS = "anonymous"
SPID1 = "spid1"
SPID2 = "spid2"
SPID3 = "spid3"
CIE = "cie"

RANK = {ANONYMOUS: 0, SPID1: 1, SPID2: 2, SPID3: 3, CIE: 3}
# Levels a service may require (the catalogue's choices); spid3 is only ever *reached*, never asked.
SERVICE_LEVELS = (ANONYMOUS, SPID1, SPID2, CIE)

ACR_SPID1 = "https://www.spid.gov.it/SpidL1"
ACR_SPID2 = "https://www.spid.gov.it/SpidL2"
ACR_SPID3 = "https://www.spid.gov.it/SpidL3"
ACR_BY_RANK = {1: ACR_SPID1, 2: ACR_SPID2, 3: ACR_SPID3}
RANK_BY_ACR = {value: rank for rank, value in ACR_BY_RANK.items()}


def level_rank(level: str | None) -> int:
    """0 for anonymous or unknown values (never more rights than declared)."""
    return RANK.get(level or ANONYMOUS, 0)


def level_satisfies(have: str | None, need: str | None) -> bool:
    """True when a session at level ``have`` may use a service that needs ``need``.

    Unknown required levels are treated as the strictest one, so a typo never opens a service.
    """
    need = need or ANONYMOUS
    required = RANK.get(need, max(RANK.values()))
    return level_rank(have) >= required


def parse_level(value: str | None, default: str = SPID2) -> str:
    """A level from a query string (``?livello=``): known service levels only, else ``default``."""
    return value if value in SERVICE_LEVELS and value != ANONYMOUS else default


def acr_for_level(level: str) -> str:
    """The ``AuthnContextClassRef`` to request for a required level (at least SpidL1)."""
    return ACR_BY_RANK[max(1, level_rank(level))]


def level_from_acr(acr: str, *, cie: bool = False) -> str | None:
    """The level reached by an assertion; None for an ACR outside the SPID rules.

    ``cie`` marks an assertion from a CIE identity provider: it counts as "cie" from SpidL2 upwards.
    """
    rank = RANK_BY_ACR.get(acr)
    if rank is None:
        return None
    if cie and rank >= 2:
        return CIE
    return {1: SPID1, 2: SPID2, 3: SPID3}[rank]
