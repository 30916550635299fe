import pytest

from sportello.identity import levels
from sportello.identity.levels import level_satisfies


@pytest.mark.parametrize(
    ("have", "need", "ok"),
    [
        ("anonymous", "anonymous", True),
        (None, "anonymous", True),
        ("anonymous", "spid1", False),
        ("spid1", "spid1", True),
        ("spid1", "spid2", False),
        ("spid2", "spid1", True),
        ("spid2", "spid2", True),
        ("spid2", "cie", False),
        ("cie", "spid2", True),
        ("cie", "spid1", True),
        ("cie", "cie", True),
        ("spid3", "cie", True),
        ("spid2", "unknown-level", False),
        ("bogus", "spid1", False),
    ],
)
def test_level_satisfies(have, need, ok):
    assert level_satisfies(have, need) is ok


def test_acr_for_each_required_level():
    assert levels.acr_for_level("spid1") == "https://www.spid.gov.it/SpidL1"
    assert levels.acr_for_level("spid2") == "https://www.spid.gov.it/SpidL2"
    assert levels.acr_for_level("cie") == "https://www.spid.gov.it/SpidL3"
    assert levels.acr_for_level("anonymous") == "https://www.spid.gov.it/SpidL1"


def test_level_reached_from_acr():
    assert levels.level_from_acr("https://www.spid.gov.it/SpidL2") == "spid2"
    assert levels.level_from_acr("https://www.spid.gov.it/SpidL2", cie=True) == "cie"
    assert levels.level_from_acr("https://www.spid.gov.it/SpidL1", cie=True) == "spid1"
    assert levels.level_from_acr("urn:oasis:names:tc:SAML:2.0:ac:classes:SpidL1") is None


def test_parse_level_from_query_string():
    assert levels.parse_level("spid1") == "spid1"
    assert levels.parse_level("cie") == "cie"
    assert levels.parse_level("anonymous") == "spid2"
    assert levels.parse_level("<script>") == "spid2"
    assert levels.parse_level(None) == "spid2"
