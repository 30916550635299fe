"""Django validators around ``iuv`` and the pagoPA taxonomy."""

import json
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sportello.core.identifiers import segregation_code_is_valid

TAXONOMY_FILE = Path(__file__).parent / "data" / "tassonomia-v33.json"


@cache
def taxonomy() -> dict[str, str]:
    """pagoPA taxonomy v33 codes (``DATI SPECIFICI DI INCASSO``) -> "macro area - service type"."""
    return json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))


def taxonomy_search(query: str, limit: int = 20) -> list[tuple[str, str]]:
    words = query.lower().split()
    return [(c, label) for c, label in taxonomy().items() if all(w in f"{c} {label}".lower() for w in words)][
        :limit
    ]


def validate_segregation_code(value: str) -> None:
    if not segregation_code_is_valid(value):
        raise ValidationError(
            _("Il codice di segregazione è formato da 2 cifre, da 00 a 45."), code="segregation"
        )


def validate_taxonomy_code(value: str) -> None:
    if value not in taxonomy():
        raise ValidationError(
            _("«%(code)s» non è un codice della tassonomia pagoPA (es. 9/0104100TS/)."),
            params={"code": value},
            code="taxonomy",
        )
